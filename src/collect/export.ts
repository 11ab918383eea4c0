// Store → plain files: one gzipped profile.proto per snapshot (what
// `go tool pprof` reads), one .txt per goroutine dump.
//
//   OUTDIR/<target key>/<type>/<type>.<yyyymmddThhmmss.mmmZ>.pb.gz

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic, writeProfileFile } from '../profile/load.ts';
import { stampOf } from './incident.ts';
import { DUMP_TYPE, type SnapshotStore } from './store.ts';

export interface ExportOptions {
  out: string;
  target?: string;
  types?: string[];
  sinceMs?: number;
  untilMs?: number;
}

/** Writes the selected snapshots; returns the paths written. */
export async function exportStore(store: SnapshotStore, opts: ExportOptions): Promise<string[]> {
  const written: string[] = [];
  const series = await store.series();
  const keys = opts.target ? [await store.resolveTarget(opts.target)] : [...new Set(series.map((s) => s.key))];
  for (const s of series) {
    if (!keys.includes(s.key)) continue;
    if (opts.types && !opts.types.includes(s.type)) continue;
    const dir = join(opts.out, s.key, s.type);
    const q = { target: s.key, sinceMs: opts.sinceMs, untilMs: opts.untilMs };
    if (s.type === DUMP_TYPE) {
      const dumps = await store.readGoroutineDumps(q);
      if (dumps.length) await mkdir(dir, { recursive: true });
      for (const d of dumps) {
        const path = join(dir, `goroutines.${stampOf(d.timeMs)}.txt`);
        await writeFileAtomic(path, d.text);
        written.push(path);
      }
      continue;
    }
    const snaps = await store.readSnapshots({ ...q, type: s.type });
    if (snaps.length) await mkdir(dir, { recursive: true });
    for (const snap of snaps) {
      const path = join(dir, `${s.type}.${stampOf(snap.timeMs ?? 0)}.pb.gz`);
      await writeProfileFile(path, snap.profile);
      written.push(path);
    }
  }
  return written;
}

/** `--since/--until`: RFC 3339 / ISO time, or a duration ago (`2h`). */
export function parseTimeBound(s: string, nowMs: number, parseDurationMs: (s: string) => number | null): number | null {
  if (s === '') return null;
  const ago = parseDurationMs(s);
  if (ago !== null) return nowMs - ago;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}
