// Goroutine snapshots in time order → one report: groups matched across
// snapshots by their key, each with its count per snapshot, states, waits,
// creator, members, labels, and a verdict naming the leak pattern. One
// snapshot is a series of one (no trend, so few verdicts). The report is
// plain JSON-serializable data in the shape of `goroutines --format=json`.

import { groupGoroutines, isGoroutineDump, type GoroutineGroup, type GoroutineInput, type GroupFrame, type GroupOptions } from './group.ts';
import { matchRule } from './rules.ts';
import { judge, type Verdict } from './verdict.ts';

export interface GoroutineSnapshot {
  /** File path or URL, for messages. */
  readonly source: string;
  /** Milliseconds since the epoch, or null when unknown (then the given order is the time order). */
  readonly timeMs: number | null;
  readonly data: GoroutineInput;
}

export interface SnapshotInfo {
  source: string;
  /** ISO 8601, or null when unknown. */
  time: string | null;
  /** `dump` for debug=2 text and tracebacks, `profile` for proto and debug=1. */
  form: 'dump' | 'profile';
  total: number;
  /** The panic or fatal error message a traceback starts with. */
  preamble?: string;
}

export interface GroupReport {
  /** 1-based position in the report. */
  rank: number;
  /** Members per snapshot, in time order. */
  count: number[];
  /** Last count minus first. */
  growth: number;
  /** Commonest state in the latest snapshot holding the group ('' when unknown). */
  state: string;
  /** True when read off the stack (profiles) rather than printed by the runtime. */
  state_inferred: boolean;
  states: Record<string, number>;
  /** Printed wait range in the latest snapshot holding the group; null when the input has no waits. */
  wait_minutes: { min: number; max: number } | null;
  /** Function names, leaf first. */
  stack: string[];
  frames: GroupFrame[];
  created_by: string | null;
  creator_ids: number[];
  /** Member goroutine IDs in the latest snapshot holding the group (dumps only). */
  ids: number[];
  labels: Record<string, string[]>;
  locked_to_thread: number;
  verdict: Verdict;
  /** Name of the leak pattern (see docs/goroutines.md); null for ok groups or when no pattern matched. */
  rule: string | null;
  explanation: string;
  /** How to fix it; '' for ok groups. */
  hint: string;
  evidence: string[];
}

export interface GoroutineReport {
  snapshots: SnapshotInfo[];
  groups: GroupReport[];
}

/** Orders snapshots by time when every one has a time; else keeps the given order. */
export function orderSnapshots<T extends { timeMs: number | null }>(snaps: readonly T[]): T[] {
  if (snaps.every((s) => s.timeMs !== null)) return [...snaps].sort((a, b) => (a.timeMs as number) - (b.timeMs as number));
  return [...snaps];
}

function totalOf(groups: readonly GoroutineGroup[]): number {
  let t = 0;
  for (const g of groups) t += g.count;
  return t;
}

/** One snapshot reduced to its groups: what a series keeps of each dump (the dump itself can go). */
export interface GroupedSnapshot {
  readonly source: string;
  readonly timeMs: number | null;
  readonly form: 'dump' | 'profile';
  readonly preamble: string;
  readonly groups: readonly GoroutineGroup[];
}

export function groupSnapshot(s: GoroutineSnapshot, opts: GroupOptions = {}): GroupedSnapshot {
  const dump = isGoroutineDump(s.data);
  return {
    source: s.source,
    timeMs: s.timeMs,
    form: dump ? 'dump' : 'profile',
    preamble: dump ? (s.data as { preamble?: string }).preamble ?? '' : '',
    groups: groupGoroutines(s.data, opts),
  };
}

export function analyzeGoroutineSeries(snapshots: readonly GoroutineSnapshot[], opts: GroupOptions = {}): GoroutineReport {
  return analyzeGroupedSeries(snapshots.map((s) => groupSnapshot(s, opts)));
}

/** The series analysis on snapshots already grouped (e.g. one dump in memory at a time). */
export function analyzeGroupedSeries(snapshots: readonly GroupedSnapshot[]): GoroutineReport {
  const ordered = orderSnapshots(snapshots);
  const n = ordered.length;
  const perSnap = ordered.map((s) => s.groups);
  const index = new Map<string, number>();
  const members: Array<Array<GoroutineGroup | null>> = [];
  perSnap.forEach((groups, i) => {
    for (const g of groups) {
      let k = index.get(g.key);
      if (k === undefined) {
        k = members.length;
        index.set(g.key, k);
        members.push(new Array<GoroutineGroup | null>(n).fill(null));
      }
      members[k][i] = g;
    }
  });

  const reports: GroupReport[] = [];
  for (const row of members) {
    let latest = n - 1;
    while (row[latest] === null) latest--;
    let first = 0;
    while (row[first] === null) first++;
    const g = row[latest] as GoroutineGroup;
    const count = row.map((x) => (x ? x.count : 0));
    const waitMax = row.map((x) => (x && x.waitMinutes ? x.waitMinutes.max : null));
    let persisted: number | null = null;
    const firstG = row[first] as GoroutineGroup;
    if (first < n - 1 && row[n - 1] && firstG.ids.length > 0 && (row[n - 1] as GoroutineGroup).ids.length > 0) {
      const lastIds = new Set((row[n - 1] as GoroutineGroup).ids);
      let kept = 0;
      for (const id of firstG.ids) if (lastIds.has(id)) kept++;
      persisted = kept / firstG.ids.length;
    }
    const labels: Record<string, Set<string>> = {};
    for (const x of row) {
      if (!x) continue;
      for (const [k, vs] of Object.entries(x.labels)) {
        const s = (labels[k] ??= new Set());
        for (const v of vs) s.add(v);
      }
    }
    const match = matchRule(g.stack, g.state);
    const { verdict, evidence } = judge({ count, states: g.states, waitMax, persisted, ruleMatched: match !== null });
    const flagged = verdict !== 'ok';
    reports.push({
      rank: 0,
      count,
      growth: count[n - 1] - count[0],
      state: g.state,
      state_inferred: g.stateInferred,
      states: g.states,
      wait_minutes: g.waitMinutes,
      stack: g.stack,
      frames: g.frames,
      created_by: g.createdBy,
      creator_ids: g.creatorIds,
      ids: g.ids,
      labels: Object.fromEntries(Object.keys(labels).sort().map((k) => [k, [...labels[k]].sort(compareLabelValues)])),
      locked_to_thread: g.lockedToThread,
      verdict,
      rule: flagged && match ? match.rule : null,
      explanation: flagged
        ? (match ? match.explanation : 'Goroutines piling up with no known pattern: look at what the leaf user frame waits for.')
        : n > 1 ? 'Stays bounded across the snapshots.' : 'One snapshot: no trend to judge.',
      hint: flagged && match ? match.hint : '',
      evidence,
    });
  }
  const severity = (v: Verdict) => (v === 'leak' ? 2 : v === 'suspect' ? 1 : 0);
  reports.sort((a, b) =>
    (n > 1 ? b.growth - a.growth || severity(b.verdict) - severity(a.verdict) : 0) ||
    b.count[n - 1] - a.count[n - 1] ||
    compareText(a.stack.join('\n'), b.stack.join('\n')));
  reports.forEach((r, i) => (r.rank = i + 1));
  return {
    snapshots: ordered.map((s, i): SnapshotInfo => {
      const info: SnapshotInfo = {
        source: s.source,
        time: s.timeMs !== null ? new Date(s.timeMs).toISOString() : null,
        form: s.form,
        total: totalOf(perSnap[i]),
      };
      if (s.preamble) info.preamble = s.preamble;
      return info;
    }),
    groups: reports,
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareLabelValues(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}
