// DWARF .debug_info reader for symbolization (versions 2–5). Opening reads
// only unit headers and each unit's root DIE (for its address ranges and
// bases). A unit's subprogram/inlined-subroutine tree and its line table are
// decoded the first time an address falls into it.

import { ByteReader, cstringAt, upperIndex } from './bytes.ts';
import { parseLineTable, skipForm, type LineTable } from './dwarf-line.ts';
import type { ElfFile } from './elf.ts';
import type { AddressSymbolizer, SourceFrame } from './frame.ts';

const TAG_compile_unit = 0x11;
const TAG_partial_unit = 0x3c;
const TAG_skeleton_unit = 0x4a;
const TAG_subprogram = 0x2e;
const TAG_inlined_subroutine = 0x1d;

const AT_name = 0x03;
const AT_stmt_list = 0x10;
const AT_low_pc = 0x11;
const AT_high_pc = 0x12;
const AT_comp_dir = 0x1b;
const AT_abstract_origin = 0x31;
const AT_specification = 0x47;
const AT_ranges = 0x55;
const AT_call_file = 0x58;
const AT_call_line = 0x59;
const AT_call_column = 0x57;
const AT_linkage_name = 0x6e;
const AT_MIPS_linkage_name = 0x2007;
const AT_str_offsets_base = 0x72;
const AT_addr_base = 0x73;
const AT_rnglists_base = 0x74;
const AT_GNU_addr_base = 0x2133;
const AT_GNU_ranges_base = 0x2132;
const AT_decl_line = 0x3b;

interface Abbrev {
  tag: number;
  children: boolean;
  attrs: Int32Array; // attr, form, implicit const (triples)
  /** Byte size of a DIE's attributes when every form has a fixed size (for `fixedKey`), else -1. */
  fixed: number;
  fixedKey: number;
}

/** Size of a fixed-size form, or -1 when the size is in the data. */
function formSize(form: number, offSize: number, addrSize: number): number {
  switch (form) {
    case 0x01: return addrSize;
    case 0x0b: case 0x0c: case 0x11: case 0x25: case 0x29: return 1;
    case 0x05: case 0x12: case 0x26: case 0x2a: return 2;
    case 0x27: case 0x2b: return 3;
    case 0x06: case 0x13: case 0x1c: case 0x28: case 0x2c: return 4;
    case 0x07: case 0x14: case 0x20: case 0x24: return 8;
    case 0x1e: return 16;
    case 0x0e: case 0x10: case 0x17: case 0x1d: case 0x1f: case 0x1f20: case 0x1f21: return offSize;
    case 0x19: case 0x21: return 0;
    default: return -1;
  }
}

/** Skips a DIE's attributes: one addition when the abbreviation has only fixed-size forms. */
function skipAttrs(r: ByteReader, ab: Abbrev, offSize: number, addrSize: number): void {
  const key = offSize * 64 + addrSize;
  if (ab.fixedKey !== key) {
    let size = 0;
    const at = ab.attrs;
    for (let i = 0; i < at.length && size >= 0; i += 3) {
      const f = formSize(at[i + 1], offSize, addrSize);
      size = f < 0 ? -1 : size + f;
    }
    ab.fixed = size;
    ab.fixedKey = key;
  }
  if (ab.fixed >= 0) {
    r.pos += ab.fixed;
    return;
  }
  const at = ab.attrs;
  for (let i = 0; i < at.length; i += 3) {
    let form = at[i + 1];
    if (form === 0x16) form = r.uleb();
    skipForm(r, form, offSize, addrSize);
  }
}

interface Unit {
  offset: number; // of the unit header
  dieStart: number; // first DIE
  end: number;
  version: number;
  addrSize: number;
  offSize: number;
  abbrevs: Map<number, Abbrev>;
  strOffsetsBase: number;
  addrBase: number;
  rnglistsBase: number;
  rangesBase: number; // GNU split-DWARF ranges base (pre-v5)
  lowPc: number;
  stmtList: number;
  compDir: string;
  name: string;
  tree?: FuncTree;
  lines?: LineTable | null;
}

/** Subprograms and inlined subroutines of a unit, DFS order, with flat ranges. */
interface FuncTree {
  parent: Int32Array; // nearest enclosing entry, -1 for top level
  subtreeEnd: Int32Array; // index past the last descendant
  dieOffset: Float64Array;
  callFile: Int32Array;
  callLine: Int32Array;
  callColumn: Int32Array;
  rangeStart: Uint32Array; // CSR into ranges
  ranges: Float64Array; // lo, hi pairs
  /** Top-level entries by range: sorted lo, hi, entry index. */
  topLo: Float64Array;
  topHi: Float64Array;
  topEntry: Int32Array;
  topMaxHi: Float64Array; // running max of hi, to find overlapping earlier ranges
}

interface DieAttrs {
  tag: number;
  hasChildren: boolean;
  vals: Map<number, { form: number; v: number | string }>;
  next: number;
}

export interface DwarfSections {
  info: Uint8Array;
  abbrev: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
  line?: Uint8Array;
  strOffsets?: Uint8Array;
  addr?: Uint8Array;
  ranges?: Uint8Array;
  rnglists?: Uint8Array;
}

export class DwarfInfo implements AddressSymbolizer {
  private readonly units: Unit[] = [];
  private readonly abbrevCache = new Map<number, Map<number, Abbrev>>();
  private readonly unitLo: Float64Array;
  private readonly unitHi: Float64Array;
  private readonly unitIdx: Int32Array;
  private readonly unitMaxHi: Float64Array;
  private readonly nameCache = new Map<number, { name: string; linkage: string; declLine: number }>();

  constructor(private readonly s: DwarfSections) {
    const r = new ByteReader(s.info);
    while (r.pos + 11 <= s.info.length) {
      const offset = r.pos;
      let len = r.u32();
      let offSize = 4;
      if (len === 0xffffffff) { len = r.u64(); offSize = 8; }
      const end = r.pos + len;
      const version = r.u16();
      let addrSize: number, abbrevOff: number;
      let unitType = 1;
      if (version >= 5) {
        unitType = r.u8();
        addrSize = r.u8();
        abbrevOff = r.uN(offSize);
        if (unitType === 4 || unitType === 5) r.pos += 8;
        else if (unitType === 2 || unitType === 6) r.pos += 8 + offSize;
      } else {
        abbrevOff = r.uN(offSize);
        addrSize = r.u8();
      }
      const u: Unit = {
        offset, dieStart: r.pos, end, version, addrSize, offSize,
        abbrevs: this.abbrevTable(abbrevOff),
        strOffsetsBase: 0, addrBase: 0, rnglistsBase: 0, rangesBase: 0, lowPc: 0, stmtList: -1, compDir: '', name: '',
      };
      r.pos = end;
      if (unitType !== 1 && unitType !== 3) continue;
      this.units.push(u);
    }
    // Root DIEs: bases first (later attributes of the root may need them), then ranges.
    const lo: number[] = [], hi: number[] = [], idx: number[] = [];
    for (let ui = 0; ui < this.units.length; ui++) {
      const u = this.units[ui];
      const d = this.readDie(u, u.dieStart);
      if (!d || (d.tag !== TAG_compile_unit && d.tag !== TAG_partial_unit && d.tag !== TAG_skeleton_unit)) continue;
      const num = (a: number) => { const x = d.vals.get(a); return x && typeof x.v === 'number' ? x.v : -1; };
      if (num(AT_str_offsets_base) >= 0) u.strOffsetsBase = num(AT_str_offsets_base);
      else if (u.version >= 5) u.strOffsetsBase = 8; // DWARF 5 default: just past the first header
      if (num(AT_addr_base) >= 0) u.addrBase = num(AT_addr_base);
      else if (num(AT_GNU_addr_base) >= 0) u.addrBase = num(AT_GNU_addr_base);
      if (num(AT_rnglists_base) >= 0) u.rnglistsBase = num(AT_rnglists_base);
      if (num(AT_GNU_ranges_base) >= 0) u.rangesBase = num(AT_GNU_ranges_base);
      u.stmtList = num(AT_stmt_list);
      u.compDir = this.str(u, d.vals.get(AT_comp_dir));
      u.name = this.str(u, d.vals.get(AT_name));
      const low = d.vals.get(AT_low_pc);
      u.lowPc = low ? this.addr(u, low) : 0;
      for (const [a, b] of this.dieRanges(u, d)) {
        if (b > a && a !== 0) { lo.push(a); hi.push(b); idx.push(ui); }
      }
    }
    const order = lo.map((_, i) => i).sort((a, b) => lo[a] - lo[b]);
    this.unitLo = Float64Array.from(order, (i) => lo[i]);
    this.unitHi = Float64Array.from(order, (i) => hi[i]);
    this.unitIdx = Int32Array.from(order, (i) => idx[i]);
    this.unitMaxHi = runningMax(this.unitHi);
  }

  static fromElf(elf: ElfFile): DwarfInfo | null {
    const info = elf.data('.debug_info');
    const abbrev = elf.data('.debug_abbrev');
    if (!info || !abbrev || info.length === 0) return null;
    return new DwarfInfo({
      info, abbrev,
      str: elf.data('.debug_str'), lineStr: elf.data('.debug_line_str'), line: elf.data('.debug_line'),
      strOffsets: elf.data('.debug_str_offsets'), addr: elf.data('.debug_addr'),
      ranges: elf.data('.debug_ranges'), rnglists: elf.data('.debug_rnglists'),
    });
  }

  get unitCount(): number {
    return this.units.length;
  }

  private abbrevTable(off: number): Map<number, Abbrev> {
    let t = this.abbrevCache.get(off);
    if (t) return t;
    t = new Map();
    const r = new ByteReader(this.s.abbrev, off);
    for (;;) {
      const code = r.uleb();
      if (code === 0) break;
      const tag = r.uleb();
      const children = r.u8() !== 0;
      const a: number[] = [];
      for (;;) {
        const at = r.uleb(), form = r.uleb();
        if (at === 0 && form === 0) break;
        a.push(at, form, form === 0x21 ? r.sleb() : 0);
      }
      t.set(code, { tag, children, attrs: Int32Array.from(a), fixed: -1, fixedKey: -1 });
    }
    this.abbrevCache.set(off, t);
    return t;
  }

  /** Reads all attributes of the DIE at `off` (numbers, strings, references as absolute offsets). */
  private readDie(u: Unit, off: number): DieAttrs | null {
    const r = new ByteReader(this.s.info, off);
    const code = r.uleb();
    if (code === 0) return null;
    const ab = u.abbrevs.get(code);
    if (!ab) return null;
    const vals = new Map<number, { form: number; v: number | string }>();
    const at = ab.attrs;
    for (let i = 0; i < at.length; i += 3) {
      let form = at[i + 1];
      if (form === 0x16) form = r.uleb();
      const v = this.readForm(u, r, form, at[i + 2]);
      vals.set(at[i], { form, v });
    }
    return { tag: ab.tag, hasChildren: ab.children, vals, next: r.pos };
  }

  private readForm(u: Unit, r: ByteReader, form: number, implicit: number): number | string {
    switch (form) {
      case 0x01: return r.uN(u.addrSize);
      case 0x05: return r.u16();
      case 0x06: return r.u32();
      case 0x07: return r.u64();
      case 0x08: return r.cstr();
      case 0x0b: return r.u8();
      case 0x0c: return r.u8();
      case 0x0d: return r.sleb();
      case 0x0e: case 0x1f: case 0x17: case 0x10: return r.uN(u.offSize);
      case 0x0f: return r.uleb();
      case 0x11: return u.offset + r.u8();
      case 0x12: return u.offset + r.u16();
      case 0x13: return u.offset + r.u32();
      case 0x14: return u.offset + r.u64();
      case 0x15: return u.offset + r.uleb();
      case 0x19: return 1;
      case 0x21: return implicit;
      case 0x1a: case 0x1b: case 0x22: case 0x23: case 0x1f01: case 0x1f02: return r.uleb();
      case 0x25: case 0x29: return r.u8();
      case 0x26: case 0x2a: return r.u16();
      case 0x27: case 0x2b: { const v = r.u16(); return v + r.u8() * 65536; }
      case 0x28: case 0x2c: return r.u32();
      default: skipForm(r, form, u.offSize, u.addrSize); return -1;
    }
  }

  private str(u: Unit, a: { form: number; v: number | string } | undefined): string {
    if (!a) return '';
    if (typeof a.v === 'string') return a.v;
    switch (a.form) {
      case 0x0e: return this.s.str ? cstringAt(this.s.str, a.v) : '';
      case 0x1f: return this.s.lineStr ? cstringAt(this.s.lineStr, a.v) : '';
      case 0x1a: case 0x25: case 0x26: case 0x27: case 0x28: case 0x1f02: {
        const so = this.s.strOffsets;
        if (!so || !this.s.str) return '';
        const p = u.strOffsetsBase + a.v * u.offSize;
        const v = new DataView(so.buffer, so.byteOffset, so.byteLength);
        const off = u.offSize === 8 ? v.getUint32(p, true) + v.getUint32(p + 4, true) * 4294967296 : v.getUint32(p, true);
        return cstringAt(this.s.str, off);
      }
      default: return '';
    }
  }

  private addrIndex(u: Unit, i: number): number {
    const d = this.s.addr;
    if (!d) return 0;
    // Little-endian read in place: this runs for many DIEs, so no reader object per call.
    const p = u.addrBase + i * u.addrSize;
    return p + u.addrSize > d.length ? 0 : readLE(d, p, u.addrSize);
  }

  private addr(u: Unit, a: { form: number; v: number | string }): number {
    return this.addrOf(u, a.form, a.v as number);
  }

  private addrOf(u: Unit, form: number, v: number): number {
    if (form === 0x1b || (form >= 0x29 && form <= 0x2c) || form === 0x1f01) return this.addrIndex(u, v);
    return v;
  }

  /** Address ranges of a DIE: low/high pc or DW_AT_ranges. */
  private dieRanges(u: Unit, d: DieAttrs): [number, number][] {
    const low = d.vals.get(AT_low_pc);
    const high = d.vals.get(AT_high_pc);
    if (low && high) {
      const lo = this.addr(u, low);
      const isAddr = high.form === 0x01 || high.form === 0x1b || (high.form >= 0x29 && high.form <= 0x2c);
      const hi = isAddr ? this.addr(u, high) : lo + (high.v as number);
      return [[lo, hi]];
    }
    const rg = d.vals.get(AT_ranges);
    if (!rg) return [];
    return this.rangeList(u, rg.form, rg.v as number, d.tag === TAG_compile_unit || d.tag === TAG_skeleton_unit);
  }

  private rangeList(u: Unit, form: number, v: number, isRoot: boolean): [number, number][] {
    const flat: number[] = [];
    this.rangesInto(u, form, v, isRoot, flat);
    const out: [number, number][] = [];
    for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
    return out;
  }

  /**
   * Appends a range list's non-empty ranges that do not start at 0 (discarded
   * functions) to `out` as flat (start, end) pairs: no array per range.
   */
  private rangesInto(u: Unit, form: number, v: number, isRoot: boolean, out: number[]): void {
    if (u.version >= 5) {
      const sec = this.s.rnglists;
      if (!sec) return;
      let off = v;
      if (form === 0x23) {
        const p = u.rnglistsBase + v * u.offSize;
        off = u.rnglistsBase + readLE(sec, p, u.offSize);
      }
      const r = new ByteReader(sec, off);
      let base = u.lowPc;
      for (;;) {
        const k = r.u8();
        if (k === 0 || k === undefined) break;
        switch (k) {
          case 1: base = this.addrIndex(u, r.uleb()); break;
          case 2: { const a = this.addrIndex(u, r.uleb()); pushRange(out, a, this.addrIndex(u, r.uleb())); break; }
          case 3: { const a = this.addrIndex(u, r.uleb()); pushRange(out, a, a + r.uleb()); break; }
          case 4: { const a = r.uleb(); pushRange(out, base + a, base + r.uleb()); break; }
          case 5: base = r.uN(u.addrSize); break;
          case 6: { const a = r.uN(u.addrSize); pushRange(out, a, r.uN(u.addrSize)); break; }
          case 7: { const a = r.uN(u.addrSize); pushRange(out, a, a + r.uleb()); break; }
          default: return;
        }
      }
      return;
    }
    const sec = this.s.ranges;
    if (!sec) return;
    const r = new ByteReader(sec, v + (isRoot ? 0 : u.rangesBase));
    let base = u.lowPc;
    const max = u.addrSize === 8 ? 2 ** 64 - 1 : 0xffffffff;
    while (r.pos + 2 * u.addrSize <= sec.length) {
      const a = r.uN(u.addrSize), b = r.uN(u.addrSize);
      if (a === 0 && b === 0) break;
      if (a === max || (u.addrSize === 8 && a >= 2 ** 64 - 2048)) { base = b; continue; }
      pushRange(out, base + a, base + b);
    }
    return;
  }

  private findUnit(pc: number): Unit | null {
    const i = upperIndex(this.unitLo.length, pc, (j) => this.unitLo[j]);
    for (let j = i; j >= 0 && this.unitMaxHi[j] > pc; j--) {
      if (pc < this.unitHi[j]) return this.units[this.unitIdx[j]];
    }
    return null;
  }

  /** Walks a unit's DIEs once, keeping subprograms and inlined subroutines that have code. */
  private buildTree(u: Unit): FuncTree {
    const parent: number[] = [], subEnd: number[] = [], dieOff: number[] = [];
    const cf: number[] = [], cl: number[] = [], cc: number[] = [], rs: number[] = [0], rg: number[] = [];
    const r = new ByteReader(this.s.info, u.dieStart);
    // Stack of (entry index or -1) for each open DIE with children.
    const stack: number[] = [];
    let depthEntry = -1;
    while (r.pos < u.end) {
      const off = r.pos;
      const code = r.uleb();
      if (code === 0) {
        if (stack.length === 0) break;
        const e = stack.pop()!;
        if (e >= 0) subEnd[e] = parent.length;
        depthEntry = stack.length ? nearest(stack) : -1;
        continue;
      }
      const ab = u.abbrevs.get(code);
      if (!ab) break;
      const interesting = ab.tag === TAG_subprogram || ab.tag === TAG_inlined_subroutine;
      let entry = -1;
      if (interesting) {
        // Read only what the tree needs, straight into locals (no per-DIE objects).
        let lowForm = -1, low = 0, highForm = -1, high = 0, rangesForm = -1, rangesV = 0, cfile = 0, cline = 0, ccol = 0;
        const at = ab.attrs;
        for (let i = 0; i < at.length; i += 3) {
          const a = at[i];
          let form = at[i + 1];
          if (form === 0x16) form = r.uleb();
          if (a === AT_low_pc || a === AT_high_pc || a === AT_ranges || a === AT_call_file || a === AT_call_line || a === AT_call_column) {
            const v = this.readForm(u, r, form, at[i + 2]) as number;
            if (a === AT_low_pc) { lowForm = form; low = v; }
            else if (a === AT_high_pc) { highForm = form; high = v; }
            else if (a === AT_ranges) { rangesForm = form; rangesV = v; }
            else if (a === AT_call_file) cfile = v;
            else if (a === AT_call_line) cline = v;
            else ccol = v;
          } else {
            skipForm(r, form, u.offSize, u.addrSize);
          }
        }
        // Ranges go straight into rg; the entry is kept only when it added any.
        const before = rg.length;
        if (lowForm >= 0 && highForm >= 0) {
          const lo = this.addrOf(u, lowForm, low);
          const isAddr = highForm === 0x01 || highForm === 0x1b || (highForm >= 0x29 && highForm <= 0x2c);
          const hi = isAddr ? this.addrOf(u, highForm, high) : lo + high;
          if (hi > lo && lo !== 0) rg.push(lo, hi);
        } else if (rangesForm >= 0) {
          this.rangesInto(u, rangesForm, rangesV, false, rg);
        }
        if (rg.length > before) {
          entry = parent.length;
          parent.push(depthEntry);
          subEnd.push(entry + 1);
          dieOff.push(off);
          cf.push(cfile);
          cl.push(cline);
          cc.push(ccol);
          rs.push(rg.length / 2);
        }
      } else {
        skipAttrs(r, ab, u.offSize, u.addrSize);
      }
      if (ab.children) {
        stack.push(entry);
        if (entry >= 0) depthEntry = entry;
      }
    }
    // Top-level index: every entry whose parent is -1, by range.
    const tl: [number, number, number][] = [];
    for (let e = 0; e < parent.length; e++) {
      if (parent[e] !== -1) continue;
      for (let k = rs[e]; k < rs[e + 1]; k++) tl.push([rg[2 * k], rg[2 * k + 1], e]);
    }
    tl.sort((a, b) => a[0] - b[0]);
    const topHi = Float64Array.from(tl, (t) => t[1]);
    return {
      parent: Int32Array.from(parent), subtreeEnd: Int32Array.from(subEnd), dieOffset: Float64Array.from(dieOff),
      callFile: Int32Array.from(cf), callLine: Int32Array.from(cl), callColumn: Int32Array.from(cc),
      rangeStart: Uint32Array.from(rs), ranges: Float64Array.from(rg),
      topLo: Float64Array.from(tl, (t) => t[0]), topHi, topEntry: Int32Array.from(tl, (t) => t[2]), topMaxHi: runningMax(topHi),
    };
  }

  private unitAt(off: number): Unit | null {
    const i = upperIndex(this.units.length, off, (j) => this.units[j].offset);
    return i >= 0 && off < this.units[i].end ? this.units[i] : null;
  }

  /** Name, linkage name and declaration line of a function DIE, following abstract_origin/specification. */
  private funcName(u: Unit, off: number): { name: string; linkage: string; declLine: number } {
    const hit = this.nameCache.get(off);
    if (hit) return hit;
    let name = '', linkage = '', declLine = 0;
    let cu: Unit | null = u;
    let cur = off;
    for (let hops = 0; hops < 8 && cu; hops++) {
      const d = this.readDie(cu, cur);
      if (!d) break;
      if (!name) name = this.str(cu, d.vals.get(AT_name));
      if (!linkage) linkage = this.str(cu, d.vals.get(AT_linkage_name) ?? d.vals.get(AT_MIPS_linkage_name));
      if (!declLine) { const dl = d.vals.get(AT_decl_line); if (dl && typeof dl.v === 'number') declLine = dl.v; }
      if (name && linkage) break;
      const ref = d.vals.get(AT_abstract_origin) ?? d.vals.get(AT_specification);
      if (!ref || typeof ref.v !== 'number') break;
      cur = ref.v;
      if (ref.form === 0x10) cu = this.unitAt(cur);
      else if (cur < cu.offset || cur >= cu.end) cu = this.unitAt(cur);
    }
    const res = { name, linkage, declLine };
    this.nameCache.set(off, res);
    return res;
  }

  private lines(u: Unit): LineTable | null {
    if (u.lines === undefined) {
      u.lines = null;
      if (u.stmtList >= 0 && this.s.line) {
        try {
          u.lines = parseLineTable({ line: this.s.line, str: this.s.str, lineStr: this.s.lineStr }, u.stmtList, u.compDir, u.addrSize);
        } catch {
          u.lines = null;
        }
      }
    }
    return u.lines;
  }

  /** Frames for pc, innermost first; names are raw (linkage name when present). */
  frames(pc: number): SourceFrame[] {
    const u = this.findUnit(pc);
    if (!u) return [];
    const t = (u.tree ??= this.buildTree(u));
    const contains = (e: number) => {
      for (let k = t.rangeStart[e]; k < t.rangeStart[e + 1]; k++) if (pc >= t.ranges[2 * k] && pc < t.ranges[2 * k + 1]) return true;
      return false;
    };
    // Outermost subprogram covering pc.
    let top = -1;
    const i = upperIndex(t.topLo.length, pc, (j) => t.topLo[j]);
    for (let j = i; j >= 0 && t.topMaxHi[j] > pc; j--) {
      if (pc < t.topHi[j]) { top = t.topEntry[j]; break; }
    }
    const lt = this.lines(u);
    const row = lt?.lookup(pc) ?? null;
    if (top < 0) {
      return row ? [{ func: '', systemName: '', file: row.file, line: row.line, column: row.column }] : [];
    }
    const chain = [top];
    for (let e = top + 1; e < t.subtreeEnd[top]; e++) {
      if (t.parent[e] === chain[chain.length - 1] && contains(e)) chain.push(e);
      else if (!contains(e)) e = t.subtreeEnd[e] - 1; // skip its subtree
    }
    const out: SourceFrame[] = [];
    let file = row?.file ?? '';
    let line = row?.line ?? 0;
    let column = row?.column ?? 0;
    for (let k = chain.length - 1; k >= 0; k--) {
      const e = chain[k];
      const n = this.funcName(u, t.dieOffset[e]);
      out.push({ func: n.name, systemName: n.linkage || n.name, file, line, column, startLine: n.declLine });
      file = lt?.files[t.callFile[e]] ?? '';
      line = t.callLine[e];
      column = t.callColumn[e];
    }
    return out;
  }
}

/** Appends [a, b) unless empty or at address 0 (a discarded function). */
function pushRange(out: number[], a: number, b: number): void {
  if (b > a && a !== 0) out.push(a, b);
}

/** Little-endian unsigned integer of `n` bytes at `p`; RangeError out of bounds, as DataView. */
function readLE(buf: Uint8Array, p: number, n: number): number {
  if (p < 0 || p + n > buf.length) throw new RangeError('offset out of bounds');
  let v = 0;
  for (let k = n - 1; k >= 0; k--) v = v * 256 + buf[p + k];
  return v;
}

function nearest(stack: number[]): number {
  for (let i = stack.length - 1; i >= 0; i--) if (stack[i] >= 0) return stack[i];
  return -1;
}

function runningMax(a: Float64Array): Float64Array {
  const m = new Float64Array(a.length);
  let x = -Infinity;
  for (let i = 0; i < a.length; i++) m[i] = x = Math.max(x, a[i]);
  return m;
}
