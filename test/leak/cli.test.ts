// `pprof-plus leaks` end to end, in-process: formats, exit codes, flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import { writeProfileFile } from '../../src/profile/load.ts';
import type { LeakReport } from '../../src/leak/report-types.ts';
import type { DiffReport } from '../../src/leak/diff.ts';
import { repoRoot, sharedDir } from '../helpers/paths.ts';

const P2 = join(sharedDir(), 'corpus/leaks/p2-blocked-goroutines');
const P4 = join(sharedDir(), 'corpus/leaks/p4-steady-state');
const OURS = join(repoRoot, 'testdata/leaks/goroutines-timers-r65536');

async function run(args: string[], cwd = repoRoot): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void): Writable => new Writable({ write(c, _e, cb) { f(String(c)); cb(); } });
  const code = await main(['leaks', ...args], {
    stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env: {}, cwd, isTTY: false,
  });
  return { code, out, err };
}

test('text: ranked table with sparkline, then details with the goroutines holding the memory', async () => {
  const r = await run([P2]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /#\s+verdict\s+site\s+now\s+\/snapshot\s+\/min\s+conf\s+series/);
  assert.match(r.out, /1\s+leak\s+main\.sendResult\s+.*▁▂▃▄▅▆▇█/);
  assert.match(r.out, /grew in 7 of 7 intervals/);
  assert.match(r.out, /goroutines holding it: 40 → 80 .* → 320/);
});

test('json: the documented schema', async () => {
  const r = await run(['--format=json', P2]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as LeakReport;
  assert.equal(j.snapshots.length, 16 / 2);
  for (const s of j.snapshots) {
    assert.equal(typeof s.file, 'string');
    assert.match(String(s.time), /^\d{4}-\d\d-\d\dT/);
  }
  assert.equal(j.candidates.length, 1);
  const c = j.candidates[0];
  assert.equal(c.rank, 1);
  assert.equal(c.function, 'main.sendResult');
  assert.equal(c.stack[0], 'main.sendResult');
  assert.equal(c.verdict, 'leak');
  assert.ok(c.score > 0 && c.score <= 1);
  assert.equal(c.inuse_bytes.length, 8);
  assert.equal(c.inuse_objects.length, 8);
  assert.ok(c.inuse_bytes.every((b, i) => i === 0 || b >= c.inuse_bytes[i - 1]));
  assert.ok(c.growth_bytes_per_snapshot > 1 << 20);
  assert.equal(typeof c.explanation, 'string');
  assert.ok(Array.isArray(c.goroutines) && c.goroutines.length === 1);
});

test('json: nothing grows in a steady state', async () => {
  const j = JSON.parse((await run(['--format=json', P4])).out) as LeakReport;
  assert.deepEqual(j.candidates, []);
});

test('markdown: a step summary', async () => {
  const r = await run(['--format=markdown', P2]);
  assert.match(r.out, /^## Heap leak check/);
  assert.match(r.out, /\*\*1 leak\*\*/);
  assert.match(r.out, /\| 1 \| leak \| `main\.sendResult` \|/);
  const clean = await run(['--format=markdown', P4]);
  assert.match(clean.out, /No allocation site grows without bound/);
});

test('--fail-on exits 3 only when such a candidate exists', async () => {
  assert.equal((await run(['--fail-on=leak', P2])).code, 3);
  assert.equal((await run(['--fail-on=suspect', P2])).code, 3);
  assert.equal((await run(['--fail-on=leak', P4])).code, 0);
  assert.equal((await run(['--fail-on=maybe', P2])).code, 2);
});

test('--suppress lists suppressed sites apart; the default file is picked up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaks-suppress-'));
  writeFileSync(join(dir, 'bounded.txt'), '# judged bounded by the team\nmain\\.sendResult  # result buffers\n');
  const j = JSON.parse((await run(['--format=json', '--suppress', join(dir, 'bounded.txt'), P2])).out) as LeakReport;
  assert.deepEqual(j.candidates, []);
  assert.equal(j.suppressed.length, 1);
  assert.equal(j.suppressed[0].suppressed_by, 'main\\.sendResult');
  assert.equal((await run(['--fail-on=leak', '--suppress', join(dir, 'bounded.txt'), P2])).code, 0);
  writeFileSync(join(dir, '.pprof-plus-suppress'), 'sendResult\n');
  const t = await run([P2], dir);
  assert.match(t.out, /Suppressed \(judged bounded by the suppression file\): 1/);
  assert.equal((await run(['--suppress', join(dir, 'missing'), P2])).code, 1);
});

test('--depth groups stacks by their N innermost user frames', async () => {
  const d1 = JSON.parse((await run(['--format=json', OURS])).out) as LeakReport;
  const d2 = JSON.parse((await run(['--format=json', '--depth=2', OURS])).out) as LeakReport;
  const s1 = d1.candidates.find((c) => c.function === 'main.scheduleRetry');
  const s2 = d2.candidates.find((c) => c.function === 'main.scheduleRetry');
  assert.ok(s1 && s2);
  assert.doesNotMatch(s1.site, / < /);
  assert.match(s2.site, /main\.scheduleRetry \(main\.go:\d+\) < main\.glob\.\.func\d+ \(main\.go:\d+\)/);
  assert.equal((await run(['--depth=-1', OURS])).code, 2);
});

test('--by=label:bytes ranks growth per object size', async () => {
  const j = JSON.parse((await run(['--format=json', '--by=label:bytes', P2])).out) as LeakReport;
  assert.equal(j.candidates[0].function, 'bytes=32768');
});

test('--limit projects when the in-use heap reaches it', async () => {
  const j = JSON.parse((await run(['--format=json', '--limit=2GiB', P2])).out) as LeakReport;
  assert.ok(j.projection);
  assert.equal(j.projection.limit_bytes, 2 * 1024 ** 3);
  assert.ok((j.projection.eta_ms ?? 0) > 0);
  assert.ok((j.projection.eta_snapshots ?? 0) > 100);
  const t = await run(['--limit=2GiB', P2]);
  assert.match(t.out, /projection: at \+[\d.]+ \w+\/min, in-use heap reaches 2 GiB in about/);
  assert.equal((await run(['--limit=lots', P2])).code, 2);
});

test('--diff: new objects by site and by size, with sampling noise', async () => {
  const a = join(P2, 'heap_00.pb.gz');
  const b = join(P2, 'heap_07.pb.gz');
  const t = await run([a, b]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /\+8\.31 MiB\s+\S+ KiB\s+\+266\s+.*\*\s+main\.sendResult:\d+/);
  assert.match(t.out, /New objects by size:\n\s*size.*\n32 KiB\s+\+266/);
  const j = JSON.parse((await run(['--diff', '--format=json', b, a])).out) as DiffReport;
  assert.equal(j.mode, 'diff');
  assert.equal(j.sites[0].function, 'main.sendResult');
  assert.equal(j.sites[0].significant, true);
  assert.equal(j.sizes[0].bytes, 32768);
  assert.ok(j.notes.some((n) => /newest first/.test(n)));
  assert.equal((await run(['--diff', P2])).code, 2);
});

test('globs, directories and identical consecutive snapshots', async () => {
  const g = JSON.parse((await run(['--format=json', 'heap_0[0-5].pb.gz'], P2)).out) as LeakReport;
  assert.equal(g.snapshots.length, 6);
  const dir = mkdtempSync(join(tmpdir(), 'leaks-dup-'));
  for (let i = 0; i < 8; i++) copyFileSync(join(P2, `heap_0${i}.pb.gz`), join(dir, `h${i}a.pb.gz`));
  copyFileSync(join(P2, 'heap_03.pb.gz'), join(dir, 'h3b.pb.gz'));
  const j = JSON.parse((await run(['--format=json', dir])).out) as LeakReport;
  assert.equal(j.snapshots.length, 9);
  assert.equal(j.snapshots.filter((s) => s.identical_to_previous).length, 1);
  assert.match(j.candidates[0].explanation, /grew in 7 of 7 intervals/);
  assert.equal((await run(['nothing-here-*.pb.gz'])).code, 1);
});

test('a delta profile (?seconds=N) never passes for a snapshot', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leaks-delta-'));
  const b = new ProfileBuilder({
    sampleTypes: [
      { type: 'alloc_objects', unit: 'count' }, { type: 'alloc_space', unit: 'bytes' },
      { type: 'inuse_objects', unit: 'count' }, { type: 'inuse_space', unit: 'bytes' },
    ],
    periodType: { type: 'space', unit: 'bytes' }, period: 524288, timeNanos: 1n, durationNanos: 30_000_000_000n,
  });
  const fn = b.addFunction('main.f');
  b.addSample([b.addLocation(0x1000n, [{ fn, line: 3 }])], [1, 100, -1, -100]);
  await writeProfileFile(join(dir, 'delta.pb.gz'), b.build());
  const r = await run([join(dir, 'delta.pb.gz'), join(P2, 'heap_00.pb.gz'), join(P2, 'heap_01.pb.gz')]);
  assert.equal(r.code, 1);
  assert.match(r.err, /delta\.pb\.gz: holds negative in-use values: a delta profile/);
});

test('goroutine profiles given apart are attached too; -h prints the flags', async () => {
  const heaps = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => join(P2, `heap_0${i}.pb.gz`));
  const gs = [0, 1, 2, 3, 4, 5, 6, 7].flatMap((i) => ['--goroutines', join(P2, `goroutine_0${i}.pb.gz`)]);
  const j = JSON.parse((await run(['--format=json', ...gs, ...heaps])).out) as LeakReport;
  assert.equal(j.candidates[0].goroutines.length, 1);
  const h = await run(['-h']);
  assert.match(h.out, /-fail-on=leak\|suspect/);
});
