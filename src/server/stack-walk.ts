// Turns a profile's samples into root-first stacks of frame keys at the
// view's granularity. Filtering happens before, on the profile, with the
// same code as the report driver (src/profile/focus.ts).
//
// Frame keys are interned strings shared by every profile walked with the
// same FrameTable, so a diff can line up the target and the base by name.
// The key of each location line is computed once; per sample only integer
// arrays are touched.

import type { Profile } from '../profile/model.ts';

export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

/** How samples are walked; the filters are applied to the profile before (src/profile/focus.ts). */
export interface WalkFilters {
  granularity: Granularity;
}

export const noFilters: WalkFilters = { granularity: 'functions' };

/** Interned frame names; one per diff/view so two profiles share key ids. */
export class FrameTable {
  readonly names: string[] = [];
  private readonly ids = new Map<string, number>();
  lookup(name: string): number {
    return this.ids.get(name) ?? -1;
  }
  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }
}

function shortFile(f: string): string {
  return f;
}

function lineKeyName(p: Profile, line: number, loc: number, g: Granularity): string {
  const fn = p.locations.lineFunction[line];
  const name = p.functions.name[fn] || '?';
  const file = shortFile(p.functions.filename[fn]);
  switch (g) {
    case 'functions':
      return name;
    case 'filefunctions':
      return file ? `${name} ${file}` : name;
    case 'files':
      return file || name;
    case 'lines':
      return `${name} ${file}:${p.locations.lineNumber[line]}`;
    case 'addresses':
      return `0x${p.locations.address[loc].toString(16)} ${name} ${file}:${p.locations.lineNumber[line]}`;
  }
}

/** Per location: the frame keys of its lines, outermost (caller) first. */
interface LocationKeys {
  start: Uint32Array;
  keys: Int32Array;
}

function locationKeys(p: Profile, table: FrameTable, g: Granularity): LocationKeys {
  const L = p.locations;
  const start = new Uint32Array(L.length + 1);
  const keys: number[] = [];
  for (let loc = 0; loc < L.length; loc++) {
    start[loc] = keys.length;
    const a = L.lineStart[loc];
    const b = L.lineStart[loc + 1];
    if (a === b) {
      keys.push(table.intern(`0x${L.address[loc].toString(16)}`));
      continue;
    }
    // Lines are innermost first; stacks here are built root first.
    for (let l = b - 1; l >= a; l--) keys.push(table.intern(lineKeyName(p, l, loc, g)));
  }
  start[L.length] = keys.length;
  return { start, keys: Int32Array.from(keys) };
}

/**
 * Calls `visit(stack, depth, sampleIndex)` for every sample that passes the
 * (already filtered) profile, with `stack[0..depth-1]` its frame keys root first. The buffer is
 * reused between calls.
 */
export function walkStacks(
  p: Profile,
  table: FrameTable,
  f: WalkFilters,
  visit: (stack: Int32Array, depth: number, sample: number) => void,
): void {
  const lk = locationKeys(p, table, f.granularity);
  const S = p.samples;
  let buf = new Int32Array(256);
  for (let s = 0; s < S.length; s++) {
    const a = S.stackStart[s];
    const b = S.stackStart[s + 1];
    let depth = 0;
    // Stack is leaf first: walk it backwards to go root first.
    for (let i = b - 1; i >= a; i--) {
      const loc = S.stack[i];
      for (let j = lk.start[loc]; j < lk.start[loc + 1]; j++) {
        if (depth === buf.length) {
          const nb = new Int32Array(buf.length * 2);
          nb.set(buf);
          buf = nb;
        }
        buf[depth++] = lk.keys[j];
      }
    }
    visit(buf, depth, s);
  }
}
