// -symbolize modes, the remote /debug/pprof/symbol protocol, and where
// binaries are looked for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import { parseSymbolizeMode, symbolizeProfile } from '../../src/symbolize/symbolizer.ts';
import { parseSymbolReply, symbolUrl, httpSymbolFetcher } from '../../src/symbolize/remote.ts';
import { candidatePaths } from '../../src/symbolize/locate.ts';
import { locationLines } from './strip.ts';

function addressOnlyProfile(file: string, addrs: bigint[], named?: bigint) {
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const m = b.addMapping({ start: 0x400000n, limit: 0x800000n, file, buildId: '' });
  const fn = b.addFunction('already.named', 'already.named', 'x.go');
  for (const a of addrs) b.addSample([b.addLocation(a, a === named ? [{ fn, line: 7 }] : [], m)], [1]);
  return b.build();
}

test('parseSymbolizeMode understands pprof spellings and rejects unknown ones', () => {
  assert.deepEqual(parseSymbolizeMode(''), { local: true, remote: true, force: false, demangle: 'simple' });
  assert.deepEqual(parseSymbolizeMode('local'), { local: true, remote: false, force: false, demangle: 'simple' });
  assert.deepEqual(parseSymbolizeMode('remote'), { local: false, remote: true, force: false, demangle: 'simple' });
  assert.deepEqual(parseSymbolizeMode('none'), { local: false, remote: false, force: false, demangle: 'simple' });
  assert.deepEqual(parseSymbolizeMode('local:force:demangle=full'), { local: true, remote: false, force: true, demangle: 'full' });
  assert.throws(() => parseSymbolizeMode('bogus'), /unrecognized -symbolize option/);
  assert.throws(() => parseSymbolizeMode('demangle=weird'), /demangle option/);
});

test('remote: POSTs addresses joined with + to /debug/pprof/symbol and names the locations', async () => {
  let body = '';
  let path = '';
  const server = createServer((req, res) => {
    path = req.url ?? '';
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      body = data;
      // Reply like net/http/pprof's Symbol handler: a count line, then "0x<addr> <name>".
      const lines = data.split('+').map((a) => `${a} main.fn_${a.slice(2)}`);
      res.end(`num_symbols: 1\n${lines.join('\n')}\n`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as AddressInfo).port;
    const p = addressOnlyProfile('/nonexistent/bin', [0x401000n, 0x402abcn, 0x403000n], 0x403000n);
    const { profile, warnings } = await symbolizeProfile(p, { mode: 'remote', sourceUrl: `http://127.0.0.1:${port}/debug/pprof/heap?gc=1` });
    assert.deepEqual(warnings, []);
    // Default mode: local finds no binary, remote names everything, so nothing to warn about.
    const auto = await symbolizeProfile(p, { sourceUrl: `http://127.0.0.1:${port}/debug/pprof/heap`, binaryPath: '/nonexistent' });
    assert.deepEqual(auto.warnings, []);
    assert.deepEqual(locationLines(auto.profile, 1), ['main.fn_402abc :0']);
    assert.equal(path, '/debug/pprof/symbol');
    assert.deepEqual(body.split('+').sort(), ['0x401000', '0x402abc']); // the named location is not asked for
    assert.deepEqual(locationLines(profile, 0), ['main.fn_401000 :0']);
    assert.deepEqual(locationLines(profile, 1), ['main.fn_402abc :0']);
    assert.deepEqual(locationLines(profile, 2), ['already.named x.go:7']);
    assert.equal(profile.mappings[0].hasFunctions, true);
    assert.equal(profile.mappings[0].hasLineNumbers, false);
  } finally {
    server.close();
  }
});

test('remote: an unreachable server is a warning, and the profile is returned unchanged', async () => {
  const p = addressOnlyProfile('/nonexistent/bin', [0x401000n]);
  const fetchSymbols = httpSymbolFetcher('http://127.0.0.1:1/debug/pprof/profile', 2000);
  const { profile, warnings } = await symbolizeProfile(p, { mode: 'remote', fetchSymbols });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /remote symbolization failed/);
  assert.deepEqual(locationLines(profile, 0), []);
});

test('none leaves the profile alone; local with a missing binary says so', async () => {
  const p = addressOnlyProfile('/nonexistent/bin', [0x401000n]);
  assert.equal((await symbolizeProfile(p, { mode: 'none' })).profile, p);
  const { warnings } = await symbolizeProfile(p, { mode: 'local', binaryPath: '/nonexistent-dir' });
  assert.match(warnings.join('\n'), /cannot find the binary/);
});

test('protocol pieces: symbol URL and reply parsing', () => {
  assert.equal(symbolUrl('http://h:6060/debug/pprof/profile?seconds=5'), 'http://h:6060/debug/pprof/symbol');
  assert.equal(symbolUrl('https://h/prefix/debug/pprof/heap'), 'https://h/prefix/debug/pprof/symbol');
  const m = parseSymbolReply('num_symbols: 1\n0x4a2b10 net/http.(*conn).serve\n0x10 main.main\n');
  assert.equal(m.get(0x4a2b10n), 'net/http.(*conn).serve');
  assert.equal(m.get(0x10n), 'main.main');
});

test('binary search path: mapping file, then $PPROF_BINARY_PATH by build ID and base name, then /usr/lib/debug', () => {
  const m = { id: 1, start: 0n, limit: 0n, offset: 0n, file: '/opt/app/server', buildId: 'abcdef0123', hasFunctions: false, hasFilenames: false, hasLineNumbers: false, hasInlineFrames: false };
  assert.deepEqual(candidatePaths(m, '/syms:/more', '/home/u'), [
    '/opt/app/server',
    '/syms/abcdef0123/server',
    '/syms/abcdef0123',
    '/syms/server',
    '/more/abcdef0123/server',
    '/more/abcdef0123',
    '/more/server',
    '/usr/lib/debug/.build-id/ab/cdef0123.debug',
  ]);
  assert.deepEqual(candidatePaths({ ...m, buildId: '' }, '', '/home/u'), ['/opt/app/server', '/home/u/pprof/binaries/server']);
});
