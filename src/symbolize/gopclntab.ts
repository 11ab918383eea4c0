// Go's runtime symbol table (.gopclntab): PC → function, file, line and the
// chain of inlined calls, read the way the runtime's own tracebacks read it
// (runtime/symtabinl.go): the innermost frame gets its own file:line, each
// outer frame the call site found at entry + parentPc. debug/gosym instead
// pairs the physical function's name with the inlined callee's position.

import { ByteReader, cstringAt, upperIndex } from './bytes.ts';
import { type ElfFile, PT_LOAD } from './elf.ts';
import type { AddressSymbolizer, SourceFrame } from './frame.ts';

const MAGIC_12 = 0xfffffffb;
const MAGIC_116 = 0xfffffffa;
const MAGIC_118 = 0xfffffff0;
const MAGIC_120 = 0xfffffff1;

const PCDATA_INL_TREE_INDEX = 2;
const FUNCDATA_INL_TREE = 3;
// funcID_wrapper in Go 1.18–1.19; inlined wrappers are elided from stacks there.
const FUNCID_WRAPPER_118 = 21;
const FUNCID_PANIC_118 = new Set([9, 14, 18]); // gopanic, panicwrap, sigpanic

interface Header {
  magic: number;
  quantum: number;
  ptrSize: number;
  nfunc: number;
  textStartWord: number;
  funcnameOff: number;
  cuOff: number;
  filetabOff: number;
  pctabOff: number;
  pclnOff: number;
}

/** Finds a symbol of any type by exact name in .symtab (for runtime.text, go:func.*). */
function symbolAddress(elf: ElfFile, names: readonly string[]): Map<string, number> {
  const out = new Map<string, number>();
  const sec = elf.sections.find((s) => s.type === 2);
  if (!sec) return out;
  const str = elf.sections[sec.link];
  if (!str) return out;
  const data = elf.rawData(sec);
  const strtab = elf.rawData(str);
  const want = names.map((n) => Buffer.from(n + '\0', 'latin1'));
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const ent = elf.is64 ? 24 : 16;
  for (let o = ent; o + ent <= data.length; o += ent) {
    const nameOff = view.getUint32(o, true);
    for (let w = 0; w < want.length; w++) {
      const bytes = want[w];
      if (strtab[nameOff] !== bytes[0]) continue;
      let ok = true;
      for (let j = 1; j < bytes.length; j++) if (strtab[nameOff + j] !== bytes[j]) { ok = false; break; }
      if (!ok) continue;
      const value = elf.is64
        ? view.getUint32(o + 8, true) + view.getUint32(o + 12, true) * 4294967296
        : view.getUint32(o + 4, true);
      if (!out.has(names[w])) out.set(names[w], value);
    }
  }
  return out;
}

export class GoPclntab implements AddressSymbolizer {
  private readonly r: ByteReader;
  private readonly h: Header;
  private readonly textStart: number;
  private readonly gofunc: number;
  private readonly ftabOff: number;
  private readonly entries: Float64Array;
  private readonly segCache = new Map<number, { vaddr: number; bytes: Uint8Array }>();
  private readonly nameCache = new Map<number, string>();
  private readonly fileCache = new Map<number, string>();

  private constructor(
    private readonly elf: ElfFile,
    data: Uint8Array,
    h: Header,
    textStart: number,
    gofunc: number,
  ) {
    this.r = new ByteReader(data);
    this.h = h;
    this.textStart = textStart;
    this.gofunc = gofunc;
    this.ftabOff = h.pclnOff;
    const n = h.nfunc + 1;
    const e = new Float64Array(n);
    const v = this.r.view;
    if (h.magic === MAGIC_118 || h.magic === MAGIC_120) {
      for (let i = 0; i < n; i++) e[i] = textStart + v.getUint32(this.ftabOff + i * 8, true);
    } else {
      const ps = h.ptrSize;
      for (let i = 0; i < n; i++) {
        const o = this.ftabOff + i * 2 * ps;
        e[i] = ps === 8 ? v.getUint32(o, true) + v.getUint32(o + 4, true) * 4294967296 : v.getUint32(o, true);
      }
    }
    this.entries = e;
  }

  /** Opens the Go symbol table of an ELF file, or returns null when it has none. */
  static fromElf(elf: ElfFile): GoPclntab | null {
    const sec = locatePclntab(elf);
    if (!sec) return null;
    const data = sec.data;
    const r = new ByteReader(data);
    const magic = r.u32();
    if (magic !== MAGIC_116 && magic !== MAGIC_118 && magic !== MAGIC_120) return null;
    if (data[4] !== 0 || data[5] !== 0) return null;
    const quantum = data[6];
    const ptrSize = data[7];
    if (ptrSize !== 4 && ptrSize !== 8) return null;
    const word = (i: number) => {
      r.pos = 8 + i * ptrSize;
      return r.uN(ptrSize);
    };
    const modern = magic !== MAGIC_116;
    const h: Header = modern
      ? { magic, quantum, ptrSize, nfunc: word(0), textStartWord: word(2), funcnameOff: word(3), cuOff: word(4), filetabOff: word(5), pctabOff: word(6), pclnOff: word(7) }
      : { magic, quantum, ptrSize, nfunc: word(0), textStartWord: 0, funcnameOff: word(2), cuOff: word(3), filetabOff: word(4), pctabOff: word(5), pclnOff: word(6) };

    const ftabEntry = modern ? 8 : 2 * ptrSize;
    if (h.pclnOff + (h.nfunc + 1) * ftabEntry > data.length || h.funcnameOff > data.length || h.pctabOff > data.length) return null;
    const syms = symbolAddress(elf, ['runtime.text', 'go:func.*', 'go.func.*']);
    const textSec = elf.section('.text');
    const symText = syms.get('runtime.text');
    const symGofunc = syms.get(magic === MAGIC_120 ? 'go:func.*' : 'go.func.*');
    // The functab is relative to runtime.text, which the table itself locates: probe with a guess.
    const guess = symText ?? (h.textStartWord > 0 ? h.textStartWord : (textSec?.addr ?? 0));
    let table = new GoPclntab(elf, data, h, guess, symGofunc ?? -1);
    if (!modern || (symText !== undefined && symGofunc !== undefined)) return table;
    const md = findModuledata(elf, sec.addr, h, (g) => table.validGofunc(g));
    const inText = (t: number) => textSec !== undefined && t >= textSec.addr && t < textSec.addr + textSec.size;
    const text = symText ?? (md && inText(md.text) ? md.text : guess);
    if (text !== guess) table = new GoPclntab(elf, data, h, text, -1);
    const gofunc = symGofunc ?? (md && md.gofunc >= 0 && table.validGofunc(md.gofunc) ? md.gofunc : -1);
    return new GoPclntab(elf, data, h, text, gofunc);
  }

  get functionCount(): number {
    return this.h.nfunc;
  }

  /** Entry address and name of the function containing pc, or null. */
  funcAt(pc: number): { index: number; entry: number; name: string } | null {
    const i = this.findFunc(pc);
    if (i < 0) return null;
    return { index: i, entry: this.entries[i], name: this.funcName(this.funcOff(i)) };
  }

  private findFunc(pc: number): number {
    const e = this.entries;
    const n = this.h.nfunc;
    if (n === 0 || pc < e[0] || pc >= e[n]) return -1;
    return upperIndex(n, pc, (j) => e[j]);
  }

  private funcOff(i: number): number {
    const v = this.r.view;
    if (this.h.magic === MAGIC_118 || this.h.magic === MAGIC_120) return this.ftabOff + v.getUint32(this.ftabOff + i * 8 + 4, true);
    const ps = this.h.ptrSize;
    return this.ftabOff + v.getUint32(this.ftabOff + i * 2 * ps + ps, true);
  }

  /** Offset of field k (0 = entry, 1 = nameOff, ...) of a _func. */
  private field(fo: number, k: number): number {
    const shift = this.h.magic === MAGIC_116 ? this.h.ptrSize - 4 : 0;
    return this.r.view.getInt32(fo + k * 4 + (k > 0 ? shift : 0), true);
  }

  private funcName(fo: number): string {
    return this.nameAt(this.field(fo, 1));
  }

  private nameAt(nameOff: number): string {
    let s = this.nameCache.get(nameOff);
    if (s === undefined) {
      s = cstringAt(this.r.buf, this.h.funcnameOff + nameOff);
      this.nameCache.set(nameOff, s);
    }
    return s;
  }

  private fileName(fo: number, fno: number): string {
    if (fno < 0) return '';
    const cuOffset = this.field(fo, 8);
    const idx = this.h.cuOff + (cuOffset + fno) * 4;
    if (idx + 4 > this.r.length) return '';
    const off = this.r.view.getUint32(idx, true);
    if (off === 0xffffffff) return '';
    let s = this.fileCache.get(off);
    if (s === undefined) {
      s = cstringAt(this.r.buf, this.h.filetabOff + off);
      this.fileCache.set(off, s);
    }
    return s;
  }

  /** Value of a pc-value table at targetpc, or -1. */
  private pcvalue(tableOff: number, entry: number, target: number): number {
    if (tableOff === 0) return -1;
    const r = this.r;
    r.pos = this.h.pctabOff + tableOff;
    let val = -1;
    let pc = entry;
    let first = true;
    const q = this.h.quantum;
    while (r.pos < r.length) {
      const uv = r.uleb();
      if (uv === 0 && !first) return -1;
      first = false;
      // zig-zag delta; values stay within int32.
      const delta = uv % 2 === 1 ? -((uv - 1) / 2) - 1 : uv / 2;
      val += delta;
      pc += r.uleb() * q;
      if (target < pc) return val;
    }
    return -1;
  }

  private npcdataOff(fo: number): number {
    return fo + (this.h.magic === MAGIC_116 ? this.h.ptrSize + 24 : 28);
  }

  private layout(fo: number): { npcdata: number; nfuncdata: number; pcdataOff: number } {
    const npcOff = this.npcdataOff(fo);
    const npcdata = this.r.view.getUint32(npcOff, true);
    // After npcdata: cuOffset u32, [startLine i32 in 1.20+], funcID, flag, pad, nfuncdata.
    const tail = npcOff + 8 + (this.h.magic === MAGIC_120 ? 4 : 0);
    const nfuncdata = this.r.buf[tail + 3];
    return { npcdata, nfuncdata, pcdataOff: tail + 4 };
  }

  private funcdataValue(fo: number, k: number): number {
    const { npcdata, nfuncdata, pcdataOff } = this.layout(fo);
    if (k >= nfuncdata) return -1;
    const v = this.r.view;
    if (this.h.magic === MAGIC_116) {
      const ps = this.h.ptrSize;
      let o = pcdataOff + npcdata * 4;
      o = (o + ps - 1) & ~(ps - 1);
      // Pointer alignment is relative to the table start in memory; the section is pointer aligned.
      o += k * ps;
      const p = ps === 8 ? v.getUint32(o, true) + v.getUint32(o + 4, true) * 4294967296 : v.getUint32(o, true);
      return p === 0 ? -1 : p;
    }
    const off = v.getUint32(pcdataOff + npcdata * 4 + k * 4, true);
    if (off === 0xffffffff || this.gofunc < 0) return -1;
    return this.gofunc + off;
  }

  private readVaddr(vaddr: number, len: number): Uint8Array | undefined {
    for (const [, seg] of this.segCache) {
      if (vaddr >= seg.vaddr && vaddr + len <= seg.vaddr + seg.bytes.length) return seg.bytes.subarray(vaddr - seg.vaddr, vaddr - seg.vaddr + len);
    }
    const p = this.elf.segments.find((s) => s.type === PT_LOAD && vaddr >= s.vaddr && vaddr + len <= s.vaddr + s.filesz);
    if (!p) return undefined;
    const bytes = this.elf.src.read(p.offset, p.filesz);
    this.segCache.set(p.vaddr, { vaddr: p.vaddr, bytes });
    return bytes.subarray(vaddr - p.vaddr, vaddr - p.vaddr + len);
  }

  /**
   * Whether `g` works as the base of funcdata offsets: the inline-tree
   * records it leads to must look like records (sane funcID, name offset
   * inside funcnametab, parentPc inside the function) for every sampled
   * function that has one.
   */
  validGofunc(g: number): boolean {
    const n = this.h.nfunc;
    const recSize = this.h.magic === MAGIC_120 ? 16 : 20;
    const nameTabSize = this.h.cuOff - this.h.funcnameOff;
    let checked = 0;
    for (let i = 0, step = Math.max(1, Math.floor(n / 400)); i < n && checked < 24; i += step) {
      const fo = this.funcOff(i);
      const { npcdata, nfuncdata, pcdataOff } = this.layout(fo);
      if (nfuncdata <= FUNCDATA_INL_TREE || npcdata <= PCDATA_INL_TREE_INDEX) continue;
      const off = this.r.view.getUint32(pcdataOff + npcdata * 4 + FUNCDATA_INL_TREE * 4, true);
      if (off === 0xffffffff) continue;
      const rec = this.readVaddr(g + off, recSize);
      if (!rec) return false;
      const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
      const size = this.entries[i + 1] - this.entries[i];
      const nameOff = rv.getInt32(recSize === 16 ? 4 : 12, true);
      const parentPc = rv.getInt32(recSize === 16 ? 8 : 16, true);
      const funcID = recSize === 16 ? rec[0] : rec[2];
      if (funcID > 64 || nameOff < 0 || nameOff >= nameTabSize || parentPc < 0 || parentPc >= size) return false;
      if (nameOff > 0 && this.r.buf[this.h.funcnameOff + nameOff - 1] !== 0) return false; // names start after a NUL
      checked++;
    }
    return checked > 0;
  }

  /**
   * Go 1.18–1.19 tracebacks (and so profiles) drop autogenerated wrapper
   * frames unless they called a panic. The funcID numbering of other
   * versions differs, so they keep wrappers.
   */
  private elides(funcID: number, calleeFuncID: number): boolean {
    return this.h.magic === MAGIC_118 && funcID === FUNCID_WRAPPER_118 && !FUNCID_PANIC_118.has(calleeFuncID);
  }

  frames(pc: number): SourceFrame[] {
    const i = this.findFunc(pc);
    if (i < 0) return [];
    const fo = this.funcOff(i);
    const entry = this.entries[i];
    const pcfile = this.field(fo, 5);
    const pcln = this.field(fo, 6);
    const { npcdata, pcdataOff } = this.layout(fo);
    const inlTable = npcdata > PCDATA_INL_TREE_INDEX ? this.r.view.getUint32(pcdataOff + PCDATA_INL_TREE_INDEX * 4, true) : 0;
    const inlBase = inlTable !== 0 ? this.funcdataValue(fo, FUNCDATA_INL_TREE) : -1;
    const out: SourceFrame[] = [];
    const recSize = this.h.magic === MAGIC_120 ? 16 : 20;
    let lastFuncID = 0;
    let p = pc;
    for (let depth = 0; depth < 256; depth++) {
      const file = this.fileName(fo, this.pcvalue(pcfile, entry, p));
      const line = this.pcvalue(pcln, entry, p);
      const ix = inlBase >= 0 ? this.pcvalue(inlTable, entry, p) : -1;
      if (ix < 0) {
        const funcID = this.r.buf[this.npcdataOff(fo) + 8 + (this.h.magic === MAGIC_120 ? 4 : 0)];
        if (out.length > 0 && this.elides(funcID, lastFuncID)) break;
        const name = this.funcName(fo);
        const startLine = this.h.magic === MAGIC_120 ? this.field(fo, 9) : 0;
        out.push({ func: name, systemName: name, file, line: Math.max(line, 0), startLine });
        break;
      }
      const rec = this.readVaddr(inlBase + ix * recSize, recSize);
      if (!rec) break;
      const rv = new DataView(rec.buffer, rec.byteOffset, rec.byteLength);
      let funcID: number, nameOff: number, parentPc: number, startLine = 0;
      if (recSize === 16) {
        funcID = rec[0];
        nameOff = rv.getInt32(4, true);
        parentPc = rv.getInt32(8, true);
        startLine = rv.getInt32(12, true);
      } else {
        funcID = rec[2];
        nameOff = rv.getInt32(12, true);
        parentPc = rv.getInt32(16, true);
      }
      if (!this.elides(funcID, lastFuncID)) {
        const name = this.nameAt(nameOff);
        out.push({ func: name, systemName: name, file, line: Math.max(line, 0), startLine });
      }
      lastFuncID = funcID;
      p = entry + parentPc;
    }
    return out;
  }
}

/**
 * Locates runtime.firstmoduledata by its first word (the pcHeader address)
 * and reads `text` and `gofunc` from it. Needed for stripped binaries, which
 * have no runtime.text or go:func.* symbols. The struct's layout shifts
 * between releases, so the gofunc word is found by position for known
 * versions and otherwise by checking candidates against real inline-tree
 * records (see validGofunc).
 */
function findModuledata(elf: ElfFile, pclnAddr: number, h: Header, check: (gofunc: number) => boolean): { text: number; gofunc: number } | null {
  const ps = h.ptrSize;
  const known = h.magic === MAGIC_120 ? 40 : 38;
  // Position-independent executables linked externally keep these pointers as RELATIVE
  // relocations (the file holds 0); read them through the relocation table.
  const relocs = relativeRelocations(elf);
  for (const name of ['.noptrdata', '.data', '.data.rel.ro', '.go.module']) {
    const s = elf.section(name);
    if (!s || s.type === 8) continue;
    const d = elf.rawData(s);
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    const word = (o: number) =>
      relocs.get(s.addr + o) ?? (ps === 8 ? v.getUint32(o, true) + v.getUint32(o + 4, true) * 4294967296 : v.getUint32(o, true));
    for (let o = 0; o + 64 * ps <= d.length; o += ps) {
      if (word(o) !== pclnAddr) continue;
      // Validate: funcnametab slice points at the header's funcname offset.
      if (word(o + ps) !== pclnAddr + h.funcnameOff) continue;
      const text = word(o + 22 * ps);
      let gofunc = -1;
      if (check(word(o + known * ps))) gofunc = word(o + known * ps);
      else {
        for (let i = 30; i < 64; i++) {
          const g = word(o + i * ps);
          if (g > 0 && check(g)) { gofunc = g; break; }
        }
      }
      return { text, gofunc };
    }
  }
  return null;
}

/** Target address → addend of R_X86_64_RELATIVE / R_AARCH64_RELATIVE relocations (64-bit RELA only). */
function relativeRelocations(elf: ElfFile): Map<number, number> {
  const out = new Map<number, number>();
  if (!elf.is64) return out;
  for (const s of elf.sections) {
    if (s.type !== 4 /* SHT_RELA */) continue;
    const d = elf.rawData(s);
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    for (let o = 0; o + 24 <= d.length; o += 24) {
      const type = v.getUint32(o + 8, true);
      if (type !== 8 && type !== 1027) continue;
      const off = v.getUint32(o, true) + v.getUint32(o + 4, true) * 4294967296;
      const addend = v.getUint32(o + 16, true) + v.getInt32(o + 20, true) * 4294967296;
      out.set(off, addend);
    }
  }
  return out;
}

/**
 * The pclntab: its own section in most binaries; folded into .data.rel.ro
 * by external linkers for PIE, where it is found by its header (magic,
 * two zero bytes, PC quantum, pointer size) and checked for sane offsets.
 */
function locatePclntab(elf: ElfFile): { addr: number; data: Uint8Array } | null {
  const own = elf.section('.gopclntab') ?? elf.section('.data.rel.ro.gopclntab');
  if (own) return own.size >= 64 ? { addr: own.addr, data: elf.rawData(own) } : null;
  // Only Go binaries are worth the scan: they carry build info or a Go build-ID note.
  if (!elf.section('.go.buildinfo') && !elf.section('.note.go.buildid')) return null;
  for (const name of ['.data.rel.ro', '.rodata', '.noptrdata']) {
    const s = elf.section(name);
    if (!s || s.type === 8 || s.size < 64) continue;
    const d = elf.rawData(s);
    const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
    for (let o = 0; o + 64 <= d.length; o += 4) {
      const m = v.getUint32(o, true);
      if (m !== MAGIC_116 && m !== MAGIC_118 && m !== MAGIC_120) continue;
      const ps = d[o + 7];
      if (d[o + 4] !== 0 || d[o + 5] !== 0 || ![1, 2, 4].includes(d[o + 6]) || (ps !== 4 && ps !== 8) || o % ps !== 0) continue;
      const word = (i: number) => (ps === 8 ? v.getUint32(o + 8 + i * 8, true) + v.getUint32(o + 12 + i * 8, true) * 4294967296 : v.getUint32(o + 8 + i * 4, true));
      const nfunc = word(0);
      const first = m === MAGIC_116 ? 2 : 3;
      const offs = [word(first), word(first + 1), word(first + 2), word(first + 3), word(first + 4)];
      const rest = d.length - o;
      if (nfunc <= 0 || nfunc > 1e7 || offs.some((x) => x <= 0 || x >= rest)) continue;
      // The function name table starts with a printable name.
      const nameStart = o + offs[0];
      let printable = 0;
      while (printable < 64 && d[nameStart + printable] >= 0x20 && d[nameStart + printable] < 0x7f) printable++;
      if (printable < 2 || d[nameStart + printable] !== 0) continue;
      return { addr: s.addr + o, data: d.subarray(o) };
    }
  }
  return null;
}
