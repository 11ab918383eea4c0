// The collector against the real Go service (testdata/service): a series
// that shows the leak, export that go tool pprof reads, a target that goes
// away and comes back, and targets that answer garbage.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCollector, type CollectorConfig } from '../../src/collect/collector.ts';
import { openStore } from '../../src/collect/store.ts';
import { main } from '../../src/cli/main.ts';
import { rankLeaks } from '../../src/leak/rank.ts';
import type { CommandIO } from '../../src/cli/io.ts';
import { sampleTypeIndex, type Profile } from '../../src/profile/model.ts';
import { startService } from './service.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pprof-collect-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function fakeIO(): CommandIO & { out: () => string; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let o = '';
  let e = '';
  stdout.on('data', (d) => (o += d));
  stderr.on('data', (d) => (e += d));
  return { stdout, stderr, env: { ...process.env }, cwd: process.cwd(), isTTY: false, out: () => o, err: () => e };
}

/** inuse_space allocated at `fn` (anywhere on the stack). */
function inuseAt(p: Profile, fn: string): number {
  const t = sampleTypeIndex(p, 'inuse_space');
  const n = p.sampleTypes.length;
  let sum = 0;
  for (let i = 0; i < p.samples.length; i++) {
    let hit = false;
    for (let k = p.samples.stackStart[i]; k < p.samples.stackStart[i + 1] && !hit; k++) {
      const loc = p.samples.stack[k];
      for (let l = p.locations.lineStart[loc]; l < p.locations.lineStart[loc + 1]; l++) {
        if (p.functions.name[p.locations.lineFunction[l]] === fn) hit = true;
      }
    }
    if (hit) sum += p.samples.values[i * n + t];
  }
  return sum;
}

test('collect a series from the real service: the leak grows across snapshots, export loads in go tool pprof', async () => {
  const svc = await startService(['-tick', '5ms']);
  const dir = tempDir();
  const out = tempDir();
  try {
    const io = fakeIO();
    const code = await main(['collect', '-target', svc.url.replace('http://', ''), '-dir', dir, '-every', '250ms', '-count', '6', '-types', 'heap,goroutine,goroutine-dump'], io);
    assert.equal(code, 0, io.err());
    assert.match(io.err(), /stopped after 6 round\(s\): 18 snapshots stored, 0 failed fetches/);
    const store = await openStore(dir);
    const heaps = await store.readSnapshots({ type: 'heap' });
    assert.equal(heaps.length, 6);
    const first = inuseAt(heaps[0].profile, 'main.handleOrder');
    const last = inuseAt(heaps[5].profile, 'main.handleOrder');
    assert.ok(last > first && last > 0, `main.handleOrder inuse ${first} → ${last}`);
    const gs = await store.readSnapshots({ type: 'goroutine' });
    assert.equal(gs.length, 6);
    // The leak finder, fed straight from the store, names the leaking site first.
    const report = rankLeaks(await store.readSeries({ type: 'heap' }), {}, await store.readSeries({ type: 'goroutine' }));
    assert.ok(report.candidates.length > 0, JSON.stringify(report.notes));
    assert.match(report.candidates[0].function, /main\.handleOrder/, report.candidates.map((c) => `${c.function} ${c.verdict}`).join('\n'));
    const dumps = await store.readGoroutineDumps({});
    assert.equal(dumps.length, 6);
    assert.match(new TextDecoder().decode(dumps[5].text), /main\.waitForReply\(\)/);

    const ioExp = fakeIO();
    assert.equal(await main(['export', '-dir', dir, '-out', out, '-types', 'heap'], ioExp), 0, ioExp.err());
    assert.match(ioExp.err(), /Exported 6 file\(s\)/);
    const none = fakeIO();
    assert.equal(await main(['export', '-dir', dir, '-out', join(out, 'none'), '-since', '2999-01-01T00:00:00Z'], none), 0);
    assert.match(none.err(), /Exported 0 file\(s\)/);
    const exported = join(out, svc.url.replace('http://', '').replace(':', '_'), 'heap');
    const files = spawnSync('ls', [exported], { encoding: 'utf8' }).stdout.trim().split('\n');
    assert.equal(files.length, 6);
    const raw = spawnSync('go', ['tool', 'pprof', '-raw', join(exported, files[5])], { encoding: 'utf8' });
    assert.equal(raw.status, 0, raw.stderr);
    assert.match(raw.stdout, /alloc_objects\/count alloc_space\/bytes inuse_objects\/count inuse_space\/bytes/);
    assert.match(raw.stdout, /main\.handleOrder/);
    const top = spawnSync('go', ['tool', 'pprof', '-top', '-sample_index=inuse_space', join(exported, files[5])], { encoding: 'utf8' });
    assert.match(top.stdout.split('\n').find((l) => /^\s*[\d.]+\w*\s+[\d.]+%/.test(l)) ?? '', /main\.handleOrder/, top.stdout);
  } finally {
    await svc.stop();
  }
});

function config(dir: string, targets: string[], log: string[], ac: AbortController, extra: Partial<CollectorConfig> = {}): CollectorConfig {
  return {
    dir, targets, types: ['heap', 'goroutine'], everyMs: 200, count: 0, retain: null, triggers: [], listen: '', notify: '',
    burstCpuSeconds: 1, cpuSeconds: 1, timeoutMs: 3000, log: (l) => log.push(l), signal: ac.signal, ...extra,
  };
}

async function waitFor(what: string, cond: () => Promise<boolean>, ms = 20000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function count(dir: string, type: string, sinceMs = 0): Promise<number> {
  try {
    return (await (await openStore(dir)).readSnapshots({ type, sinceMs })).length;
  } catch {
    return 0;
  }
}

test('a target that stops and starts again: one log line, then collection resumes', async () => {
  let svc = await startService(['-tick', '10ms']);
  const dir = tempDir();
  const log: string[] = [];
  const ac = new AbortController();
  const run = runCollector(config(dir, [svc.url], log, ac));
  try {
    await waitFor('first snapshots', async () => (await count(dir, 'heap')) >= 2);
    await svc.stop();
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 1500));
    const before = await count(dir, 'heap');
    svc = await startService(['-tick', '10ms'], svc.port);
    const upAt = Date.now();
    await waitFor('snapshots after the restart', async () => (await count(dir, 'heap', upAt)) >= 2);
    assert.ok(before >= 2);
    assert.equal(await count(dir, 'heap', downAt + 100) - (await count(dir, 'heap', upAt)), 0, 'nothing stored while down');
  } finally {
    ac.abort();
    await run;
    await svc.stop();
  }
  const refused = log.filter((l) => /connection refused/.test(l));
  assert.equal(refused.length, 1, log.join('\n'));
  assert.match(refused[0], /nothing listens on 127\.0\.0\.1:\d+ \(is the service running\?\); will retry/);
  assert.equal(log.filter((l) => /back after \d+ failed round/.test(l)).length, 1, log.join('\n'));
});

test('targets answering HTML, 404 and truncated gzip are logged once each and do not stop a healthy target', async () => {
  const svc = await startService(['-tick', '10ms']);
  const good = await fetch(`${svc.url}/debug/pprof/heap`).then((r) => r.arrayBuffer());
  const bad: Server = createServer((req, res) => {
    if (req.url?.startsWith('/debug/pprof/heap')) res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Sign in</body></html>');
    else if (req.url?.startsWith('/debug/pprof/goroutine')) res.writeHead(404).end('404 page not found\n');
    else res.writeHead(200).end(Buffer.from(good).subarray(0, good.byteLength >> 1));
  });
  await new Promise<void>((r) => bad.listen(0, '127.0.0.1', r));
  const badURL = `http://127.0.0.1:${(bad.address() as AddressInfo).port}`;
  const dir = tempDir();
  const log: string[] = [];
  try {
    const stats = await runCollector(config(dir, [badURL, svc.url], log, new AbortController(), { count: 4, types: ['heap', 'goroutine', 'allocs'], everyMs: 100 }));
    assert.equal(stats.rounds, 4);
    const store = await openStore(dir);
    assert.equal((await store.readSnapshots({ target: svc.url, type: 'heap' })).length, 4);
    assert.equal((await store.readSnapshots({ target: svc.url, type: 'allocs' })).length, 4);
    await assert.rejects(store.readSnapshots({ target: badURL, type: 'heap' }), /no heap snapshots of target/);
    const lines = log.filter((l) => l.includes(badURL));
    assert.equal(lines.filter((l) => /got an HTML page, not a profile/.test(l)).length, 1, lines.join('\n'));
    assert.equal(lines.filter((l) => /404 Not Found/.test(l)).length, 1, lines.join('\n'));
    assert.equal(lines.filter((l) => /truncated gzip|corrupt/.test(l)).length, 1, lines.join('\n'));
  } finally {
    bad.closeAllConnections();
    await new Promise((r) => bad.close(r));
    await svc.stop();
  }
});
