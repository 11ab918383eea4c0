// DWARF .debug_line (versions 2–5): one unit's line program, run once into a
// sorted row table the first time an address of that unit is looked up.
// File and directory names are kept as offsets and turned into strings only
// for the rows and call sites that are asked for.

import { ByteReader, cstringAt } from './bytes.ts';

export interface LineSections {
  line: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
}

function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

const DW_LNS_copy = 1;
const DW_LNS_set_column = 5;
const DW_LNS_negate_stmt = 6;

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

// Where a name in the header is: nowhere (''), inline in .debug_line, or in a string section.
const NAME_none = 0;
const NAME_inline = 1;
const NAME_str = 2;
const NAME_line_str = 3;
/** Directory 0 of a DWARF 2–4 table: the unit's compilation directory. */
const NAME_comp_dir = 4;

export class LineTable {
  private readonly fileCache: (string | undefined)[] = [];
  private readonly dirCache: (string | undefined)[] = [];
  /** The rows, sequences in address order: built by materialize() on the first lookup. */
  private addr: Float64Array | null = null;
  private fileOf: Int32Array = EMPTY_I32;
  private lineOf: Uint32Array = EMPTY_U32;
  private columnOf: Uint32Array = EMPTY_U32;
  private rows = 0;

  constructor(
    private readonly sec: LineSections,
    private readonly version: number,
    private readonly compDir: string,
    /** Per directory and per file: where its name is (NAME_*) and the offset there. */
    private readonly dirKind: number[],
    private readonly dirOff: number[],
    private readonly fileKind: number[],
    private readonly fileOff: number[],
    private readonly fileDir: number[],
    private readonly program: Program,
  ) {}

  /** Runs the line program into the row table (once). */
  materialize(): void {
    if (this.addr) return;
    const rows = runProgram(this.program);
    let { addr: A, file: F, line: L, column: C } = rows;
    const { n, seqStart, seqEnd } = rows;
    let sorted = true;
    for (let i = 1; i < seqStart.length; i++) if (A[seqStart[i]] < A[seqStart[i - 1]]) { sorted = false; break; }
    if (!sorted) {
      const order = seqStart.map((_, i) => i).sort((x, y) => A[seqStart[x]] - A[seqStart[y]]);
      const A2 = new Float64Array(n), F2 = new Int32Array(n), L2 = new Uint32Array(n), C2 = new Uint32Array(n);
      let k = 0;
      for (const i of order) {
        const s0 = seqStart[i], s1 = seqEnd[i];
        A2.set(A.subarray(s0, s1), k); F2.set(F.subarray(s0, s1), k); L2.set(L.subarray(s0, s1), k); C2.set(C.subarray(s0, s1), k);
        k += s1 - s0;
      }
      A = A2; F = F2; L = L2; C = C2;
    }
    this.addr = A;
    this.fileOf = F;
    this.lineOf = L;
    this.columnOf = C;
    this.rows = n;
  }

  /** Row covering pc (the last row at or below it), or -1 when pc is in no sequence. */
  find(pc: number): number {
    this.materialize();
    const a = this.addr!;
    let lo = 0, hi = this.rows;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid] <= pc) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    return i < 0 || this.fileOf[i] < 0 ? -1 : i;
  }

  /** File index of row i (see file()). */
  rowFileIndex(i: number): number {
    return this.fileOf[i];
  }

  rowLine(i: number): number {
    return this.lineOf[i];
  }

  rowColumn(i: number): number {
    return this.columnOf[i];
  }

  /** Full path of file index i as the unit numbers them (DWARF 5 from 0, earlier from 1); '' when unknown. */
  file(i: number): string {
    if (!(i >= 0 && i < this.fileKind.length)) return '';
    let s = this.fileCache[i];
    if (s === undefined) {
      const d = this.fileDir[i];
      s = joinPath(d >= 0 && d < this.dirKind.length ? this.dir(d) : '', this.name(this.fileKind[i], this.fileOff[i]));
      this.fileCache[i] = s;
    }
    return s;
  }

  /** Directory i: relative ones resolved against the compilation directory (DWARF 5: against directory 0). */
  private dir(i: number): string {
    let s = this.dirCache[i];
    if (s === undefined) {
      s = this.name(this.dirKind[i], this.dirOff[i]);
      if (this.version >= 5) {
        if (!s.startsWith('/')) s = joinPath(i === 0 ? this.compDir : this.dir(0), s);
      } else if (i > 0 && !s.startsWith('/')) {
        s = joinPath(this.compDir, s);
      }
      this.dirCache[i] = s;
    }
    return s;
  }

  private name(kind: number, off: number): string {
    switch (kind) {
      case NAME_inline: return cstringAt(this.sec.line, off);
      case NAME_str: return this.sec.str ? cstringAt(this.sec.str, off) : '';
      case NAME_line_str: return this.sec.lineStr ? cstringAt(this.sec.lineStr, off) : '';
      case NAME_comp_dir: return this.compDir;
      default: return '';
    }
  }
}

/** Parses the line program at `offset`; compDir resolves relative directories. */
export function parseLineTable(sec: LineSections, offset: number, compDir: string, addrSizeHint: number): LineTable {
  const r = new ByteReader(sec.line, offset);
  let unitLength = r.u32();
  let offSize = 4;
  if (unitLength === 0xffffffff) {
    unitLength = readU64(r);
    offSize = 8;
  }
  const end = r.pos + unitLength;
  const version = r.u16();
  let addrSize = addrSizeHint;
  if (version >= 5) {
    addrSize = r.u8();
    r.u8(); // segment selector size
  }
  const headerLength = readUN(r, offSize);
  const progStart = r.pos + headerLength;
  const minInst = r.u8();
  if (version >= 4) r.u8(); // max ops per instruction (VLIW only)
  r.u8(); // default_is_stmt: every row counts for symbolization
  const lineBase = r.i8();
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  const stdLens: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) stdLens.push(r.u8());

  const dirKind: number[] = [], dirOff: number[] = [];
  const fileKind: number[] = [], fileOff: number[] = [], fileDir: number[] = [];
  if (version >= 5) {
    for (let table = 0; table < 2; table++) {
      const isFiles = table === 1;
      const nfmt = r.u8();
      const fmt: number[] = []; // content type, form pairs
      for (let i = 0; i < nfmt; i++) fmt.push(r.uleb(), r.uleb());
      const count = r.uleb();
      for (let i = 0; i < count; i++) {
        let kind = NAME_none, off = 0, dir = 0;
        for (let k = 0; k < fmt.length; k += 2) {
          const ct = fmt[k], form = fmt[k + 1];
          if (ct === DW_LNCT_path) {
            // The last path attribute counts; a form we cannot read gives ''.
            kind = NAME_none;
            off = 0;
            switch (form) {
              case 0x08: kind = NAME_inline; off = r.pos; r.pos = skipCString(r.buf, r.pos); break;
              case 0x0e: kind = NAME_str; off = readUN(r, offSize); break;
              case 0x1f: kind = NAME_line_str; off = readUN(r, offSize); break;
              default: skipForm(r, form, offSize, addrSize);
            }
          } else if (ct === DW_LNCT_directory_index) {
            switch (form) {
              case 0x0b: dir = r.u8(); break;
              case 0x05: dir = r.u16(); break;
              case 0x06: dir = r.u32(); break;
              case 0x07: dir = readU64(r); break;
              case 0x0f: dir = r.uleb(); break;
              default: skipForm(r, form, offSize, addrSize); dir = 0;
            }
          } else {
            skipForm(r, form, offSize, addrSize);
          }
        }
        if (isFiles) { fileKind.push(kind); fileOff.push(off); fileDir.push(dir); }
        else { dirKind.push(kind); dirOff.push(off); }
      }
    }
  } else {
    dirKind.push(NAME_comp_dir);
    dirOff.push(0);
    while (r.buf[r.pos] !== 0 && r.pos < r.buf.length) {
      dirKind.push(NAME_inline);
      dirOff.push(r.pos);
      r.pos = skipCString(r.buf, r.pos);
    }
    r.pos++;
    // File numbers start at 1; entry 0 is ''.
    fileKind.push(NAME_none); fileOff.push(0); fileDir.push(-1);
    while (r.buf[r.pos] !== 0 && r.pos < r.buf.length) {
      fileKind.push(NAME_inline);
      fileOff.push(r.pos);
      r.pos = skipCString(r.buf, r.pos);
      fileDir.push(r.uleb());
      r.uleb(); // modification time
      r.uleb(); // length
    }
  }

  const program: Program = { r, start: progStart, end, minInst, opcodeBase, stdLens, special: specialOpcodes(minInst, lineBase, lineRange, opcodeBase) };
  return new LineTable(sec, version, compDir, dirKind, dirOff, fileKind, fileOff, fileDir, program);
}

/** A unit's line program and the header fields that running it needs. */
interface Program {
  r: ByteReader;
  start: number;
  end: number;
  minInst: number;
  opcodeBase: number;
  stdLens: number[];
  special: { addr: Int32Array; line: Int32Array };
}

const EMPTY_I32 = new Int32Array(0);
const EMPTY_U32 = new Uint32Array(0);

/** A line program's rows (file -1: the end row of a sequence), sequences in program order. */
interface Rows {
  addr: Float64Array;
  file: Int32Array;
  line: Uint32Array;
  column: Uint32Array;
  n: number;
  seqStart: number[];
  seqEnd: number[]; // exclusive, includes the end row
}

/**
 * Runs a line program into flat typed arrays. Kept apart from the header
 * parsing: this loop is the hot part, and V8 optimizes a small function
 * much sooner than a large one.
 */
function runProgram(prog: Program): Rows {
  const { r, start, end, minInst, opcodeBase, stdLens, special } = prog;
  const buf = r.buf;
  // A row takes at least one byte of program: half the program's size rarely needs to grow.
  let cap = Math.max(64, (Math.min(end, buf.length) - start) >> 1);
  let A: Float64Array = new Float64Array(cap), F: Int32Array = new Int32Array(cap);
  let L: Uint32Array = new Uint32Array(cap), C: Uint32Array = new Uint32Array(cap);
  let n = 0;
  const seqStart: number[] = [];
  const seqEnd: number[] = [];
  let curStart = 0;
  let addr = 0, file = 1, line = 1, col = 0;
  const addrStep = special.addr, lineStep = special.line;
  let p = start;
  while (p < end) {
    const op = buf[p++];
    if (op >= opcodeBase) {
      // Special opcode (most rows): advance address and line, append a row.
      addr += addrStep[op];
      line += lineStep[op];
    } else {
      // The frequent opcodes are decoded with the local position; the reader takes the rest.
      switch (op) {
        case DW_LNS_copy:
          break; // append a row
        case DW_LNS_set_column:
          col = buf[p++];
          if (col >= 0x80) { r.pos = p - 1; col = r.uleb(); p = r.pos; }
          continue;
        case DW_LNS_negate_stmt:
          continue; // every row counts, statement or not
        case 0: {
          r.pos = p;
          const len = r.uleb();
          const next = r.pos + len;
          const sub = r.u8();
          p = next;
          if (sub === 2) addr = readUN(r, len - 1);
          if (sub !== 1) continue;
          // End of sequence: its end row (file -1), then the next sequence starts afresh.
          if (n === cap) {
            cap *= 2;
            A = growF64(A, cap); F = growI32(F, cap); L = growU32(L, cap); C = growU32(C, cap);
          }
          A[n] = addr; F[n] = -1; L[n] = line; C[n] = col; n++;
          // Sequences of discarded (garbage-collected) functions start at 0; they would shadow real code.
          if (n - curStart > 1 && A[curStart] !== 0) { seqStart.push(curStart); seqEnd.push(n); } else n = curStart;
          curStart = n;
          addr = 0; file = 1; line = 1; col = 0;
          continue;
        }
        case 2: r.pos = p; addr += r.uleb() * minInst; p = r.pos; continue;
        case 3: {
          // Advance line: a signed LEB128, nearly always one byte.
          const b = buf[p];
          if (b < 0x80) { line += b < 0x40 ? b : b - 0x80; p++; }
          else { r.pos = p; line += r.sleb(); p = r.pos; }
          continue;
        }
        case 4: r.pos = p; file = r.uleb(); p = r.pos; continue;
        case 8: addr += addrStep[255]; continue;
        case 9: r.pos = p; addr += r.u16(); p = r.pos; continue;
        case 7: case 10: case 11: continue;
        default:
          r.pos = p;
          for (let i = 0; i < stdLens[op]; i++) r.uleb();
          p = r.pos;
          continue;
      }
    }
    if (n === cap) {
      cap *= 2;
      A = growF64(A, cap); F = growI32(F, cap); L = growU32(L, cap); C = growU32(C, cap);
    }
    A[n] = addr; F[n] = file; L[n] = line; C[n] = col; n++;
  }
  // An unterminated trailing sequence is dropped.
  return { addr: A, file: F, line: L, column: C, n: curStart, seqStart, seqEnd };
}

const specialCache = new Map<number, { addr: Int32Array; line: Int32Array }>();

/**
 * Address and line advance of each special opcode (and, at 255, DW_LNS_const_add_pc's
 * address advance), computed once per set of header parameters: every unit
 * of a compiler's output shares one set. Int32Array, not Float64Array: the
 * interpreter reads small integers from it without allocating.
 */
function specialOpcodes(minInst: number, lineBase: number, lineRange: number, opcodeBase: number): { addr: Int32Array; line: Int32Array } {
  if (lineRange === 0) throw new RangeError('line_range 0');
  const key = ((minInst * 256 + (lineBase & 0xff)) * 256 + lineRange) * 256 + opcodeBase;
  let t = specialCache.get(key);
  if (!t) {
    t = { addr: new Int32Array(256), line: new Int32Array(256) };
    for (let op = opcodeBase; op < 256; op++) {
      const adj = op - opcodeBase;
      t.addr[op] = minInst * Math.floor(adj / lineRange);
      t.line[op] = lineBase + (adj % lineRange);
    }
    specialCache.set(key, t);
  }
  return t;
}

function growF64(a: Float64Array, n: number): Float64Array {
  const b = new Float64Array(n);
  b.set(a);
  return b;
}

function growI32(a: Int32Array, n: number): Int32Array {
  const b = new Int32Array(n);
  b.set(a);
  return b;
}

function growU32(a: Uint32Array, n: number): Uint32Array {
  const b = new Uint32Array(n);
  b.set(a);
  return b;
}

// The typed array's own indexOf: a Buffer's goes through a JavaScript wrapper and a
// native call that cost far more than the short strings it searches.
const indexOfByte = Uint8Array.prototype.indexOf;

/** Position just past the NUL ending the string at `p`. */
function skipCString(buf: Uint8Array, p: number): number {
  const e = indexOfByte.call(buf, 0, p);
  return e < 0 ? buf.length : e + 1;
}

/**
 * Unsigned little-endian value of `size` bytes (1, 2, 4, 8), as ByteReader.uN.
 * An 8-byte value below 2^32 comes back as the 4-byte read's small integer:
 * u64's arithmetic would give a heap number, and heap numbers cost an
 * allocation at each use while the code runs unoptimized (addresses go into
 * every row and range).
 */
export function readUN(r: ByteReader, size: number): number {
  return size === 8 ? readU64(r) : r.uN(size);
}

export function readU64(r: ByteReader): number {
  const p = r.pos;
  const lo = r.view.getUint32(p, true), hi = r.view.getUint32(p + 4, true);
  r.pos = p + 8;
  return hi === 0 ? lo : hi * 4294967296 + lo;
}

/** Skips one attribute value of `form` (also used by .debug_info). */
export function skipForm(r: ByteReader, form: number, offSize: number, addrSize: number): void {
  switch (form) {
    case 0x01: r.pos += addrSize; break;
    case 0x03: { const n = r.u16(); r.pos += n; break; }
    case 0x04: { const n = r.u32(); r.pos += n; break; }
    case 0x05: r.pos += 2; break;
    case 0x06: r.pos += 4; break;
    case 0x07: r.pos += 8; break;
    case 0x08: r.pos = skipCString(r.buf, r.pos); break;
    case 0x09: case 0x18: { const n = r.uleb(); r.pos += n; break; }
    case 0x0a: { const n = r.u8(); r.pos += n; break; }
    case 0x0b: case 0x0c: case 0x11: case 0x25: case 0x29: r.pos += 1; break;
    case 0x0d: r.sleb(); break;
    case 0x0f: case 0x15: case 0x1a: case 0x1b: case 0x22: case 0x23: case 0x1f01: case 0x1f02: r.uleb(); break;
    case 0x0e: case 0x10: case 0x17: case 0x1d: case 0x1f: case 0x1f20: case 0x1f21: r.pos += offSize; break;
    case 0x12: case 0x26: case 0x2a: r.pos += 2; break;
    case 0x27: case 0x2b: r.pos += 3; break;
    case 0x13: case 0x1c: case 0x28: case 0x2c: r.pos += 4; break;
    case 0x14: case 0x20: case 0x24: r.pos += 8; break;
    case 0x1e: r.pos += 16; break;
    case 0x19: case 0x21: break;
    case 0x16: skipForm(r, r.uleb(), offSize, addrSize); break;
    default: throw new RangeError(`unknown DWARF form 0x${form.toString(16)}`);
  }
}
