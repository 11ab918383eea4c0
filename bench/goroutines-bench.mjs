// Goroutine dump speed: a real 100k-goroutine debug=2 dump (tens of MB,
// written by testdata/goroutines/src/bigdump) parsed and grouped by
// `pprof-plus goroutines` in-process, then end to end through the CLI.
// go tool pprof cannot read debug=2 dumps at all; for scale, its grouping
// of the same goroutines as a proto goroutine profile (`-traces`) is timed.
//
// Run: node --import tsx bench/goroutines-bench.mjs [--n 100000] [--runs 3]
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { parseGoroutineDump } from '../src/profile/goroutine-dump.ts';
import { groupGoroutines } from '../src/leak/goroutines/group.ts';
import { main } from '../src/cli/main.ts';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : def);
};
const N = arg('n', 100000);
const RUNS = arg('runs', 3);
const root = new URL('..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'goroutines-bench-'));
const env = { ...process.env, GOFLAGS: '-mod=mod', GOCACHE: process.env.GOCACHE ?? '/tmp/gocache', CGO_ENABLED: '0' };
const sh = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { env, encoding: 'utf8', maxBuffer: 1 << 30, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`);
  return r;
};

try {
  sh('go', ['build', '-trimpath', '-o', join(work, 'bigdump'), '.'], { cwd: join(root, 'testdata/goroutines/src/bigdump') });
  sh(join(work, 'bigdump'), ['-n', String(N), '-out', join(work, 'big')]);
  const dumpPath = join(work, 'big.debug2.txt');
  const protoPath = join(work, 'big.pb.gz');
  const mb = (statSync(dumpPath).size / 1e6).toFixed(1);
  const bytes = readFileSync(dumpPath);

  const best = (f) => {
    let t = Infinity;
    let out;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      out = f();
      t = Math.min(t, performance.now() - t0);
    }
    return [t, out];
  };
  const [tParse, dump] = best(() => parseGoroutineDump(bytes, 'big'));
  const [tGroup, groups] = best(() => groupGoroutines(dump));
  const [tExact] = best(() => groupGoroutines(dump, { exact: true }));

  const sink = new Writable({ write(_c, _e, cb) { cb(); } });
  const io = { stdout: sink, stderr: sink, env: {}, cwd: root, isTTY: false };
  const cliBest = async (args) => {
    let t = Infinity;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      await main(['goroutines', ...args], io);
      t = Math.min(t, performance.now() - t0);
    }
    return t;
  };
  const cli = await cliBest(['--format=json', dumpPath]);
  const cliProto = await cliBest(['--format=json', protoPath]);

  let peer = Infinity;
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = sh('go', ['tool', 'pprof', '-traces', protoPath]);
    if (!/Type: goroutine/.test(r.stdout)) throw new Error(`go tool pprof: ${r.stderr}`);
    peer = Math.min(peer, performance.now() - t0);
  }

  const f = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`dump: ${dump.goroutines.length} goroutines, ${mb} MB, ${groups.length} groups (best of ${RUNS})`);
  console.log(`parse debug=2                       ${f(tParse)}`);
  console.log(`group by function                   ${f(tGroup)}`);
  console.log(`group by exact position             ${f(tExact)}`);
  console.log(`pprof-plus goroutines --format=json ${f(cli)}  (dump: read, parse, group, judge, print JSON)`);
  console.log(`pprof-plus goroutines, same as proto ${f(cliProto)}  (in-process)`);
  console.log(`go tool pprof -traces, same as proto ${f(peer)}  (a process; cannot read the dump itself)`);
  console.log(`peak RSS of this process           ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB  (dump buffer, text, parsed goroutines)`);
  console.log(`dump end to end vs the 3 s target   ${(3000 / cli).toFixed(1)}x under`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
