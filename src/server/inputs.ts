// Loads what was named on the command line (files, or URLs of running
// services as go tool pprof takes them) and tells the kinds apart: heap
// snapshots, goroutine profiles, goroutine dumps, anything else.

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fetchProfile, isURLSource, saveFetchedProfile } from '../fetch/source.ts';
import { parseInput } from '../profile/load.ts';
import { InputError, asInputError } from '../profile/errors.ts';
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

function parseAnyKind(bytes: Uint8Array, source: string, timeMs: number | null, maxBytes?: number): LoadedSource {
  const parsed = parseInput(bytes, source, { maxBytes });
  if (parsed.kind !== 'goroutine-dump') return { source, profile: parsed.profile, dump: null };
  // A dump carries no time of its own: the file's (or the fetch's) orders a series of dumps.
  const dump = parsed.dump.timeMs === null ? { ...parsed.dump, timeMs } : parsed.dump;
  return { source, profile: parsed.profile, dump };
}

/** Loads a file of any kind the loader knows; dumps get the file's modification time. */
export async function loadFile(path: string, maxBytes?: number): Promise<LoadedSource> {
  const bytes = await readBytes(path);
  let mtime: number | null = null;
  try {
    mtime = (await stat(path)).mtimeMs;
  } catch {
    mtime = null;
  }
  return parseAnyKind(bytes, path, mtime, maxBytes);
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
