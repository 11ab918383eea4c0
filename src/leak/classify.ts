// Judges one site's in-use series: does it grow without bound?
//
// The model: a heap profile's in-use value for a site is an estimate from
// allocations sampled at MemProfileRate (a Poisson thinning, see
// varPerByte), published at GC boundaries. A site that leaks keeps what it
// allocates, so its estimate rises in every window at a steady rate. The
// tests, in the order applied:
//
//  1. Growth beyond sampling noise. The change between two snapshots comes
//     from objects added and objects removed in between; the alloc columns
//     bound how many were added (never more than were allocated, never more
//     than are alive at the end), so the variance of a change is
//     w_new·added + w_old·removed. A bounded cache that keeps replacing
//     entries has a large turnover and so a large variance: its estimate
//     drifts at the default 512 KiB rate without being growth. The robust
//     growth (Theil–Sen slope × span, capped by the observed change) must be
//     at least 3σ.
//  2. Rise and fall. A batch that fills and is released drops significantly
//     (≥3σ) by a large part (≥30%) of its range. Leaks do not give back.
//  3. Level-off. The latest third of the intervals is compared with the
//     earliest third: a warm-up cache grew early and stopped. It levels off
//     when the latest window grows significantly slower than the earliest
//     (≥2σ) and either its own growth is not significant or it runs at under
//     a fifth of the early rate. Where alloc columns exist, the ratio is taken
//     on retention (in-use growth / bytes allocated), which stays constant for
//     a leak under a changing load.
//
// Whatever passes is a candidate: "leak" when the evidence is strong on
// every count (≥4σ growth, significant growth in the latest window, rising
// in most pairs, not slowing, four or more observations), "suspect"
// otherwise.

import { kendallTau, normalCdf, theilSen } from './stats.ts';

export interface SiteSeries {
  /** Time of each observation (seconds) or its index when times are unknown. */
  x: Float64Array;
  /** In-use bytes. */
  y: Float64Array;
  /** Sampling variance of y. */
  v: Float64Array;
  /** Cumulative allocated bytes, when the profiles carry them. */
  alloc: Float64Array | null;
  allocVar: Float64Array | null;
  /** Process run of each observation: the allocation counters restart with the process. */
  seg: Int32Array;
}

export type Verdict = 'leak' | 'suspect' | 'levelled-off' | 'rises-and-falls' | 'within-noise' | 'no-growth';

export interface Assessment {
  verdict: Verdict;
  /** 0..1: how sure the tests are that the site keeps growing. */
  confidence: number;
  /** Robust growth over the series, bytes (Theil–Sen slope × span, capped by the observed change). */
  growth: number;
  /** Sampling standard deviation of that growth. */
  growthSd: number;
  /** growth / growthSd. */
  z: number;
  /** Theil–Sen slope, bytes per x unit. */
  slope: number;
  intervals: number;
  grewIn: number;
  /** Kendall's tau of the series. */
  tau: number;
  earlyRate: number;
  lateRate: number;
  lateGrowth: number;
  lateZ: number;
  /** Late / early pace (retention-based when alloc columns exist); NaN when undefined. */
  paceRatio: number;
  /** Significance of the slow-down, early minus late rate in σ. */
  slowdownZ: number;
  drawdown: number;
  drawdownZ: number;
  /** Observations between which the largest fall happened. */
  drawdownAt: [number, number];
  /** In-use growth / bytes allocated over the series; null without alloc columns. */
  retention: number | null;
  lateRetention: number | null;
  earlyRetention: number | null;
}

const Z_GROWTH = 3;
const Z_LEAK = 4;
const Z_FALL = 3;
const FALL_SHARE = 0.3;
const Z_SLOWDOWN = 2;
const Z_LATE = 1.64;
const LEVEL_RATIO = 0.2;
const SLOWING_RATIO = 0.5;

/** Variance of y[j] − y[i] from the objects that can have come and gone in between. */
export function changeVariance(s: SiteSeries, i: number, j: number): number {
  const { y, v } = s;
  const dI = y[j] - y[i];
  const wEnd = y[j] > 0 ? v[j] / y[j] : 0;
  const wOld = y[i] > 0 ? v[i] / y[i] : wEnd;
  let added: number;
  let wNew = wEnd || wOld;
  if (s.alloc) {
    const dA = Math.max(0, s.alloc[j] - s.alloc[i]);
    if (dA > 0 && s.allocVar) {
      const w = (s.allocVar[j] - s.allocVar[i]) / dA;
      if (w > 0) wNew = w;
    }
    added = Math.max(Math.min(dA, y[j]), Math.max(dI, 0));
  } else {
    added = y[j];
  }
  let removed = Math.max(0, added - dI);
  if (removed > y[i]) {
    removed = y[i];
    added = Math.max(0, dI + removed);
  }
  return wNew * added + wOld * removed;
}

interface Window {
  growth: number;
  variance: number;
  dx: number;
  allocated: number;
}

/** Growth over intervals [k0, k1] (interval k ends at observation k), split at restarts. */
function windowOf(s: SiteSeries, intervals: readonly number[], from: number, to: number): Window {
  const w: Window = { growth: 0, variance: 0, dx: 0, allocated: 0 };
  let runStart = -1;
  let prev = -2;
  const close = (a: number, b: number): void => {
    w.growth += s.y[b] - s.y[a];
    w.variance += changeVariance(s, a, b);
    w.dx += s.x[b] - s.x[a];
    if (s.alloc) w.allocated += Math.max(0, s.alloc[b] - s.alloc[a]);
  };
  for (let q = from; q <= to; q++) {
    const k = intervals[q];
    if (k - 1 !== prev) {
      if (runStart >= 0) close(runStart, prev);
      runStart = k - 1;
    }
    prev = k;
  }
  if (runStart >= 0) close(runStart, prev);
  return w;
}

export function assess(s: SiteSeries): Assessment {
  const n = s.y.length;
  const same = (i: number, j: number): boolean => s.seg[i] === s.seg[j];
  const intervals: number[] = [];
  for (let k = 1; k < n; k++) if (same(k - 1, k)) intervals.push(k);
  const m = intervals.length;
  const a: Assessment = {
    verdict: 'no-growth', confidence: 0, growth: 0, growthSd: 0, z: 0, slope: 0, intervals: m, grewIn: 0, tau: 0,
    earlyRate: 0, lateRate: 0, lateGrowth: 0, lateZ: 0, paceRatio: NaN, slowdownZ: 0, drawdown: 0, drawdownZ: 0,
    drawdownAt: [0, 0], retention: null, lateRetention: null, earlyRetention: null,
  };
  if (m === 0) return a;
  for (const k of intervals) if (s.y[k] > s.y[k - 1]) a.grewIn++;

  const all = windowOf(s, intervals, 0, m - 1);
  a.slope = theilSen(s.x, s.y, same);
  a.tau = kendallTau(s.y, same);
  const robust = a.slope * all.dx;
  a.growth = Math.min(robust, all.growth);
  a.growthSd = Math.sqrt(all.variance);
  a.z = a.growthSd > 0 ? a.growth / a.growthSd : a.growth > 0 ? Infinity : 0;
  if (s.alloc && all.allocated > 0) a.retention = all.growth / all.allocated;

  // Largest fall from a peak, within one process run.
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, s.y[i]);
    hi = Math.max(hi, s.y[i]);
  }
  let peak = 0;
  for (let i = 1; i < n; i++) {
    if (!same(i - 1, i) || s.y[i] > s.y[peak]) {
      peak = i;
      continue;
    }
    const d = s.y[peak] - s.y[i];
    if (d > a.drawdown) {
      a.drawdown = d;
      a.drawdownAt = [peak, i];
    }
  }
  if (a.drawdown > 0) {
    const sd = Math.sqrt(changeVariance(s, a.drawdownAt[0], a.drawdownAt[1]));
    a.drawdownZ = sd > 0 ? a.drawdown / sd : Infinity;
  }

  // Earliest and latest thirds of the intervals.
  const w = Math.max(1, Math.ceil(m / 3));
  const early = windowOf(s, intervals, 0, w - 1);
  const late = windowOf(s, intervals, m - w, m - 1);
  a.earlyRate = early.dx > 0 ? early.growth / early.dx : 0;
  a.lateRate = late.dx > 0 ? late.growth / late.dx : 0;
  a.lateGrowth = late.growth;
  const lateSd = Math.sqrt(late.variance);
  a.lateZ = lateSd > 0 ? late.growth / lateSd : late.growth > 0 ? Infinity : late.growth < 0 ? -Infinity : 0;
  if (s.alloc && early.allocated > 0) a.earlyRetention = early.growth / early.allocated;
  if (s.alloc && late.allocated > 0) a.lateRetention = late.growth / late.allocated;
  if (m >= 2 && a.earlyRate > 0) {
    const sdRate = Math.sqrt(early.variance / (early.dx * early.dx) + late.variance / (late.dx * late.dx));
    a.slowdownZ = sdRate > 0 ? (a.earlyRate - a.lateRate) / sdRate : a.earlyRate > a.lateRate ? Infinity : 0;
    const slopeRatio = a.lateRate / a.earlyRate;
    const retRatio = a.earlyRetention !== null && a.earlyRetention > 0 && a.lateRetention !== null
      ? a.lateRetention / a.earlyRetention
      : NaN;
    a.paceRatio = Number.isNaN(retRatio) ? slopeRatio : Math.max(slopeRatio, retRatio);
  }

  if (all.growth <= 0 || a.slope <= 0 || a.growth <= 0) {
    a.verdict = 'no-growth';
    return a;
  }
  if (a.z < Z_GROWTH) {
    a.verdict = 'within-noise';
    return a;
  }
  if (a.drawdownZ >= Z_FALL && a.drawdown >= FALL_SHARE * (hi - lo)) {
    a.verdict = 'rises-and-falls';
    return a;
  }
  const slowedDown = a.slowdownZ >= Z_SLOWDOWN;
  if (slowedDown && (a.lateZ < Z_LATE || a.paceRatio < LEVEL_RATIO)) {
    a.verdict = 'levelled-off';
    return a;
  }
  const slowing = slowedDown && a.paceRatio < SLOWING_RATIO;
  const fell = a.drawdownZ >= Z_FALL;
  const strong = a.z >= Z_LEAK && a.lateZ >= 2 && !slowing && !fell && a.tau >= 0.5 && n >= 4;
  a.verdict = strong ? 'leak' : 'suspect';
  a.confidence = normalCdf(a.z - Z_GROWTH) * normalCdf(Math.min(a.lateZ, 8)) * (0.5 + 0.5 * Math.max(0, a.tau))
    * (slowing ? 0.6 : 1) * (fell ? 0.6 : 1);
  return a;
}
