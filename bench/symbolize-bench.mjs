// Symbolizes 20,000 addresses of /usr/bin/node (99 MB, ~64k functions) with
// pprof-plus (bundled CLI: `symbolize IN -o OUT`, process start included;
// and a bundled stdin/stdout entry shaped like the binutils tools),
// addr2line -f -i -C and llvm-symbolizer -f -i -C, and prints the ratios.
// Usage: node bench/symbolize-bench.mjs [binary] [count]

import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = process.argv[2] ?? '/usr/bin/node';
const count = Number(process.argv[3] ?? 20000);
const work = mkdtempSync(join(tmpdir(), 'pprof-plus-symbench-'));

// Our own bundle (the shared dist/ belongs to the build), same esbuild settings as scripts/build.mjs.
const common = { bundle: true, platform: 'node', format: 'esm', target: 'node20', logLevel: 'warning',
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" } };
// Split into chunks like scripts/build.mjs, so `symbolize` loads only what it needs.
writeFileSync(join(work, 'cli-entry.ts'), `import { main } from ${JSON.stringify(join(root, 'src/cli/main.ts'))};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
await build({ ...common, entryPoints: { cli: join(work, 'cli-entry.ts') }, outdir: work, splitting: true, entryNames: '[name]', chunkNames: '[name]-[hash]', outExtension: { '.js': '.mjs' } });
await build({ ...common, entryPoints: [join(root, 'bench/symbolize-gen.ts')], outfile: join(work, 'gen.mjs') });
await build({ ...common, entryPoints: [join(root, 'bench/symbolize-entry.ts')], outfile: join(work, 'entry.mjs') });
const { generate } = await import(pathToFileURL(join(work, 'gen.mjs')).href);
const list = join(work, 'addrs.txt');
const prof = join(work, 'addrs.pb.gz');
const n = generate(bin, count, list, prof);
const input = readFileSync(list);

// CPU time (user + sys, from GNU time when installed) is reported too: wall time on a shared
// machine moves with the load; CPU time much less so.
const gnuTime = existsSync('/usr/bin/time');
function time(label, cmd, args, opts = {}) {
  const [c, a] = gnuTime ? ['/usr/bin/time', ['-f', '@@cpu %U %S', cmd, ...args]] : [cmd, args];
  const t0 = process.hrtime.bigint();
  const r = spawnSync(c, a, { input: opts.stdin ? input : undefined, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  let err = r.stderr.toString();
  let cpu = NaN;
  const m = /@@cpu ([\d.]+) ([\d.]+)\s*$/.exec(err);
  if (m) { cpu = (Number(m[1]) + Number(m[2])) * 1000; err = err.slice(0, m.index); }
  return { ms, cpu, out: r.stdout.toString(), err };
}
function best(label, runs, f) {
  let b = null;
  for (let i = 0; i < runs; i++) { const r = f(); if (!b || r.ms < b.ms) b = r; }
  console.log(`${label.padEnd(22)} ${b.ms.toFixed(0).padStart(7)} ms wall ${Number.isNaN(b.cpu) ? '' : `${b.cpu.toFixed(0).padStart(7)} ms cpu`}`);
  return b;
}

console.log(`${n} addresses in ${bin}`);
const ours = best('pprof-plus symbolize', 5, () => time('pprof-plus', process.execPath, [join(work, 'cli.mjs'), 'symbolize', prof, '-o', join(work, 'out.pb.gz')]));
const entry = best('pprof-plus (stdin)', 5, () => time('entry', process.execPath, [join(work, 'entry.mjs'), bin], { stdin: true }));
const llvm = best('llvm-symbolizer', 5, () => time('llvm-symbolizer', 'llvm-symbolizer', ['--obj=' + bin, '-f', '-i', '-C'], { stdin: true }));
const a2l = best('addr2line -f -i -C', 1, () => time('addr2line', 'addr2line', ['-f', '-i', '-C', '-e', bin], { stdin: true }));
console.log(ours.err.trim());
// Where pprof-plus's time goes (fresh process each, best of 3 by symbolize time).
let ph = null;
for (let i = 0; i < 3; i++) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e',
    `const m = await import(${JSON.stringify(pathToFileURL(join(work, 'gen.mjs')).href)}); console.log(JSON.stringify(await m.phases(${JSON.stringify(prof)})));`]);
  const x = JSON.parse(r.stdout.toString());
  if (!ph || x.symbolize < ph.symbolize) ph = x;
}
console.log(`  phases: read ${ph.read.toFixed(0)} ms, symbolizeProfile ${ph.symbolize.toFixed(0)} ms, encode+gzip ${ph.encode.toFixed(0)} ms`);
console.log(`addr2line / pprof-plus:       ${(a2l.ms / ours.ms).toFixed(1)}x wall, ${(a2l.cpu / ours.cpu).toFixed(1)}x cpu (goal >= 5x)`);
console.log(`pprof-plus / llvm-symbolizer: ${(ours.ms / llvm.ms).toFixed(2)}x wall, ${(ours.cpu / llvm.cpu).toFixed(2)}x cpu (goal <= 3x)`);
console.log(`same shape as the binutils tools (addresses on stdin, text out, full names):`);
console.log(`  addr2line / pprof-plus:       ${(a2l.ms / entry.ms).toFixed(1)}x wall`);
console.log(`  pprof-plus / llvm-symbolizer: ${(entry.ms / llvm.ms).toFixed(2)}x wall, ${(entry.cpu / llvm.cpu).toFixed(2)}x cpu`);
writeFileSync(join(work, 'result.json'), JSON.stringify({ n, ours: ours.ms, entry: entry.ms, llvm: llvm.ms, addr2line: a2l.ms, cpu: { ours: ours.cpu, llvm: llvm.cpu, addr2line: a2l.cpu }, phases: ph }));
