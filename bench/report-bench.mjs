// Times `go tool pprof -<format>` against pprof-plus's report layer on the
// large synthetic heap profile of the core benchmark (bench/core-gen.ts), checks the outputs are
// byte-identical, and prints the ratios. Usage: node bench/report-bench.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';

const root = new URL('..', import.meta.url).pathname;
const file = `${root}bench/out/core-heap.pb.gz`;
mkdirSync(`${root}bench/out`, { recursive: true });
if (!existsSync(file)) execFileSync(process.execPath, ['--import', 'tsx', 'bench/core-gen.ts', file, '1'], { cwd: root, stdio: 'inherit' });

// Output goes to a file, so the figures measure the tools, not a pipe.
function run(cmd, args, outFile) {
  const fd = openSync(outFile, 'w');
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd: root, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', fd, 'pipe'] });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  closeSync(fd);
  const rssKb = Number(r.stderr.toString().trim().split('\n').pop());
  return { ms, rssMb: rssKb / 1024, out: readFileSync(outFile) };
}

console.log('| report | go tool pprof | pprof-plus | speed-up | peak RSS go / ours | identical |');
console.log('|---|---|---|---|---|---|');
for (const format of ['top', 'tree', 'dot', 'traces']) {
  const go = run('go', ['tool', 'pprof', `-${format}`, file], '/tmp/report-bench-go.out');
  const ours = run(process.execPath, ['--import', 'tsx', 'bench/report-run.ts', file, format === 'top' ? 'text' : format], '/tmp/report-bench-ours.out');
  const same = go.out.equals(ours.out);
  console.log(
    `| -${format} | ${(go.ms / 1000).toFixed(2)} s | ${(ours.ms / 1000).toFixed(2)} s | ${(go.ms / ours.ms).toFixed(1)}x | ${go.rssMb.toFixed(0)} MB / ${ours.rssMb.toFixed(0)} MB | ${same ? 'yes' : 'NO'} |`,
  );
}
