// DWARF .debug_info reader for symbolization (versions 2–5).
//
// It runs once, cold, in a fresh process: V8 has optimized nothing yet, so
// what costs is the number of operations and allocations, and the work is
// kept to what the addresses ask for:
// - opening reads unit headers and each unit's root DIE (its address ranges
//   and bases), with the root's abbreviation read in place;
// - the first address in a unit decodes its abbreviation table and walks its
//   DIEs once to index the functions that carry code ("top" entries:
//   subprograms and inlined subroutines with no such entry around them),
//   jumping over each one's children by DW_AT_sibling (in C units, also over
//   the children of types, call sites and declarations: most of the DIEs);
// - for each address, the inline chain is found by walking down from its top
//   entry, jumping over every entry that does not cover it;
// - a unit's line table is run the first time one of its addresses needs it.
// The answers are those of reading every DIE and every row (see the tests).
// Split DWARF: a skeleton unit's .dwo is opened the first time an address
// falls into the unit (dwarf-split.ts); its DIEs are walked by a DwarfInfo of
// their own, with the skeleton's address base and line table.

import { ByteReader, cstringAt } from './bytes.ts';
import {
  AbbrevTable, HAS_CHILDREN, MAY_HAVE_CODE, NO_CODE_BELOW_IN_C,
  L_ABSTRACT_ORIGIN, L_CALL_COLUMN, L_CALL_FILE, L_CALL_LINE, L_DECL_LINE, L_HIGH_PC, L_LINKAGE_NAME, L_LOW_PC,
  L_MIPS_LINKAGE_NAME, L_NAME, L_RANGES, L_SIBLING, L_SPECIFICATION,
} from './dwarf-abbrev.ts';
import { parseLineTable, readU64, readUN, skipForm, type LineTable } from './dwarf-line.ts';
import type { ElfFile } from './elf.ts';
import { dwoCandidates, readDwo } from './dwarf-split.ts';
import type { AddressSymbolizer, SourceFrame } from './frame.ts';

const TAG_compile_unit = 0x11;
const TAG_partial_unit = 0x3c;
const TAG_skeleton_unit = 0x4a;

const AT_sibling = 0x01;
const AT_name = 0x03;
const AT_stmt_list = 0x10;
const AT_language = 0x13;
const AT_low_pc = 0x11;
const AT_high_pc = 0x12;
const AT_comp_dir = 0x1b;
const AT_abstract_origin = 0x31;
const AT_decl_line = 0x3b;
const AT_specification = 0x47;
const AT_ranges = 0x55;
const AT_call_column = 0x57;
const AT_call_file = 0x58;
const AT_call_line = 0x59;
const AT_linkage_name = 0x6e;
const AT_str_offsets_base = 0x72;
const AT_addr_base = 0x73;
const AT_rnglists_base = 0x74;
const AT_dwo_name = 0x76;
const AT_MIPS_linkage_name = 0x2007;
const AT_GNU_dwo_name = 0x2130;
const AT_GNU_dwo_id = 0x2131;
const AT_GNU_ranges_base = 0x2132;
const AT_GNU_addr_base = 0x2133;

const FORM_string = 0x08;
const FORM_indirect = 0x16;
const FORM_ref_addr = 0x10;
const FORM_implicit_const = 0x21;

interface Unit {
  offset: number; // of the unit header
  dieStart: number; // first DIE
  end: number;
  version: number;
  addrSize: number;
  offSize: number;
  abbrevOff: number;
  /** Decoded when the unit's DIEs are first walked (its root is read straight from the bytes). */
  abbrevs?: AbbrevTable;
  strOffsetsBase: number;
  addrBase: number;
  rnglistsBase: number;
  rangesBase: number; // GNU split-DWARF ranges base (pre-v5)
  lowPc: number;
  stmtList: number;
  /** DW_AT_language of the root, -1 when absent. */
  language: number;
  /** DW_AT_comp_dir as read (form, value), turned into a string only for the line table. */
  compDirForm: number;
  compDirValue: number;
  funcs?: UnitFuncs;
  lines?: LineTable | null;
  /** Split DWARF: DW_AT_dwo_name (or GNU) as read (form -1: not a skeleton), and where the 8-byte dwo id is (-1: none). */
  dwoNameForm: number;
  dwoNameValue: number;
  dwoIdPos: number;
  /** The split unit in the .dwo, once looked for (null: not found or mismatched). */
  dwo?: { info: DwarfInfo; unit: Unit } | null;
}

/** What a split unit takes from its skeleton. */
interface SkeletonBases {
  addrBase: number;
  rangesBase: number;
  lowPc: number;
}

/**
 * Address ranges sorted by start (equal starts in their original order), each
 * with a value, and the running max of the ends to find earlier ranges that
 * still cover an address. Plain arrays, not Float64Array: while the code runs
 * unoptimized, reading a Float64Array allocates a number, reading an array of
 * small integers does not.
 */
interface RangeIndex {
  lo: number[];
  hi: number[];
  value: number[];
  maxHi: number[];
}

/** A unit's top entries, found by one walk that skips their children. */
interface UnitFuncs {
  dieOffset: number[]; // per top entry
  /** Their ranges; value: the top entry. */
  ranges: RangeIndex;
}

interface FuncName {
  name: string;
  linkage: string;
  declLine: number;
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
  private readonly abbrevCache = new Map<number, AbbrevTable>();
  /** Unit ranges; value: index in units. */
  private readonly unitRanges: RangeIndex;
  /**
   * Addresses in [hitLo, hitHi) belong to hitUnit (null: to none); hitHi -1:
   * no upper bound. Small integers, not Infinity: a field that once held a
   * non-integer number makes every read allocate while the code runs unoptimized.
   */
  private hitLo = 0;
  private hitHi = 0;
  private hitUnit: Unit | null = null;
  private readonly nameCache = new Map<number, FuncName>();
  /** The one cursor over .debug_info: the walks reposition it instead of allocating readers. */
  private readonly r: ByteReader;
  /** Cursors over .debug_abbrev and the range-list sections, likewise repositioned. */
  private readonly abbrevR: ByteReader;
  private rangesR: ByteReader | null = null;
  private rnglistsR: ByteReader | null = null;
  /** Start of every unit's abbreviation table, sorted (sizes the tables' arrays). */
  private abbrevStarts: Float64Array | null = null;

  // Attributes of the DIE last read by readEntry (fields, not an object per DIE).
  private eLowForm = -1;
  private eLow = 0;
  private eHighForm = -1;
  private eHigh = 0;
  private eRangesForm = -1;
  private eRanges = 0;
  private eCallFile = 0;
  private eCallLine = 0;
  private eCallColumn = 0;
  private eSibling = -1;
  private readonly scratchRanges: number[] = [];
  /** Where the segments of the DIE last laid out start (see AbbrevTable.layout). */
  private readonly segments: number[] = [0];

  /** Problems met (a .dwo not found or not matching), for the caller to report. */
  readonly warnings: string[] = [];

  /**
   * `binaryPath`: where the sections came from (.dwo files are also looked for
   * next to it). `skeleton`: these are a .dwo's sections, whose split units
   * take their bases from that skeleton.
   */
  constructor(private readonly s: DwarfSections, private readonly binaryPath?: string, skeleton?: SkeletonBases) {
    const r = new ByteReader(s.info);
    this.r = r;
    this.abbrevR = new ByteReader(s.abbrev);
    while (r.pos + 11 <= s.info.length) {
      const offset = r.pos;
      let len = r.u32();
      let offSize = 4;
      if (len === 0xffffffff) { len = readU64(r); offSize = 8; }
      const end = r.pos + len;
      const version = r.u16();
      let addrSize: number, abbrevOff: number;
      let unitType = 1;
      let dwoIdPos = -1;
      if (version >= 5) {
        unitType = r.u8();
        addrSize = r.u8();
        abbrevOff = readUN(r, offSize);
        if (unitType === 4 || unitType === 5) { dwoIdPos = r.pos; r.pos += 8; }
        else if (unitType === 2 || unitType === 6) r.pos += 8 + offSize;
      } else {
        abbrevOff = readUN(r, offSize);
        addrSize = r.u8();
      }
      const dieStart = r.pos;
      r.pos = end;
      // Full and partial units; skeletons; in a .dwo, split units (DWARF 4 GNU: plain compile units).
      if (unitType !== 1 && unitType !== 3 && unitType !== 4 && !(skeleton && unitType === 5)) continue;
      this.units.push({
        offset, dieStart, end, version, addrSize, offSize,
        abbrevOff,
        strOffsetsBase: 0, addrBase: 0, rnglistsBase: 0, rangesBase: 0, lowPc: 0, stmtList: -1, language: -1, compDirForm: -1, compDirValue: 0,
        dwoNameForm: -1, dwoNameValue: 0, dwoIdPos,
      });
    }
    if (skeleton) {
      // A .dwo: its units' addresses are the skeleton's; no ranges of their own to index.
      const rg: number[] = [];
      for (const u of this.units) {
        this.readRoot(u, rg);
        u.addrBase = skeleton.addrBase;
        u.rangesBase = skeleton.rangesBase;
        u.lowPc = skeleton.lowPc;
        // DW_FORM_rnglistx in a split unit counts from just past the .debug_rnglists.dwo header.
        if (u.version >= 5 && u.rnglistsBase === 0) u.rnglistsBase = u.offSize === 8 ? 20 : 12;
      }
      this.unitRanges = rangeIndex([], []);
      return;
    }
    const ranges: number[] = [], unitOf: number[] = [];
    const rg: number[] = [];
    for (let ui = 0; ui < this.units.length; ui++) {
      rg.length = 0;
      this.readRoot(this.units[ui], rg);
      for (let k = 0; k < rg.length; k += 2) {
        if (rg[k + 1] > rg[k] && rg[k] !== 0) { ranges.push(rg[k], rg[k + 1]); unitOf.push(ui); }
      }
    }
    this.unitRanges = rangeIndex(ranges, unitOf);
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
    }, elf.src.path);
  }

  get unitCount(): number {
    return this.units.length;
  }

  private abbrevsOf(u: Unit): AbbrevTable {
    if (u.abbrevs) return u.abbrevs;
    // Fixed attribute sizes depend on the unit's offset and address sizes, so they are part of the key.
    const key = (u.abbrevOff * 16 + u.offSize) * 16 + u.addrSize;
    let t = this.abbrevCache.get(key);
    if (!t) {
      t = new AbbrevTable(this.s.abbrev, u.abbrevOff, this.abbrevLimit(u.abbrevOff), u.offSize, u.addrSize);
      this.abbrevCache.set(key, t);
    }
    u.abbrevs = t;
    return t;
  }

  /** Where the abbreviation table at `off` ends at the latest: the next table, or the section's end. */
  private abbrevLimit(off: number): number {
    if (!this.abbrevStarts) {
      const starts = this.units.map((u) => u.abbrevOff);
      starts.push(this.s.abbrev.length);
      this.abbrevStarts = Float64Array.from(starts).sort();
    }
    const s = this.abbrevStarts;
    let lo = 0, hi = s.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid] <= off) lo = mid + 1;
      else hi = mid;
    }
    return lo < s.length ? s[lo] : this.s.abbrev.length;
  }

  /**
   * Position of abbreviation `code`'s tag in the table at `off`, found by
   * skipping over the entries before it (the root's is the first); -1 when absent.
   */
  private abbrevAt(off: number, code: number): number {
    const a = this.abbrevR;
    a.pos = off;
    while (a.pos < a.buf.length) {
      const c = a.uleb();
      if (c === 0) break;
      if (c === code) return a.pos;
      a.uleb(); // tag
      a.pos++; // children
      for (;;) {
        const at = a.uleb(), form = a.uleb();
        if (at === 0 && form === 0) break;
        if (form === FORM_implicit_const) a.sleb();
      }
    }
    return -1;
  }

  /**
   * Reads a unit's root DIE: bases, line table offset, comp_dir, and its
   * address ranges appended to `out` (flat lo, hi pairs). Bases are applied
   * before the ranges are read, whatever the attribute order.
   */
  private readRoot(u: Unit, out: number[]): void {
    const r = this.r;
    r.pos = u.dieStart;
    const code = r.uleb();
    if (code === 0) return;
    // One DIE: its abbreviation is read in place rather than decoding the unit's table.
    const abbrevPos = this.abbrevAt(u.abbrevOff, code);
    if (abbrevPos < 0) return;
    const a = this.abbrevR;
    a.pos = abbrevPos;
    const tag = a.uleb();
    a.pos++; // children
    if (tag !== TAG_compile_unit && tag !== TAG_partial_unit && tag !== TAG_skeleton_unit) return;
    let strOffsetsBase = -1, addrBase = -1, gnuAddrBase = -1, rnglistsBase = -1, gnuRangesBase = -1, stmtList = -1;
    let lowForm = -1, low = 0, highForm = -1, high = 0, rangesForm = -1, ranges = 0;
    for (;;) {
      const at = a.uleb();
      let form = a.uleb();
      if (at === 0 && form === 0) break;
      const implicit = form === FORM_implicit_const ? a.sleb() : 0;
      if (form === FORM_indirect) form = r.uleb();
      if (at === AT_comp_dir) {
        u.compDirForm = form;
        u.compDirValue = form === FORM_string ? r.pos : -1;
      } else if (at === AT_dwo_name || at === AT_GNU_dwo_name) {
        u.dwoNameForm = form;
        u.dwoNameValue = form === FORM_string ? r.pos : -1;
      } else if (at === AT_GNU_dwo_id && form === 0x07) {
        u.dwoIdPos = r.pos;
      }
      const v = this.formValue(u, form, implicit);
      switch (at) {
        case AT_str_offsets_base: strOffsetsBase = v; break;
        case AT_addr_base: addrBase = v; break;
        case AT_GNU_addr_base: gnuAddrBase = v; break;
        case AT_rnglists_base: rnglistsBase = v; break;
        case AT_GNU_ranges_base: gnuRangesBase = v; break;
        case AT_stmt_list: stmtList = v; break;
        case AT_language: u.language = v; break;
        case AT_comp_dir: if (form !== FORM_string) u.compDirValue = v; break;
        case AT_dwo_name: case AT_GNU_dwo_name: if (form !== FORM_string) u.dwoNameValue = v; break;
        case AT_low_pc: lowForm = form; low = v; break;
        case AT_high_pc: highForm = form; high = v; break;
        case AT_ranges: rangesForm = form; ranges = v; break;
      }
    }
    if (strOffsetsBase >= 0) u.strOffsetsBase = strOffsetsBase;
    else if (u.version >= 5) u.strOffsetsBase = 8; // DWARF 5 default: just past the first header
    if (addrBase >= 0) u.addrBase = addrBase;
    else if (gnuAddrBase >= 0) u.addrBase = gnuAddrBase;
    if (rnglistsBase >= 0) u.rnglistsBase = rnglistsBase;
    if (gnuRangesBase >= 0) u.rangesBase = gnuRangesBase;
    u.stmtList = stmtList;
    u.lowPc = lowForm >= 0 ? this.addrOf(u, lowForm, low) : 0;
    if (lowForm >= 0 && highForm >= 0) {
      out.push(u.lowPc, isAddressForm(highForm) ? this.addrOf(u, highForm, high) : u.lowPc + high);
    } else if (rangesForm >= 0) {
      this.rangesInto(u, rangesForm, ranges, tag === TAG_compile_unit || tag === TAG_skeleton_unit, out);
    }
  }

  /**
   * Value of a non-string attribute at the cursor: numbers, and references as
   * absolute .debug_info offsets. Strings and blocks are skipped (-1).
   */
  private formValue(u: Unit, form: number, implicit: number): number {
    const r = this.r;
    switch (form) {
      case 0x01: return readUN(r, u.addrSize);
      case 0x05: return r.u16();
      case 0x06: return r.u32();
      case 0x07: return readU64(r);
      case 0x0b: return r.u8();
      case 0x0c: return r.u8();
      case 0x0d: return r.sleb();
      case 0x0e: case 0x1f: case 0x17: case 0x10: return readUN(r, u.offSize);
      case 0x0f: return r.uleb();
      case 0x11: return u.offset + r.u8();
      case 0x12: return u.offset + r.u16();
      case 0x13: return u.offset + r.u32();
      case 0x14: return u.offset + readU64(r);
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

  /** A string attribute's text: inline (value = its offset in .debug_info), strp, line_strp or strx. */
  private str(u: Unit, form: number, v: number): string {
    switch (form) {
      case FORM_string: return cstringAt(this.s.info, v);
      case 0x0e: return this.s.str ? cstringAt(this.s.str, v) : '';
      case 0x1f: return this.s.lineStr ? cstringAt(this.s.lineStr, v) : '';
      case 0x1a: case 0x25: case 0x26: case 0x27: case 0x28: case 0x1f02: {
        const so = this.s.strOffsets;
        if (!so || !this.s.str) return '';
        return cstringAt(this.s.str, readLE(so, u.strOffsetsBase + v * u.offSize, u.offSize === 8 ? 8 : 4));
      }
      default: return '';
    }
  }

  private addrIndex(u: Unit, i: number): number {
    const d = this.s.addr;
    if (!d) return 0;
    const p = u.addrBase + i * u.addrSize;
    return p + u.addrSize > d.length ? 0 : readLE(d, p, u.addrSize);
  }

  private addrOf(u: Unit, form: number, v: number): number {
    if (form === 0x1b || (form >= 0x29 && form <= 0x2c) || form === 0x1f01) return this.addrIndex(u, v);
    return v;
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
      const r = (this.rnglistsR ??= new ByteReader(sec));
      r.pos = off;
      let base = u.lowPc;
      for (;;) {
        const k = r.u8();
        if (k === 0 || k === undefined) break;
        switch (k) {
          case 1: base = this.addrIndex(u, r.uleb()); break;
          case 2: { const a = this.addrIndex(u, r.uleb()); pushRange(out, a, this.addrIndex(u, r.uleb())); break; }
          case 3: { const a = this.addrIndex(u, r.uleb()); pushRange(out, a, a + r.uleb()); break; }
          case 4: { const a = r.uleb(); pushRange(out, base + a, base + r.uleb()); break; }
          case 5: base = readUN(r, u.addrSize); break;
          case 6: { const a = readUN(r, u.addrSize); pushRange(out, a, readUN(r, u.addrSize)); break; }
          case 7: { const a = readUN(r, u.addrSize); pushRange(out, a, a + r.uleb()); break; }
          default: return;
        }
      }
      return;
    }
    const sec = this.s.ranges;
    if (!sec) return;
    const r = (this.rangesR ??= new ByteReader(sec));
    r.pos = v + (isRoot ? 0 : u.rangesBase);
    let base = u.lowPc;
    const max = u.addrSize === 8 ? 2 ** 64 - 1 : 0xffffffff;
    while (r.pos + 2 * u.addrSize <= sec.length) {
      const a = readUN(r, u.addrSize), b = readUN(r, u.addrSize);
      if (a === 0 && b === 0) break;
      if (a === max || (u.addrSize === 8 && a >= 2 ** 64 - 2048)) { base = b; continue; }
      pushRange(out, base + a, base + b);
    }
  }

  private findUnit(pc: number): Unit | null {
    // Addresses come mostly in ascending order: most fall where the previous one did.
    const hitHi = this.hitHi;
    if (pc >= this.hitLo && (pc < hitHi || hitHi < 0)) return this.hitUnit;
    const ix = this.unitRanges;
    const lo = ix.lo;
    const i = lastAtOrBelow(lo, pc);
    const ui = coveringValue(ix, i, pc);
    const next = i + 1 < lo.length ? lo[i + 1] : -1;
    // Remember an interval around pc with the same answer, when it is easy to bound:
    // inside range i (the last to start, so it wins), or past every range up to i.
    if (ui >= 0 && ui === ix.value[i] && pc < ix.hi[i]) {
      this.hitLo = lo[i];
      this.hitHi = next < 0 ? ix.hi[i] : Math.min(ix.hi[i], next);
    } else if (ui < 0 && (i < 0 || ix.maxHi[i] <= pc)) {
      this.hitLo = i < 0 ? -1 : Math.max(lo[i], ix.maxHi[i]);
      this.hitHi = next;
    } else {
      this.hitLo = this.hitHi = 0;
    }
    this.hitUnit = ui < 0 ? null : this.units[ui];
    return this.hitUnit;
  }

  /**
   * Reads the attributes of a subprogram or inlined subroutine at the cursor
   * into the e* fields: what the function index and inline chains need.
   */
  private readEntry(u: Unit, tab: AbbrevTable, ai: number): void {
    const r = this.r;
    const lay = tab.layoutAt[ai];
    if (lay >= 0) {
      // Skip the DIE once, noting where its segments start; read the wanted attributes there.
      const layout = tab.layout;
      tab.skipSegments(r, ai, this.segments);
      const end = r.pos;
      this.eLowForm = layout[lay + 4 * L_LOW_PC];
      this.eLow = this.layoutValue(u, layout, lay + 4 * L_LOW_PC, 0);
      this.eHighForm = layout[lay + 4 * L_HIGH_PC];
      this.eHigh = this.layoutValue(u, layout, lay + 4 * L_HIGH_PC, 0);
      this.eRangesForm = layout[lay + 4 * L_RANGES];
      this.eRanges = this.layoutValue(u, layout, lay + 4 * L_RANGES, 0);
      this.eCallFile = this.layoutValue(u, layout, lay + 4 * L_CALL_FILE, 0);
      this.eCallLine = this.layoutValue(u, layout, lay + 4 * L_CALL_LINE, 0);
      this.eCallColumn = this.layoutValue(u, layout, lay + 4 * L_CALL_COLUMN, 0);
      this.eSibling = this.layoutValue(u, layout, lay + 4 * L_SIBLING, -1);
      r.pos = end;
      return;
    }
    this.eLowForm = -1; this.eHighForm = -1; this.eRangesForm = -1;
    this.eCallFile = 0; this.eCallLine = 0; this.eCallColumn = 0; this.eSibling = -1;
    const a = this.abbrevR;
    a.pos = tab.specPos[ai];
    for (;;) {
      const at = a.uleb();
      let form = a.uleb();
      if (at === 0 && form === 0) break;
      const implicit = form === FORM_implicit_const ? a.sleb() : 0;
      if (form === FORM_indirect) form = r.uleb();
      switch (at) {
        case AT_low_pc: this.eLowForm = form; this.eLow = this.formValue(u, form, implicit); break;
        case AT_high_pc: this.eHighForm = form; this.eHigh = this.formValue(u, form, implicit); break;
        case AT_ranges: this.eRangesForm = form; this.eRanges = this.formValue(u, form, implicit); break;
        case AT_call_file: this.eCallFile = this.formValue(u, form, implicit); break;
        case AT_call_line: this.eCallLine = this.formValue(u, form, implicit); break;
        case AT_call_column: this.eCallColumn = this.formValue(u, form, implicit); break;
        case AT_sibling: this.eSibling = this.formValue(u, form, implicit); break;
        default: skipForm(r, form, u.offSize, u.addrSize);
      }
    }
  }

  /**
   * Value of the attribute described at layout[k] (see AbbrevTable.layout) in
   * the DIE whose segments were just noted, or `absent`. A string's value is
   * its position (in .debug_info for DW_FORM_string), as in funcName.
   */
  private layoutValue(u: Unit, layout: Int32Array, k: number, absent: number): number {
    const form = layout[k];
    if (form < 0) return absent;
    const pos = this.segments[layout[k + 1]] + layout[k + 2];
    if (form === FORM_string) return pos;
    this.r.pos = pos;
    return this.formValue(u, form, layout[k + 3]);
  }

  /** Appends the address ranges of the DIE last read by readEntry (low/high pc, else DW_AT_ranges). */
  private entryRanges(u: Unit, out: number[]): void {
    if (this.eLowForm >= 0 && this.eHighForm >= 0) {
      const lo = this.addrOf(u, this.eLowForm, this.eLow);
      const hi = isAddressForm(this.eHighForm) ? this.addrOf(u, this.eHighForm, this.eHigh) : lo + this.eHigh;
      pushRange(out, lo, hi);
    } else if (this.eRangesForm >= 0) {
      this.rangesInto(u, this.eRangesForm, this.eRanges, false, out);
    }
  }

  /**
   * Walks a unit's DIEs once for its top entries: subprograms and inlined
   * subroutines with code and no such entry around them. Their children are
   * jumped over, and in C units those of types, call sites and function
   * declarations too (C has no construct that puts code there); anything else
   * is descended into (namespaces, classes and functions without code can
   * hold functions with code).
   */
  private scanUnit(u: Unit): UnitFuncs {
    const r = this.r;
    const buf = r.buf;
    const tab = this.abbrevsOf(u);
    tab.decodeAll(); // its arrays no longer change: they can live in locals
    const byCode = tab.byCode, nCodes = byCode.length, flags = tab.flags, fixedSize = tab.fixedSize;
    // In C, types, call sites and function declarations hold no code: their children
    // (members, enumerators, parameters: most DIEs of a C unit) are jumped over as well.
    const jumpOver = MAY_HAVE_CODE | (isC(u.language) ? NO_CODE_BELOW_IN_C : 0);
    const dieOffset: number[] = [];
    const rg: number[] = []; // lo, hi pairs of all top entries
    const rgEntry: number[] = []; // top entry of each pair
    let depth = 0; // open DIEs with children
    const end = u.end;
    // The position lives in a local on the common paths (one-byte codes, fixed-size DIEs).
    let p = u.dieStart;
    while (p < end) {
      const off = p;
      let code = buf[p++];
      if (code >= 0x80) { r.pos = off; code = r.uleb(); p = r.pos; }
      if (code === 0) {
        if (depth === 0) break;
        depth--;
        continue;
      }
      const ai = code < nCodes ? byCode[code] : -1;
      if (ai < 0) break;
      const f = flags[ai];
      if ((f & jumpOver) === 0) {
        // Most DIEs: step over the attributes, descend into the children.
        const fixed = fixedSize[ai];
        if (fixed >= 0) p += fixed;
        else { r.pos = p; tab.skipAttrs(r, ai); p = r.pos; }
        if (f & HAS_CHILDREN) depth++;
        continue;
      }
      if (f & MAY_HAVE_CODE) {
        r.pos = p;
        this.readEntry(u, tab, ai);
        const before = rg.length;
        this.entryRanges(u, rg);
        if (rg.length > before) {
          for (let k = before; k < rg.length; k += 2) rgEntry.push(dieOffset.length);
          dieOffset.push(off);
          if (f & HAS_CHILDREN) {
            const sib = this.eSibling;
            if (sib > r.pos && sib <= end) r.pos = sib;
            else this.skipChildren(u);
          }
        } else if (f & HAS_CHILDREN) {
          depth++; // no code of its own: what it holds may have some
        }
        p = r.pos;
        continue;
      }
      // A C type, call site or function declaration: jump over its children.
      const attrs = p;
      r.pos = p;
      tab.skipAttrs(r, ai);
      if (f & HAS_CHILDREN) this.jumpOverChildren(u, tab, ai, attrs);
      p = r.pos;
    }
    return { dieOffset, ranges: rangeIndex(rg, rgEntry) };
  }

  /** Moves the cursor past the children of the DIE whose attributes it just read. */
  private skipChildren(u: Unit): void {
    const r = this.r;
    const tab = this.abbrevsOf(u);
    let depth = 1;
    while (r.pos < u.end) {
      const code = r.uleb();
      if (code === 0) {
        if (--depth === 0) return;
        continue;
      }
      const ai = tab.find(code);
      if (ai < 0) { r.pos = u.end; return; } // undecodable: nothing after it can be read
      tab.skipAttrs(r, ai);
      if (tab.flags[ai] & HAS_CHILDREN) depth++;
    }
  }

  /**
   * The entries covering pc inside the top entry at `topOff`, outermost first
   * (the top itself first): DIE offsets into `chain`, call sites into `calls`
   * (file, line, column per entry).
   *
   * Each entry on the chain is the first entry, in DIE order, that is a child
   * of the previous one and covers pc. An entry that does not cover pc has
   * its subtree jumped over, and the walk ends with the subtree of the last
   * entry found: nothing outside it can extend the chain.
   */
  private inlineChain(u: Unit, topOff: number, pc: number, chain: number[], calls: number[]): void {
    const r = this.r;
    const buf = r.buf;
    const tab = this.abbrevsOf(u);
    const rg = this.scratchRanges;
    r.pos = topOff;
    const topAi = tab.find(r.uleb());
    this.readEntry(u, tab, topAi);
    chain.push(topOff);
    calls.push(this.eCallFile, this.eCallLine, this.eCallColumn);
    if (!(tab.flags[topAi] & HAS_CHILDREN)) return;
    // In C, call sites, types and declarations hold no code (see scanUnit).
    const jumpOver = isC(u.language) ? NO_CODE_BELOW_IN_C : 0;
    let depth = 1; // open DIEs with children, the top's included
    let lastDepth = 1; // depth inside the last chain entry
    while (r.pos < u.end) {
      const off = r.pos;
      let code = buf[r.pos++];
      if (code >= 0x80) { r.pos = off; code = r.uleb(); }
      if (code === 0) {
        if (--depth < lastDepth) return;
        continue;
      }
      const ai = tab.find(code);
      if (ai < 0) return;
      const f = tab.flags[ai];
      if (f & MAY_HAVE_CODE) {
        this.readEntry(u, tab, ai);
        rg.length = 0;
        this.entryRanges(u, rg);
        if (rg.length > 0) {
          if (rangesHold(rg, pc)) {
            chain.push(off);
            calls.push(this.eCallFile, this.eCallLine, this.eCallColumn);
            if (!(f & HAS_CHILDREN)) return; // nothing can follow inside it
            lastDepth = ++depth;
          } else if (f & HAS_CHILDREN) {
            const sib = this.eSibling;
            if (sib > r.pos && sib <= u.end) r.pos = sib;
            else this.skipChildren(u);
          }
          continue;
        }
      } else {
        const attrs = r.pos;
        tab.skipAttrs(r, ai);
        if ((f & jumpOver) !== 0 && (f & HAS_CHILDREN) !== 0) {
          this.jumpOverChildren(u, tab, ai, attrs);
          continue;
        }
      }
      if (f & HAS_CHILDREN) depth++;
    }
  }

  /**
   * Moves the cursor, just past the attributes of a DIE with abbreviation ai
   * (which started at `attrs`), past its children: to its DW_AT_sibling when
   * that is at a fixed place and plausible, else by walking them.
   */
  private jumpOverChildren(u: Unit, tab: AbbrevTable, ai: number, attrs: number): void {
    const r = this.r;
    const end = r.pos;
    const at = tab.siblingAt[ai];
    if (at >= 0) {
      r.pos = attrs + at;
      const sib = this.formValue(u, tab.siblingForm[ai], 0);
      if (sib > end && sib <= u.end) {
        r.pos = sib;
        return;
      }
    }
    r.pos = end;
    this.skipChildren(u);
  }

  private unitAt(off: number): Unit | null {
    const units = this.units;
    let lo = 0, hi = units.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (units[mid].offset <= off) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    return i >= 0 && off < units[i].end ? units[i] : null;
  }

  /** Name, linkage name and declaration line of a function DIE, following abstract_origin/specification. */
  private funcName(u: Unit, off: number): FuncName {
    const hit = this.nameCache.get(off);
    if (hit) return hit;
    const r = this.r;
    let name = '', linkage = '', declLine = 0;
    let cu: Unit | null = u;
    let cur = off;
    for (let hops = 0; hops < 8 && cu; hops++) {
      r.pos = cur;
      const code = r.uleb();
      if (code === 0) break;
      const tab = this.abbrevsOf(cu);
      const ai = tab.find(code);
      if (ai < 0) break;
      // The last occurrence of an attribute counts; a string's value is its offset (inline: in .debug_info).
      let nameForm = -1, nameV = 0, linkForm = -1, linkV = 0, mipsForm = -1, mipsV = 0;
      let declForm = -1, declV = 0, originForm = -1, originV = 0, specForm = -1, specV = 0;
      const lay = tab.layoutAt[ai];
      if (lay >= 0) {
        const layout = tab.layout;
        tab.skipSegments(r, ai, this.segments);
        nameForm = layout[lay + 4 * L_NAME];
        nameV = this.layoutValue(cu, layout, lay + 4 * L_NAME, 0);
        linkForm = layout[lay + 4 * L_LINKAGE_NAME];
        linkV = this.layoutValue(cu, layout, lay + 4 * L_LINKAGE_NAME, 0);
        mipsForm = layout[lay + 4 * L_MIPS_LINKAGE_NAME];
        mipsV = this.layoutValue(cu, layout, lay + 4 * L_MIPS_LINKAGE_NAME, 0);
        declForm = layout[lay + 4 * L_DECL_LINE];
        declV = this.layoutValue(cu, layout, lay + 4 * L_DECL_LINE, 0);
        originForm = layout[lay + 4 * L_ABSTRACT_ORIGIN];
        originV = this.layoutValue(cu, layout, lay + 4 * L_ABSTRACT_ORIGIN, 0);
        specForm = layout[lay + 4 * L_SPECIFICATION];
        specV = this.layoutValue(cu, layout, lay + 4 * L_SPECIFICATION, 0);
      }
      const a = this.abbrevR;
      a.pos = tab.specPos[ai];
      // Other tags, or attributes the layout cannot place: read them in order.
      while (lay < 0) {
        const at = a.uleb();
        let form = a.uleb();
        if (at === 0 && form === 0) break;
        const implicit = form === FORM_implicit_const ? a.sleb() : 0;
        if (form === FORM_indirect) form = r.uleb();
        if (at !== AT_name && at !== AT_linkage_name && at !== AT_MIPS_linkage_name && at !== AT_decl_line &&
            at !== AT_abstract_origin && at !== AT_specification) {
          skipForm(r, form, cu.offSize, cu.addrSize);
          continue;
        }
        const pos = r.pos;
        const v = this.formValue(cu, form, implicit);
        const val = form === FORM_string ? pos : v;
        switch (at) {
          case AT_name: nameForm = form; nameV = val; break;
          case AT_linkage_name: linkForm = form; linkV = val; break;
          case AT_MIPS_linkage_name: mipsForm = form; mipsV = val; break;
          case AT_decl_line: declForm = form; declV = v; break;
          case AT_abstract_origin: originForm = form; originV = v; break;
          default: specForm = form; specV = v;
        }
      }
      if (!name && nameForm >= 0) name = this.str(cu, nameForm, nameV);
      if (!linkage) {
        if (linkForm >= 0) linkage = this.str(cu, linkForm, linkV);
        else if (mipsForm >= 0) linkage = this.str(cu, mipsForm, mipsV);
      }
      if (!declLine && declForm >= 0 && declForm !== FORM_string) declLine = declV;
      if (name && linkage) break;
      const refForm = originForm >= 0 ? originForm : specForm;
      if (refForm < 0 || refForm === FORM_string) break;
      cur = originForm >= 0 ? originV : specV;
      if (refForm === FORM_ref_addr) cu = this.unitAt(cur);
      else if (cur < cu.offset || cur >= cu.end) cu = this.unitAt(cur);
    }
    const res = { name, linkage, declLine };
    this.nameCache.set(off, res);
    return res;
  }

  /** The unit's line table header (names; the program is run on demand), null when it has none or it is unreadable. */
  private lineTable(u: Unit): LineTable | null {
    if (u.lines === undefined) {
      u.lines = null;
      if (u.stmtList >= 0 && this.s.line) {
        try {
          const compDir = u.compDirForm >= 0 ? this.str(u, u.compDirForm, u.compDirValue) : '';
          u.lines = parseLineTable({ line: this.s.line, str: this.s.str, lineStr: this.s.lineStr }, u.stmtList, compDir, u.addrSize);
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
    if (!u) return NO_FRAMES;
    let lt = this.lineTable(u);
    let row = -1;
    if (lt) {
      try {
        row = lt.find(pc);
      } catch {
        lt = u.lines = null; // a program that cannot be run: no lines for the unit
      }
    }
    // A skeleton's functions are in its .dwo; without it, the line row alone (as for a unit without functions).
    let du = u, di: DwarfInfo = this;
    if (u.dwoNameForm >= 0) {
      const dwo = u.dwo === undefined ? this.openDwo(u) : u.dwo;
      if (dwo) { du = dwo.unit; di = dwo.info; }
    }
    const f = (du.funcs ??= di.scanUnit(du));
    if (row < 0) return di.unitFrames(du, f, pc, lt, -1, 0, 0);
    return di.unitFrames(du, f, pc, lt, lt!.rowFileIndex(row), lt!.rowLine(row), lt!.rowColumn(row));
  }

  /**
   * Finds and reads the .dwo of skeleton unit u, and in it the split unit
   * with u's dwo id (the only one, when neither has an id); null, with a
   * warning, when there is none.
   */
  private openDwo(u: Unit): { info: DwarfInfo; unit: Unit } | null {
    u.dwo = null;
    const name = this.str(u, u.dwoNameForm, u.dwoNameValue);
    const compDir = u.compDirForm >= 0 ? this.str(u, u.compDirForm, u.compDirValue) : '';
    const candidates = dwoCandidates(this.binaryPath, compDir, name);
    const secs = readDwo(candidates);
    if (!secs) {
      this.warnings.push(`split DWARF: cannot read ${candidates[0] ?? 'the .dwo of unit at 0x' + u.offset.toString(16)}; names from the symbol table only`);
      return null;
    }
    try {
      const info = new DwarfInfo({
        info: secs.info, abbrev: secs.abbrev, str: secs.str, strOffsets: secs.strOffsets, rnglists: secs.rnglists,
        addr: this.s.addr, ranges: this.s.ranges,
      }, undefined, { addrBase: u.addrBase, rangesBase: u.rangesBase, lowPc: u.lowPc });
      const id = u.dwoIdPos >= 0 ? this.s.info.subarray(u.dwoIdPos, u.dwoIdPos + 8) : null;
      const unit = info.units.find((s) => id === null
        ? s.dwoIdPos < 0 && info.units.length === 1
        : s.dwoIdPos >= 0 && equalBytes(info.s.info.subarray(s.dwoIdPos, s.dwoIdPos + 8), id));
      if (unit) return (u.dwo = { info, unit });
      this.warnings.push(`split DWARF: ${secs.path} does not match the binary (dwo id differs); names from the symbol table only`);
    } catch (e) {
      this.warnings.push(`split DWARF: ${secs.path}: ${e instanceof Error ? e.message : String(e)}`);
    }
    return null;
  }

  /**
   * Frames for pc in unit u, given its line row (file index -1: none): the
   * function entries covering pc, innermost first, or the row alone when no
   * function covers it.
   */
  private unitFrames(u: Unit, f: UnitFuncs, pc: number, lt: LineTable | null, fileIndex: number, line: number, column: number): SourceFrame[] {
    // Outermost entry covering pc: the last range starting at or before it that still covers it.
    const top = coveringValue(f.ranges, lastAtOrBelow(f.ranges.lo, pc), pc);
    if (top < 0) {
      return fileIndex >= 0 ? [{ func: '', systemName: '', file: lt!.file(fileIndex), line, column }] : NO_FRAMES;
    }
    const chain: number[] = [], calls: number[] = [];
    this.inlineChain(u, f.dieOffset[top], pc, chain, calls);
    const out: SourceFrame[] = [];
    let file = fileIndex >= 0 ? lt!.file(fileIndex) : '';
    for (let k = chain.length - 1; k >= 0; k--) {
      const n = this.funcName(u, chain[k]);
      out.push({ func: n.name, systemName: n.linkage || n.name, file, line, column, startLine: n.declLine });
      file = lt ? lt.file(calls[3 * k]) : '';
      line = calls[3 * k + 1];
      column = calls[3 * k + 2];
    }
    return out;
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** DW_LANG_C89, C, C99, C11, C17. */
function isC(language: number): boolean {
  return language === 0x01 || language === 0x02 || language === 0x0c || language === 0x1d || language === 0x2c;
}

/** Whether one of the flat (lo, hi) pairs holds pc. */
function rangesHold(rg: number[], pc: number): boolean {
  for (let k = 0; k < rg.length; k += 2) if (pc >= rg[k] && pc < rg[k + 1]) return true;
  return false;
}

function isAddressForm(form: number): boolean {
  return form === 0x01 || form === 0x1b || (form >= 0x29 && form <= 0x2c);
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

/** Largest i with a[i] <= x, or -1 (a sorted). */
function lastAtOrBelow(a: number[], x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** Builds a RangeIndex from flat (lo, hi) pairs and one value per pair. */
function rangeIndex(pairs: number[], values: number[]): RangeIndex {
  const n = values.length;
  const order = sortedByStart(pairs, n);
  const lo: number[] = new Array(n), hi: number[] = new Array(n), value: number[] = new Array(n), maxHi: number[] = new Array(n);
  let m = -Infinity;
  for (let k = 0; k < n; k++) {
    const i = order === null ? k : order[k];
    lo[k] = pairs[2 * i];
    hi[k] = pairs[2 * i + 1];
    value[k] = values[i];
    maxHi[k] = m = Math.max(m, hi[k]);
  }
  return { lo, hi, value, maxHi };
}

/**
 * Order of the n pairs by start, equal starts in their original order; null
 * when they already are. Sorted natively as packed keys (start * 2^b + index)
 * when those stay exact, without a comparator call per comparison.
 */
function sortedByStart(pairs: number[], n: number): ArrayLike<number> | null {
  let sorted = true, min = 0, max = 0;
  for (let i = 0; i < n; i++) {
    const lo = pairs[2 * i];
    if (i > 0 && lo < pairs[2 * i - 2]) sorted = false;
    if (lo > max) max = lo;
    if (lo < min) min = lo;
  }
  if (sorted) return null;
  let scale = 1;
  while (scale < n) scale *= 2;
  // Starts are integers (addresses read from the file, and sums of them).
  if (min >= 0 && max * scale < 2 ** 53) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++) keys[i] = pairs[2 * i] * scale + i;
    keys.sort();
    const order = new Int32Array(n);
    for (let k = 0; k < n; k++) order[k] = keys[k] % scale;
    return order;
  }
  const order: number[] = new Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  return order.sort((a, b) => pairs[2 * a] - pairs[2 * b]); // stable
}

/**
 * Value of the covering range that starts last, searching down from slot i
 * (the last range starting at or below pc); -1 when none covers pc.
 */
function coveringValue(ix: RangeIndex, i: number, pc: number): number {
  for (let j = i; j >= 0 && ix.maxHi[j] > pc; j--) if (pc < ix.hi[j]) return ix.value[j];
  return -1;
}

/** The answer for an address no unit covers; shared, so frozen. */
const NO_FRAMES: SourceFrame[] = Object.freeze([]) as unknown as SourceFrame[];
