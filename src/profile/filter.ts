// pprof's name filters (-focus, -ignore, -hide, -show, -show_from) on the
// columnar model: profile.FilterSamplesByName and Profile.ShowFrom. A frame
// matches when its function name or file name matches, or the file of its
// mapping does. Filters return new Profiles; untouched tables are shared.

import { UsageError } from './errors.ts';
import type { LocationTable, Profile } from './model.ts';

/**
 * Compiles a Go (RE2) regexp as pprof's compileRegexOption does. The
 * common RE2 syntax is JS syntax; leading `(?i)`/`(?s)` flag groups are
 * translated. Bad syntax is a usage error.
 */
export function compileGoRegexp(option: string, source: string): RegExp {
  let flags = '';
  let body = source;
  const m = /^\(\?([imsU]+)\)/.exec(body);
  if (m) {
    body = body.slice(m[0].length);
    if (m[1].includes('i')) flags += 'i';
    if (m[1].includes('m')) flags += 'm';
    if (m[1].includes('s')) flags += 's';
  }
  body = body.replace(/\\z/g, '$');
  try {
    return new RegExp(body, flags);
  } catch (err) {
    throw new UsageError(`parsing ${option} regexp: ${(err as Error).message}`);
  }
}

/** Lines kept per location: `null` = unchanged, else the kept line indices (global). */
export type LineEdits = Array<number[] | null>;

/** Applies per-location line edits, returning a new location table (or the old one). */
export function editLocationLines(L: LocationTable, edits: LineEdits): LocationTable {
  if (!edits.some((e) => e !== null)) return L;
  const lineStart = new Uint32Array(L.length + 1);
  let total = 0;
  for (let i = 0; i < L.length; i++) {
    const e = edits[i];
    total += e ? e.length : L.lineStart[i + 1] - L.lineStart[i];
  }
  const fn = new Uint32Array(total);
  const num = new Float64Array(total);
  const col = new Float64Array(total);
  let k = 0;
  for (let i = 0; i < L.length; i++) {
    lineStart[i] = k;
    const e = edits[i];
    if (e) {
      for (const j of e) { fn[k] = L.lineFunction[j]; num[k] = L.lineNumber[j]; col[k] = L.lineColumn[j]; k++; }
    } else {
      for (let j = L.lineStart[i]; j < L.lineStart[i + 1]; j++) { fn[k] = L.lineFunction[j]; num[k] = L.lineNumber[j]; col[k] = L.lineColumn[j]; k++; }
    }
  }
  lineStart[L.length] = k;
  return { ...L, lineStart, lineFunction: fn, lineNumber: num, lineColumn: col };
}

/**
 * Rebuilds the sample table. `stackOf(s)` returns the kept stack of sample s
 * as a [from, to) range of its original stack, a list of locations, or null
 * to drop the sample. Values and label sets are carried over.
 */
export function rebuildSamples(
  p: Profile,
  stackOf: (s: number, from: number, to: number) => [number, number] | number[] | null,
  locations: LocationTable = p.locations,
): Profile {
  const S = p.samples;
  const nt = p.sampleTypes.length;
  const stackStart = new Uint32Array(S.length + 1);
  let stack = new Uint32Array(S.stack.length);
  const values = new Float64Array(S.values.length);
  const labelSet = new Uint32Array(S.length);
  let n = 0;
  let k = 0;
  for (let s = 0; s < S.length; s++) {
    const from = S.stackStart[s];
    const to = S.stackStart[s + 1];
    const r = stackOf(s, from, to);
    if (r === null) continue;
    stackStart[n] = k;
    if (isRange(r)) {
      for (let j = r[0]; j < r[1]; j++) stack[k++] = S.stack[j];
    } else {
      const list = r as number[];
      if (k + list.length > stack.length) {
        const b = new Uint32Array(Math.max(stack.length * 2, k + list.length));
        b.set(stack);
        stack = b;
      }
      for (const l of list) stack[k++] = l;
    }
    for (let t = 0; t < nt; t++) values[n * nt + t] = S.values[s * nt + t];
    labelSet[n] = S.labelSet[s];
    n++;
  }
  stackStart[n] = k;
  return {
    ...p,
    locations,
    samples: {
      length: n,
      stackStart: stackStart.slice(0, n + 1),
      stack: stack.slice(0, k),
      values: values.slice(0, n * nt),
      labelSet: labelSet.slice(0, n),
    },
  };
}

const RANGE = Symbol('range');
/** Marks a [from, to) pair as a range of the original stack (not a 2-frame list). */
export function range(from: number, to: number): [number, number] {
  const r = [from, to] as [number, number] & { [RANGE]?: true };
  r[RANGE] = true;
  return r;
}
function isRange(r: unknown): boolean {
  return (r as { [RANGE]?: true })[RANGE] === true;
}

function fnMatches(p: Profile, re: RegExp, line: number): boolean {
  const f = p.locations.lineFunction[line];
  return re.test(p.functions.name[f]) || re.test(p.functions.filename[f]);
}

function mappingMatches(p: Profile, re: RegExp, loc: number): boolean {
  const m = p.locations.mapping[loc];
  return m >= 0 && re.test(p.mappings[m].file);
}

/** Whether location `loc` matches (pprof's Location.matchesName). */
export function locationMatches(p: Profile, re: RegExp, loc: number): boolean {
  const L = p.locations;
  for (let j = L.lineStart[loc]; j < L.lineStart[loc + 1]; j++) if (fnMatches(p, re, j)) return true;
  return mappingMatches(p, re, loc);
}

export interface NameFilters {
  focus: RegExp | null;
  ignore: RegExp | null;
  hide: RegExp | null;
  show: RegExp | null;
}

export interface NameFilterResult {
  profile: Profile;
  focusMatched: boolean;
  ignoreMatched: boolean;
  hideMatched: boolean;
  showMatched: boolean;
}

/** profile.FilterSamplesByName. */
export function filterSamplesByName(p: Profile, f: NameFilters): NameFilterResult {
  const res: NameFilterResult = { profile: p, focusMatched: false, ignoreMatched: false, hideMatched: false, showMatched: false };
  if (!f.focus && !f.ignore && !f.hide && !f.show) {
    // Even with no filter, pprof keeps only samples with a focused frame,
    // so samples with an empty stack go.
    const ss = p.samples.stackStart;
    let empty = false;
    for (let s = 0; s < p.samples.length && !empty; s++) empty = ss[s] === ss[s + 1];
    if (empty) res.profile = rebuildSamples(p, (_s, from, to) => (from === to ? null : range(from, to)));
    res.focusMatched = p.locations.length > 0;
    return res;
  }
  const L = p.locations;
  // 0 = neither, 1 = focus, 2 = ignore
  const fi = new Uint8Array(L.length);
  const hidden = new Uint8Array(L.length);
  let anyHidden = false;
  const edits: LineEdits = new Array(L.length).fill(null);
  for (let i = 0; i < L.length; i++) {
    if (f.ignore && locationMatches(p, f.ignore, i)) {
      res.ignoreMatched = true;
      fi[i] = 2;
    } else if (!f.focus || locationMatches(p, f.focus, i)) {
      res.focusMatched = true;
      fi[i] = 1;
    }
    let lines: number[] | null = null;
    const cur = (): number[] => lines ?? range0(L.lineStart[i], L.lineStart[i + 1]);
    if (f.hide && locationMatches(p, f.hide, i)) {
      res.hideMatched = true;
      lines = mappingMatches(p, f.hide, i) ? [] : cur().filter((j) => !fnMatches(p, f.hide!, j));
      if (lines.length === 0) { hidden[i] = 1; anyHidden = true; }
    }
    if (f.show) {
      lines = mappingMatches(p, f.show, i) ? cur() : cur().filter((j) => fnMatches(p, f.show!, j));
      if (lines.length === 0) { hidden[i] = 1; anyHidden = true; } else res.showMatched = true;
    }
    if (lines) edits[i] = lines;
  }
  const S = p.samples;
  const locations = editLocationLines(L, edits);
  res.profile = rebuildSamples(p, (_s, from, to) => {
    let focused = false;
    for (let j = from; j < to; j++) {
      const m = fi[S.stack[j]];
      if (m === 2) return null;
      if (m === 1) focused = true;
    }
    if (!focused) return null;
    if (!anyHidden) return range(from, to);
    const locs: number[] = [];
    for (let j = from; j < to; j++) if (!hidden[S.stack[j]]) locs.push(S.stack[j]);
    return locs.length === 0 ? null : locs;
  }, locations);
  return res;
}

function range0(a: number, b: number): number[] {
  const out: number[] = [];
  for (let j = a; j < b; j++) out.push(j);
  return out;
}

/** Profile.ShowFrom: drops frames above the highest match; samples without one go. */
export function showFrom(p: Profile, re: RegExp | null): { profile: Profile; matched: boolean } {
  if (!re) return { profile: p, matched: false };
  const L = p.locations;
  const match = new Uint8Array(L.length);
  const edits: LineEdits = new Array(L.length).fill(null);
  let matched = false;
  for (let i = 0; i < L.length; i++) {
    if (mappingMatches(p, re, i)) { match[i] = 1; matched = true; continue; }
    for (let j = L.lineStart[i + 1] - 1; j >= L.lineStart[i]; j--) {
      if (fnMatches(p, re, j)) {
        if (j + 1 < L.lineStart[i + 1]) edits[i] = range0(L.lineStart[i], j + 1);
        match[i] = 1;
        matched = true;
        break;
      }
    }
  }
  const S = p.samples;
  const profile = rebuildSamples(p, (_s, from, to) => {
    for (let j = to - 1; j >= from; j--) if (match[S.stack[j]]) return range(from, j + 1);
    return null;
  }, editLocationLines(L, edits));
  return { profile, matched };
}
