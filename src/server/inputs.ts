// Loads what was named on the command line (files, `pprof-plus collect`
// store directories, or URLs of running services as go tool pprof takes
// them) and tells the kinds apart: heap snapshots, goroutine profiles,
// goroutine dumps, anything else.

import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fetchProfile, isURLSource, saveFetchedProfile } from '../fetch/source.ts';
import { parseInput, readInputFile } from '../profile/load.ts';
import { InputError, UsageError } from '../profile/errors.ts';
import { DUMP_TYPE, isStoreDir, openStore } from '../collect/store.ts';
import type { GoroutineDump, Profile } from '../profile/model.ts';

export interface LoadedSource {
  source: string;
  profile: Profile;
  /** Set for debug=2 goroutine dumps (the profile is then its goroutine-count view). */
  dump: GoroutineDump | null;
}

export interface SourceOptions {
  /** -seconds / -timeout for URL sources. */
  seconds?: number;
  timeout?: number;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Largest decompressed input accepted (-max_decompressed). */
  maxBytes?: number;
}

export function parseAnyKind(bytes: Uint8Array, source: string, timeMs: number | null, maxBytes?: number): LoadedSource {
  const parsed = parseInput(bytes, source, { maxBytes });
  if (parsed.kind !== 'goroutine-dump') return { source, profile: parsed.profile, dump: null };
  // A dump carries no time of its own: the file's (or the fetch's) orders a series of dumps.
  const dump = parsed.dump.timeMs === null ? { ...parsed.dump, timeMs } : parsed.dump;
  return { source, profile: parsed.profile, dump };
}

/** Loads a file of any kind the loader knows (src/profile/load.ts); dumps get the file's modification time. */
export async function loadFile(path: string, maxBytes?: number): Promise<LoadedSource> {
  const parsed = await readInputFile(path, { maxBytes });
  if (parsed.kind !== 'goroutine-dump') return { source: path, profile: parsed.profile, dump: null };
  if (parsed.dump.timeMs !== null) return { source: path, profile: parsed.profile, dump: parsed.dump };
  // A dump carries no time of its own: the file's orders a series of dumps.
  let mtime: number | null = null;
  try {
    mtime = (await stat(path)).mtimeMs;
  } catch {
    mtime = null;
  }
  return { source: path, profile: parsed.profile, dump: { ...parsed.dump, timeMs: mtime } };
}

/** The series of a store the UI shows: heap snapshots, goroutine profiles and goroutine dumps. */
const STORE_PROFILE_TYPES = ['heap', 'goroutine'];

/** Which part of a store to load: one target (its URL or key; default the first) and a time range. */
export interface StoreSelection {
  target?: string;
  /** Inclusive bounds, ms since the epoch. */
  sinceMs?: number;
  untilMs?: number;
}

/**
 * Loads a `pprof-plus collect` store directory: every heap and goroutine
 * snapshot and goroutine dump of one target (the first unless chosen) in
 * the chosen time range (the Leak Candidates and Goroutines panels then
 * have that series).
 */
export async function loadStore(dir: string, maxBytes?: number, sel: StoreSelection = {}): Promise<LoadedSource[]> {
  const store = await openStore(dir);
  const series = (await store.series()).filter((s) => (s.kind === 'profile' && STORE_PROFILE_TYPES.includes(s.type)) || s.type === DUMP_TYPE);
  const keys = [...new Set(series.map((s) => s.key))];
  if (keys.length === 0) throw new InputError(dir, 'store holds no heap or goroutine snapshots');
  let key = keys[0];
  if (sel.target) {
    const hit = series.find((s) => s.key === sel.target || s.target === sel.target);
    if (!hit) throw new UsageError(`store: no target ${sel.target} (have: ${[...new Set(series.map((s) => s.target))].join(', ')})`);
    key = hit.key;
  }
  const range = { target: key, sinceMs: sel.sinceMs, untilMs: sel.untilMs };
  const out: LoadedSource[] = [];
  for (const s of series.filter((x) => x.key === key)) {
    if (s.type === DUMP_TYPE) {
      for (const d of await store.readGoroutineDumps(range)) out.push(parseAnyKind(d.text, d.source, d.timeMs, maxBytes));
    } else {
      for (const snap of await store.readSnapshots({ ...range, type: s.type })) out.push({ source: snap.source, profile: snap.profile, dump: null });
    }
  }
  return out;
}

/** Loads one command-line source: a store directory expands to its snapshots. */
export async function loadSources(source: string, o: SourceOptions): Promise<LoadedSource[]> {
  const path = resolve(o.cwd, source);
  if (await isStoreDir(path)) return loadStore(path, o.maxBytes);
  return [await loadAnySource(source, o)];
}

/**
 * Loads a file, or fetches a URL (`host:port`, `http://…/debug/pprof/heap`)
 * when no file has that name, as go tool pprof does; fetched profiles are
 * saved like pprof saves them.
 */
export async function loadAnySource(source: string, o: SourceOptions): Promise<LoadedSource> {
  const path = resolve(o.cwd, source);
  if (existsSync(path) || !isURLSource(source)) return loadFile(path, o.maxBytes);
  const { data, url } = await fetchProfile(source, { seconds: o.seconds, timeout: o.timeout, stderr: o.stderr, maxBytes: o.maxBytes });
  const loaded = parseAnyKind(data, url, Date.now(), o.maxBytes);
  if (!loaded.dump) {
    try {
      // saveFetchedProfile prints "Saved profile in <path>" itself, as pprof does.
      await saveFetchedProfile(data, o.env, o.stderr);
    } catch {
      // Saving is a convenience; the UI still has the data.
    }
  }
  return loaded;
}

export function isHeapProfile(p: Profile): boolean {
  return p.sampleTypes.some((t) => t.type === 'inuse_space');
}

export function isGoroutineProfile(p: Profile): boolean {
  return p.sampleTypes.length === 1 && p.sampleTypes[0].type === 'goroutine';
}
