// Naming frames from the `#` comment lines of Go's debug=1 profiles.
//
// runtime/pprof prints, under each stack, one line per frame:
//   #	0x4a6f32	main.allocate+0x52	/src/main.go:23
// where the PC is the return address minus one (the same address pprof's
// legacy parser gives the location) and inlined frames share their
// caller's PC, innermost first. go tool pprof ignores these lines and shows
// `<unknown>` without the binary; we use them so the text profile reads like
// its proto twin.
//
// printStackRecord hides two kinds of frames: runtime.* frames at the leaf
// end of a stack (gopark, chanrecv, ...; block and mutex profiles print
// them all) and runtime.goexit at the root. A PC with no `#` line is one of
// those; we drop it from the stack, which is what the proto writer does
// with goexit and with the leading runtime frames of heap stacks. So heap
// profiles read exactly like their proto twins; goroutine profiles keep
// their cumulative values but their flat values land on the innermost
// non-runtime function instead of runtime.gopark.

import type { RawFunction, RawLine, RawLocation, RawProfile } from './raw-profile.ts';

interface GoFrame {
  name: string;
  file: string;
  line: number;
  /** PC minus the printed offset: the entry of the physical function (inlined frames share it). */
  entry: bigint;
}

const FRAME_RE = /^#\s+0x([0-9a-f]+)\s+(\S+)\+0x([0-9a-f]+)\s+(.*):(\d+)\s*$/;
const BARE_PC_RE = /^#\s+0x([0-9a-f]+)\s*$/;

/** PC → frames (innermost first) from every `#\t0x…` line; empty when there are none. */
export function readGoFrames(lines: readonly string[]): Map<bigint, GoFrame[]> {
  const frames = new Map<bigint, GoFrame[]>();
  // A PC's frames are consecutive lines of one stack; a later stack through the same
  // PC prints the same frames again, so only the first run is kept.
  let runPc: bigint | null = null;
  for (const raw of lines) {
    if (raw.length === 0 || raw[0] !== '#') {
      runPc = null;
      continue;
    }
    const line = raw.trimEnd();
    const m = FRAME_RE.exec(line);
    if (m) {
      const pc = BigInt(`0x${m[1]}`);
      const frame = { name: m[2], file: m[4], line: Number(m[5]), entry: pc - BigInt(`0x${m[3]}`) };
      if (runPc === pc) {
        frames.get(pc)!.push(frame);
      } else if (!frames.has(pc)) {
        frames.set(pc, [frame]);
        runPc = pc;
      } else {
        runPc = null;
      }
      continue;
    }
    const b = BARE_PC_RE.exec(line);
    if (b) {
      const pc = BigInt(`0x${b[1]}`);
      if (!frames.has(pc)) frames.set(pc, []);
    }
    runPc = null;
  }
  return frames;
}

/**
 * Gives locations their lines from the `#` frames and drops the frames the
 * writer hid. Returns false (changing nothing) when the text has no frame
 * lines.
 */
export function applyGoFrames(p: RawProfile, frames: Map<bigint, GoFrame[]>): boolean {
  if (frames.size === 0) return false;
  const fns = new Map<string, RawFunction>();
  const fn = (name: string, file: string): RawFunction => {
    const key = `${name}\u0000${file}`;
    let f = fns.get(key);
    if (f === undefined) {
      f = { id: 0, name, systemName: name, filename: file, startLine: 0 };
      fns.set(key, f);
      p.functions.push(f);
    }
    return f;
  };
  for (const l of p.locations) {
    const fr = frames.get(l.address);
    if (fr !== undefined) l.lines = fr.map((f): RawLine => ({ fn: fn(f.name, f.file), line: f.line }));
  }
  for (const s of p.samples) {
    // A stack with no `#` lines at all (a truncated file) is left as it is.
    if (s.locations.some((l) => frames.has(l.address))) s.locations = s.locations.filter((l) => frames.has(l.address));
  }
  foldInlinedPcs(p, frames);
  return true;
}

/** The physical function entry of a location's frames, or null when unnamed. */
function entryOf(frames: Map<bigint, GoFrame[]>, address: bigint): bigint | null {
  const fr = frames.get(address);
  return fr !== undefined && fr.length > 0 ? fr[fr.length - 1].entry : null;
}

/**
 * Go 1.19's memory, block and mutex stacks record an inlined call as one
 * PC per logical frame, all inside the same physical function: the `#`
 * lines show `main.newBuffer+0x50` then `main.allocLarge+0x51`, offsets
 * from the same entry (allocLarge's). Consecutive frames from one entry
 * are one physical frame, unless it is a function calling itself (same
 * name). The proto writer folds such a run into one location with several
 * lines, innermost first, at the innermost PC; so do we, so `(inline)`
 * markers and `-addresses` agree with the proto twin.
 */
function foldInlinedPcs(p: RawProfile, frames: Map<bigint, GoFrame[]>): void {
  const folded = new Map<string, RawLocation>();
  for (const s of p.samples) {
    const out: RawLocation[] = [];
    const locs = s.locations;
    for (let i = 0; i < locs.length; ) {
      const entry = entryOf(frames, locs[i].address);
      let j = i + 1;
      // Same physical function, and not a recursive call of the same function.
      while (
        entry !== null &&
        j < locs.length &&
        entryOf(frames, locs[j].address) === entry &&
        locs[j].lines[0]?.fn.name !== locs[j - 1].lines[locs[j - 1].lines.length - 1]?.fn.name
      ) {
        j++;
      }
      if (j === i + 1) {
        out.push(locs[i]);
      } else {
        const run = locs.slice(i, j);
        const key = run.map((l) => l.address.toString(16)).join(',');
        let loc = folded.get(key);
        if (loc === undefined) {
          loc = { id: 0, address: run[0].address, mapping: null, lines: run.flatMap((l) => l.lines) };
          folded.set(key, loc);
          p.locations.push(loc);
        }
        out.push(loc);
      }
      i = j;
    }
    s.locations = out;
  }
}

/**
 * Marks mappings whose every location got a name as having functions, as
 * runtime/pprof's proto writer does (it sets no other symbol flag).
 */
export function markSymbolized(p: RawProfile): void {
  for (const m of p.mappings) {
    const locs = p.locations.filter((l) => l.mapping === m);
    if (locs.length > 0 && locs.every((l) => l.lines.length > 0)) m.hasFunctions = true;
  }
}
