// One .debug_abbrev table, decoded lazily: a unit's root DIE is read without
// it (see DwarfInfo), and the first walk over the unit's DIEs decodes it whole.
//
// Decoding runs cold (V8 has not optimized anything yet), a few thousand
// abbreviations per file, so it is one loop over the bytes into typed arrays
// indexed by abbreviation, allocated once at a size bounded by the table's
// bytes: no object, array or growth per abbreviation.

import { ByteReader } from './bytes.ts';
import { skipForm } from './dwarf-line.ts';

const FORM_indirect = 0x16;
const FORM_implicit_const = 0x21;
const AT_sibling = 0x01;
const AT_low_pc = 0x11;
const AT_high_pc = 0x12;
const AT_declaration = 0x3c;
const AT_ranges = 0x55;
const AT_call_column = 0x57;
const AT_call_file = 0x58;
const AT_call_line = 0x59;
const AT_name = 0x03;
const AT_abstract_origin = 0x31;
const AT_decl_line = 0x3b;
const AT_specification = 0x47;
const AT_linkage_name = 0x6e;
const AT_MIPS_linkage_name = 0x2007;
const TAG_subprogram = 0x2e;
const TAG_inlined_subroutine = 0x1d;

/**
 * Attributes of function DIEs (subprograms and inlined subroutines) whose
 * place in the DIE is worked out with the abbreviation (see AbbrevTable.layout):
 * what the function index and inline chains read, then the naming ones.
 */
export const L_LOW_PC = 0, L_HIGH_PC = 1, L_RANGES = 2, L_CALL_FILE = 3, L_CALL_LINE = 4, L_CALL_COLUMN = 5, L_SIBLING = 6;
export const L_NAME = 7, L_LINKAGE_NAME = 8, L_MIPS_LINKAGE_NAME = 9, L_DECL_LINE = 10, L_ABSTRACT_ORIGIN = 11, L_SPECIFICATION = 12;
const LAYOUT_ATTRS = 13;

/** The layout slot of attribute `at`, or -1. */
function layoutSlot(at: number): number {
  switch (at) {
    case AT_low_pc: return L_LOW_PC;
    case AT_high_pc: return L_HIGH_PC;
    case AT_ranges: return L_RANGES;
    case AT_call_file: return L_CALL_FILE;
    case AT_call_line: return L_CALL_LINE;
    case AT_call_column: return L_CALL_COLUMN;
    case AT_sibling: return L_SIBLING;
    case AT_name: return L_NAME;
    case AT_linkage_name: return L_LINKAGE_NAME;
    case AT_MIPS_linkage_name: return L_MIPS_LINKAGE_NAME;
    case AT_decl_line: return L_DECL_LINE;
    case AT_abstract_origin: return L_ABSTRACT_ORIGIN;
    case AT_specification: return L_SPECIFICATION;
    default: return -1;
  }
}

/** Bits of AbbrevTable.flags. */
export const HAS_CHILDREN = 1;
/** A subprogram or inlined subroutine with low/high pc or ranges: the only DIEs that can carry code. */
export const MAY_HAVE_CODE = 2;
/** A type (structure, union, enumeration, array, function type), a call site or a function declaration: in C nothing below it can carry code. */
export const NO_CODE_BELOW_IN_C = 4;

/** Tags whose children are members, enumerators, subranges or parameters. */
function holdsNoCode(tag: number): boolean {
  switch (tag) {
    case 0x13: // structure_type
    case 0x17: // union_type
    case 0x04: // enumeration_type
    case 0x01: // array_type
    case 0x15: // subroutine_type
    case 0x48: // call_site
    case 0x4109: // GNU_call_site
      return true;
    default:
      return false;
  }
}

/** Size of a variable-size form in the form size tables. */
const VARIABLE = -1;

export class AbbrevTable {
  /** Number of abbreviations (once decoded). */
  count = 0;
  // Per abbreviation index (table order):
  tag: Int32Array;
  flags: Uint8Array;
  /** Byte size of a DIE's attributes when every form has a fixed size, else -1: skipping it is one addition. */
  fixedSize: Int32Array;
  /** Byte offset of DW_AT_sibling in the DIE when only fixed-size attributes precede it, else -1; and its form. */
  siblingAt: Int32Array;
  siblingForm: Int32Array;
  /** Position of the attribute specifications in .debug_abbrev. */
  specPos: Int32Array;
  /**
   * How to skip a variable-size DIE, in skipPlan[planStart[i], planStart[i + 1]):
   * bytes of fixed-size attributes, then (variable form, bytes of fixed-size
   * attributes after it) pairs. Empty for fixed-size DIEs.
   */
  planStart: Int32Array;
  skipPlan: Int32Array;
  /** Abbreviation index by code, -1 for codes the table does not have. */
  byCode: Int32Array;
  /**
   * Where a function DIE keeps the LAYOUT_ATTRS: the attributes split into
   * segments at each variable-size attribute (segment 0 starts at the first
   * attribute, segment s right after the s-th variable-size one; see
   * skipSegments), and for slot j, layout[layoutAt[i] + 4j ...] = form (-1:
   * absent), segment, byte offset in it, implicit constant. layoutAt[i] is -1
   * for other tags, and for a DIE to be read attribute by attribute (a slot
   * given as DW_FORM_indirect, or an implicit constant beyond 32 bits).
   */
  layoutAt: Int32Array;
  layout: Int32Array = new Int32Array(16 * 4 * LAYOUT_ATTRS);

  private readonly r: ByteReader;
  private pos: number;
  private done = false;
  /** Byte size of each form below 0x30 for this unit's offset and address sizes, VARIABLE when not fixed. */
  private readonly formSizes: Int32Array;

  /**
   * `limit`: where the table ends when tables do not overlap (the next table,
   * or the section's end): it sizes the arrays, which grow should it be wrong.
   */
  constructor(abbrev: Uint8Array, offset: number, limit: number, readonly offSize: number, readonly addrSize: number) {
    this.r = new ByteReader(abbrev);
    this.pos = offset;
    this.formSizes = formSizeTable(offSize, addrSize);
    const bytes = Math.max(0, Math.min(limit, abbrev.length) - offset);
    // An abbreviation takes at least 5 bytes (code, tag, children, 0, 0), a form at least 2.
    const n = Math.floor(bytes / 5) + 2;
    this.tag = new Int32Array(n);
    this.flags = new Uint8Array(n);
    this.fixedSize = new Int32Array(n);
    this.siblingAt = new Int32Array(n);
    this.siblingForm = new Int32Array(n);
    this.specPos = new Int32Array(n);
    this.layoutAt = new Int32Array(n);
    this.planStart = new Int32Array(n + 1);
    this.skipPlan = new Int32Array(Math.floor(bytes / 2) + 1);
    this.byCode = new Int32Array(n + 1).fill(-1);
  }

  /** Index of abbreviation `code` (the table is decoded on first use); -1 when the table has no such code. */
  find(code: number): number {
    if (!this.done) this.decodeAll();
    return code < this.byCode.length ? this.byCode[code] : -1;
  }

  /** Decodes the table. The arrays above are final once it returns. */
  decodeAll(): void {
    if (this.done) return;
    this.done = true;
    // One loop over the bytes, everything in locals: the position lives in q, the
    // reader only decodes the rare multi-byte numbers.
    const r = this.r;
    const b = r.buf;
    const formSizes = this.formSizes, offSize = this.offSize;
    let q = this.pos;
    let i = 0;
    let n = this.tag.length;
    let tags = this.tag, flags = this.flags, fixedSize = this.fixedSize, specPos = this.specPos, layoutAt = this.layoutAt;
    let layout = this.layout;
    let nLayout = 0; // end of layout
    let siblingAt = this.siblingAt, siblingForm = this.siblingForm, planStart = this.planStart;
    let plan = this.skipPlan;
    let planCap = plan.length;
    let byCode = this.byCode;
    let k = 0; // end of skipPlan
    while (q < b.length) {
      let code = b[q++];
      if (code >= 0x80) { r.pos = q - 1; code = r.uleb(); q = r.pos; }
      if (code === 0) break;
      if (i + 1 >= n) {
        this.grow();
        n = this.tag.length;
        ({ tag: tags, flags, fixedSize, specPos, siblingAt, siblingForm, planStart, layoutAt } = this);
      }
      let tag = b[q++];
      if (tag >= 0x80) { r.pos = q - 1; tag = r.uleb(); q = r.pos; }
      const children = b[q++] !== 0;
      specPos[i] = q;
      planStart[i] = k;
      const isFunction = tag === TAG_subprogram || tag === TAG_inlined_subroutine;
      let L = -1; // this function's layout
      let layoutOk = true;
      if (isFunction) {
        if (nLayout + 4 * LAYOUT_ATTRS > layout.length) layout = this.layout = growInt32(layout, 2 * layout.length);
        L = nLayout;
        nLayout += 4 * LAYOUT_ATTRS;
        for (let j = 0; j < LAYOUT_ATTRS; j++) layout[L + 4 * j] = -1;
      }
      let run = 0; // bytes of fixed-size attributes since the start or the last variable-size one
      let segment = 0; // variable-size attributes so far
      let variable = false;
      let sibAt = -1, sibForm = 0;
      let low = false, high = false, ranges = false, declaration = false;
      for (;;) {
        let at = b[q++];
        if (at >= 0x80) { r.pos = q - 1; at = r.uleb(); q = r.pos; }
        let form = b[q++];
        if (form >= 0x80) { r.pos = q - 1; form = r.uleb(); q = r.pos; }
        if ((at | form) === 0) break;
        let implicit = 0;
        if (form === FORM_implicit_const) { r.pos = q; implicit = r.sleb(); q = r.pos; }
        if (at === AT_sibling && !variable) { sibAt = run; sibForm = form; }
        if (isFunction) {
          const j = layoutSlot(at);
          if (j >= 0) {
            // The last occurrence counts, as when reading attributes in order.
            const o = L + 4 * j;
            layout[o] = form;
            layout[o + 1] = segment;
            layout[o + 2] = run;
            layout[o + 3] = implicit;
            if (j === L_LOW_PC) low = true;
            else if (j === L_HIGH_PC) high = true;
            else if (j === L_RANGES) ranges = true;
            // Indirect forms are only known per DIE; an implicit constant must fit the array.
            if (form === FORM_indirect || implicit !== (implicit | 0)) layoutOk = false;
          } else if (at === AT_declaration) {
            declaration = true;
          }
        }
        const size = form < 0x30 ? formSizes[form] : gnuFormSize(form, offSize);
        if (size >= 0) {
          run += size;
        } else {
          if (k + 3 > planCap) {
            plan = this.skipPlan = growInt32(plan, 2 * planCap);
            planCap = plan.length;
          }
          plan[k++] = run;
          plan[k++] = form;
          run = 0;
          segment++;
          variable = true;
        }
      }
      if (variable) plan[k++] = run;
      tags[i] = tag;
      fixedSize[i] = variable ? -1 : run;
      siblingAt[i] = sibAt;
      siblingForm[i] = sibForm;
      layoutAt[i] = layoutOk ? L : -1;
      const mayHaveCode = isFunction && ((low && high) || ranges);
      const noCodeBelow = children && (holdsNoCode(tag) || (tag === TAG_subprogram && declaration && !mayHaveCode));
      flags[i] = (children ? HAS_CHILDREN : 0) | (mayHaveCode ? MAY_HAVE_CODE : 0) | (noCodeBelow ? NO_CODE_BELOW_IN_C : 0);
      // Codes are unique in valid DWARF; should one repeat, its first definition is used.
      if (code >= byCode.length) {
        const bigger = new Int32Array(code + 1).fill(-1);
        bigger.set(byCode);
        byCode = this.byCode = bigger;
      }
      if (byCode[code] < 0) byCode[code] = i;
      i++;
    }
    planStart[i] = k;
    this.count = i;
    this.pos = q;
  }

  /**
   * Moves `r` from the first attribute of a DIE with abbreviation i to its end,
   * writing where each segment starts (see layout) into `segments`.
   */
  skipSegments(r: ByteReader, i: number, segments: number[]): void {
    segments[0] = r.pos;
    const fixed = this.fixedSize[i];
    if (fixed >= 0) {
      r.pos += fixed;
      return;
    }
    const plan = this.skipPlan;
    const e = this.planStart[i + 1];
    let k = this.planStart[i];
    let s = 1;
    r.pos += plan[k++];
    for (; k < e; k += 2) {
      skipForm(r, plan[k], this.offSize, this.addrSize);
      segments[s++] = r.pos;
      r.pos += plan[k + 1];
    }
  }

  private grow(): void {
    const n = 2 * this.tag.length;
    this.tag = growInt32(this.tag, n);
    this.fixedSize = growInt32(this.fixedSize, n);
    this.siblingAt = growInt32(this.siblingAt, n);
    this.siblingForm = growInt32(this.siblingForm, n);
    this.specPos = growInt32(this.specPos, n);
    this.layoutAt = growInt32(this.layoutAt, n);
    this.planStart = growInt32(this.planStart, n + 1);
    const flags = new Uint8Array(n);
    flags.set(this.flags);
    this.flags = flags;
  }

  /** Moves `r` past the attributes of a DIE with abbreviation `i`. */
  skipAttrs(r: ByteReader, i: number): void {
    const fixed = this.fixedSize[i];
    if (fixed >= 0) {
      r.pos += fixed;
      return;
    }
    const plan = this.skipPlan;
    const e = this.planStart[i + 1];
    let k = this.planStart[i];
    r.pos += plan[k++];
    for (; k < e; k += 2) {
      skipForm(r, plan[k], this.offSize, this.addrSize); // DW_FORM_indirect included
      r.pos += plan[k + 1];
    }
  }
}

function growInt32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

const formSizeTables = new Map<number, Int32Array>();

/** Sizes of the forms below 0x30, per (offset size, address size); built once per pair. */
function formSizeTable(offSize: number, addrSize: number): Int32Array {
  const key = offSize * 256 + addrSize;
  let t = formSizeTables.get(key);
  if (!t) {
    t = new Int32Array(0x30);
    for (let f = 0; f < 0x30; f++) {
      const size = fixedFormSize(f, offSize, addrSize);
      t[f] = size < 0 ? VARIABLE : size;
    }
    formSizeTables.set(key, t);
  }
  return t;
}

/** Size of a form at or above 0x30 (GNU extensions): VARIABLE unless fixed. */
function gnuFormSize(form: number, offSize: number): number {
  return form === 0x1f20 || form === 0x1f21 ? offSize : VARIABLE;
}

/** Size of a fixed-size form, or -1 when the size is in the data. */
function fixedFormSize(form: number, offSize: number, addrSize: number): number {
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
