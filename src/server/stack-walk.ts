// Turns a profile's samples into root-first stacks of frame keys, with the
// UI's filters applied (focus/ignore/hide/show, tag filters, granularity).
//
// Frame keys are interned strings shared by every profile walked with the
// same FrameTable, so a diff can line up the target and the base by name.
// The key of each location line is computed once; per sample only integer
// arrays are touched.

import type { Profile } from '../profile/model.ts';
import { UsageError } from '../profile/errors.ts';

export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

export interface WalkFilters {
  focus: RegExp | null;
  ignore: RegExp | null;
  hide: RegExp | null;
  show: RegExp | null;
  tagFocus: TagMatcher | null;
  tagIgnore: TagMatcher | null;
  granularity: Granularity;
}

export interface TagMatcher {
  key: string | null;
  re: RegExp;
  /** pprof's numeric form `key=lo:hi` (either end optional, units like kb/ms): matches numeric labels in range. */
  range: { lo: number; hi: number } | null;
}

const SCALE: Record<string, number> = {
  '': 1, b: 1, byte: 1, bytes: 1, kb: 1024, kib: 1024, mb: 1024 ** 2, mib: 1024 ** 2, gb: 1024 ** 3, gib: 1024 ** 3, tb: 1024 ** 4,
  ns: 1, nanoseconds: 1, us: 1e3, ms: 1e6, s: 1e9, sec: 1e9, m: 60e9, min: 60e9, h: 3600e9,
};

function parseAmount(x: string): number | null {
  const m = /^(-?\d+(?:\.\d+)?)([a-z]*)$/i.exec(x.trim());
  if (!m) return null;
  const scale = SCALE[m[2].toLowerCase()];
  return scale === undefined ? null : Number(m[1]) * scale;
}

/** `32kb`, `:64kb`, `1mb:`, `1kb:4kb` → inclusive range; null when not numeric. */
function parseRange(v: string): { lo: number; hi: number } | null {
  const c = v.indexOf(':');
  if (c < 0) {
    const x = parseAmount(v);
    return x === null ? null : { lo: x, hi: x };
  }
  const a = v.slice(0, c);
  const b = v.slice(c + 1);
  const lo = a === '' ? -Infinity : parseAmount(a);
  const hi = b === '' ? Infinity : parseAmount(b);
  return lo === null || hi === null || (a === '' && b === '') ? null : { lo, hi };
}

export const noFilters: WalkFilters = {
  focus: null,
  ignore: null,
  hide: null,
  show: null,
  tagFocus: null,
  tagIgnore: null,
  granularity: 'functions',
};

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

/** Compiles a user regex; a bad one is a UsageError the API reports as 400. */
export function compileRegex(src: string | undefined | null, what: string): RegExp | null {
  if (!src) return null;
  try {
    return new RegExp(src);
  } catch (err) {
    throw new UsageError(`${what}: bad regular expression: ${(err as Error).message}`);
  }
}

export function compileTag(src: string | undefined | null, what: string): TagMatcher | null {
  if (!src) return null;
  const eq = src.indexOf('=');
  if (eq > 0 && /^[\w.-]+$/.test(src.slice(0, eq))) {
    const v = src.slice(eq + 1);
    const range = /\d/.test(v) ? parseRange(v) : null;
    let re: RegExp;
    try {
      re = compileRegex(v, what) ?? /.*/;
    } catch (err) {
      if (!range) throw err;
      re = /$^/;
    }
    // String labels still match by regex (`shard=1`); numeric ones by range.
    return { key: src.slice(0, eq), re: range ? new RegExp(`^(?:${re.source})$`) : re, range };
  }
  return { key: null, re: compileRegex(src, what)!, range: null };
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

function labelSetMatches(p: Profile, set: number, m: TagMatcher): boolean {
  const ls = p.labelSets[set];
  for (const [k, v] of ls.str) if ((m.key === null || m.key === k) && m.re.test(v)) return true;
  for (const n of ls.num) {
    if (m.key !== null && m.key !== n.key) continue;
    if (m.range ? n.value >= m.range.lo && n.value <= m.range.hi : m.re.test(String(n.value))) return true;
  }
  return false;
}

/**
 * Calls `visit(stack, depth, sampleIndex)` for every sample that passes the
 * filters, with `stack[0..depth-1]` its frame keys root first. The buffer is
 * reused between calls.
 */
export function walkStacks(
  p: Profile,
  table: FrameTable,
  f: WalkFilters,
  visit: (stack: Int32Array, depth: number, sample: number) => void,
): void {
  const lk = locationKeys(p, table, f.granularity);
  // Per key flags, grown as the table grows (it is shared with other profiles).
  const nKeys = table.names.length;
  const flags = new Uint8Array(nKeys); // 1 focus, 2 ignore, 4 hidden
  const FOCUS = 1;
  const IGNORE = 2;
  const HIDDEN = 4;
  if (f.focus || f.ignore || f.hide || f.show) {
    for (let k = 0; k < nKeys; k++) {
      const n = table.names[k];
      let v = 0;
      if (f.focus?.test(n)) v |= FOCUS;
      if (f.ignore?.test(n)) v |= IGNORE;
      if (f.hide?.test(n)) v |= HIDDEN;
      if (f.show && !f.show.test(n)) v |= HIDDEN;
      flags[k] = v;
    }
  }
  const tagCache = new Map<number, boolean>();
  const S = p.samples;
  let buf = new Int32Array(256);
  for (let s = 0; s < S.length; s++) {
    if (f.tagFocus || f.tagIgnore) {
      const set = S.labelSet[s];
      let ok = tagCache.get(set);
      if (ok === undefined) {
        ok = (!f.tagFocus || labelSetMatches(p, set, f.tagFocus)) && (!f.tagIgnore || !labelSetMatches(p, set, f.tagIgnore));
        tagCache.set(set, ok);
      }
      if (!ok) continue;
    }
    const a = S.stackStart[s];
    const b = S.stackStart[s + 1];
    let depth = 0;
    let sawFocus = f.focus === null;
    let sawIgnore = false;
    // Stack is leaf first: walk it backwards to go root first.
    for (let i = b - 1; i >= a; i--) {
      const loc = S.stack[i];
      for (let j = lk.start[loc]; j < lk.start[loc + 1]; j++) {
        const key = lk.keys[j];
        const fl = flags[key];
        if (fl & FOCUS) sawFocus = true;
        if (fl & IGNORE) sawIgnore = true;
        if (fl & HIDDEN) continue;
        if (depth === buf.length) {
          const nb = new Int32Array(buf.length * 2);
          nb.set(buf);
          buf = nb;
        }
        buf[depth++] = key;
      }
    }
    if (!sawFocus || sawIgnore) continue;
    visit(buf, depth, s);
  }
}
