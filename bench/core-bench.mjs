#!/usr/bin/env node
// Core benchmark: `go tool pprof -top` vs `pprof-plus -top` (and `-top -base`)
// on a large synthetic Go heap profile (bench/core-gen.ts), measuring wall
// time and peak RSS with /usr/bin/time -v. Outputs go to bench/out/.
//   node bench/core-bench.mjs [--runs=N]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench/out');
mkdirSync(out, { recursive: true });
const runs = Number((process.argv.find((a) => a.startsWith('--runs=')) ?? '--runs=1').slice(7));
const big = join(out, 'core-heap.pb.gz');
const base = join(out, 'core-heap-base.pb.gz');
for (const [file, seed] of [[big, 1], [base, 2]]) {
  if (!existsSync(file)) {
    console.log(`generating ${file} ...`);
    execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench/core-gen.ts'), file, String(seed)], { cwd: root, stdio: 'inherit' });
  }
}
const raw = gunzipSync(readFileSync(big)).length;
console.log(`profile: ${(raw / 2 ** 20).toFixed(1)} MiB raw, ${(statSync(big).size / 2 ** 20).toFixed(1)} MiB gzipped`);

// Bundle the CLI as bin/pprof-plus runs it (dist/cli.mjs), built fresh into bench/out.
const cli = join(out, 'core-cli.mjs');
execFileSync(process.execPath, ['-e', `
  const { build } = await import('esbuild');
  await build({ entryPoints: [${JSON.stringify(join(root, 'src/cli/main.ts'))}], outfile: ${JSON.stringify(join(out, 'core-cli-lib.mjs'))},
    bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } });
`], { cwd: root, stdio: 'inherit', input: '' });
import('node:fs').then(() => {});
const { writeFileSync } = await import('node:fs');
writeFileSync(cli, `import { main } from './core-cli-lib.mjs';\nprocess.exitCode = await main(process.argv.slice(2));\n`);

function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-v', cmd, ...args], { cwd: root, env: { ...process.env, TZ: 'UTC' }, maxBuffer: 256 << 20 });
  const err = r.stderr.toString();
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${err.slice(-2000)}`);
  const wall = /Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)/.exec(err);
  const secs = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(err)?.[1] ?? NaN) / 1024;
  return { secs, rss, stdout: r.stdout.toString('latin1') };
}
function best(cmd, args) {
  let b = null;
  for (let i = 0; i < runs; i++) {
    const m = measure(cmd, args);
    if (!b || m.secs < b.secs) b = { ...m, rss: Math.max(m.rss, b?.rss ?? 0) };
  }
  return b;
}

const rows = [];
for (const [label, flags] of [['-top', ['-top', big]], ['-top -base', ['-top', `-base=${base}`, big]]]) {
  const go = best('go', ['tool', 'pprof', ...flags]);
  const ours = best(process.execPath, [cli, ...flags]);
  const same = go.stdout === ours.stdout;
  rows.push({ label, go, ours, same });
  console.log(`${label}: go tool pprof ${go.secs.toFixed(2)} s ${go.rss.toFixed(0)} MB | pprof-plus ${ours.secs.toFixed(2)} s ${ours.rss.toFixed(0)} MB | ${(go.secs / ours.secs).toFixed(1)}x faster, output ${same ? 'identical' : 'DIFFERENT'}`);
}
console.log('\n| command | go tool pprof | pprof-plus | speed-up | peak RSS (go / ours) | same output |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| \`${r.label}\` | ${r.go.secs.toFixed(2)} s | ${r.ours.secs.toFixed(2)} s | ${(r.go.secs / r.ours.secs).toFixed(1)}x | ${r.go.rss.toFixed(0)} MB / ${r.ours.rss.toFixed(0)} MB | ${r.same ? 'yes' : 'no'} |`);
}
