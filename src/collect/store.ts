// The compact snapshot store: a directory the collector writes and `leaks`,
// `goroutines`, `-http` and `export` read.
//
//   DIR/pprof-plus-store.json              marker: {"format":"pprof-plus-store","version":1}
//   DIR/targets/<key>/target.json          {"target": "<base URL>"}
//   DIR/targets/<key>/<type>/<startMs>.seg segments (see segment-file.ts)
//   DIR/incidents/<key>/<id>/<timestamp>/  trigger bursts (plain .pb.gz / .txt)
//   DIR/collector.lock                     pid of the running collector
//
// <type> is a profile name (heap, goroutine, allocs, block, mutex, cpu) or
// `goroutine-dump` for raw debug=2 text. A series (target, type) is a list
// of segments in time order; each segment has its own dictionary, so one
// can be deleted or rewritten without touching the others.

import { mkdir, open, readdir, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../profile/errors.ts';
import { writeFileAtomic } from '../profile/load.ts';
import type { Profile, Snapshot, SnapshotSeries } from '../profile/model.ts';
import {
  KIND_DUMP, KIND_SNAPSHOT, replaySegment, rewriteSegment, scanSegment, SegmentWriter, type RecordRef,
} from './segment-file.ts';

export const STORE_MARKER = 'pprof-plus-store.json';
export const DUMP_TYPE = 'goroutine-dump';
const SEGMENT_SUFFIX = '.seg';

/** One (target, type) series in a store. */
export interface SeriesInfo {
  /** The target's base URL, e.g. `http://127.0.0.1:6060`. */
  target: string;
  /** Directory name of the target (URL made file-name safe). */
  key: string;
  type: string;
  kind: 'profile' | 'dump';
  count: number;
  firstMs: number;
  lastMs: number;
  bytes: number;
}

export interface SeriesQuery {
  /** Target URL, host:port or key; may be omitted when the store has one target. */
  target?: string;
  type: string;
  /** Inclusive bounds, ms since the epoch. */
  sinceMs?: number;
  untilMs?: number;
}

/** A raw debug=2 goroutine dump read back from the store. */
export interface StoredDump {
  source: string;
  url: string;
  timeMs: number;
  text: Uint8Array;
}

/** File-name-safe key of a target URL: `http://127.0.0.1:6060` → `127.0.0.1_6060`. */
export function targetKey(target: string): string {
  const noScheme = target.replace(/^[a-z+]+:\/\//i, '').replace(/\/+$/, '');
  return noScheme.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 120) || 'target';
}

/** True when `dir` is a snapshot store (holds the marker file). */
export async function isStoreDir(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, STORE_MARKER))).isFile();
  } catch {
    return false;
  }
}

/** Opens a store for reading. Throws an InputError when `dir` is not one. */
export async function openStore(dir: string): Promise<SnapshotStore> {
  if (!(await isStoreDir(dir))) throw new InputError(dir, `not a pprof-plus store (no ${STORE_MARKER})`);
  return new SnapshotStore(dir);
}

/** Creates the store layout when missing. */
export async function initStoreDir(dir: string): Promise<void> {
  await mkdir(join(dir, 'targets'), { recursive: true });
  if (!(await isStoreDir(dir))) {
    await writeFileAtomic(join(dir, STORE_MARKER), `${JSON.stringify({ format: 'pprof-plus-store', version: 1 })}\n`);
  }
}

async function listDir(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).filter((n) => !n.startsWith('.')).sort();
  } catch {
    return [];
  }
}

async function segmentsOf(seriesDir: string): Promise<string[]> {
  return (await listDir(seriesDir)).filter((n) => n.endsWith(SEGMENT_SUFFIX)).map((n) => join(seriesDir, n));
}

async function readTargetURL(dir: string, key: string): Promise<string> {
  try {
    const j = JSON.parse(await readFile(join(dir, 'targets', key, 'target.json'), 'utf8')) as { target?: string };
    if (typeof j.target === 'string') return j.target;
  } catch {
    // fall through
  }
  return key;
}

/** Read access to a store. Safe while a collector appends to it. */
export class SnapshotStore {
  constructor(readonly dir: string) {}

  /** Every (target, type) series with counts and time range. */
  async series(): Promise<SeriesInfo[]> {
    const out: SeriesInfo[] = [];
    for (const key of await listDir(join(this.dir, 'targets'))) {
      const target = await readTargetURL(this.dir, key);
      for (const type of await listDir(join(this.dir, 'targets', key))) {
        const segs = await segmentsOf(join(this.dir, 'targets', key, type));
        if (segs.length === 0) continue;
        let count = 0;
        let firstMs = Infinity;
        let lastMs = -Infinity;
        let bytes = 0;
        for (const seg of segs) {
          const b = await readFile(seg).catch(() => new Uint8Array(0));
          bytes += b.length;
          for (const r of scanSegment(b).records) {
            count++;
            firstMs = Math.min(firstMs, r.timeMs);
            lastMs = Math.max(lastMs, r.timeMs);
          }
        }
        if (count === 0) continue;
        out.push({ target, key, type, kind: type === DUMP_TYPE ? 'dump' : 'profile', count, firstMs, lastMs, bytes });
      }
    }
    return out;
  }

  /** Base URLs of the targets in the store. */
  async targets(): Promise<string[]> {
    const keys = await listDir(join(this.dir, 'targets'));
    return Promise.all(keys.map((k) => readTargetURL(this.dir, k)));
  }

  /** Resolves a user's target spelling to a key. */
  async resolveTarget(target: string | undefined, type?: string): Promise<string> {
    // Directory listings only: cheap enough to run on every query.
    const keys: string[] = [];
    for (const key of await listDir(join(this.dir, 'targets'))) {
      const types = type === undefined ? await listDir(join(this.dir, 'targets', key)) : [type];
      for (const t of types) {
        if ((await segmentsOf(join(this.dir, 'targets', key, t))).length > 0) {
          keys.push(key);
          break;
        }
      }
    }
    if (target === undefined || target === '') {
      if (keys.length === 1) return keys[0];
      if (keys.length === 0) throw new InputError(this.dir, `store holds no ${type ?? ''} snapshots`.replace('  ', ' '));
      throw new InputError(this.dir, `store holds several targets (${keys.join(', ')}): pick one with -target`);
    }
    const want = targetKey(target);
    const hit = keys.find((k) => k === target || k === want) ?? keys.find((k) => k.includes(want));
    if (!hit) throw new InputError(this.dir, `no ${type ?? ''} snapshots of target ${target} (have: ${keys.join(', ') || 'none'})`.replace('  ', ' '));
    return hit;
  }

  private async records(q: SeriesQuery & { target: string }, kind: number): Promise<ReturnType<typeof replaySegment>['decoded']> {
    const key = q.target;
    const since = q.sinceMs ?? -Infinity;
    const until = q.untilMs ?? Infinity;
    const out: ReturnType<typeof replaySegment>['decoded'] = [];
    for (const seg of await segmentsOf(join(this.dir, 'targets', key, q.type))) {
      const bytes = await readFile(seg).catch(() => null);
      if (!bytes) continue;
      const scan = scanSegment(bytes);
      if (!scan.records.some((r) => r.timeMs >= since && r.timeMs <= until)) continue;
      const want = (r: RecordRef): boolean => r.kind === kind && r.timeMs >= since && r.timeMs <= until;
      out.push(...replaySegment(bytes, want).decoded);
    }
    out.sort((a, b) => a.timeMs - b.timeMs);
    return out;
  }

  /** Snapshots of one target and profile type, oldest first. */
  async readSnapshots(q: SeriesQuery): Promise<Snapshot[]> {
    const key = await this.resolveTarget(q.target, q.type);
    const recs = await this.records({ ...q, target: key }, KIND_SNAPSHOT);
    return recs.map((r) => ({
      source: `${this.dir}#${key}/${q.type}@${new Date(r.timeMs).toISOString()}`,
      profile: r.profile as Profile,
      timeMs: r.timeMs,
    }));
  }

  async readSeries(q: SeriesQuery): Promise<SnapshotSeries> {
    return { snapshots: await this.readSnapshots(q) };
  }

  /**
   * Incident bursts (complete ones: incident.json present), oldest first.
   * Each record names its directory and the files captured there.
   */
  async incidents(): Promise<Array<Record<string, unknown> & { dir: string; time: string }>> {
    const out: Array<Record<string, unknown> & { dir: string; time: string }> = [];
    const root = join(this.dir, 'incidents');
    for (const key of await listDir(root)) {
      for (const id of await listDir(join(root, key))) {
        for (const stamp of await listDir(join(root, key, id))) {
          const dir = join(root, key, id, stamp);
          try {
            const rec = JSON.parse(await readFile(join(dir, 'incident.json'), 'utf8')) as Record<string, unknown>;
            out.push({ ...rec, dir, time: String(rec.time ?? '') });
          } catch {
            // Still being captured, or cut short by a crash.
          }
        }
      }
    }
    return out.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }

  /** Raw debug=2 goroutine dumps (type `goroutine-dump`), oldest first. */
  async readGoroutineDumps(q: Omit<SeriesQuery, 'type'>): Promise<StoredDump[]> {
    const key = await this.resolveTarget(q.target, DUMP_TYPE);
    const recs = await this.records({ ...q, target: key, type: DUMP_TYPE }, KIND_DUMP);
    return recs.map((r) => ({
      source: `${this.dir}#${key}/${DUMP_TYPE}@${new Date(r.timeMs).toISOString()}`,
      url: r.meta.url,
      timeMs: r.timeMs,
      text: r.dump as Uint8Array,
    }));
  }
}

/** How long to keep snapshots: a duration or a count per series. */
export type Retention = { kind: 'age'; ms: number } | { kind: 'count'; n: number } | null;

/** Parses `--retain`: `7d`, `12h`, `30m` or a count `N`. */
export function parseRetention(s: string): Retention {
  if (s === '' || s === '0') return null;
  if (/^\d+$/.test(s)) return { kind: 'count', n: Number(s) };
  const ms = parseDurationMs(s);
  if (ms === null) throw new InputError('', `invalid -retain "${s}": want a count (500) or an age (7d, 12h, 30m)`);
  return { kind: 'age', ms };
}

/** `30s`, `200ms`, `5m`, `2h`, `7d`, `1h30m` → milliseconds, or null. */
export function parseDurationMs(s: string): number | null {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
  let total = 0;
  let used = 0;
  for (let m; (m = re.exec(s)); ) {
    const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms'];
    total += Number(m[1]) * unit;
    used += m[0].length;
  }
  return used === s.length && used > 0 ? total : null;
}

export interface WriterOptions {
  /** Start a new segment after this many snapshots (default 240). */
  segmentMaxSnapshots?: number;
  /** ... or this many bytes (default 32 MiB). */
  segmentMaxBytes?: number;
}

/**
 * Appends snapshots to a store. One per store at a time (a lock file with
 * the pid; a lock left by a dead process is taken over).
 */
export class StoreWriter {
  private open = new Map<string, SegmentWriter>();
  private queues = new Map<string, Promise<unknown>>();
  private readonly maxSnaps: number;
  private readonly maxBytes: number;

  private constructor(readonly dir: string, opts: WriterOptions) {
    this.maxSnaps = opts.segmentMaxSnapshots ?? 240;
    this.maxBytes = opts.segmentMaxBytes ?? 32 << 20;
  }

  static async open(dir: string, opts: WriterOptions = {}): Promise<StoreWriter> {
    await initStoreDir(dir);
    await takeLock(join(dir, 'collector.lock'));
    await removeStaleTemps(dir);
    return new StoreWriter(dir, opts);
  }

  /** Serializes work per series so appends never interleave. */
  private enqueue<T>(series: string, job: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(series) ?? Promise.resolve();
    const next = prev.then(job, job);
    this.queues.set(series, next.catch(() => {}));
    return next;
  }

  private targetsReady = new Map<string, Promise<void>>();

  /** Writes target.json once per target (memoized: series of one target append concurrently). */
  private ensureTarget(target: string): Promise<void> {
    const key = targetKey(target);
    let p = this.targetsReady.get(key);
    if (!p) {
      p = this.writeTarget(target, key);
      p.catch(() => this.targetsReady.delete(key));
      this.targetsReady.set(key, p);
    }
    return p;
  }

  private async writeTarget(target: string, key: string): Promise<void> {
    const tdir = join(this.dir, 'targets', key);
    const tfile = join(tdir, 'target.json');
    try {
      await stat(tfile);
    } catch {
      await mkdir(tdir, { recursive: true });
      await writeFileAtomic(tfile, `${JSON.stringify({ target })}\n`);
    }
  }

  private async segmentFor(key: string, type: string, timeMs: number): Promise<SegmentWriter> {
    const id = `${key}/${type}`;
    let w = this.open.get(id);
    if (w && (!w.usable || w.count >= this.maxSnaps || w.bytes >= this.maxBytes)) {
      await w.close();
      this.open.delete(id);
      w = undefined;
    }
    if (w) return w;
    const sdir = join(this.dir, 'targets', key, type);
    await mkdir(sdir, { recursive: true });
    const segs = await segmentsOf(sdir);
    const last = segs[segs.length - 1];
    if (last) {
      const reopened = await SegmentWriter.reopen(last).catch(() => null);
      if (reopened && reopened.count < this.maxSnaps && reopened.bytes < this.maxBytes) w = reopened;
      else await reopened?.close();
    }
    if (!w) {
      let name = `${String(Math.floor(timeMs)).padStart(13, '0')}${SEGMENT_SUFFIX}`;
      for (let k = 1; segs.includes(join(sdir, name)); k++) name = `${String(Math.floor(timeMs)).padStart(13, '0')}-${k}${SEGMENT_SUFFIX}`;
      w = await SegmentWriter.create(join(sdir, name));
    }
    this.open.set(id, w);
    return w;
  }

  /** Appends a profile snapshot; resolves once it is on disk (fsynced). */
  appendProfile(target: string, type: string, profile: Profile, timeMs: number, url: string): Promise<void> {
    const key = targetKey(target);
    return this.enqueue(`${key}/${type}`, async () => {
      await this.ensureTarget(target);
      const w = await this.segmentFor(key, type, timeMs);
      await w.appendProfile(profile, { timeMs, url });
    });
  }

  /** Appends a raw debug=2 goroutine dump. */
  appendDump(target: string, text: Uint8Array, timeMs: number, url: string): Promise<void> {
    const key = targetKey(target);
    return this.enqueue(`${key}/${DUMP_TYPE}`, async () => {
      await this.ensureTarget(target);
      const w = await this.segmentFor(key, DUMP_TYPE, timeMs);
      await w.appendDump(text, { timeMs, url });
    });
  }

  /**
   * Drops snapshots beyond the retention policy: whole segments when all
   * their snapshots expired, else the oldest segment is rewritten without
   * its expired prefix (temporary file, fsync, rename). Returns how many
   * snapshots were removed.
   */
  async applyRetention(policy: Retention, nowMs: number): Promise<number> {
    if (!policy) return 0;
    let removed = 0;
    for (const key of await listDir(join(this.dir, 'targets'))) {
      for (const type of await listDir(join(this.dir, 'targets', key))) {
        const sdir = join(this.dir, 'targets', key, type);
        removed += await this.enqueue(`${key}/${type}`, () => this.retainSeries(key, type, sdir, policy, nowMs));
      }
    }
    return removed;
  }

  private async retainSeries(key: string, type: string, sdir: string, policy: NonNullable<Retention>, nowMs: number): Promise<number> {
    const segs = await segmentsOf(sdir);
    const times: number[][] = [];
    for (const seg of segs) {
      const b = await readFile(seg).catch(() => new Uint8Array(0));
      times.push(scanSegment(b).records.map((r) => r.timeMs));
    }
    const all = times.flat().sort((a, b) => a - b);
    let cutoff: number; // keep records with timeMs >= cutoff
    if (policy.kind === 'age') cutoff = nowMs - policy.ms;
    else {
      if (all.length <= policy.n) return 0;
      cutoff = policy.n === 0 ? Infinity : all[all.length - policy.n];
    }
    let removed = 0;
    const id = `${key}/${type}`;
    for (let i = 0; i < segs.length; i++) {
      const expired = times[i].filter((t) => t < cutoff).length;
      if (expired === 0) continue;
      const active = this.open.get(id);
      if (active && active.path === segs[i]) {
        await active.close();
        this.open.delete(id);
      }
      if (expired === times[i].length) await unlink(segs[i]).catch(() => {});
      else await rewriteSegment(segs[i], (r) => r.timeMs >= cutoff);
      removed += expired;
    }
    return removed;
  }

  /** Waits for pending appends, closes segments and releases the lock. */
  async close(): Promise<void> {
    await Promise.all([...this.queues.values()]);
    for (const w of this.open.values()) await w.close();
    this.open.clear();
    await unlink(join(this.dir, 'collector.lock')).catch(() => {});
  }
}

/** Temporary files a crash left behind (we hold the lock: nobody is writing them). */
async function removeStaleTemps(dir: string): Promise<void> {
  const tdir = join(dir, 'targets');
  for (const key of await listDir(tdir)) {
    for (const type of await listDir(join(tdir, key))) {
      const sdir = join(tdir, key, type);
      let names: string[] = [];
      try {
        names = await readdir(sdir);
      } catch {
        continue;
      }
      for (const n of names) if (n.startsWith('.') && n.endsWith('.tmp')) await unlink(join(sdir, n)).catch(() => {});
    }
  }
}

async function takeLock(path: string): Promise<void> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fh = await open(path, 'wx');
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const pid = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    if (pid > 0 && pid !== process.pid && processAlive(pid)) {
      throw new InputError(path, `another collector (pid ${pid}) is writing this store`);
    }
    // Stale lock from a process that is gone (kill -9, reboot): take it over.
    await writeFile(path, `${process.pid}\n`);
    return;
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
