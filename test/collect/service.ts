// The real Go service of testdata/service: built once per machine (cached in
// the temp dir by source hash) and started on a loopback port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../helpers/paths.ts';

const SRC = join(repoRoot, 'testdata/service');

/** Path of the built service binary (builds it on first use). */
export function serviceBinary(): string {
  const hash = createHash('sha256')
    .update(readFileSync(join(SRC, 'main.go')))
    .update(readFileSync(join(SRC, 'go.mod')))
    .digest('hex')
    .slice(0, 12);
  const dir = join(tmpdir(), `pprof-plus-leakservice-${hash}`);
  const bin = join(dir, 'service');
  if (existsSync(bin)) return bin;
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `service.${process.pid}.tmp`);
  const r = spawnSync('go', ['build', '-trimpath', '-o', tmp, '.'], {
    cwd: SRC,
    env: { ...process.env, GOFLAGS: '-mod=mod', GOCACHE: process.env.GOCACHE ?? '/tmp/gocache', CGO_ENABLED: '0' },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`go build failed: ${r.stderr}`);
  renameSync(tmp, bin);
  return bin;
}

export interface RunningService {
  /** Base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  port: number;
  proc: ChildProcess;
  stop(): Promise<void>;
}

/** Starts the service; resolves once it listens. */
export function startService(args: string[] = [], port = 0): Promise<RunningService> {
  const proc = spawn(serviceBinary(), ['-addr', `127.0.0.1:${port}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`service did not start: ${err}`));
    }, 15000);
    proc.stderr!.on('data', (d) => (err += d));
    proc.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        const p = Number(m[1]);
        resolve({
          url: `http://127.0.0.1:${p}`,
          port: p,
          proc,
          stop: () => new Promise<void>((r) => {
            if (proc.exitCode !== null || proc.signalCode !== null) return r();
            proc.once('exit', () => r());
            proc.kill('SIGKILL');
          }),
        });
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`service exited (${code}): ${err}`));
    });
  });
}
