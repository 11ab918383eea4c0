// Leak ranking speed and memory: 60 heap snapshots of a ~2 MB (gzipped)
// profile, ranked by `pprof-plus leaks` (in-process, streaming: one profile
// in memory at a time). For scale, the peer's two-point answer
// (`go tool pprof -top -base FIRST LAST`) is timed on two of the files.
//
// Run: node --import tsx bench/leaks-bench.mjs [--snapshots 60] [--stacks 40000]
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { ProfileBuilder } from '../src/profile/builder.ts';
import { encodeProfileGzip } from '../src/profile/load.ts';
import { main } from '../src/cli/main.ts';

const arg = (name, def) => {
  const i = process.argv.indexOf(`--${name}`);
  return Number(i > 0 ? process.argv[i + 1] : def);
};
const SNAPSHOTS = arg('snapshots', 60);
const STACKS = arg('stacks', 40000);

// A service-shaped profile: 2,000 functions in 40 packages, stacks 8-24 deep.
let seed = 42;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
const b = new ProfileBuilder({
  sampleTypes: [
    { type: 'alloc_objects', unit: 'count' }, { type: 'alloc_space', unit: 'bytes' },
    { type: 'inuse_objects', unit: 'count' }, { type: 'inuse_space', unit: 'bytes' },
  ],
  periodType: { type: 'space', unit: 'bytes' }, period: 524288,
});
const fns = Array.from({ length: 2000 }, (_, i) => b.addFunction(`example.com/svc/pkg${i % 40}.Func${i}`, undefined, `pkg${i % 40}/f${i}.go`));
const std = ['runtime.mallocgc', 'runtime.newobject', 'bytes.growSlice', 'encoding/json.Marshal'].map((n) => b.addFunction(n));
const stacks = [];
for (let s = 0; s < STACKS; s++) {
  const depth = 8 + Math.floor(rnd() * 16);
  const st = [b.addLocation(BigInt(0x400000 + s * 64), [{ fn: std[s % std.length], line: 10 }])];
  for (let d = 1; d < depth; d++) {
    const f = fns[Math.floor(rnd() * fns.length)];
    st.push(b.addLocation(BigInt(0x500000 + f * 4096 + d * 8), [{ fn: f, line: 20 + d }]));
  }
  stacks.push(st);
}
const size = stacks.map(() => 64 << Math.floor(rnd() * 8));
const work = mkdtempSync(join(tmpdir(), 'leaks-bench-'));
const files = [];
const leaky = (s) => s % 500 === 0;
for (let s = 0; s < stacks.length; s++) {
  b.addSample(stacks[s], [10, 10 * size[s], 10, 10 * size[s]], b.addLabelSet([], [{ key: 'bytes', value: size[s], unit: '' }]));
}
const base = b.build();
for (let i = 0; i < SNAPSHOTS; i++) {
  // Same stacks, new values: a few sites leak, the rest churn around a level.
  const values = new Float64Array(base.samples.values.length);
  for (let s = 0; s < stacks.length; s++) {
    const objs = leaky(s) ? 10 + i * 400 : 10 + Math.floor(rnd() * 5);
    const alloc = objs + i * 20;
    values.set([alloc, alloc * size[s], objs, objs * size[s]], s * 4);
  }
  const p = { ...base, samples: { ...base.samples, values }, timeNanos: BigInt(1_700_000_000_000 + i * 30_000) * 1_000_000n };
  const f = join(work, `heap_${String(i).padStart(2, '0')}.pb.gz`);
  writeFileSync(f, encodeProfileGzip(p));
  files.push(f);
}
const mb = statSync(files[0]).size / 1e6;
console.log(`${SNAPSHOTS} snapshots, ${STACKS} stacks each, ${mb.toFixed(2)} MB per .pb.gz`);

let out = '';
const io = { stdout: new Writable({ write(c, _e, cb) { out += c; cb(); } }), stderr: process.stderr, env: {}, cwd: work, isTTY: false };
const rss0 = process.memoryUsage().rss;
let peak = 0;
const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const t0 = performance.now();
const code = await main(['leaks', '--format=json', work], io);
const ms = performance.now() - t0;
clearInterval(timer);
const rep = JSON.parse(out);
console.log(`pprof-plus leaks: ${(ms / 1000).toFixed(2)} s (exit ${code}), ${rep.site_count} sites, ${rep.candidates.length} candidates, peak RSS +${((peak - rss0) / 1e6).toFixed(0)} MB`);

const go = spawnSync('go', ['version'], { encoding: 'utf8' });
if (go.status === 0) {
  const t1 = performance.now();
  const r = spawnSync('go', ['tool', 'pprof', '-top', '-base', files[0], files[files.length - 1]], { encoding: 'utf8' });
  const gms = performance.now() - t1;
  console.log(`go tool pprof -top -base FIRST LAST (2 of the ${SNAPSHOTS} files): ${(gms / 1000).toFixed(2)} s (exit ${r.status})`);
  console.log(`ratio: pprof-plus ranks all ${SNAPSHOTS} snapshots in ${(ms / gms).toFixed(2)}× the time pprof takes to diff 2`);
}
if (process.env.KEEP) console.log(work); else rmSync(work, { recursive: true, force: true });
