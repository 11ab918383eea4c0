// Function symbols of an ELF file (.symtab, else .dynsym) as a sorted
// address index. Names stay as offsets into the string table until a lookup
// needs them, so indexing 100k symbols allocates no strings.
//
// Symbolizing runs in a fresh process where every pass over 100k symbols
// costs milliseconds of cold code, so the index is one native sort of packed
// keys (address, kind bit, reversed table index): no permuted copies. The
// rarer rule that orders same-address aliases by size is applied when a
// lookup meets such a group.

import { cstringAt } from './bytes.ts';
import { type ElfFile, SHT_DYNSYM, SHT_SYMTAB } from './elf.ts';

const STT_NOTYPE = 0;
const STT_FUNC = 2;
const STT_FILE = 4;
const STT_GNU_IFUNC = 10;
const STB_GLOBAL = 1;

export interface SymbolHit {
  readonly name: string;
  readonly start: number;
  readonly size: number;
  /** For local symbols, the source file named by the preceding STT_FILE symbol (binutils does the same); else ''. */
  readonly file: string;
}

// Packed keys: address * KEY_SCALE + kind bit * INDEX_LIMIT + (INDEX_LIMIT - 1 - index).
const INDEX_BITS = 17;
const INDEX_LIMIT = 2 ** INDEX_BITS;
const KEY_SCALE = 2 * INDEX_LIMIT;
const KEY_VALUE_LIMIT = 2 ** 53 / KEY_SCALE;
/** How many entries before the covering position a nested symbol is looked for. */
const NESTED_WINDOW = 8;

/** Function symbols in symbol-table order (the null symbol and non-functions left out). */
interface FunctionSymbols {
  count: number;
  value: Float64Array;
  size: Float64Array;
  name: Uint32Array;
  /** STT_FILE name of a local symbol, else 0. */
  file: Uint32Array;
  /** 0 for NOTYPE, 1 for a local and 2 for a global function. */
  rank: Uint8Array;
  /** Packed sort keys, or null when an address or the count does not fit them. */
  keys: Float64Array | null;
}

export class SymbolTable {
  // One hit object per symbol: profiles hit the same functions many times, and reusing the
  // same name string keeps its hash cached for the symbolizer's maps.
  private readonly hits: (SymbolHit | undefined)[];

  /**
   * `sorted` ascends in lookup order: packed keys (`scale` KEY_SCALE, `order` null) or plain
   * addresses (`scale` 1) with `order` giving each position's symbol.
   */
  private constructor(
    private readonly syms: FunctionSymbols,
    private readonly strtab: Uint8Array,
    private readonly sorted: Float64Array,
    private readonly scale: number,
    private readonly order: Uint32Array | null,
  ) {
    this.hits = new Array<SymbolHit | undefined>(syms.count);
  }

  get length(): number {
    return this.syms.count;
  }

  /** Builds the index from `.symtab`, or `.dynsym` when the file is stripped. */
  static fromElf(elf: ElfFile): SymbolTable | null {
    let sec = elf.sections.find((s) => s.type === SHT_SYMTAB);
    if (!sec || sec.size === 0) sec = elf.sections.find((s) => s.type === SHT_DYNSYM);
    if (!sec) return null;
    const strSec = elf.sections[sec.link];
    if (!strSec) return null;
    const syms = readFunctionSymbols(elf, elf.rawData(sec));
    const strtab = elf.rawData(strSec);
    if (syms.keys) return new SymbolTable(syms, strtab, syms.keys.sort(), KEY_SCALE, null);
    const order = new Uint32Array(syms.count);
    for (let i = 0; i < syms.count; i++) order[i] = i;
    order.sort((a, b) => syms.value[a] - syms.value[b] || tieOrder(syms, a, b));
    return new SymbolTable(syms, strtab, Float64Array.from(order, (i) => syms.value[i]), 1, order);
  }

  /** The function symbol covering `addr`, or null. Size-0 symbols extend to the next symbol. */
  lookup(addr: number): SymbolHit | null {
    const sorted = this.sorted;
    // Last position whose address is <= addr (inlined binary search: this runs once per address).
    const limit = (addr + 1) * this.scale;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid] < limit) lo = mid + 1;
      else hi = mid;
    }
    const last = lo - 1;
    if (last < 0) return null;
    const s = this.syms;
    // The group of symbols at that address: positions first..last, all with keys >= base.
    const base = Math.floor(sorted[last] / this.scale) * this.scale;
    const start = base / this.scale;
    // The group's last in lookup order wins; a sized one must cover addr.
    let best = -1;
    let first = last;
    for (let p = last; p >= 0 && sorted[p] >= base; p--) {
      first = p;
      const j = this.symbolAt(p, base);
      if ((s.size[j] === 0 || addr < start + s.size[j]) && (best < 0 || tieOrder(s, j, best) > 0)) best = j;
    }
    if (best >= 0) return this.hit(best);
    return this.nestedCover(addr, first, NESTED_WINDOW - (last - first));
  }

  /**
   * A nested or overlapping earlier symbol that still covers addr (e.g. a large function with a
   * local label symbol): the first sized one found walking back `window` entries, in lookup order,
   * from position `end` (exclusive).
   */
  private nestedCover(addr: number, end: number, window: number): SymbolHit | null {
    const s = this.syms;
    const sorted = this.sorted;
    let p = end - 1;
    while (window > 0 && p >= 0) {
      // One group of same-address symbols, positions q+1..p, walked from its last in lookup order.
      const base = Math.floor(sorted[p] / this.scale) * this.scale;
      const start = base / this.scale;
      let q = p;
      while (q >= 0 && sorted[q] >= base) q--;
      const group: number[] = [];
      for (let k = p; k > q; k--) group.push(this.symbolAt(k, base));
      if (group.length > 1) group.sort((a, b) => tieOrder(s, b, a));
      const take = Math.min(window, group.length);
      for (let k = 0; k < take; k++) {
        const j = group[k];
        if (s.size[j] > 0 && addr < start + s.size[j]) return this.hit(j);
      }
      window -= take;
      p = q;
    }
    return null;
  }

  /** The symbol at a sorted position whose group's key base is `base`. */
  private symbolAt(p: number, base: number): number {
    return this.order !== null ? this.order[p] : INDEX_LIMIT - 1 - ((this.sorted[p] - base) & (INDEX_LIMIT - 1));
  }

  private hit(j: number): SymbolHit {
    let h = this.hits[j];
    if (h === undefined) {
      const s = this.syms;
      h = {
        name: cstringAt(this.strtab, s.name[j]),
        start: s.value[j],
        size: s.size[j],
        file: s.file[j] ? cstringAt(this.strtab, s.file[j]) : '',
      };
      this.hits[j] = h;
    }
    return h;
  }
}

function readFunctionSymbols(elf: ElfFile, data: Uint8Array): FunctionSymbols {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const ent = elf.is64 ? 24 : 16;
  const n = Math.floor(data.length / ent);
  const value = new Float64Array(n), size = new Float64Array(n);
  const name = new Uint32Array(n), file = new Uint32Array(n), rank = new Uint8Array(n);
  let keys: Float64Array | null = n < INDEX_LIMIT ? new Float64Array(n) : null;
  let curFile = 0;
  let k = 0;
  // Aligned 32-bit words read faster than DataView calls in cold code; file reads are aligned.
  const words = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.byteLength >>> 2) : null;
  for (let i = 1; i < n; i++) {
    const o = i * ent;
    let nm: number, v: number, sz: number, info: number, shndx: number;
    if (elf.is64 && words) {
      const w = o >>> 2;
      nm = words[w];
      info = data[o + 4];
      shndx = data[o + 6] | (data[o + 7] << 8);
      v = words[w + 2] + words[w + 3] * 4294967296;
      sz = words[w + 4] + words[w + 5] * 4294967296;
    } else if (elf.is64) {
      nm = view.getUint32(o, true);
      info = data[o + 4];
      shndx = view.getUint16(o + 6, true);
      v = view.getUint32(o + 8, true) + view.getUint32(o + 12, true) * 4294967296;
      sz = view.getUint32(o + 16, true) + view.getUint32(o + 20, true) * 4294967296;
    } else {
      nm = view.getUint32(o, true);
      v = view.getUint32(o + 4, true);
      sz = view.getUint32(o + 8, true);
      info = data[o + 12];
      shndx = view.getUint16(o + 14, true);
    }
    const type = info & 0xf;
    if (type === STT_FILE) { curFile = nm; continue; }
    if (shndx === 0 || nm === 0) continue;
    if (type !== STT_FUNC && type !== STT_GNU_IFUNC && !(type === STT_NOTYPE && sz > 0)) continue;
    const r = (info >> 4) === STB_GLOBAL ? 2 : type === STT_NOTYPE ? 0 : 1;
    value[k] = v;
    size[k] = sz;
    name[k] = nm;
    rank[k] = r;
    file[k] = (info >> 4) === 0 ? curFile : 0;
    if (keys !== null) {
      if (v < KEY_VALUE_LIMIT) keys[k] = v * KEY_SCALE + (r === 0 ? 0 : INDEX_LIMIT) + (INDEX_LIMIT - 1 - k);
      else keys = null;
    }
    k++;
  }
  return { count: k, value, size, name, file, rank, keys: keys && keys.subarray(0, k) };
}

/**
 * Lookup order of two symbols at the same address (aliases, identical-code
 * folding), the later one winning. Like binutils: a sized FUNC over NOTYPE,
 * then the larger size, then the first in the table. The packed keys carry
 * all but the size rule.
 */
function tieOrder(s: FunctionSymbols, a: number, b: number): number {
  return Math.min(s.rank[a], 1) - Math.min(s.rank[b], 1) || s.size[a] - s.size[b] || b - a;
}
