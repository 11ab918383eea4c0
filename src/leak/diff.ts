// Two-snapshot mode: what was added to the heap between two moments, by
// site and by object size (the `bytes` label heap profiles carry). Each
// change comes with its sampling standard deviation, so a change of a
// sample or two reads as what it is.

import { InputError } from '../profile/errors.ts';
import type { Snapshot } from '../profile/model.ts';
import { changeVariance } from './classify.ts';
import type { LeakOptions } from './rank.ts';
import { profileKind } from './rank.ts';
import type { SnapshotRef } from './report-types.ts';
import { SiteAccumulator, type SnapshotColumns } from './sites.ts';

export interface DiffRow {
  function: string;
  site: string;
  stack: string[];
  inuse_bytes_delta: number;
  inuse_objects_delta: number;
  alloc_bytes_delta: number | null;
  alloc_objects_delta: number | null;
  inuse_bytes_now: number;
  /** Sampling standard deviation of inuse_bytes_delta. */
  noise_sd_bytes: number;
  /** |delta| is at least 3 standard deviations. */
  significant: boolean;
}

export interface SizeRow {
  /** Object size in bytes (the `bytes` label), or null where the profile has none. */
  bytes: number | null;
  inuse_objects_delta: number;
  inuse_bytes_delta: number;
  alloc_objects_delta: number | null;
}

export interface DiffReport {
  mode: 'diff';
  base: SnapshotRef;
  snapshot: SnapshotRef;
  sample_period: number;
  total_inuse_bytes_delta: number;
  total_alloc_bytes_delta: number | null;
  sites: DiffRow[];
  sizes: SizeRow[];
  notes: string[];
}

function ref(s: Snapshot): SnapshotRef {
  return { file: s.source, time: s.timeMs !== null ? new Date(s.timeMs).toISOString() : null };
}

export function diffSnapshots(a: Snapshot, b: Snapshot, opts: LeakOptions = {}): DiffReport {
  for (const s of [a, b]) {
    if (profileKind(s.profile, s.source) !== 'heap') throw new InputError(s.source, 'is a goroutine profile: --diff takes two heap profiles');
  }
  const notes: string[] = [];
  let [base, next] = [a, b];
  if (a.timeMs !== null && b.timeMs !== null && a.timeMs > b.timeMs) {
    [base, next] = [b, a];
    notes.push('inputs given newest first: diffing in time order');
  }
  const sitesAcc = new SiteAccumulator({
    depth: opts.depth ?? 1,
    frames: { keep: (opts.keep ?? []).map((x) => new RegExp(x)), skip: (opts.skip ?? []).map((x) => new RegExp(x)) },
    byLabel: opts.byLabel,
  });
  const c0 = sitesAcc.add(base.profile);
  const c1 = sitesAcc.add(next.profile);
  const hasAlloc = c0.hasAlloc && c1.hasAlloc;
  const restarted = hasAlloc && c1.totalAlloc < c0.totalAlloc;
  if (restarted) notes.push('allocation counters went back: the process restarted between the two snapshots');
  const get = (c: SnapshotColumns, k: keyof SnapshotColumns, i: number): number => {
    const arr = c[k] as Float64Array;
    return i < arr.length ? arr[i] : 0;
  };
  const rows: DiffRow[] = [];
  sitesAcc.sites.forEach((info, i) => {
    const y = Float64Array.of(get(c0, 'inuseBytes', i), get(c1, 'inuseBytes', i));
    const alloc = Float64Array.of(get(c0, 'allocBytes', i), get(c1, 'allocBytes', i));
    const sd = Math.sqrt(changeVariance({
      x: Float64Array.of(0, 1), y, v: Float64Array.of(get(c0, 'inuseVar', i), get(c1, 'inuseVar', i)),
      alloc: hasAlloc && !restarted ? alloc : null,
      allocVar: hasAlloc && !restarted ? Float64Array.of(get(c0, 'allocVar', i), get(c1, 'allocVar', i)) : null,
      seg: Int32Array.of(0, 0),
    }, 0, 1));
    const d = y[1] - y[0];
    const dObj = get(c1, 'inuseObjects', i) - get(c0, 'inuseObjects', i);
    if (d === 0 && dObj === 0 && alloc[1] === alloc[0]) return;
    rows.push({
      function: info.frames[0]?.name ?? '?',
      site: info.frames.map((f) => (f.line ? `${f.name}:${f.line}` : f.name)).join(' < '),
      stack: info.stack,
      inuse_bytes_delta: d,
      inuse_objects_delta: dObj,
      alloc_bytes_delta: hasAlloc && !restarted ? alloc[1] - alloc[0] : null,
      alloc_objects_delta: hasAlloc && !restarted ? get(c1, 'allocObjects', i) - get(c0, 'allocObjects', i) : null,
      inuse_bytes_now: y[1],
      noise_sd_bytes: Math.round(sd),
      significant: d !== 0 && Math.abs(d) >= 3 * sd,
    });
  });
  rows.sort((p, q) => q.inuse_bytes_delta - p.inuse_bytes_delta || (p.site < q.site ? -1 : 1));

  const sizesAcc = new SiteAccumulator({ depth: 1, frames: { keep: [], skip: [] }, byLabel: 'bytes' });
  const s0 = sizesAcc.add(base.profile);
  const s1 = sizesAcc.add(next.profile);
  const sizes: SizeRow[] = [];
  sizesAcc.sites.forEach((info, i) => {
    const m = /^bytes=(\d+)/.exec(info.frames[0].name);
    const dB = get(s1, 'inuseBytes', i) - get(s0, 'inuseBytes', i);
    const dO = get(s1, 'inuseObjects', i) - get(s0, 'inuseObjects', i);
    if (dB === 0 && dO === 0) return;
    sizes.push({
      bytes: m ? Number(m[1]) : null,
      inuse_objects_delta: dO,
      inuse_bytes_delta: dB,
      alloc_objects_delta: hasAlloc && !restarted ? get(s1, 'allocObjects', i) - get(s0, 'allocObjects', i) : null,
    });
  });
  sizes.sort((p, q) => q.inuse_bytes_delta - p.inuse_bytes_delta);

  return {
    mode: 'diff',
    base: ref(base),
    snapshot: ref(next),
    sample_period: c1.period,
    total_inuse_bytes_delta: c1.totalInuse - c0.totalInuse,
    total_alloc_bytes_delta: hasAlloc && !restarted ? c1.totalAlloc - c0.totalAlloc : null,
    sites: rows,
    sizes,
    notes,
  };
}
