// Turns the command line's inputs into a list of profile files: files as
// given, directories expanded to the profiles they hold (the corpus and
// `go tool pprof` layouts: heap_NN.pb.gz, goroutine_NN.pb.gz, *.pprof ...),
// and globs the shell left unexpanded. A snapshot store (written by
// `pprof-plus collect`) lives in a higher layer: the caller passes a
// `StoreHook` that recognises it and reads its series.

import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../profile/errors.ts';
import type { Snapshot } from '../profile/model.ts';

/** Snapshots a store directory holds, or null when `dir` is not a store. */
export type StoreHook = (dir: string) => Promise<{ heap: Snapshot[]; goroutine: Snapshot[] } | null>;

export interface ResolvedInputs {
  files: string[];
  /** Snapshots read from stores. */
  snapshots: Snapshot[];
}

const PROFILE_FILE = /\.(pb\.gz|pb|pprof|prof|proto|gz|heap)$|^(heap|goroutine|allocs)/i;

function hasGlob(s: string): boolean {
  return /[*?[]/.test(s);
}

function globToRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

async function kind(path: string): Promise<'file' | 'dir' | null> {
  try {
    const s = await stat(path);
    return s.isDirectory() ? 'dir' : 'file';
  } catch {
    return null;
  }
}

/** Matches a glob, one path component at a time. */
async function expandGlob(pattern: string, cwd: string): Promise<string[]> {
  const abs = pattern.startsWith('/');
  const parts = pattern.split('/').filter((p, i) => p !== '' || i === 0);
  let bases = [abs ? '/' : ''];
  for (const part of parts.slice(abs ? 1 : 0)) {
    const next: string[] = [];
    for (const b of bases) {
      if (!hasGlob(part)) {
        next.push(b ? join(b, part) : part);
        continue;
      }
      const re = globToRegExp(part);
      let names: string[] = [];
      try {
        names = await readdir(join(cwd, b || '.'));
      } catch {
        continue;
      }
      for (const nm of names.sort()) if (re.test(nm) && (part.startsWith('.') || !nm.startsWith('.'))) next.push(b ? join(b, nm) : nm);
    }
    bases = next;
  }
  const out: string[] = [];
  for (const b of bases) if ((await kind(join(cwd, b))) === 'file') out.push(b);
  return out;
}

async function listProfiles(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => !n.startsWith('.') && PROFILE_FILE.test(n)).sort();
  const out: string[] = [];
  for (const n of names) if ((await kind(join(dir, n))) === 'file') out.push(join(dir, n));
  return out;
}

export async function resolveInputs(args: readonly string[], cwd: string, storeHook?: StoreHook): Promise<ResolvedInputs> {
  const files: string[] = [];
  const snapshots: Snapshot[] = [];
  const resolve = (p: string): string => (p.startsWith('/') ? p : join(cwd, p));
  for (const arg of args) {
    const path = resolve(arg);
    const k = await kind(path);
    if (k === 'dir') {
      const store = storeHook ? await storeHook(path) : null;
      if (store) {
        snapshots.push(...store.heap, ...store.goroutine);
        continue;
      }
      const found = await listProfiles(path);
      if (found.length === 0) throw new InputError(arg, 'directory holds no profiles (*.pb.gz, *.pprof, heap_*, goroutine_*)');
      files.push(...found);
    } else if (k === 'file') {
      files.push(path);
    } else if (hasGlob(arg)) {
      const found = await expandGlob(arg, cwd);
      if (found.length === 0) throw new InputError(arg, 'no files match');
      files.push(...found.map(resolve));
    } else {
      throw new InputError(arg, 'no such file or directory');
    }
  }
  return { files, snapshots };
}

/** Display name of an input: relative to cwd when inside it. */
export function displayPath(path: string, cwd: string): string {
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return path.startsWith(base) ? path.slice(base.length) : path;
}

