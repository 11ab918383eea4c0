// Function symbols of an ELF file (.symtab, else .dynsym) as a sorted
// address index. Names stay as offsets into the string table until a lookup
// needs them, so indexing 100k symbols allocates no strings.

import { cstringAt } from './bytes.ts';
import { type ElfFile, SHT_DYNSYM, SHT_SYMTAB } from './elf.ts';

const STT_NOTYPE = 0;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const STB_GLOBAL = 1;

export interface SymbolHit {
  readonly name: string;
  readonly start: number;
  readonly size: number;
  /** For local symbols, the source file named by the preceding STT_FILE symbol (binutils does the same); else ''. */
  readonly file: string;
}
const STT_FILE = 4;

export class SymbolTable {
  private constructor(
    private readonly value: Float64Array,
    private readonly size: Float64Array,
    private readonly nameOff: Uint32Array,
    private readonly strtab: Uint8Array,
    private readonly fileOff: Uint32Array,
  ) {
    this.hits = new Array<SymbolHit | undefined>(value.length).fill(undefined);
  }

  // One hit object per symbol: profiles hit the same functions many times, and reusing the
  // same name string keeps its hash cached for the symbolizer's maps.
  private readonly hits: (SymbolHit | undefined)[];

  private hit(i: number): SymbolHit {
    let h = this.hits[i];
    if (h === undefined) {
      h = {
        name: cstringAt(this.strtab, this.nameOff[i]),
        start: this.value[i],
        size: this.size[i],
        file: this.fileOff[i] ? cstringAt(this.strtab, this.fileOff[i]) : '',
      };
      this.hits[i] = h;
    }
    return h;
  }

  get length(): number {
    return this.value.length;
  }

  /** Builds the index from `.symtab`, or `.dynsym` when the file is stripped. */
  static fromElf(elf: ElfFile): SymbolTable | null {
    let sec = elf.sections.find((s) => s.type === SHT_SYMTAB);
    if (!sec || sec.size === 0) sec = elf.sections.find((s) => s.type === SHT_DYNSYM);
    if (!sec) return null;
    const strSec = elf.sections[sec.link];
    if (!strSec) return null;
    const data = elf.rawData(sec);
    const strtab = elf.rawData(strSec);
    const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const ent = elf.is64 ? 24 : 16;
    const n = Math.floor(data.length / ent);
    const vals = new Float64Array(n);
    const sizes = new Float64Array(n);
    const names = new Uint32Array(n);
    const rank = new Uint8Array(n);
    const files = new Uint32Array(n);
    let curFile = 0;
    let k = 0;
    // Aligned 32-bit words read faster than DataView calls in cold code; file reads are aligned.
    const words = data.byteOffset % 4 === 0 ? new Uint32Array(data.buffer, data.byteOffset, data.byteLength >>> 2) : null;
    for (let i = 1; i < n; i++) {
      const o = i * ent;
      let name: number, value: number, size: number, info: number, shndx: number;
      if (elf.is64 && words) {
        const w = o >>> 2;
        name = words[w];
        info = data[o + 4];
        shndx = data[o + 6] | (data[o + 7] << 8);
        value = words[w + 2] + words[w + 3] * 4294967296;
        size = words[w + 4] + words[w + 5] * 4294967296;
      } else if (elf.is64) {
        name = view.getUint32(o, true);
        info = data[o + 4];
        shndx = view.getUint16(o + 6, true);
        value = view.getUint32(o + 8, true) + view.getUint32(o + 12, true) * 4294967296;
        size = view.getUint32(o + 16, true) + view.getUint32(o + 20, true) * 4294967296;
      } else {
        name = view.getUint32(o, true);
        value = view.getUint32(o + 4, true);
        size = view.getUint32(o + 8, true);
        info = data[o + 12];
        shndx = view.getUint16(o + 14, true);
      }
      const type = info & 0xf;
      if (type === STT_FILE) { curFile = name; continue; }
      if (shndx === 0 || name === 0) continue;
      if (type !== STT_FUNC && type !== STT_GNU_IFUNC && !(type === STT_NOTYPE && size > 0)) continue;
      vals[k] = value;
      sizes[k] = size;
      names[k] = name;
      rank[k] = (info >> 4) === STB_GLOBAL ? 2 : type === STT_NOTYPE ? 0 : 1;
      files[k] = (info >> 4) === 0 ? curFile : 0;
      k++;
    }
    const order = sortOrder(k, vals, sizes, rank);
    const v2 = new Float64Array(k), s2 = new Float64Array(k), n2 = new Uint32Array(k), f2 = new Uint32Array(k);
    for (let i = 0; i < k; i++) {
      const j = order[i];
      v2[i] = vals[j];
      s2[i] = sizes[j];
      n2[i] = names[j];
      f2[i] = files[j];
    }
    return new SymbolTable(v2, s2, n2, strtab, f2);
  }

  /** The function symbol covering `addr`, or null. Size-0 symbols extend to the next symbol. */
  lookup(addr: number): SymbolHit | null {
    const v = this.value;
    // Largest i with v[i] <= addr (inlined binary search: this runs once per address).
    let lo = 0;
    let hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (v[mid] <= addr) lo = mid + 1;
      else hi = mid;
    }
    let i = lo - 1;
    if (i < 0) return null;
    // Among symbols at the same address the last one is preferred; a sized one must cover addr.
    const start = v[i];
    for (let j = i; j >= 0 && v[j] === start; j--) {
      if (this.size[j] === 0 || addr < start + this.size[j]) {
        return this.hit(j);
      }
    }
    // A nested/overlapping earlier symbol may still cover it (e.g. a large function with a local label symbol).
    for (let j = i - 1, steps = 0; j >= 0 && steps < 8; j--, steps++) {
      if (this.size[j] > 0 && addr < v[j] + this.size[j]) {
        return this.hit(j);
      }
    }
    return null;
  }

  /** Address of the first symbol with this exact name, or -1 (linear; for a few well-known names). */
  find(name: string): number {
    const want = Buffer.from(name + '\0', 'latin1');
    for (let i = 0; i < this.nameOff.length; i++) {
      const o = this.nameOff[i];
      let ok = true;
      for (let j = 0; j < want.length; j++) if (this.strtab[o + j] !== want[j]) { ok = false; break; }
      if (ok) return this.value[i];
    }
    return -1;
  }
}

/**
 * Symbol indices in lookup order. Same address (aliases, identical-code
 * folding): the sorted-last one wins the lookup. Like binutils: a sized FUNC
 * over NOTYPE, then the larger size, then the first in the table.
 */
function sortOrder(k: number, vals: Float64Array, sizes: Float64Array, rank: Uint8Array): Uint32Array {
  const order = new Uint32Array(k);
  for (let i = 0; i < k; i++) order[i] = i;
  // Fast path: address then index packed into one float64 key, sorted natively; ties fixed up after.
  let maxV = 0;
  for (let i = 0; i < k; i++) if (vals[i] > maxV) maxV = vals[i];
  if (maxV * 2 ** 20 < 2 ** 52 && k < 2 ** 20) {
    const keys = new Float64Array(k);
    for (let i = 0; i < k; i++) keys[i] = vals[i] * 2 ** 20 + i;
    keys.sort();
    for (let i = 0; i < k; i++) order[i] = keys[i] % 2 ** 20;
    // Re-order runs of equal addresses by the tie rule.
    for (let i = 0; i < k; ) {
      let j = i + 1;
      while (j < k && vals[order[j]] === vals[order[i]]) j++;
      if (j - i > 1) order.subarray(i, j).sort(tie);
      i = j;
    }
    return order;
  }
  return order.sort((a, b) => vals[a] - vals[b] || tie(a, b));

  function tie(a: number, b: number): number {
    return Math.min(rank[a], 1) - Math.min(rank[b], 1) || sizes[a] - sizes[b] || b - a;
  }
}
