// Builds the symbolizer's test programs from testdata/symbolize into a
// cache directory keyed by the hash of the sources and the build recipe, so a re-run skips the build.
// Each test file passes its own name: files run in parallel and never share
// an output directory.

import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const TESTDATA = new URL('../../testdata/symbolize/', import.meta.url).pathname;

function sourcesHash(dir: string, recipe: string): string {
  const h = createHash('sha256');
  h.update(recipe);
  for (const f of readdirSync(dir).sort()) {
    h.update(f);
    h.update(readFileSync(join(dir, f)));
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * Runs `build(outDir)` once per (test file, sources) pair; returns the
 * directory. A finished build is marked by renaming a temp dir into place.
 */
export function cachedBuild(testName: string, srcDir: string, build: (out: string) => void): string {
  const dir = join(tmpdir(), 'pprof-plus-symbolize', `${testName}-${sourcesHash(srcDir, build.toString())}`);
  if (existsSync(dir)) return dir;
  const tmp = `${dir}.tmp${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  build(tmp);
  renameSync(tmp, dir);
  return dir;
}

export function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; input?: string } = {}): string {
  return execFileSync(cmd, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    input: opts.input,
    maxBuffer: 1 << 28,
    stdio: ['pipe', 'pipe', 'pipe'],
  }).toString();
}

export function goEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOFLAGS: '-mod=mod', GOCACHE: join(tmpdir(), 'pprof-plus-gocache'), GO111MODULE: 'on', CGO_ENABLED: '0' };
}
