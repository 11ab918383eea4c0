// -tagfocus/-tagignore (pprof's compileTagFilter and FilterSamplesByTag)
// and -tagshow/-taghide (FilterTagsByName), on label sets: a filter is
// decided once per distinct label set, not once per sample.

import { compileGoRegexp, rebuildSamples, range } from './filter.ts';
import type { LabelSet, Profile } from './model.ts';
import { unitInfo } from './units.ts';

export type LabelSetPredicate = (ls: LabelSet) => boolean;

/** Per numeric label key, its unit (Profile.NumLabelUnits' rule). */
export function numLabelUnitsOf(p: Profile): Map<string, string> {
  const units = new Map<string, string>();
  const keys = new Set<string>();
  for (const ls of p.labelSets) {
    for (const nl of ls.num) {
      keys.add(nl.key);
      if (nl.unit !== '' && !units.has(nl.key)) units.set(nl.key, nl.unit);
    }
  }
  for (const k of keys) if (!units.get(k)) units.set(k, k === 'alignment' || k === 'request' ? 'bytes' : k);
  return units;
}

type NumTest = (v: number, unit: string) => boolean;

/**
 * A value in its family's base unit, and the family. Like pprof's
 * measurement.Scale, units that are neither memory nor time all compare as
 * plain numbers with each other (and never with bytes or seconds).
 */
function norm(v: number, unit: string): [number, string] {
  const u = unitInfo(unit);
  return u ? [v * u.factor, u.family] : [v, '#other'];
}

/**
 * parseTagFilterRange: `32kb` (equal), `:64kb` (at most), `4mb:` (at
 * least), `1kb:10kb` (between, inclusive). Null when `filter` is no range.
 */
export function parseTagRange(filter: string): NumTest | null {
  const rx = /([+-]?[0-9]+)([A-Za-z]+)?/g;
  const found: RegExpExecArray[] = [];
  let m: RegExpExecArray | null;
  while (found.length < 2 && (m = rx.exec(filter)) !== null) found.push(m);
  if (found.length === 0) return null;
  const [v1, u1] = norm(Number(found[0][1]), found[0][2] ?? '');
  const t1 = found[0][0];
  if (found.length === 1) {
    if (filter === t1) return (v, u) => { const [x, xu] = norm(v, u); return xu === u1 && x === v1; };
    if (filter === t1 + ':') return (v, u) => { const [x, xu] = norm(v, u); return xu === u1 && x >= v1; };
    if (filter === ':' + t1) return (v, u) => { const [x, xu] = norm(v, u); return xu === u1 && x <= v1; };
    return null;
  }
  if (filter !== t1 + ':' + found[1][0]) return null;
  const [v2, u2] = norm(Number(found[1][1]), found[1][2] ?? '');
  if (u2 !== u1) return null;
  return (v, u) => { const [x, xu] = norm(v, u); return xu === u1 && x >= v1 && x <= v2; };
}

/**
 * compileTagFilter. `notice` receives pprof's stderr remark when the
 * value is read as a numeric range.
 */
export function compileTagFilter(
  option: string,
  value: string,
  numUnits: Map<string, string>,
  notice: (line: string) => void,
): LabelSetPredicate | null {
  if (value === '') return null;
  let wantKey = '';
  const eq = value.indexOf('=');
  if (eq >= 0) {
    wantKey = value.slice(0, eq);
    value = value.slice(eq + 1);
  }
  const num = parseTagRange(value);
  if (num) {
    notice(`${option}:Interpreted '${value}' as range, not regexp`);
    const unitOf = (k: string): string => numUnits.get(k) ?? '';
    if (wantKey === '') return (ls) => ls.num.some((nl) => num(nl.value, unitOf(nl.key)));
    return (ls) => ls.num.some((nl) => nl.key === wantKey && num(nl.value, unitOf(wantKey)));
  }
  const rxs = value.split(',').map((s) => compileGoRegexp(option, s));
  if (wantKey === '') {
    return (ls) => rxs.every((rx) => ls.str.some(([k, v]) => rx.test(`${k}:${v}`)));
  }
  return (ls) => ls.str.some(([k, v]) => k === wantKey && rxs.some((rx) => rx.test(v)));
}

/** FilterSamplesByTag. */
export function filterSamplesByTag(
  p: Profile,
  focus: LabelSetPredicate | null,
  ignore: LabelSetPredicate | null,
): { profile: Profile; focusMatched: boolean; ignoreMatched: boolean } {
  if (!focus && !ignore) return { profile: p, focusMatched: false, ignoreMatched: false };
  const keep = new Int8Array(p.labelSets.length).fill(-1);
  let fm = false;
  let im = false;
  const ls = p.samples.labelSet;
  const profile = rebuildSamples(p, (s, from, to) => {
    const set = ls[s];
    const focused = focus ? focus(p.labelSets[set]) : true;
    const ignored = ignore ? ignore(p.labelSets[set]) : false;
    fm ||= focused;
    im ||= ignored;
    if (keep[set] < 0) keep[set] = focused && !ignored ? 1 : 0;
    return keep[set] ? range(from, to) : null;
  });
  return { profile, focusMatched: fm, ignoreMatched: im };
}

/** FilterTagsByName: keeps label keys matching `show`, drops those matching `hide`. */
export function filterTagsByName(
  p: Profile,
  show: RegExp | null,
  hide: RegExp | null,
): { profile: Profile; showMatched: boolean; hideMatched: boolean } {
  if (!show && !hide) return { profile: p, showMatched: false, hideMatched: false };
  let sm = false;
  let hm = false;
  const used = new Uint8Array(p.labelSets.length);
  for (let s = 0; s < p.samples.length; s++) used[p.samples.labelSet[s]] = 1;
  const remove = (key: string): boolean => {
    const ms = !show || show.test(key);
    const mh = hide !== null && hide.test(key);
    if (ms) sm = true;
    if (mh) hm = true;
    return !ms || mh;
  };
  const sets: LabelSet[] = p.labelSets.map((set, i) => {
    if (!used[i]) return set;
    return { str: set.str.filter(([k]) => !remove(k)), num: set.num.filter((nl) => !remove(nl.key)) };
  });
  return { profile: { ...p, labelSets: sets }, showMatched: sm, hideMatched: hm };
}
