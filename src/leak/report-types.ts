// The leak report: plain JSON-serializable data. `pprof-plus leaks
// --format=json` prints it as is and the web UI reads the same shape.

import type { GoroutineGroupReport } from './goroutine-attach.ts';
import type { Verdict } from './classify.ts';

export interface SnapshotRef {
  file: string;
  /** ISO 8601 time from time_nanos, or null when the profile has none. */
  time: string | null;
  /** Same data as the snapshot before it (no GC in between): counted once. */
  identical_to_previous?: boolean;
  /** First snapshot after a process restart (allocation counters went back). */
  restart?: boolean;
}

export interface LeakCandidate {
  rank: number;
  /** First user frame of the site (or the label value with --by=label:KEY). */
  function: string;
  /** The site: its frames, innermost first, `name (file:line)`. */
  site: string;
  /** Heaviest stack charged to the site: function names, leaf first. */
  stack: string[];
  verdict: 'leak' | 'suspect';
  /** confidence × share of all growth: what the list is sorted by within a verdict. */
  score: number;
  confidence: number;
  /** Per snapshot (aligned with `snapshots`). */
  inuse_bytes: number[];
  inuse_objects: number[];
  alloc_bytes: number[] | null;
  growth_bytes_per_snapshot: number;
  growth_bytes_per_minute: number | null;
  /** Robust growth over the whole series and its sampling standard deviation. */
  growth_bytes: number;
  growth_sd_bytes: number;
  /** In-use growth / bytes allocated over the series, when known. */
  retention: number | null;
  explanation: string;
  goroutines: GoroutineGroupReport[];
  /** Suppression pattern that matched (only in `suppressed`). */
  suppressed_by?: string;
}

/** Every site the ranking looked at, with the reason it was kept or not (for --all and the UI). */
export interface SiteJudgement {
  function: string;
  site: string;
  verdict: Verdict;
  score: number;
  growth_bytes: number;
  now_bytes: number;
  /** In-use bytes per snapshot (the web UI's sparkline). */
  inuse_bytes: number[];
  explanation: string;
}

export interface Projection {
  limit_bytes: number;
  now_bytes: number;
  growth_bytes_per_minute: number | null;
  growth_bytes_per_snapshot: number;
  /** Milliseconds until total in-use heap reaches the limit at the measured rate; null when not growing or times unknown. */
  eta_ms: number | null;
  /** Snapshots (at the usual interval) until the limit; null when not growing. */
  eta_snapshots: number | null;
  explanation: string;
}

export interface LeakReport {
  snapshots: SnapshotRef[];
  /** MemProfileRate the profiles were taken with (their `period`). */
  sample_period: number;
  /** Distinct sites seen. */
  site_count: number;
  candidates: LeakCandidate[];
  /** Candidates a suppression file marked as judged bounded. */
  suppressed: LeakCandidate[];
  /** Total in-use heap bytes per snapshot. */
  total_inuse_bytes: number[];
  projection: Projection | null;
  /** Sites that were not kept, best first (only with `all`). */
  others?: SiteJudgement[];
  notes: string[];
}
