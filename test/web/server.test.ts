// The -http server's JSON API and its defences, in-process, on profiles the
// Go runtime wrote (the labelled leak corpus and testdata/web).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { startHttp, parseHostPort, type HttpHandle } from '../../src/cli/cmd-http.ts';
import { runPprof } from '../../src/cli/cmd-pprof.ts';
import type { CommandIO } from '../../src/cli/io.ts';
import type { FlameResponse, GoroutinesResponse, LeaksResponse, MetaResponse, StoreResponse, TopResponse, DotResponse, TextResponse } from '../../src/server/api-types.ts';
import { isAllowedHost } from '../../src/server/host-check.ts';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import { readProfileFile, writeProfileFile } from '../../src/profile/load.ts';
import { StoreWriter } from '../../src/collect/store.ts';
import { repoRoot, sharedDir } from '../helpers/paths.ts';

const root = repoRoot;
const P5 = join(sharedDir(), 'corpus/leaks/p5-global-slice');
const corpusFiles = existsSync(P5) ? readdirSync(P5).filter((f) => f.endsWith('.pb.gz')).map((f) => join(P5, f)) : [];
const heapFiles = corpusFiles.filter((f) => f.includes('heap_'));
const WEB = join(root, 'testdata/web');

function quietIO(): CommandIO {
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  return { stdout: sink, stderr: sink, env: {}, cwd: root, isTTY: false };
}

async function serve(args: string[]): Promise<HttpHandle> {
  const h = await startHttp(['-http=127.0.0.1:0', '-no_browser', ...args], quietIO());
  assert.ok(h);
  return h;
}

async function api<T>(h: HttpHandle, path: string): Promise<T> {
  const r = await fetch(h.url + path);
  const body = await r.json();
  assert.equal(r.status, 200, `${path}: ${JSON.stringify(body)}`);
  return body as T;
}

function rawGet(h: HttpHandle, path: string, host: string): Promise<{ status: number; body: string; headers: Record<string, unknown> }> {
  const u = new URL(h.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

let series: HttpHandle;
let dump: HttpHandle;
const skipCorpus = heapFiles.length < 2 ? 'leak corpus not found at /work/shared/corpus' : false;

before(async () => {
  if (!skipCorpus) series = await serve(corpusFiles);
  dump = await serve([join(WEB, 'goroutines.txt')]);
});
after(async () => {
  await series?.close();
  await dump?.close();
});

test('meta lists the snapshot series and explains heap numbers', { skip: skipCorpus }, async () => {
  const m = await api<MetaResponse>(series, '/api/meta');
  assert.equal(m.snapshots.length, 8);
  assert.ok(m.hasGoroutines);
  assert.ok(m.sampleTypes.some((t) => t.type === 'inuse_space'));
  assert.equal(m.sampleTypes[m.defaultSampleIndex].type, 'inuse_space');
  assert.ok(m.notes.some((n) => /sampled estimates/.test(n) && /last garbage collection/.test(n)));
  assert.ok(m.notes.some((n) => /inuse_\*/.test(n) && /alloc_\*/.test(n)));
});

test('flame graph is compact preorder arrays whose totals add up', { skip: skipCorpus }, async () => {
  const f = await api<FlameResponse>(series, '/api/flame');
  const n = f.name.length;
  assert.equal(f.parent.length, n);
  assert.equal(f.total.length, n);
  assert.equal(f.parent[0], -1);
  const childSum = new Array(n).fill(0);
  for (let i = 1; i < n; i++) {
    assert.ok(f.parent[i] < i, 'preorder: parent before child');
    childSum[f.parent[i]] += f.total[i];
  }
  for (let i = 0; i < n; i++) assert.ok(Math.abs(f.total[i] - f.self[i] - childSum[i]) < 1e-6, `node ${i}: total = self + children`);
  const names = f.name.map((k) => f.names[k]);
  const store = names.indexOf('main.storeSession');
  assert.ok(store > 0);
  assert.equal(names[f.parent[store]], 'main.main');
  assert.equal(f.sampleType, 'inuse_space');
  assert.equal(f.percentOf, f.total[0]);
});

test('focus, hide and a bad regex', { skip: skipCorpus }, async () => {
  const all = await api<FlameResponse>(series, '/api/flame');
  const focused = await api<FlameResponse>(series, '/api/flame?focus=storeSession');
  assert.ok(focused.total[0] > 0 && focused.total[0] < all.total[0]);
  assert.ok(!focused.names.includes('main.formatAuditEntry'));
  const hidden = await api<FlameResponse>(series, '/api/flame?hide=^main%5C.main$');
  assert.ok(!hidden.names.includes('main.main'));
  assert.equal(hidden.total[0], all.total[0]);
  const r = await fetch(series.url + '/api/flame?focus=(');
  assert.equal(r.status, 400);
  assert.match((await r.json()).error, /parsing focus regexp/);
});

test('diff of two snapshots keeps both columns and percentages of the base total', { skip: skipCorpus }, async () => {
  const d = await api<FlameResponse>(series, '/api/flame?base=0&target=7');
  assert.ok(d.baseTotal && d.baseSelf);
  assert.equal(d.percentOf, d.baseTotal![0]);
  assert.ok(d.total[0] > d.baseTotal![0], 'the heap grew');
  assert.match(d.note, /base total/);
  const top = await api<TopResponse>(series, '/api/top?base=0&target=7');
  assert.ok(top.isDiff);
  const store = top.rows.find((r) => r.name === 'main.storeSession')!;
  assert.ok(store.flat > 0 && store.baseFlat! > 0);
});

test('top table ranks by flat and dot escapes names', { skip: skipCorpus }, async () => {
  const t = await api<TopResponse>(series, '/api/top');
  assert.equal(t.rows[0].name, 'main.storeSession');
  for (let i = 1; i < t.rows.length; i++) assert.ok(Math.abs(t.rows[i - 1].flat) >= Math.abs(t.rows[i].flat));
  // Unfiltered: pprof's own dot from the report layer.
  const d = await api<DotResponse>(series, '/api/dot?nodecount=5');
  assert.ok(d.nodeCount >= 3 && d.nodeCount <= 5, `nodeCount ${d.nodeCount}`);
  assert.match(d.dot, /^digraph/);
  assert.match(d.dot, /storeSession/);
  assert.match(d.dot, /Type: inuse_space/);
  // Filtered: the server's own graph, cut at nodecount.
  const f = await api<DotResponse>(series, '/api/dot?nodecount=3&focus=main');
  assert.equal(f.nodeCount, 3);
  assert.ok(f.dropped > 0);
  assert.match(f.dot, /main\.storeSession/);
});

test('peek and source list matching functions', { skip: skipCorpus }, async () => {
  const p = await api<TextResponse>(series, '/api/peek?sym=recordAudit');
  assert.match(p.text, /\| main\.recordAudit/);
  assert.match(p.text, /\|\s+main\.formatAuditEntry/);
  const s = await api<TextResponse>(series, '/api/source?sym=storeSession');
  assert.match(s.text, /ROUTINE =+ main\.storeSession/);
});

test('leak candidates put the true leaks first and not the warming cache', { skip: skipCorpus }, async () => {
  const l = await api<LeaksResponse>(series, '/api/leaks');
  const top2 = l.candidates.slice(0, 2).map((c) => c.site).sort();
  assert.deepEqual(top2, ['main.formatAuditEntry', 'main.storeSession']);
  for (const c of l.candidates.slice(0, 2)) assert.equal(c.verdict, 'leak');
  const cat = l.candidates.find((c) => c.site === 'main.loadCatalog');
  assert.ok(cat && cat.verdict !== 'leak');
  assert.equal(l.totalInuse.length, 8);
  assert.ok(l.totalInuse[7] > l.totalInuse[0]);
  assert.equal(l.goroutines.length, 8);
  assert.ok(l.goroutines.every((g) => g !== null && g >= 1));
});

test('goroutine dump: groups, states and filter by ID or function', async () => {
  const g = await api<GoroutinesResponse>(dump, '/api/goroutines');
  assert.ok(g.total >= 48);
  const leaky = g.groups.find((x) => x.frames[0] === 'main.leakyWorker')!;
  assert.equal(leaky.count, 40);
  assert.equal(leaky.state, 'chan send');
  assert.match(leaky.createdBy, /^main\.main /);
  assert.equal(g.states['chan send'], 40);
  const id = leaky.ids[3];
  const one = await api<GoroutinesResponse>(dump, `/api/goroutines?filter=${id}`);
  assert.equal(one.matched, 1);
  assert.deepEqual(one.groups[0].ids, [id]);
  const byFn = await api<GoroutinesResponse>(dump, '/api/goroutines?filter=waitForever');
  assert.equal(byFn.matched, 5);
  const m = await api<MetaResponse>(dump, '/api/meta');
  assert.ok(m.hasGoroutines);
});

test('filtered peek and call graph are byte-identical to the pprof driver (show_from, prune_from, tagshow, nodecount)', { skip: skipCorpus }, async () => {
  const last = [...heapFiles].sort().at(-1)!;
  const cli = async (args: string[]) => {
    let out = '';
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    const cap = new Writable({ write: (c, _e, cb) => { out += c; cb(); } });
    await runPprof([...args, last], { stdout: cap, stderr: sink, env: {}, cwd: root, isTTY: false });
    return out;
  };
  const h = await serve(['-nodecount=4', last]);
  try {
    const p = await api<TextResponse>(h, '/api/peek?sym=recordAudit&show_from=recordAudit%7CstoreSession&tagshow=x');
    assert.equal(p.text, await cli(['-peek', 'recordAudit', '-show_from', 'recordAudit|storeSession', '-tagshow', 'x']));
    assert.deepEqual(p.warnings, ['TagShow expression matched no samples']);
    // -nodecount on the command line is the call graph's default.
    const d = await api<DotResponse>(h, '/api/dot?prune_from=storeSession');
    assert.equal(d.dot, await cli(['-dot', '-nodecount=4', '-prune_from', 'storeSession']));
    assert.ok(d.nodeCount <= 4);
    const sf = await api<FlameResponse>(h, '/api/flame?show_from=storeSession');
    assert.equal(sf.names[sf.name[1]], 'main.storeSession', 'show_from drops the frames above');
  } finally {
    await h.close();
  }
});

test('-http on a `pprof-plus collect` store directory shows its series and Leak Candidates', { skip: skipCorpus }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-web-store-'));
  try {
    const target = 'http://127.0.0.1:6060';
    const w = await StoreWriter.open(dir);
    let t = 1_700_000_000_000;
    const gor = corpusFiles.filter((f) => /goroutine/.test(f)).sort();
    const heaps = [...heapFiles].sort();
    for (let i = 0; i < heaps.length; i++) {
      t += 30_000;
      await w.appendProfile(target, 'heap', await readProfileFile(heaps[i]), t, `${target}/debug/pprof/heap`);
      if (gor[i]) await w.appendProfile(target, 'goroutine', await readProfileFile(gor[i]), t, `${target}/debug/pprof/goroutine`);
    }
    await w.close();
    const h = await serve([dir]);
    try {
      const m = await api<MetaResponse>(h, '/api/meta');
      assert.equal(m.snapshots.length, heaps.length);
      assert.equal(m.hasGoroutines, gor.length > 0);
      const l = await api<LeaksResponse>(h, '/api/leaks');
      assert.deepEqual(l.candidates.slice(0, 2).map((c) => c.site).sort(), ['main.formatAuditEntry', 'main.storeSession']);
      for (const c of l.candidates) assert.equal(c.series.length, heaps.length, `${c.site}: one in-use value per snapshot`);
      assert.equal(l.totalInuse.length, heaps.length);
    } finally {
      await h.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-http on a store with two targets lists every series and loads the chosen target and time range', { skip: skipCorpus }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-web-store2-'));
  try {
    const a = 'http://127.0.0.1:6060';
    const b = 'http://10.0.0.2:6061';
    const w = await StoreWriter.open(dir);
    const t0 = 1_700_000_000_000;
    const gor = corpusFiles.filter((f) => /goroutine/.test(f)).sort();
    const heaps = [...heapFiles].sort();
    const times: number[] = [];
    for (let i = 0; i < heaps.length; i++) {
      const t = t0 + (i + 1) * 30_000;
      times.push(t);
      const heap = await readProfileFile(heaps[i]);
      await w.appendProfile(a, 'heap', heap, t, `${a}/debug/pprof/heap`);
      if (gor[i]) await w.appendProfile(a, 'goroutine', await readProfileFile(gor[i]), t, `${a}/debug/pprof/goroutine`);
      if (i < 3) await w.appendProfile(b, 'heap', heap, t + 1000, `${b}/debug/pprof/heap`);
    }
    await w.close();
    const h = await serve([dir]);
    try {
      const st = await api<StoreResponse>(h, '/api/store');
      assert.ok(st.isStore);
      assert.deepEqual(st.targets.map((x) => x.target).sort(), [b, a].sort());
      const ah = st.series.find((x) => x.target === a && x.type === 'heap')!;
      const bh = st.series.find((x) => x.target === b && x.type === 'heap')!;
      assert.deepEqual(ah.times, times);
      assert.equal(bh.times.length, 3);
      assert.equal(ah.unit, 'bytes');
      // The headline is each snapshot's total in-use bytes, as the heap profile says.
      const first = await readProfileFile(heaps[0]);
      const si = first.sampleTypes.findIndex((x) => x.type === 'inuse_space');
      let inuse = 0;
      for (let k = 0; k < first.samples.length; k++) inuse += first.samples.values[k * first.sampleTypes.length + si];
      assert.equal(ah.values[0], inuse);
      if (gor.length > 0) {
        const ag = st.series.find((x) => x.target === a && x.type === 'goroutine')!;
        assert.equal(ag.unit, 'goroutines');
        assert.ok(ag.values.every((v) => v > 0));
      }

      // No pick: the first target (in the store's order), whole range; meta says which.
      const m = await api<MetaResponse>(h, '/api/meta');
      assert.equal(m.store?.key, st.targets[0].key);
      const count = (k: string) => (k === ah.key ? heaps.length : 3);
      assert.equal(m.snapshots.length, count(st.targets[0].key));

      // Target B: its three snapshots.
      const mb = await api<MetaResponse>(h, `/api/meta?st=${bh.key}`);
      assert.equal(mb.store?.target, b);
      assert.equal(mb.snapshots.length, 3);
      const lb = await api<LeaksResponse>(h, `/api/leaks?st=${bh.key}`);
      assert.equal(lb.totalInuse.length, 3);

      // Target A, a range holding snapshots 3..5: three snapshots, and Leak Candidates over those three.
      const q = `st=${ah.key}&from=${times[2]}&to=${times[4]}`;
      const ma = await api<MetaResponse>(h, `/api/meta?${q}`);
      assert.equal(ma.snapshots.length, 3);
      assert.deepEqual(ma.store, { key: ah.key, target: a, fromMs: times[2], toMs: times[4] });
      const la = await api<LeaksResponse>(h, `/api/leaks?${q}`);
      assert.equal(la.totalInuse.length, 3);
      assert.deepEqual(la.totalInuse, ah.values.slice(2, 5));
      assert.ok(la.candidates.length > 0);
      for (const c of la.candidates) assert.equal(c.series.length, 3);
      const whole = await api<LeaksResponse>(h, `/api/leaks?st=${ah.key}`);
      assert.equal(whole.totalInuse.length, heaps.length);
      assert.notDeepEqual(whole.candidates.map((c) => c.growth), la.candidates.map((c) => c.growth));
      // One snapshot in range: no series to rank.
      const one = await api<LeaksResponse>(h, `/api/leaks?st=${ah.key}&from=${times[0]}&to=${times[0]}`);
      assert.equal(one.candidates.length, 0);
      // The flame graph is of the range's latest snapshot.
      const f = await api<FlameResponse>(h, `/api/flame?${q}`);
      assert.equal(f.total[0], ah.values[4]);
      // An empty range or an unknown target is a clear 400.
      const r = await fetch(`${h.url}/api/meta?st=${ah.key}&from=1&to=2`);
      assert.equal(r.status, 400);
      assert.match((await r.json()).error, /no snapshots/);
      const r2 = await fetch(`${h.url}/api/meta?st=nosuch`);
      assert.equal(r2.status, 400);
      assert.match((await r2.json()).error, /no target nosuch/);
      // A collector appends: the chart picks the new snapshot up (the earlier totals are kept).
      const w2 = await StoreWriter.open(dir);
      const tNew = times[times.length - 1] + 30_000;
      await w2.appendProfile(a, 'heap', await readProfileFile(heaps[0]), tNew, `${a}/debug/pprof/heap`);
      await w2.close();
      const st2 = await api<StoreResponse>(h, '/api/store');
      const ah2 = st2.series.find((x) => x.target === a && x.type === 'heap')!;
      assert.deepEqual(ah2.times, [...times, tNew]);
      assert.deepEqual(ah2.values, [...ah.values, ah.values[0]]);
    } finally {
      await h.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('goroutine profile labels can be filtered in the flame graph', async () => {
  const h = await serve([join(WEB, 'goroutine.pb.gz')]);
  try {
    const all = await api<FlameResponse>(h, '/api/flame');
    const poll = await api<FlameResponse>(h, '/api/flame?tagfocus=handler%3Dpoll');
    assert.equal(poll.total[0], 3);
    assert.ok(all.total[0] > 40);
    const notPoll = await api<FlameResponse>(h, '/api/flame?tagignore=handler%3Dpoll');
    assert.equal(notPoll.total[0], all.total[0] - 3);
  } finally {
    await h.close();
  }
});

test('refuses a foreign Host header (DNS rebinding) and serves only the bundle', async () => {
  const port = new URL(dump.url).port;
  const bad = await rawGet(dump, '/api/meta', `evil.example:${port}`);
  assert.equal(bad.status, 403);
  assert.doesNotMatch(bad.body, /goroutine/);
  assert.equal((await rawGet(dump, '/api/meta', `localhost:${port}`)).status, 200);
  assert.equal((await rawGet(dump, '/api/meta', `127.0.0.1:${port}`)).status, 200);
  assert.equal((await rawGet(dump, '/../../../etc/passwd', `localhost:${port}`)).status, 404);
  assert.equal((await rawGet(dump, '/testdata/web/goroutines.txt', `localhost:${port}`)).status, 404);
  assert.equal(isAllowedHost(undefined, '', 'box'), false);
  assert.equal(isAllowedHost('[::1]:8080', '', 'box'), true);
  assert.equal(isAllowedHost('box:8080', '', 'box'), true);
  assert.equal(isAllowedHost('myhost.internal:8080', 'myhost.internal', 'box'), true);
  assert.equal(isAllowedHost('attacker.localhost.evil.com', '', 'box'), false);
});

test('the page is static, with a CSP and no inline script', { skip: !existsSync(join(root, 'dist/web/index.html')) && 'UI not built' }, async () => {
  const port = new URL(dump.url).port;
  const r = await rawGet(dump, '/', `localhost:${port}`);
  assert.equal(r.status, 200);
  assert.match(String(r.headers['content-security-policy']), /script-src 'self' 'wasm-unsafe-eval'/);
  assert.doesNotMatch(String(r.headers['content-security-policy']), /unsafe-inline'[^;]*script|script-src[^;]*unsafe-inline/);
  assert.doesNotMatch(r.body.replace(/<script type="module" src="\/app\.js"><\/script>/, ''), /<script/);
});

test('function names with markup travel as data', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-web-'));
  try {
    const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
    const evil = 'main.F[<img src=x onerror=alert(1)>&"q"]';
    const f = b.addFunction(evil);
    const g = b.addFunction('main.main');
    b.addSample([b.addLocation(1n, [{ fn: f, line: 1 }]), b.addLocation(2n, [{ fn: g, line: 2 }])], [5]);
    const file = join(dir, 'evil.pb.gz');
    await writeProfileFile(file, b.build());
    const h = await serve([file]);
    try {
      const fl = await api<FlameResponse>(h, '/api/flame');
      assert.ok(fl.names.includes(evil));
      const d = await api<DotResponse>(h, '/api/dot');
      assert.ok(d.dot.includes('main.F[<img src=x onerror=alert(1)>&\\"q\\"]'));
    } finally {
      await h.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-http host:port parsing', () => {
  assert.deepEqual(parseHostPort(':8080'), { host: '', port: 8080 });
  assert.deepEqual(parseHostPort('0.0.0.0:80'), { host: '0.0.0.0', port: 80 });
  assert.deepEqual(parseHostPort('[::1]:0'), { host: '::1', port: 0 });
  assert.throws(() => parseHostPort('8080'), /want \[host\]:port/);
});

test('a URL source is fetched like go tool pprof does, and saved', async () => {
  const { createServer } = await import('node:http');
  const { readFileSync } = await import('node:fs');
  const heap = readFileSync(join(WEB, 'heap.pb.gz'));
  const target = createServer((req, res) => {
    if (req.url?.startsWith('/debug/pprof/heap')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(heap);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.1', () => r()));
  const port = (target.address() as { port: number }).port;
  const dir = mkdtempSync(join(tmpdir(), 'pp-web-save-'));
  const sink = new Writable({ write: (_c, _e, cb) => cb() });
  const h = (await startHttp(['-http=127.0.0.1:0', '-no_browser', `http://127.0.0.1:${port}/debug/pprof/heap`], { stdout: sink, stderr: sink, env: { PPROF_TMPDIR: dir }, cwd: root, isTTY: false }))!;
  try {
    const m = await api<MetaResponse>(h, '/api/meta');
    assert.ok(m.sampleTypes.some((t) => t.type === 'inuse_space'));
    const f = await api<FlameResponse>(h, '/api/flame?si=alloc_space');
    assert.ok(f.names.includes('main.leakyWorker'));
    assert.equal(readdirSync(dir).filter((n) => n.endsWith('.pb.gz')).length, 1);
  } finally {
    await h.close();
    target.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('goroutine profile groups carry pprof labels and filter by them', async () => {
  const h = await serve([join(WEB, 'goroutine.pb.gz')]);
  try {
    const g = await api<GoroutinesResponse>(h, '/api/goroutines');
    assert.ok(g.total >= 48);
    const poll = g.groups.filter((x) => x.labels.includes('handler=poll'));
    assert.equal(poll.reduce((a, x) => a + x.count, 0), 3);
    const one = await api<GoroutinesResponse>(h, '/api/goroutines?filter=shard%3D1');
    assert.equal(one.matched, 1);
    assert.ok(one.groups[0].frames.includes('main.pollLoop'));
  } finally {
    await h.close();
  }
});

test('-diff_base shows a diff with percentages of the base', { skip: skipCorpus }, async () => {
  const first = heapFiles.find((f) => f.endsWith('heap_00.pb.gz'))!;
  const last = heapFiles.find((f) => f.endsWith('heap_07.pb.gz'))!;
  const h = await serve([`-diff_base=${first}`, last]);
  try {
    const m = await api<MetaResponse>(h, '/api/meta');
    assert.equal(m.baseMode, 'diff_base');
    assert.ok(m.notes.some((n) => /percentages are of the base profile's total/.test(n)));
    const f = await api<FlameResponse>(h, '/api/flame');
    assert.ok(f.baseTotal);
    assert.equal(f.percentOf, f.baseTotal![0]);
    const i = f.name.findIndex((k) => f.names[k] === 'main.storeSession');
    assert.ok(f.total[i] > f.baseTotal![i]);
  } finally {
    await h.close();
  }
});

test('several CPU profiles are summed like pprof does', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pp-web-merge-'));
  try {
    const files: string[] = [];
    for (const [i, v] of [[0, 3], [1, 4]]) {
      const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }, { type: 'cpu', unit: 'nanoseconds' }] });
      const loc = (name: string) => b.addLocation(0n, [{ fn: b.addFunction(name), line: 1 }]);
      b.addSample([loc(i === 0 ? 'main.a' : 'main.b'), loc('main.main')], [v, v * 10]);
      files.push(join(dir, `cpu${i}.pb.gz`));
      await writeProfileFile(files[i], b.build());
    }
    const h = await serve(files);
    try {
      const f = await api<FlameResponse>(h, '/api/flame');
      assert.equal(f.total[0], 70);
      assert.ok(f.names.includes('main.a') && f.names.includes('main.b'));
    } finally {
      await h.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('prints the URL it serves on, and -h lists the flags', async () => {
  let err = '';
  let out = '';
  const cap = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => { f(String(c)); cb(); } });
  const io = { stdout: cap((s) => (out += s)), stderr: cap((s) => (err += s)), env: {}, cwd: root, isTTY: false };
  const h = (await startHttp(['-http=127.0.0.1:0', '-no_browser', join(WEB, 'heap.pb.gz')], io))!;
  try {
    assert.match(err, new RegExp(`^Serving web UI on ${h.url.replace(/[.]/g, '\\.')}\\n`));
    assert.match(h.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  } finally {
    await h.close();
  }
  assert.equal(await startHttp(['-http=:0', '-h'], io), null);
  assert.match(out, /-no_browser/);
  assert.match(out, /-diff_base/);
  await assert.rejects(startHttp(['-http=:0', '-no_browser'], io), /no profile source specified/);
  await assert.rejects(startHttp(['-http=:0', '-no_browser', '/nonexistent/x.pb.gz'], io), /no such file/);
});

test('goroutine groups over several goroutine profiles show their history', async (t) => {
  const P2 = join(sharedDir(), 'corpus/leaks/p2-blocked-goroutines');
  if (!existsSync(P2)) return t.skip('corpus missing');
  const files = readdirSync(P2).filter((f) => f.startsWith('goroutine_')).map((f) => join(P2, f));
  const h = await serve(files);
  try {
    const g = await api<GoroutinesResponse>(h, '/api/goroutines');
    assert.equal(g.snapshots, 8);
    const blocked = g.groups.find((x) => x.frames.includes('main.sendResult'))!;
    assert.deepEqual(blocked.history, [40, 80, 120, 160, 200, 240, 280, 320]);
    assert.match(blocked.verdict, /^leak/);
    assert.match(blocked.state, /^chan send/);
    assert.equal(g.groups[0], blocked, 'flagged groups first');
  } finally {
    await h.close();
  }
});

test('bad view parameters are 400 with a message, never 500', async () => {
  for (const q of ['si=99', 'si=nope', 'granularity=bogus', 'depth=-1', 'depth=x', 'zoom=notjson', 'zoom=%5B1%5D', 'zoom=%5B%22no.such%22%5D', 'target=9', 'tagfocus=%28', 'focus=%5B']) {
    const r = await fetch(`${dump.url}/api/flame?${q}`);
    assert.equal(r.status, 400, q);
    assert.ok((await r.json()).error.length > 5, q);
  }
  assert.equal((await fetch(`${dump.url}/api/dot?nodecount=0`)).status, 400);
  assert.equal((await fetch(`${dump.url}/api/peek`)).status, 400);
  assert.equal((await fetch(`${dump.url}/api/goroutines?filter=%28`)).status, 400);
  assert.equal((await fetch(`${dump.url}/api/nope`)).status, 404);
  assert.equal((await fetch(`${dump.url}/api/meta`, { method: 'POST' })).status, 405);
});

test('dump frames keep method receivers and arguments apart', async () => {
  const f = await api<FlameResponse>(dump, '/api/flame');
  assert.ok(f.names.includes('runtime/pprof.(*Profile).WriteTo'), f.names.join(' '));
  assert.ok(!f.names.includes('runtime/pprof.'));
});
