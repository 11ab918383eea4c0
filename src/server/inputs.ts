// Loads what was named on the command line and sorts it into what the UI
// shows: profiles (merged by nothing here: each kept with its source), heap
// snapshot series, goroutine dumps, and an optional base for diffs.

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fetchProfile, isURLSource, saveFetchedProfile } from '../fetch/source.ts';
import { gunzipBounded, isGzip, parseInput } from '../profile/load.ts';
import { goroutineDumpToProfile } from '../profile/goroutine-profile.ts';
import { InputError, asInputError } from '../profile/errors.ts';
import type { GoroutineDump, Profile } from '../profile/model.ts';
import { looksLikeDump, parseDumpFallback } from './dump-fallback.ts';

export interface LoadedSource {
  source: string;
  profile: Profile;
  dump: GoroutineDump | null;
}

async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'ENOENT') throw new InputError(path, 'no such file');
    if (e.code === 'EISDIR') throw new InputError(path, 'is a directory, not a profile');
    throw asInputError(path, err);
  }
}

export async function loadSource(path: string): Promise<LoadedSource> {
  const bytes = await readBytes(path);
  const parsed = parseInput(bytes, path);
  if (parsed.kind === 'goroutine-dump') return { source: path, profile: parsed.profile, dump: parsed.dump };
  return { source: path, profile: parsed.profile, dump: null };
}

export interface SourceOptions {
  /** -seconds / -timeout for URL sources. */
  seconds?: number;
  timeout?: number;
  stderr: NodeJS.WritableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/**
 * Loads a file, or fetches a URL (`host:port`, `http://…/debug/pprof/heap`)
 * when no file has that name, as go tool pprof does; fetched profiles are
 * saved like pprof saves them.
 */
export async function loadAnySource(source: string, o: SourceOptions): Promise<LoadedSource> {
  const path = resolve(o.cwd, source);
  if (!existsSync(path) && isURLSource(source)) {
    const { data, url } = await fetchProfile(source, { seconds: o.seconds, timeout: o.timeout, stderr: o.stderr });
    const loaded = await parseAnyKind(data, url, Date.now());
    if (!loaded.dump) {
      try {
        const saved = await saveFetchedProfile(data, o.env, o.stderr);
        o.stderr.write(`Saved profile in ${saved}\n`);
      } catch {
        // Saving is a convenience; the UI still has the data.
      }
    }
    return loaded;
  }
  return loadSourceAnyKind(path);
}

/** Like loadSource, but reads debug=2 dumps itself when the profile layer cannot yet. */
export async function loadSourceAnyKind(path: string): Promise<LoadedSource> {
  const bytes = await readBytes(path);
  let mtime: number | null = null;
  try {
    mtime = (await stat(path)).mtimeMs;
  } catch {
    mtime = null;
  }
  return parseAnyKind(bytes, path, mtime);
}

async function parseAnyKind(bytes: Uint8Array, path: string, timeMs: number | null): Promise<LoadedSource> {
  const data = isGzip(bytes) ? gunzipBounded(bytes, path) : bytes;
  const head = new TextDecoder().decode(data.subarray(0, 256));
  if (looksLikeDump(head)) {
    try {
      const parsed = parseInput(data, path);
      if (parsed.kind === 'goroutine-dump') return { source: path, profile: parsed.profile, dump: parsed.dump };
    } catch {
      // fall through to the server's own reader
    }
    const dump = parseDumpFallback(new TextDecoder().decode(data), path, timeMs);
    if (dump.goroutines.length === 0) throw new InputError(path, 'no goroutines found in dump');
    return { source: path, profile: goroutineDumpToProfile(dump), dump };
  }
  const parsed = parseInput(data, path);
  return { source: path, profile: parsed.profile, dump: parsed.kind === 'goroutine-dump' ? parsed.dump : null };
}

export function isHeapProfile(p: Profile): boolean {
  return p.sampleTypes.some((t) => t.type === 'inuse_space');
}

export function isGoroutineProfile(p: Profile): boolean {
  return p.sampleTypes.length === 1 && p.sampleTypes[0].type === 'goroutine';
}
