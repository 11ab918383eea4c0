// Source file lookup for -list, as pprof's report/source.go does it:
// -trim_path prefixes (plus /proc/self/cwd/), a heuristic that strips up to
// the basename of a -source_path directory, and a search of each source
// path directory and its parents.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { baseName } from './graph.ts';

/** filepath.SplitList: '' is no element at all. */
function splitList(s: string): string[] {
  return s === '' ? [] : s.split(':');
}

/** pprof's trimPath. */
export function trimSourcePath(path: string, trim: string, searchPath: string): string {
  if (trim === '') {
    for (const dir of splitList(searchPath)) {
      const want = '/' + baseName(dir) + '/';
      const found = path.indexOf(want);
      if (found !== -1) return path.slice(found + want.length);
    }
  }
  const prefixes = [...splitList(trim), '/proc/self/cwd/./', '/proc/self/cwd/'];
  for (let t of prefixes) {
    if (!t.endsWith('/')) t += '/';
    if (path.startsWith(t)) return path.slice(t.length);
  }
  return path;
}

function parentDir(dir: string): string {
  if (dir === '/' || dir === '.' || dir === '') return dir === '' ? '.' : dir;
  const s = dir.replace(/\/+$/, '');
  const i = s.lastIndexOf('/');
  if (i < 0) return '.';
  if (i === 0) return '/';
  return s.slice(0, i);
}

function readText(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return null;
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** openSourceFile: the file's text, or an error message pprof would print. */
export function openSourceFile(path: string, searchPath: string, trim: string): { text: string } | { error: string } {
  path = trimSourcePath(path, trim, searchPath);
  if (path.startsWith('/')) {
    const t = readText(path);
    return t === null ? { error: `open ${path}: no such file or directory` } : { text: t };
  }
  for (let dir of splitList(searchPath)) {
    for (;;) {
      const t = readText(join(dir, path));
      if (t !== null) return { text: t };
      const parent = parentDir(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return { error: `could not find file ${path} on path ${searchPath}` };
}

/** Caches source files as line arrays (index 0 unused), like pprof's sourceReader. */
export class SourceReader {
  private readonly files = new Map<string, string[]>();
  private readonly errors = new Map<string, string>();
  constructor(private readonly searchPath: string, private readonly trim: string) {}

  line(path: string, lineno: number): string | undefined {
    let lines = this.files.get(path);
    if (!lines) {
      lines = [''];
      const r = openSourceFile(path, this.searchPath, this.trim);
      if ('error' in r) this.errors.set(path, r.error);
      else lines.push(...splitScannerLines(r.text));
      this.files.set(path, lines);
    }
    if (lineno <= 0 || lineno >= lines.length) return undefined;
    return lines[lineno];
  }

  fileError(path: string): string | undefined {
    return this.errors.get(path);
  }
}

/** bufio.Scanner line splitting: '\n' ends a line, a trailing '\r' is dropped, no empty last line. */
function splitScannerLines(text: string): string[] {
  if (text === '') return [];
  const parts = text.split('\n');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
