// Fetching from live endpoints: the real Go service for good answers, a
// scripted server for every kind of bad one.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fetchProfile, fetchAndParse, saveFetchedProfile } from '../../src/fetch/source.ts';
import { InputError } from '../../src/profile/errors.ts';
import { parseProfileData, readProfileFile } from '../../src/profile/load.ts';
import { startService, type RunningService } from '../collect/service.ts';

function sink(): { stream: PassThrough; text: () => string } {
  const stream = new PassThrough();
  let s = '';
  stream.on('data', (d) => (s += d));
  return { stream, text: () => s };
}

let svc: RunningService;
let fake: Server;
let fakeURL = '';
let realHeap: Uint8Array = new Uint8Array(0);
const routes: Record<string, (res: ServerResponse) => void> = {
  '/html': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><html><body>Login</body></html>'),
  '/json': (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"error":"nope"}'),
  '/gopprof400': (res) => res.writeHead(400, { 'x-go-pprof': '1', 'content-type': 'text/plain; charset=utf-8' }).end('profile duration exceeds server\'s WriteTimeout\n'),
  '/debug/pprof/heap': (res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n'),
  '/truncated': (res) => res.writeHead(200).end(realHeap.subarray(0, realHeap.length >> 1)),
  '/slow': () => {},
  '/empty': (res) => res.writeHead(200).end(),
  '/cut': (res) => {
    res.writeHead(200, { 'content-length': '1000' });
    res.write(Buffer.alloc(10));
    res.destroy();
  },
};

before(async () => {
  svc = await startService(['-tick', '10ms']);
  // Wait until the leak has been sampled at least once, so the tests below
  // see main.handleOrder whatever the machine's load.
  for (let i = 0; i < 100; i++) {
    const probe = (await fetchProfile(`${svc.url}/debug/pprof/heap?gc=1`, { stderr: new PassThrough(), quiet: true })).data;
    if (parseProfileData(probe, 'probe').functions.name.includes('main.handleOrder')) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  realHeap = (await fetchProfile(`${svc.url}/debug/pprof/heap?gc=1`, { stderr: new PassThrough(), quiet: true })).data;
  fake = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    const r = routes[path];
    if (r) r(res);
    else res.writeHead(500).end('no route');
  });
  await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
  fakeURL = `http://127.0.0.1:${(fake.address() as AddressInfo).port}`;
});
after(async () => {
  await svc.stop();
  fake.closeAllConnections();
  await new Promise((r) => fake.close(r));
});

test('fetches a heap profile from a real Go service via host:port shorthand, as pprof prints it', async () => {
  const err = sink();
  const hostPort = svc.url.replace('http://', '');
  const { data, url } = await fetchProfile(`${hostPort}/debug/pprof/heap?gc=1`, { stderr: err.stream });
  assert.equal(url, `${svc.url}/debug/pprof/heap?gc=1`);
  const p = parseProfileData(data, url);
  assert.deepEqual(p.sampleTypes.map((t) => t.type), ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
  assert.ok(p.functions.name.includes('main.handleOrder'));
  assert.match(err.text(), /^Fetching profile over HTTP from http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/heap\?gc=1\n$/);
});

test('-seconds on a CPU profile: Please wait line, countdown only on a TTY', async () => {
  const tty = sink();
  const r = await fetchAndParse(svc.url, { seconds: 1, stderr: tty.stream, isTTY: true });
  assert.match(r.url, /\/debug\/pprof\/profile\?seconds=1$/);
  assert.deepEqual(r.profile.sampleTypes.map((t) => t.type), ['samples', 'cpu']);
  assert.match(tty.text(), /Please wait\.\.\. \(1s\)\n/);
  assert.match(tty.text(), /Collecting profile: 1s left/);
  const plain = sink();
  await fetchProfile(svc.url, { seconds: 1, stderr: plain.stream, isTTY: false });
  assert.doesNotMatch(plain.text(), /left/);
  assert.doesNotMatch(plain.text(), /\r/);
});

test('gc=1 is added on request', async () => {
  const { url } = await fetchProfile(`${svc.url}/debug/pprof/heap`, { stderr: sink().stream, gc: true, quiet: true });
  assert.match(url, /[?&]gc=1/);
});

async function failure(source: string, opts: { timeout?: number } = {}): Promise<string> {
  try {
    const r = await fetchAndParse(source, { stderr: sink().stream, quiet: true, ...opts });
    return `no error (${r.profile.samples.length} samples)`;
  } catch (e) {
    assert.ok(e instanceof InputError, `not an InputError: ${e}`);
    assert.doesNotMatch(e.message, /\n/);
    return e.message;
  }
}

test('bad answers become one clear line naming the URL', async () => {
  assert.match(await failure(`${fakeURL}/html`), /\/html: got an HTML page, not a profile/);
  assert.match(await failure(`${fakeURL}/json`), /got JSON, not a profile/);
  assert.match(await failure(`${fakeURL}/gopprof400`), /server response: 400 Bad Request - profile duration exceeds server's WriteTimeout$/);
  assert.match(await failure(`${fakeURL}/debug/pprof/heap`), /server response: 404 Not Found \(no profile at this path: is net\/http\/pprof imported/);
  assert.match(await failure(`${fakeURL}/truncated`), /truncated gzip data|corrupt gzip/);
  assert.match(await failure(`${fakeURL}/empty`), /empty response, not a profile/);
  assert.match(await failure(`${fakeURL}/cut`), /closed before the whole response|connection reset|http fetch/);
  assert.match(await failure(`${svc.url}/debug/pprof/nosuch`), /server response: 404 Not Found - Unknown profile/);
});

test('connection refused and timeouts say so', async () => {
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as AddressInfo).port;
  await new Promise((r) => probe.close(r));
  assert.match(await failure(`127.0.0.1:${port}/debug/pprof/heap`), /connection refused: nothing listens on 127\.0\.0\.1:\d+/);
  // -timeout 0.3 plus pprof's 5 s grace would be slow; the grace is fixed, so use a short -timeout and a hung route.
  const t0 = Date.now();
  const msg = await failure(`${fakeURL}/slow`, { timeout: 0.2 });
  assert.match(msg, /timed out; raise it with -timeout/);
  assert.ok(Date.now() - t0 < 20000);
});

test('saveFetchedProfile names files as pprof does and counts up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-save-'));
  try {
    const { data } = await fetchProfile(`${svc.url}/debug/pprof/heap`, { stderr: sink().stream, quiet: true });
    const err = sink();
    const p1 = await saveFetchedProfile(data, { PPROF_TMPDIR: dir }, err.stream);
    const p2 = await saveFetchedProfile(parseProfileData(data, 'x'), { PPROF_TMPDIR: dir }, err.stream);
    assert.equal(p1, join(dir, 'pprof.service.alloc_objects.alloc_space.inuse_objects.inuse_space.001.pb.gz'));
    assert.equal(p2, join(dir, 'pprof.service.alloc_objects.alloc_space.inuse_objects.inuse_space.002.pb.gz'));
    assert.equal(err.text(), `Saved profile in ${p1}\nSaved profile in ${p2}\n`);
    assert.equal((await readProfileFile(p2)).sampleTypes.length, 4);
    // Without PPROF_TMPDIR: $HOME/pprof.
    const p3 = await saveFetchedProfile(data, { HOME: dir });
    assert.equal(p3, join(dir, 'pprof', 'pprof.service.alloc_objects.alloc_space.inuse_objects.inuse_space.001.pb.gz'));
    assert.equal(readdirSync(dir).length, 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
