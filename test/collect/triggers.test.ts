// Trigger rules and the Alertmanager webhook, against the real Go service:
// each fires an incident burst (heap, goroutine debug=2, CPU) into
// DIR/incidents/<target>/<id>/<timestamp>/ and POSTs a notice.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCollector } from '../../src/collect/collector.ts';
import { openStore } from '../../src/collect/store.ts';
import { parseTrigger, TriggerEvaluator } from '../../src/collect/triggers.ts';
import { firingAlerts, parseListen } from '../../src/collect/alert-webhook.ts';
import { InputError } from '../../src/profile/errors.ts';
import { readProfileFile } from '../../src/profile/load.ts';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import { startService } from './service.ts';

test('rules parse, with units and growth windows; bad rules say why', () => {
  assert.deepEqual(parseTrigger('goroutines > 5000'), { metric: 'goroutines', op: '>', value: 5000, windowMs: 0, text: 'goroutines > 5000', id: 'goroutines-gt-5000' });
  assert.equal(parseTrigger('inuse_space >= 512MiB').value, 512 * 1024 * 1024);
  const g = parseTrigger('inuse_space growth > 20% in 10m');
  assert.equal(g.windowMs, 600_000);
  assert.equal(g.value, 20);
  assert.equal(g.id, 'inuse_space-growth-gt-20pct-in-10m');
  assert.throws(() => parseTrigger('threads > 5'), (e) => e instanceof InputError && /unknown metric "threads"/.test(e.message));
  assert.throws(() => parseTrigger('goroutines >'), /cannot parse/);
  assert.throws(() => parseTrigger('inuse_space growth > 5% in soon'), /bad window/);
});

function heap(inuse: number): ReturnType<ProfileBuilder['build']> {
  const b = new ProfileBuilder({ sampleTypes: ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'].map((type) => ({ type, unit: type.endsWith('space') ? 'bytes' : 'count' })) });
  b.addSample([b.addLocation(0x1000n, [{ fn: b.addFunction('main.leak'), line: 1 }])], [1, inuse, 1, inuse]);
  return b.build();
}

test('growth rules compare with the value one window ago and fire once until they clear', () => {
  const ev = new TriggerEvaluator([parseTrigger('inuse_space growth > 20% in 10m')]);
  const fired: number[] = [];
  const series = [100, 105, 110, 130, 140, 150, 150, 150, 150];
  series.forEach((v, i) => {
    for (const f of ev.observe('t', 'heap', heap(v), i * 300_000)) fired.push(i);
  });
  // i=3 (t=15m): base is the point at t<=5m (i=1, 105) → +23.8%: fires; stays true to i=6; at i=7 base 140 → +7%: clears.
  assert.deepEqual(fired, [3]);
  const again = series.map((v, i) => ev.observe('t', 'heap', heap(i < 9 ? 150 : v), (i + 9) * 300_000)).flat();
  assert.deepEqual(again, []);
});

test('Alertmanager payloads pick the target by instance label; listen defaults to loopback', () => {
  const targets = ['http://127.0.0.1:6060', 'http://127.0.0.1:7070'];
  const body = { version: '4', status: 'firing', alerts: [
    { status: 'firing', labels: { alertname: 'HighMemory', instance: '127.0.0.1:7070' } },
    { status: 'resolved', labels: { alertname: 'Old', instance: '127.0.0.1:6060' } },
    { status: 'firing', labels: { alertname: 'Other' } },
  ] };
  assert.deepEqual(firingAlerts(body, targets).map((f) => `${f.alertname}@${f.target}`), [
    'HighMemory@http://127.0.0.1:7070', 'Other@http://127.0.0.1:6060', 'Other@http://127.0.0.1:7070',
  ]);
  assert.throws(() => firingAlerts({ hello: 1 }, targets), /not an Alertmanager webhook payload/);
  assert.deepEqual(parseListen(':9465'), { host: '127.0.0.1', port: 9465 });
  assert.deepEqual(parseListen('0.0.0.0:9465'), { host: '0.0.0.0', port: 9465 });
});

function incidents(dir: string, target: string): Record<string, string[]> {
  const root = join(dir, 'incidents', target);
  const out: Record<string, string[]> = {};
  if (!existsSync(root)) return out;
  for (const id of readdirSync(root)) {
    for (const stamp of readdirSync(join(root, id))) out[`${id}/${stamp}`] = readdirSync(join(root, id, stamp)).sort();
  }
  return out;
}

test('goroutine and growth triggers and an Alertmanager POST each capture a burst from the real service and notify', async () => {
  const svc = await startService(['-tick', '5ms']);
  const key = svc.url.replace('http://', '').replace(':', '_');
  const notices: Array<Record<string, unknown>> = [];
  const hook = createServer((req, res) => {
    let b = '';
    req.on('data', (d) => (b += d));
    req.on('end', () => {
      notices.push(JSON.parse(b));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'pprof-trig-'));
  const ac = new AbortController();
  const log: string[] = [];
  let webhook = '';
  try {
    await fetch(`${svc.url}/spawn?n=300`).then((r) => r.text());
    const run = runCollector({
      dir, targets: [svc.url], types: ['heap'], everyMs: 200, count: 0, retain: null,
      triggers: [parseTrigger('goroutines > 250'), parseTrigger('inuse_space growth > 1% in 600ms')],
      listen: '127.0.0.1:0', notify: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/hook`,
      burstCpuSeconds: 1, cpuSeconds: 1, timeoutMs: 5000, log: (l) => log.push(l), signal: ac.signal,
      onListening: (u) => (webhook = u),
    });
    const wait = async (what: string, cond: () => boolean): Promise<void> => {
      const end = Date.now() + 30000;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}\n${log.join('\n')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const noticed = (id: string) => notices.some((n) => n.id === id);
    // Wait for each burst by name: the growth rule may fire again and add notices of its own.
    await wait('both trigger bursts', () => noticed('goroutines-gt-250') && noticed('inuse_space-growth-gt-1pct-in-600ms'));
    const res = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ version: '4', status: 'firing', alerts: [{ status: 'firing', labels: { alertname: 'HighLatency', instance: svc.url.replace('http://', '') } }] }),
    });
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { accepted: 1 });
    assert.equal((await fetch(webhook)).status, 405);
    await wait('the alert burst', () => noticed('HighLatency'));
    ac.abort();
    await run;

    const inc = incidents(dir, key);
    // The growth rule may clear and fire again as GC cycles publish new heap
    // numbers; the first burst of each kind must be complete.
    const firsts = new Map<string, string>();
    for (const k of Object.keys(inc).sort()) if (!firsts.has(k.split('/')[0])) firsts.set(k.split('/')[0], k);
    assert.deepEqual([...firsts.keys()].sort(), ['goroutines-gt-250', 'highlatency', 'inuse_space-growth-gt-1pct-in-600ms'], log.join('\n'));
    for (const k of firsts.values()) {
      const files = inc[k];
      assert.deepEqual(files, ['cpu.pb.gz', 'goroutine.pb.gz', 'goroutines.txt', 'heap.pb.gz', 'incident.json'], k);
      const d = join(dir, 'incidents', key, k);
      assert.match(readFileSync(join(d, 'goroutines.txt'), 'utf8'), /^goroutine \d+ \[/);
      assert.deepEqual((await readProfileFile(join(d, 'cpu.pb.gz'))).sampleTypes.map((t) => t.type), ['samples', 'cpu']);
      assert.ok((await readProfileFile(join(d, 'heap.pb.gz'))).functions.name.includes('main.handleOrder'));
      const rec = JSON.parse(readFileSync(join(d, 'incident.json'), 'utf8'));
      assert.equal(rec.target, svc.url);
      assert.deepEqual(rec.errors, []);
    }
    const g = notices.find((n) => n.id === 'goroutines-gt-250')!;
    assert.equal(g.event, 'pprof-plus.incident');
    assert.match(String(g.reason), /^goroutines = \d+ \(goroutines > 250\)$/);
    assert.match(String(notices.find((n) => n.id === 'HighLatency')?.reason), /Alertmanager alert HighLatency firing/);
    assert.ok(log.some((l) => /collecting goroutine too: a trigger rule needs it/.test(l)));
    const listed = await (await openStore(dir)).incidents();
    assert.deepEqual([...new Set(listed.map((r) => r.id))].sort(), ['HighLatency', 'goroutines-gt-250', 'inuse_space-growth-gt-1pct-in-600ms']);
  } finally {
    ac.abort();
    hook.closeAllConnections();
    await new Promise((r) => hook.close(r));
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
