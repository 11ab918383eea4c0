// DWARF .debug_line (versions 2–5): one unit's line program, run once into a
// sorted row table the first time an address of that unit is looked up.

import { ByteReader, cstringAt, upperIndex } from './bytes.ts';

export interface LineSections {
  line: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
}

export interface LineTable {
  /** Full path of file index i (as the unit numbers them; DWARF 5 is 0-based). */
  readonly files: readonly string[];
  /** Row lookup: [file, line, column] or null when pc is in no sequence. */
  lookup(pc: number): { file: string; line: number; column: number } | null;
}

function joinPath(dir: string, name: string): string {
  if (name.startsWith('/') || dir === '') return name;
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

/** Parses the line program at `offset`; compDir resolves relative directories. */
export function parseLineTable(sec: LineSections, offset: number, compDir: string, addrSizeHint: number): LineTable {
  const r = new ByteReader(sec.line, offset);
  let unitLength = r.u32();
  let offSize = 4;
  if (unitLength === 0xffffffff) {
    unitLength = r.u64();
    offSize = 8;
  }
  const end = r.pos + unitLength;
  const version = r.u16();
  let addrSize = addrSizeHint;
  if (version >= 5) {
    addrSize = r.u8();
    r.u8(); // segment selector size
  }
  const headerLength = r.uN(offSize);
  const progStart = r.pos + headerLength;
  const minInst = r.u8();
  if (version >= 4) r.u8(); // max ops per instruction (VLIW only)
  r.u8(); // default_is_stmt: every row counts for symbolization
  const lineBase = r.i8();
  const lineRange = r.u8();
  const opcodeBase = r.u8();
  const stdLens: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) stdLens.push(r.u8());

  const dirs: string[] = [];
  const files: string[] = [];
  const formString = (form: number): string => {
    switch (form) {
      case 0x08: return r.cstr();
      case 0x0e: return sec.str ? cstringAt(sec.str, r.uN(offSize)) : (r.uN(offSize), '');
      case 0x1f: return sec.lineStr ? cstringAt(sec.lineStr, r.uN(offSize)) : (r.uN(offSize), '');
      default: skipForm(r, form, offSize, addrSize); return '';
    }
  };
  const formNumber = (form: number): number => {
    switch (form) {
      case 0x0b: return r.u8();
      case 0x05: return r.u16();
      case 0x06: return r.u32();
      case 0x07: return r.u64();
      case 0x0f: return r.uleb();
      default: skipForm(r, form, offSize, addrSize); return 0;
    }
  };
  if (version >= 5) {
    const readEntries = (out: (path: string, dir: number) => void) => {
      const nfmt = r.u8();
      const fmts: [number, number][] = [];
      for (let i = 0; i < nfmt; i++) fmts.push([r.uleb(), r.uleb()]);
      const count = r.uleb();
      for (let i = 0; i < count; i++) {
        let path = '';
        let dir = 0;
        for (const [ct, form] of fmts) {
          if (ct === DW_LNCT_path) path = formString(form);
          else if (ct === DW_LNCT_directory_index) dir = formNumber(form);
          else skipForm(r, form, offSize, addrSize);
        }
        out(path, dir);
      }
    };
    readEntries((p) => dirs.push(p));
    if (dirs.length && !dirs[0].startsWith('/')) dirs[0] = joinPath(compDir, dirs[0]);
    for (let i = 1; i < dirs.length; i++) if (!dirs[i].startsWith('/')) dirs[i] = joinPath(dirs[0], dirs[i]);
    readEntries((p, d) => files.push(joinPath(dirs[d] ?? '', p)));
  } else {
    dirs.push(compDir);
    for (;;) {
      const d = r.cstr();
      if (d === '') break;
      dirs.push(d.startsWith('/') ? d : joinPath(compDir, d));
    }
    files.push(''); // file numbers start at 1
    for (;;) {
      const name = r.cstr();
      if (name === '') break;
      const d = r.uleb();
      r.uleb();
      r.uleb();
      files.push(joinPath(dirs[d] ?? '', name));
    }
  }

  // Run the program into flat typed arrays; a sequence is a run of rows ended by an end row
  // (file -1). Sequences are then ordered by start address through an index.
  r.pos = progStart;
  let cap = 1024;
  let A = new Float64Array(cap), F = new Int32Array(cap), L = new Uint32Array(cap), C = new Uint32Array(cap);
  let n = 0;
  const seqStart: number[] = [];
  const seqEnd: number[] = []; // exclusive, includes the end row
  let curStart = 0;
  let addr = 0, file = 1, line = 1, col = 0;
  const push = (f: number) => {
    if (n === cap) {
      cap *= 2;
      const A2 = new Float64Array(cap); A2.set(A); A = A2;
      const F2 = new Int32Array(cap); F2.set(F); F = F2;
      const L2 = new Uint32Array(cap); L2.set(L); L = L2;
      const C2 = new Uint32Array(cap); C2.set(C); C = C2;
    }
    A[n] = addr; F[n] = f; L[n] = line; C[n] = col; n++;
  };
  while (r.pos < end) {
    const op = r.buf[r.pos++];
    if (op >= opcodeBase) {
      const adj = op - opcodeBase;
      addr += minInst * Math.floor(adj / lineRange);
      line += lineBase + (adj % lineRange);
      push(file);
      continue;
    }
    switch (op) {
      case 0: {
        const len = r.uleb();
        const next = r.pos + len;
        const sub = r.u8();
        if (sub === 1) {
          push(-1);
          // Sequences of discarded (garbage-collected) functions start at 0; they would shadow real code.
          if (n - curStart > 1 && A[curStart] !== 0) { seqStart.push(curStart); seqEnd.push(n); } else n = curStart;
          curStart = n;
          addr = 0; file = 1; line = 1; col = 0;
        } else if (sub === 2) {
          addr = r.uN(len - 1);
        }
        r.pos = next;
        break;
      }
      case 1: push(file); break;
      case 2: addr += r.uleb() * minInst; break;
      case 3: line += r.sleb(); break;
      case 4: file = r.uleb(); break;
      case 5: col = r.uleb(); break;
      case 8: addr += minInst * Math.floor((255 - opcodeBase) / lineRange); break;
      case 9: addr += r.u16(); break;
      case 6: case 7: case 10: case 11: break;
      default:
        for (let i = 0; i < stdLens[op]; i++) r.uleb();
    }
  }
  n = curStart; // drop an unterminated trailing sequence
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
  return {
    files,
    lookup(pc: number) {
      const i = upperIndex(n, pc, (j) => A[j]);
      if (i < 0 || F[i] < 0) return null;
      return { file: files[F[i]] ?? '', line: L[i], column: C[i] };
    },
  };
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
    case 0x08: { const e = r.buf.indexOf(0, r.pos); r.pos = e < 0 ? r.buf.length : e + 1; break; }
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
