// `pprof-plus goroutines` end to end, in-process: text, JSON schema, --id,
// --exact, --fail-on exit codes, bad input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreWriter } from '../../src/collect/store.ts';
import { main } from '../../src/cli/main.ts';
import { groupGoroutines, type GoroutineReport } from '../../src/leak/goroutines/group.ts';
import { parseGoroutineDump } from '../../src/profile/goroutine-dump.ts';
import { repoRoot } from '../helpers/paths.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void): Writable => new Writable({ write(c, _e, cb) { f(String(c)); cb(); } });
  const code = await main(['goroutines', ...args], {
    stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env: {}, cwd: repoRoot, isTTY: false,
  });
  return { code, out, err };
}

const D = 'testdata/goroutines';

test('text: flagged groups with state, sparkline, creator, evidence and fix; bounded groups one line', async () => {
  const r = await run([`${D}/chan-no-peer/goroutine_*.debug2.txt`]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Goroutines: 5 snapshots \(dump\), (\d+) → (\d+) goroutines in 5 groups; 2 leaks, 0 suspects/);
  assert.match(r.out, /#1 {2}LEAK {5}4 8 12 16 20 {2}▁▃▅▆█ {2}\(\+16\) {2}chan-blocked/);
  assert.match(r.out, /state: chan send \(20\) {3}wait: under a minute/);
  assert.match(r.out, /created by main\.fetchWithTimeout scenarios\/main\.go:\d+/);
  assert.match(r.out, /fix: Make result channels buffered/);
  assert.match(r.out, /#3 {2}ok {7}4 4 4 4 4 .* chan receive {2}main\.poolWorker/);
});

test('json: the documented schema, labels from proto', async () => {
  const r = await run(['--format=json', `${D}/waitgroup/goroutine_*.pb.gz`]);
  assert.equal(r.code, 0, r.err);
  const rep = JSON.parse(r.out) as GoroutineReport;
  assert.equal(rep.snapshots.length, 5);
  const g = rep.groups[0];
  for (const k of ['rank', 'count', 'state', 'wait_minutes', 'stack', 'created_by', 'ids', 'labels', 'verdict', 'rule', 'explanation']) assert.ok(k in g, k);
  assert.equal(g.rank, 1);
  assert.deepEqual(g.count, [4, 8, 12, 16, 20]);
  assert.equal(g.verdict, 'leak');
  assert.equal(g.rule, 'waitgroup-wait');
  assert.deepEqual(g.stack, ['sync.runtime_Semacquire', 'sync.(*WaitGroup).Wait', 'main.fanOut']);
  assert.deepEqual(g.labels.scenario, ['waitgroup']);
});

test('--fail-on=leak exits 3 on a leaking series and 0 on the steady one', async () => {
  const leak = await run(['--fail-on=leak', `${D}/sql-pool/goroutine_*.debug2.txt`]);
  assert.equal(leak.code, 3);
  assert.match(leak.err, /1 leaking group found \(--fail-on=leak\)/);
  const steady = await run(['--fail-on=suspect', `${D}/steady/goroutine_*.debug2.txt`]);
  assert.equal(steady.code, 0, steady.out);
  assert.match(steady.out, /0 leaks, 0 suspects/);
});

test('--id=N: stack, state, creator and group; JSON too; profiles have no IDs', async () => {
  const files = `${D}/chan-no-peer/goroutine_*.debug2.txt`;
  const rep = JSON.parse((await run(['--format=json', files])).out) as GoroutineReport;
  const sender = rep.groups.find((g) => g.stack[0] === 'main.fetchWithTimeout.func1');
  assert.ok(sender);
  const id = sender.ids[sender.ids.length - 1];
  const r = await run([`--id=${id}`, files]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, new RegExp(`^goroutine ${id} \\[chan send\\] {2}\\(testdata/goroutines/chan-no-peer/goroutine_04\\.debug2\\.txt\\)`));
  assert.match(r.out, /main\.fetchWithTimeout\.func1\(\)\n {6}scenarios\/main\.go:\d+ \+0x[0-9a-f]+/);
  assert.match(r.out, /creator chain: not recorded/);
  assert.match(r.out, new RegExp(`group: #${sender.rank}, 20 goroutines, leak \\(chan-blocked\\)`));
  const j = await run(['--id=1', '--format=json', `${D}/panic/traceback.txt`]);
  const d = JSON.parse(j.out);
  assert.equal(d.state, 'running');
  assert.deepEqual(d.frames.map((f: { func: string }) => f.func), ['main.handle', 'main.runPanic', 'main.main']);
  const missing = await run(['--id=999999', `${D}/panic/traceback.txt`]);
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no goroutine 999999/);
  const proto = await run(['--id=1', `${D}/panic/../waitgroup/goroutine_00.pb.gz`]);
  assert.equal(proto.code, 1);
  assert.match(proto.err, /goroutine profiles carry no IDs/);
});

test('debug=1 text and a panic traceback are accepted; --exact splits by position', async () => {
  const t = await run([`${D}/context/goroutine_*.debug1.txt`]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /LEAK .* context-never-cancelled/);
  const p = await run([`${D}/panic/traceback.txt`]);
  assert.match(p.out, /panic: runtime error: invalid memory address or nil pointer dereference/);
  // The two parked goroutines of main.runPanic's mutex and its waiters differ in function,
  // so exact grouping only adds splits, never merges.
  const byFunc = JSON.parse((await run(['--format=json', `${D}/panic/traceback.txt`])).out) as GoroutineReport;
  const exact = JSON.parse((await run(['--format=json', '--exact', `${D}/panic/traceback.txt`])).out) as GoroutineReport;
  assert.equal(exact.groups.length, byFunc.groups.length);
  // Same functions at different lines: one group by function, two by position.
  const dump = parseGoroutineDump(`goroutine 5 [chan receive]:
main.wait(...)
	/app/main.go:10
main.run()
	/app/main.go:20 +0x10

goroutine 6 [chan receive]:
main.wait(...)
	/app/main.go:12
main.run()
	/app/main.go:20 +0x10
`, 't');
  assert.equal(groupGoroutines(dump).length, 1);
  assert.equal(groupGoroutines(dump, { exact: true }).length, 2);
});

test('bad input: not a goroutine profile, bad flags', async () => {
  const heap = await run(['testdata/web/heap.pb.gz']);
  assert.equal(heap.code, 1);
  assert.match(heap.err, /not a goroutine profile/);
  const fmt = await run(['--format=xml', `${D}/panic/traceback.txt`]);
  assert.equal(fmt.code, 2);
  const none = await run([]);
  assert.equal(none.code, 2);
});

test('a collect store: its goroutine-dump series, in time order', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'goroutines-store-'));
  try {
    const w = await StoreWriter.open(dir);
    // Appended newest first: the store's timestamps decide the order.
    for (let i = 4; i >= 0; i--) {
      await w.appendDump('http://127.0.0.1:6060', readFileSync(join(repoRoot, D, `sleep-ticker/goroutine_0${i}.debug2.txt`)), 1_700_000_000_000 + i * 60_000, 'u');
    }
    await w.close();
    const r = await run(['--format=json', dir]);
    assert.equal(r.code, 0, r.err);
    const rep = JSON.parse(r.out) as GoroutineReport;
    assert.deepEqual(rep.snapshots.map((s) => s.time), [0, 1, 2, 3, 4].map((i) => new Date(1_700_000_000_000 + i * 60_000).toISOString()));
    const g = rep.groups.find((x) => x.stack.includes('main.pollForever'));
    assert.deepEqual(g?.count, [4, 8, 12, 16, 20]);
    assert.equal(g?.rule, 'sleep-ticker-loop');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a URL: host:port fetches the full dump', async () => {
  const body = readFileSync(join(repoRoot, D, 'waitgroup/goroutine_04.debug2.txt'));
  let asked = '';
  const server = createServer((req, res) => {
    asked = req.url ?? '';
    res.end(body);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const { port } = server.address() as AddressInfo;
    const r = await run(['--format=json', `127.0.0.1:${port}`]);
    assert.equal(r.code, 0, r.err);
    assert.equal(asked, '/debug/pprof/goroutine?debug=2');
    const rep = JSON.parse(r.out) as GoroutineReport;
    assert.equal(rep.snapshots[0].form, 'dump');
    assert.equal(rep.groups[0].count[0], 20);
    assert.equal(rep.groups[0].ids.length, 20);
  } finally {
    server.close();
  }
});

test('a directory with all three forms: the full dumps are used, with a note', async () => {
  const r = await run(['--format=json', `${D}/context`]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /using its 5 full dumps, not its 10 goroutine profiles/);
  const rep = JSON.parse(r.out) as GoroutineReport;
  assert.deepEqual(rep.snapshots.map((s) => s.form), ['dump', 'dump', 'dump', 'dump', 'dump']);
  assert.equal(rep.groups.find((g) => g.rule === 'context-never-cancelled')?.verdict, 'leak');
});

test('one snapshot: every group in full (state, wait, stack, creator, IDs), no verdicts', async () => {
  const r = await run([`${D}/panic/traceback.txt`]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /#1 {2}3 goroutines\n {4}state: chan receive \(3\) {3}wait: under a minute\n {4}main\.waitForReply {2}scenarios\/main\.go:\d+\n {4}created by main\.runPanic scenarios\/main\.go:\d+\n {4}ids: \d+ \d+ \d+/);
  assert.match(r.out, /#2 {2}1 goroutine\n {4}state: running \(1\)\n {4}main\.handle/);
  assert.doesNotMatch(r.out, /LEAK|SUSPECT|why:/);
});
