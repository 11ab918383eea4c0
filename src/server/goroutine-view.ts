// The Goroutines panel's data: the goroutine analysis of the leak layer
// (groups matched across snapshots, verdicts naming the leak pattern),
// narrowed by the panel's filter: goroutine IDs, a label (key=value) or a
// regex over functions, states and creators.

import type { GoroutineDump, Profile } from '../profile/model.ts';
import { analyzeGoroutineSeries, type GroupReport } from '../leak/goroutines/group.ts';
import type { GoroutineGroupInfo, GoroutinesResponse } from './api-types.ts';
import { compileGoRegexp } from '../profile/filter.ts';

interface Filter {
  ids: Set<number> | null;
  label: { key: string; value: string } | null;
  re: RegExp | null;
}

export function parseGoroutineFilter(filter: string): Filter {
  const f = filter.trim();
  if (f === '') return { ids: null, label: null, re: null };
  if (/^[\d\s,]+$/.test(f)) return { ids: new Set(f.split(/[\s,]+/).filter(Boolean).map(Number)), label: null, re: null };
  const kv = /^([\w.-]+)=(.*)$/.exec(f);
  if (kv) return { ids: null, label: { key: kv[1], value: kv[2] }, re: null };
  return { ids: null, label: null, re: compileGoRegexp('goroutine filter', f) };
}

function labelMatches(v: string | undefined, want: string): boolean {
  return v !== undefined && (want === '' || v === want);
}

function latestDump(dumps: readonly GoroutineDump[]): GoroutineDump {
  return dumps.reduce((a, b) => ((b.timeMs ?? 0) >= (a.timeMs ?? 0) ? b : a));
}

function latestProfileTotal(profiles: readonly { profile: Profile }[]): number {
  const p = profiles[profiles.length - 1]?.profile;
  if (!p) return 0;
  let t = 0;
  for (let s = 0; s < p.samples.length; s++) t += p.samples.values[s * p.sampleTypes.length];
  return t;
}

/** The profile with only the samples carrying label key (= value, when given). */
function samplesWithLabel(p: Profile, key: string, value: string): Profile {
  const S = p.samples;
  const nv = p.sampleTypes.length;
  const okSet = p.labelSets.map((ls) => ls.str.some(([k, v]) => k === key && (value === '' || v === value)));
  const keep: number[] = [];
  for (let s = 0; s < S.length; s++) if (okSet[S.labelSet[s]]) keep.push(s);
  const stackStart = new Uint32Array(keep.length + 1);
  let frames = 0;
  for (const s of keep) frames += S.stackStart[s + 1] - S.stackStart[s];
  const stack = new Uint32Array(frames);
  const values = new Float64Array(keep.length * nv);
  const labelSet = new Uint32Array(keep.length);
  let o = 0;
  keep.forEach((s, i) => {
    stackStart[i] = o;
    stack.set(S.stack.subarray(S.stackStart[s], S.stackStart[s + 1]), o);
    o += S.stackStart[s + 1] - S.stackStart[s];
    values.set(S.values.subarray(s * nv, s * nv + nv), i * nv);
    labelSet[i] = S.labelSet[s];
  });
  stackStart[keep.length] = o;
  return { ...p, samples: { length: keep.length, stackStart, stack, values, labelSet } };
}

function toInfo(g: GroupReport, n: number): GoroutineGroupInfo {
  const last = g.count[n - 1];
  return {
    state: g.state ? `${g.state}${g.state_inferred ? ' (from stack)' : ''}` : '',
    count: last,
    waitMin: g.wait_minutes?.min ?? 0,
    waitMax: g.wait_minutes?.max ?? 0,
    frames: g.stack,
    createdBy: g.created_by ?? '',
    ids: g.ids,
    labels: Object.entries(g.labels).flatMap(([k, vs]) => vs.map((v) => `${k}=${v}`)).slice(0, 40),
    verdict: g.verdict === 'ok' ? '' : `${g.verdict}${g.rule ? ` (${g.rule})` : ''}: ${g.explanation}`,
    ...(g.hint ? { hint: g.hint } : {}),
    ...(g.evidence.length && g.verdict !== 'ok' ? { evidence: g.evidence } : {}),
    ...(n > 1 ? { history: g.count } : {}),
  };
}

/**
 * Groups of the latest snapshot (dumps when any were loaded, else goroutine
 * profiles), each with its size in every snapshot; flagged groups first.
 */
export function goroutineView(dumps: readonly GoroutineDump[], profiles: readonly { source: string; profile: Profile }[], filterText: string): GoroutinesResponse {
  const filter = parseGoroutineFilter(filterText);
  // A label filter narrows the goroutines before grouping: groups merge members with different labels.
  const lab = filter.label;
  const snaps = dumps.length
    ? dumps.map((d) => ({ source: d.source, timeMs: d.timeMs, data: lab ? { ...d, goroutines: d.goroutines.filter((g) => labelMatches(g.labels[lab.key], lab.value)) } : d }))
    : profiles.map((p) => ({ source: p.source, timeMs: null, data: lab ? samplesWithLabel(p.profile, lab.key, lab.value) : p.profile }));
  const totalAll = dumps.length ? latestDump(dumps).goroutines.length : latestProfileTotal(profiles);
  const report = analyzeGoroutineSeries(snaps);
  const n = report.snapshots.length;
  const latest = report.snapshots[n - 1];
  const states: Record<string, number> = {};
  const groups: GoroutineGroupInfo[] = [];
  let matched = 0;
  for (const g of report.groups) {
    const last = g.count[n - 1];
    if (last > 0) for (const [s, c] of Object.entries(g.states)) states[s] = (states[s] ?? 0) + c;
    if (last === 0) continue;
    let info = toInfo(g, n);
    if (filter.ids) {
      const ids = g.ids.filter((id) => filter.ids!.has(id));
      if (ids.length === 0) continue;
      info = { ...info, ids, count: ids.length };
    } else if (filter.re) {
      const re = filter.re;
      if (!g.stack.some((f) => re.test(f)) && !re.test(g.state) && !(g.created_by && re.test(g.created_by))) continue;
    }
    matched += info.count;
    groups.push(info);
  }
  const flagged = (x: GoroutineGroupInfo) => (x.verdict.startsWith('leak') ? 2 : x.verdict.startsWith('suspect') ? 1 : 0);
  groups.sort((a, b) => flagged(b) - flagged(a));
  return {
    total: lab ? totalAll : (latest?.total ?? 0),
    matched,
    groups: groups.slice(0, 500),
    states,
    sources: latest ? [latest.source] : [],
    snapshots: n,
  };
}
