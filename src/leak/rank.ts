// Ranks the allocation sites of a heap snapshot series by the evidence that
// they grow without bound. `LeakRanker` takes snapshots one at a time (the
// CLI streams files through it and drops each profile after charging it);
// `rankLeaks` is the same on an in-memory series, for the web UI.

import { InputError } from '../profile/errors.ts';
import type { Profile, SnapshotSeries } from '../profile/model.ts';
import { assess, type Assessment, type SiteSeries } from './classify.ts';
import { attachGoroutines, GoroutineGroups } from './goroutine-attach.ts';
import type { LeakCandidate, LeakReport, Projection, SiteJudgement, SnapshotRef } from './report-types.ts';
import { SiteAccumulator, type SiteInfo, type SnapshotColumns } from './sites.ts';
import { median, theilSen } from './stats.ts';
import { matchSuppression, type SuppressRule } from './suppress.ts';
import { formatBytes, formatDuration } from './units.ts';

export interface LeakOptions {
  /** User frames per site (default 1: the allocating line of the first user function); 0 keeps them all. */
  depth?: number;
  /** Regexes of frames to count as user frames / to skip as allocation helpers. */
  keep?: readonly string[];
  skip?: readonly string[];
  /** Rank per value of this pprof label instead of per stack. */
  byLabel?: string;
  suppress?: readonly SuppressRule[];
  /** Project the time until total in-use heap reaches this many bytes. */
  limitBytes?: number | null;
  /** Also list the sites that were not kept, with the reason. */
  all?: boolean;
}

export type ProfileKind = 'heap' | 'goroutine';

/** Heap or goroutine profile? Throws for anything else and for delta profiles. */
export function profileKind(p: Profile, source: string): ProfileKind {
  const types = p.sampleTypes.map((t) => t.type);
  if (types.includes('inuse_space')) {
    const iB = types.indexOf('inuse_space');
    const nv = types.length;
    for (let s = 0; s < p.samples.length; s++) {
      if (p.samples.values[s * nv + iB] < 0) {
        throw new InputError(source, 'holds negative in-use values: a delta profile (?seconds=N) is a change, not a snapshot; fetch /debug/pprof/heap without seconds');
      }
    }
    if (p.durationNanos >= 1_000_000_000n) {
      throw new InputError(source, `covers ${Number(p.durationNanos / 1_000_000n) / 1000}s: a delta profile (?seconds=N) is a change, not a snapshot; fetch /debug/pprof/heap without seconds`);
    }
    return 'heap';
  }
  if (types.length === 1 && types[0] === 'goroutine') return 'goroutine';
  throw new InputError(source, `not a heap or goroutine profile (sample types: ${types.join(', ') || 'none'})`);
}

interface HeapObservation {
  source: string;
  timeMs: number | null;
  order: number;
  cols: SnapshotColumns;
  sampleCount: number;
  allocObjectsTotal: number;
}

export class LeakRanker {
  private readonly sites: SiteAccumulator;
  private readonly heap: HeapObservation[] = [];
  private readonly goroutines = new GoroutineGroups();
  private order = 0;

  constructor(private readonly opts: LeakOptions = {}) {
    const compile = (xs: readonly string[] | undefined, what: string): RegExp[] => (xs ?? []).map((x) => {
      try {
        return new RegExp(x);
      } catch (err) {
        throw new InputError('', `bad --${what} regular expression "${x}": ${(err as Error).message}`);
      }
    });
    this.sites = new SiteAccumulator({
      depth: opts.depth ?? 1,
      frames: { keep: compile(opts.keep, 'keep'), skip: compile(opts.skip, 'skip') },
      byLabel: opts.byLabel,
    });
  }

  get heapCount(): number {
    return this.heap.length;
  }

  /** Adds a heap or goroutine profile; returns which it was. */
  add(source: string, p: Profile, timeMs: number | null): ProfileKind {
    const kind = profileKind(p, source);
    if (kind === 'goroutine') {
      this.goroutines.add(p, timeMs);
      return kind;
    }
    const cols = this.sites.add(p);
    const nv = p.sampleTypes.length;
    const ao = p.sampleTypes.findIndex((t) => t.type === 'alloc_objects');
    let allocObjectsTotal = 0;
    if (ao >= 0) for (let s = 0; s < p.samples.length; s++) allocObjectsTotal += p.samples.values[s * nv + ao];
    this.heap.push({ source, timeMs, order: this.order++, cols, sampleCount: p.samples.length, allocObjectsTotal });
    return kind;
  }

  addGoroutines(p: Profile, timeMs: number | null): void {
    this.goroutines.add(p, timeMs);
  }

  finish(): LeakReport {
    return buildReport(this.heap, this.sites.sites, this.goroutines, this.opts);
  }
}

/** Ranks an in-memory series (heap snapshots; goroutine profiles may be mixed in or given apart). */
export function rankLeaks(series: SnapshotSeries, opts: LeakOptions = {}, goroutineSeries?: SnapshotSeries): LeakReport {
  const r = new LeakRanker(opts);
  for (const s of series.snapshots) r.add(s.source, s.profile, s.timeMs);
  for (const s of goroutineSeries?.snapshots ?? []) r.add(s.source, s.profile, s.timeMs);
  return r.finish();
}

function sameData(a: HeapObservation, b: HeapObservation): boolean {
  return a.cols.totalAlloc === b.cols.totalAlloc && a.cols.totalInuse === b.cols.totalInuse
    && a.allocObjectsTotal === b.allocObjectsTotal && a.sampleCount === b.sampleCount;
}

function buildReport(heapIn: HeapObservation[], siteInfo: readonly SiteInfo[], gor: GoroutineGroups, opts: LeakOptions): LeakReport {
  if (heapIn.length === 0) throw new InputError('', 'no heap profiles among the inputs');
  const notes: string[] = [];
  const heap = [...heapIn];
  if (heap.every((h) => h.timeMs !== null)) heap.sort((a, b) => (a.timeMs as number) - (b.timeMs as number) || a.order - b.order);
  else if (heap.some((h) => h.timeMs !== null)) notes.push('some profiles carry no time: using the order given');

  // Observations: consecutive identical snapshots (no GC in between) count once.
  const refs: SnapshotRef[] = [];
  const obsOf: number[] = [];
  const obs: HeapObservation[] = [];
  const seg: number[] = [];
  let segment = 0;
  heap.forEach((h, i) => {
    const ref: SnapshotRef = { file: h.source, time: h.timeMs !== null ? new Date(h.timeMs).toISOString() : null };
    if (i > 0 && sameData(heap[i - 1], h)) {
      ref.identical_to_previous = true;
    } else {
      const prev = obs[obs.length - 1];
      if (prev && prev.cols.hasAlloc && h.cols.hasAlloc && h.cols.totalAlloc < prev.cols.totalAlloc) {
        segment++;
        ref.restart = true;
      }
      obs.push(h);
      seg.push(segment);
    }
    obsOf.push(obs.length - 1);
    refs.push(ref);
  });
  const dupes = refs.filter((r) => r.identical_to_previous).length;
  if (dupes) notes.push(`${dupes} snapshot${dupes > 1 ? 's' : ''} identical to the one before (no GC in between): counted once`);
  if (segment) notes.push(`the series spans ${segment + 1} process runs (allocation counters restarted): growth is measured within each run`);
  const periods = [...new Set(obs.map((o) => o.cols.period))];
  if (periods.length > 1) notes.push(`profiles were taken at different sampling rates (${periods.join(', ')})`);

  const n = obs.length;
  const timed = obs.every((o) => o.timeMs !== null) && n > 1 && (obs[n - 1].timeMs as number) > (obs[0].timeMs as number);
  const x = Float64Array.from(obs, (o, i) => (timed ? ((o.timeMs as number) - (obs[0].timeMs as number)) / 1000 : i));
  const dxs: number[] = [];
  for (let i = 1; i < n; i++) if (seg[i] === seg[i - 1]) dxs.push(x[i] - x[i - 1]);
  const perSnapshot = dxs.length ? median(dxs) : 1;
  const segArr = Int32Array.from(seg);
  const hasAlloc = obs.every((o) => o.cols.hasAlloc);
  if (n < 3) notes.push(`only ${n} distinct snapshot${n === 1 ? '' : 's'}: a trend needs three or more (use --diff for two)`);

  const nSites = siteInfo.length;
  const col = (o: HeapObservation, k: keyof SnapshotColumns, site: number): number => {
    const a = o.cols[k] as Float64Array;
    return site < a.length ? a[site] : 0;
  };
  const judged: Array<{ site: number; a: Assessment; y: Float64Array }> = [];
  let positive = 0;
  for (let site = 0; site < nSites; site++) {
    const y = Float64Array.from(obs, (o) => col(o, 'inuseBytes', site));
    const s: SiteSeries = {
      x, y,
      v: Float64Array.from(obs, (o) => col(o, 'inuseVar', site)),
      alloc: hasAlloc ? Float64Array.from(obs, (o) => col(o, 'allocBytes', site)) : null,
      allocVar: hasAlloc ? Float64Array.from(obs, (o) => col(o, 'allocVar', site)) : null,
      seg: segArr,
    };
    if (n < 3) {
      judged.push({ site, a: assess({ ...s, x: s.x.subarray(0, 0), y: s.y.subarray(0, 0) }), y });
      continue;
    }
    const a = assess(s);
    if (a.growth > 0) positive += a.growth;
    judged.push({ site, a, y });
  }
  const verdictOrder = { leak: 0, suspect: 1, 'levelled-off': 2, 'rises-and-falls': 3, 'within-noise': 4, 'no-growth': 5 };
  const scoreOf = (a: Assessment): number => (positive > 0 && a.growth > 0 ? (a.confidence * a.growth) / positive : 0);
  judged.sort((p, q) => verdictOrder[p.a.verdict] - verdictOrder[q.a.verdict] || scoreOf(q.a) - scoreOf(p.a)
    || q.a.growth - p.a.growth || p.site - q.site);

  const growing = gor.growing();
  const candidates: LeakCandidate[] = [];
  const suppressed: LeakCandidate[] = [];
  const others: SiteJudgement[] = [];
  for (const { site, a, y } of judged) {
    const info = siteInfo[site];
    const fn = info.frames[0]?.name ?? '?';
    const siteName = info.frames.map((f) => (f.line ? `${f.name} (${shortFile(f.file)}:${f.line})` : f.name)).join(' < ');
    const explanation = explain(a, y, timed, perSnapshot);
    if (a.verdict !== 'leak' && a.verdict !== 'suspect') {
      if (opts.all && (a.growth > 0 || y[n - 1] > 0)) {
        const inuse = obsOf.map((o) => col(obs[o], 'inuseBytes', site));
        others.push({ function: fn, site: siteName, verdict: a.verdict, score: round(scoreOf(a), 4), growth_bytes: Math.round(a.growth), now_bytes: y[n - 1] ?? 0, inuse_bytes: inuse, explanation });
      }
      continue;
    }
    const perObs = (k: keyof SnapshotColumns): number[] => obsOf.map((o) => col(obs[o], k, site));
    const c: LeakCandidate = {
      rank: 0,
      function: fn,
      site: siteName,
      stack: info.stack,
      verdict: a.verdict,
      score: round(scoreOf(a), 4),
      confidence: round(a.confidence, 3),
      inuse_bytes: perObs('inuseBytes'),
      inuse_objects: perObs('inuseObjects'),
      alloc_bytes: hasAlloc ? perObs('allocBytes') : null,
      growth_bytes_per_snapshot: Math.round(a.slope * perSnapshot),
      growth_bytes_per_minute: timed ? Math.round(a.slope * 60) : null,
      growth_bytes: Math.round(a.growth),
      growth_sd_bytes: Math.round(a.growthSd),
      retention: a.retention === null ? null : round(Math.max(0, Math.min(1, a.retention)), 3),
      explanation,
      goroutines: attachGoroutines(growing, [...info.stack, ...info.frames.map((f) => f.name)]),
    };
    const rule = opts.suppress ? matchSuppression(opts.suppress, [...info.frames.map((f) => f.name), siteName]) : null;
    if (rule) {
      c.suppressed_by = rule.pattern;
      suppressed.push(c);
    } else candidates.push(c);
  }
  candidates.forEach((c, i) => (c.rank = i + 1));
  suppressed.forEach((c, i) => (c.rank = i + 1));

  const totals = obsOf.map((o) => obs[o].cols.totalInuse);
  const report: LeakReport = {
    snapshots: refs,
    sample_period: periods[0] ?? 0,
    site_count: nSites,
    candidates,
    suppressed,
    total_inuse_bytes: totals,
    projection: opts.limitBytes ? project(opts.limitBytes, obs.map((o) => o.cols.totalInuse), x, segArr, timed, perSnapshot) : null,
    notes,
  };
  if (opts.all) report.others = others;
  return report;
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function shortFile(f: string): string {
  const i = f.lastIndexOf('/');
  return i >= 0 ? f.slice(i + 1) : f || '?';
}

function rate(bytesPerX: number, timed: boolean, perSnapshot: number): string {
  const snap = `${formatBytes(bytesPerX * perSnapshot, true)}/snapshot`;
  return timed ? `${snap} (${formatBytes(bytesPerX * 60, true)}/min)` : snap;
}

/** The reasons, in words. */
export function explain(a: Assessment, y: Float64Array, timed: boolean, perSnapshot: number): string {
  const now = y.length ? formatBytes(y[y.length - 1]) : '0 B';
  const sd = formatBytes(a.growthSd);
  const ret = a.retention !== null ? `; keeps ${Math.round(Math.max(0, Math.min(1, a.retention)) * 100)}% of what it allocates` : '';
  switch (a.verdict) {
    case 'no-growth':
      return a.intervals === 0 ? 'not enough snapshots to see a trend' : `no growth (${now} now)`;
    case 'within-noise':
      return `${formatBytes(a.growth, true)} ± ${sd} over the series: within sampling noise (${now} now)`;
    case 'rises-and-falls':
      return `rises and falls: dropped ${formatBytes(a.drawdown)} (${a.drawdownZ === Infinity ? 'exact' : `${a.drawdownZ.toFixed(1)}σ`}) between snapshots ${a.drawdownAt[0] + 1} and ${a.drawdownAt[1] + 1}, so it is released (a batch or buffer), ${now} now`;
    case 'levelled-off':
      return `levelled off: grew ${rate(a.earlyRate, timed, perSnapshot)} in the earliest third, ${rate(a.lateRate, timed, perSnapshot)} in the latest (warm-up), ${now} now${ret}`;
    default: {
      const pace = Number.isNaN(a.paceRatio)
        ? ''
        : a.paceRatio < 0.5 && a.slowdownZ >= 2
          ? `, slowing (latest third at ${a.paceRatio.toFixed(2)}× the earliest pace)`
          : `, did not level off (latest third at ${a.paceRatio > 9.95 ? '>10' : a.paceRatio.toFixed(1)}× the earliest pace)`;
      const noise = a.z === Infinity ? 'exact counts' : a.z > 1000 ? 'far above sampling noise' : `${a.z.toFixed(1)}σ above sampling noise`;
      return `grew in ${a.grewIn} of ${a.intervals} intervals, ${rate(a.slope, timed, perSnapshot)}, ${now} now${pace}${ret}; growth ${noise}`;
    }
  }
}

function project(limit: number, totals: number[], x: Float64Array, seg: Int32Array, timed: boolean, perSnapshot: number): Projection {
  const n = totals.length;
  const now = totals[n - 1] ?? 0;
  const slope = n >= 2 ? theilSen(x, totals, (i, j) => seg[i] === seg[j]) : 0;
  const perMin = timed ? slope * 60 : null;
  const perSnap = slope * perSnapshot;
  let etaMs: number | null = null;
  let etaSnaps: number | null = null;
  let explanation: string;
  if (now >= limit) {
    etaMs = timed ? 0 : null;
    etaSnaps = 0;
    explanation = `in-use heap ${formatBytes(now)} is already at or over the limit ${formatBytes(limit)}`;
  } else if (slope > 0) {
    etaSnaps = Math.ceil((limit - now) / perSnap);
    if (timed) etaMs = ((limit - now) / slope) * 1000;
    explanation = `at ${timed ? `${formatBytes(perMin as number, true)}/min` : `${formatBytes(perSnap, true)}/snapshot`}, in-use heap reaches ${formatBytes(limit)} in ${timed ? `about ${formatDuration(etaMs as number)}` : `about ${etaSnaps} snapshots`} (${formatBytes(now)} now; the process's RSS is higher than the Go heap the profile sees)`;
  } else {
    explanation = `in-use heap is not growing (${formatBytes(now)} now): no projection to ${formatBytes(limit)}`;
  }
  return { limit_bytes: limit, now_bytes: now, growth_bytes_per_minute: perMin === null ? null : Math.round(perMin), growth_bytes_per_snapshot: Math.round(perSnap), eta_ms: etaMs === null ? null : Math.round(etaMs), eta_snapshots: etaSnaps, explanation };
}
