// The `go tool pprof` driver (src/cli/cmd-pprof.ts and the profile
// transformations under it), run in-process and compared with go1.19's
// `go tool pprof` run live on the same real profiles (skipped where go is
// missing; CI installs it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { main } from '../../src/cli/main.ts';
import { parsePprofArgs } from '../../src/cli/pprof-options.ts';
import { goRound } from '../../src/profile/scale.ts';
import { parseTagRange } from '../../src/profile/tagfilter.ts';
import { simplifyFunc } from '../../src/profile/prune.ts';
import { repoRoot, sharedDir } from '../helpers/paths.ts';

class Sink extends Writable {
  chunks: Buffer[] = [];
  override _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
    cb();
  }
  buf(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

async function ours(args: string[], env: NodeJS.ProcessEnv = {}, isTTY = false): Promise<{ code: number; out: string; err: string; raw: Buffer }> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await main(args, { stdout, stderr, env: { ...process.env, TZ: 'UTC', ...env }, cwd: repoRoot, isTTY });
  return { code, out: stdout.buf().toString('latin1'), err: stderr.buf().toString(), raw: stdout.buf() };
}

const haveGo = spawnSync('go', ['version']).status === 0;
function goPprof(args: string[]): { code: number; out: string; err: string } {
  const r = spawnSync('go', ['tool', 'pprof', ...args], { cwd: repoRoot, env: { ...process.env, TZ: 'UTC' }, encoding: 'latin1', maxBuffer: 1 << 28 });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

const leak = join(sharedDir(), 'corpus/leaks/p1-linear-vs-warmup');
const H0 = join(leak, 'heap_00.pb.gz');
const H5 = join(leak, 'heap_05.pb.gz');
const CPU = join(repoRoot, 'testdata/core/profiles/cpu.pb.gz');
const haveData = existsSync(H0) && existsSync(H5);
const haveCpu = existsSync(CPU);
const tmp = mkdtempSync(join(tmpdir(), 'pprof-driver-'));

async function sameAsGo(args: string[]): Promise<void> {
  const a = await ours(args);
  const b = goPprof(args);
  assert.equal(b.code, 0, `go tool pprof ${args.join(' ')} failed: ${b.err}`);
  assert.equal(a.code, 0, `ours failed: ${a.err}`);
  assert.equal(a.out, b.out, `stdout differs for ${args.join(' ')}`);
}

test('merging two heap profiles matches go tool pprof (-top, -raw, -traces)', { skip: !haveGo || !haveData }, async () => {
  for (const fmt of ['-top', '-raw', '-traces']) await sameAsGo([fmt, H0, H5]);
});

test('-base of a profile against itself cancels every sample', { skip: !haveData }, async () => {
  const r = await ours(['-top', `-base=${H5}`, H5]);
  assert.equal(r.code, 0);
  assert.match(r.out, /Showing nodes accounting for 0, 0% of 0 total\n/);
  const raw = await ours(['-raw', `-base=${H5}`, H5]);
  assert.doesNotMatch(raw.out, /^\s+-?\d+\s+-?\d+\s+-?\d+\s+-?\d+: /m, 'no sample may survive');
});

test('-base, -diff_base and -normalize match go tool pprof', { skip: !haveGo || !haveData }, async () => {
  await sameAsGo(['-top', `-base=${H0}`, H5]);
  await sameAsGo(['-raw', `-base=${H0}`, H5]);
  await sameAsGo(['-top', `-diff_base=${H0}`, H5]);
  await sameAsGo(['-traces', `-diff_base=${H0}`, H5]);
  await sameAsGo(['-top', '-normalize', `-base=${H0}`, H5]);
});

test('-diff_base percentages are relative to the base total', { skip: !haveData }, async () => {
  const base = await ours(['-top', H0]);
  const baseTotal = /of (\S+) total/.exec(base.out)![1];
  const diff = await ours(['-top', `-diff_base=${H0}`, H5]);
  assert.equal(/of (\S+) total/.exec(diff.out)![1], baseTotal);
});

test('name filters, show_from and prune_from match go tool pprof', { skip: !haveGo || !haveCpu }, async () => {
  for (const extra of [
    ['-focus=spinHash'],
    ['-ignore=spinHash'],
    ['-hide=runtime'],
    ['-show=main'],
    ['-show_from=cpuWork'],
    ['-prune_from=spin'],
    ['-focus=cpuWork', '-relative_percentages'],
    ['-focus=nomatch'],
  ]) {
    await sameAsGo(['-top', ...extra, CPU]);
  }
  await sameAsGo(['-traces', '-prune_from=cpuWork', CPU]);
  await sameAsGo(['-tree', '-show_from=cpuWork', CPU]);
});

test('tag filters and numeric ranges match go tool pprof', { skip: !haveGo || !haveCpu || !haveData }, async () => {
  for (const t of ['4kb', ':4kb', '4kb:', 'bytes=1kb:10kb']) await sameAsGo(['-top', `-tagfocus=${t}`, H5]);
  await sameAsGo(['-top', '-tagfocus=tenant=a', CPU]);
  await sameAsGo(['-top', '-tagignore=handler=hash', CPU]);
  await sameAsGo(['-top', '-tagfocus=hash,a', CPU]);
  await sameAsGo(['-tags', '-tagshow=tenant', CPU]);
  await sameAsGo(['-tags', '-taghide=tenant', CPU]);
});

test('an unmatched filter warns on stderr as pprof does', { skip: !haveCpu }, async () => {
  const r = await ours(['-top', '-focus=nomatch', '-tagignore=tenant=zz', CPU]);
  assert.equal(r.code, 0);
  assert.match(r.err, /^Focus expression matched no samples$/m);
  assert.match(r.err, /^TagIgnore expression matched no samples$/m);
  assert.match(r.out, /Active filters:\n   focus=nomatch\n   tagignore=tenant=zz\n/);
});

test('-proto output loads back in go tool pprof with identical reports', { skip: !haveGo || !haveData }, async () => {
  const out = join(tmp, 'merged.pb.gz');
  const r = await ours(['-proto', `-output=${out}`, H0, H5]);
  assert.equal(r.code, 0);
  assert.equal(r.err, `Generating report in ${out}\n`);
  assert.deepEqual(goPprof(['-raw', out]).out, goPprof(['-raw', H0, H5]).out);
  assert.deepEqual(goPprof(['-top', out]).out, goPprof(['-top', H0, H5]).out);
  // To stdout when it is not a terminal: gzipped bytes.
  const s = await ours(['-proto', H5]);
  assert.equal(s.raw[0], 0x1f);
  assert.equal(s.raw[1], 0x8b);
});

test('-output writes the report to a file, atomically, and says so', { skip: !haveData }, async () => {
  const out = join(tmp, 'top.txt');
  const r = await ours(['-top', `-output=${out}`, H5]);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  assert.equal(r.err, `Generating report in ${out}\n`);
  assert.equal(readFileSync(out, 'latin1'), (await ours(['-top', H5])).out);
  assert.deepEqual(readdirSync(tmp).filter((f) => f.endsWith('.tmp')), []);
  // A report that fails (pprof: "no matches found for regexp") leaves no file.
  const none = join(tmp, 'none.txt');
  const f = await ours(['-list=nomatch', `-output=${none}`, H5]);
  assert.equal(f.code, 1);
  assert.equal(f.err, 'pprof-plus: no matches found for regexp: nomatch\n');
  assert.equal(existsSync(none), false);
  assert.deepEqual(readdirSync(tmp).filter((x) => x.endsWith('.tmp')), []);
});

/** Raw protobuf bytes for the bad-input cases. */
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 127) { out.push((n & 127) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return out;
}
function field(no: number, payload: number[]): number[] {
  return [(no << 3) | 2, ...varint(payload.length), ...payload];
}
const str = (s: string): number[] => [...Buffer.from(s)];
const danglingLocation = Buffer.from([
  ...field(1, [0x08, 1, 0x10, 2]),
  ...field(2, [...field(1, [99]), ...field(2, [1])]),
  ...field(6, []),
  ...field(6, str('samples')),
  ...field(6, str('count')),
]);

test('bad input: one line naming the file, exit 1, nothing written', { skip: !haveData }, async () => {
  const heapRaw = gunzipSync(readFileSync(H5));
  const cases: Record<string, Buffer> = {
    'truncated.pb.gz': readFileSync(H5).subarray(0, 300),
    'random.bin': Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 7919 + 13) % 251)),
    'garbage.gz': gzipSync(Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 104729 + 7) % 256))),
    'cut.pb': heapRaw.subarray(0, Math.floor(heapRaw.length / 2)),
    'absurd.pb': Buffer.from([0x12, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]),
    'dangling.pb': danglingLocation,
    'error.html': Buffer.from('<!DOCTYPE html>\n<html><body><h1>502 Bad Gateway</h1></body></html>\n'),
    'legacy.txt': Buffer.from('goroutine profile: total 3\nfoo @ 0x1\n'),
  };
  for (const [name, bytes] of Object.entries(cases)) {
    const path = join(tmp, name);
    writeFileSync(path, bytes);
    const out = join(tmp, `${name}.out`);
    const r = await ours(['-top', `-output=${out}`, path]);
    assert.equal(r.code, 1, `${name}: ${r.err}`);
    assert.equal(r.out, '', name);
    const lines = r.err.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, `${name}: ${r.err}`);
    assert.ok(lines[0].startsWith(`pprof-plus: ${path}: `), `${name}: ${r.err}`);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(out), false, `${name}: no output file`);
  }
});

test('a gzip bomb stops at -max_decompressed', async () => {
  const bomb = join(tmp, 'bomb.pb.gz');
  writeFileSync(bomb, gzipSync(Buffer.alloc(64 << 20)));
  const r = await ours(['-top', '-max_decompressed=1MB', bomb]);
  assert.equal(r.code, 1);
  assert.match(r.err, /^pprof-plus: .*bomb\.pb\.gz: decompressed size exceeds 1 MiB/);
});

test('usage errors exit 2 with a hint; -h prints the flags', { skip: !haveData }, async () => {
  const cases: Array<[string[], RegExp]> = [
    [[H5], /no interactive mode/],
    [['-top'], /no profile source specified/],
    [['-top', '-traces', H5], /must set at most one output format/],
    [['-top', '-lines', '-files', H5], /conflicting options set: \[files lines\]/],
    [['-top', '-sample_index=bogus', H5], /sample_index "bogus" must be one of: \[alloc_objects alloc_space inuse_objects inuse_space\]/],
    [['-top', '-focus=(', H5], /parsing focus regexp/],
    [['-top', '-normalize', H5], /Must have base profile to normalize by/],
    [['-top', '-nosuchflag', H5], /unknown flag -nosuchflag/],
    [['-top', '-http=:0', H5], /--http is not compatible with an output format/],
    [['-svg', H5], /-svg is not supported/],
    [['-top', '-symbolize=bogus', H5], /-symbolize: unrecognized -symbolize option "bogus"/],
    [['-top', `-base=${H5}`, `-diff_base=${H5}`, H5], /-base and -diff_base flags cannot both be specified/],
    [['-top', '-max_decompressed=lots', H5], /invalid size "lots" for -max_decompressed/],
  ];
  for (const [args, re] of cases) {
    const r = await ours(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
  }
  const h = await ours(['-h']);
  assert.equal(h.code, 0);
  assert.match(h.out, /-sample_index/);
  assert.match(h.out, /-tagfocus/);
});

test('flag parsing: legacy sample aliases, -mean_delay and defaults', () => {
  const c = parsePprofArgs(['-top', '-inuse_objects', '-alloc_space', 'x']);
  assert.equal(c.sampleIndex, 'inuse_objects');
  assert.deepEqual(c.notices, ['Multiple value selections, ignoring -alloc_space']);
  const d = parsePprofArgs(['-mean_delay', '-tree', 'x']);
  assert.equal(d.sampleIndex, 'delay');
  assert.equal(d.mean, true);
  assert.equal(d.nodeCount, -1);
  assert.equal(parsePprofArgs(['-peek', 'main\\.', 'x']).symbol, 'main\\.');
});

test('Go rounding, tag ranges and function simplification follow pprof', () => {
  assert.equal(goRound(-2.5), -3);
  assert.equal(goRound(2.5), 3);
  const r = parseTagRange('1kb:10kb')!;
  assert.equal(r(1024, 'bytes'), true);
  assert.equal(r(10 * 1024 + 1, 'bytes'), false);
  assert.equal(parseTagRange('kb'), null);
  assert.equal(parseTagRange(':64kb')!(64 * 1024, 'bytes'), true);
  assert.equal(simplifyFunc('main.(*T).m'), 'main.');
  assert.equal(simplifyFunc('(anonymous namespace)::f(int)'), '(anonymous namespace)::f');
});

test('-proto to a terminal writes profileNNN.pb.gz in $PPROF_TMPDIR', { skip: !haveData }, async () => {
  const dir = mkdtempSync(join(tmp, 'tty-'));
  const r = await ours(['-proto', H5], { PPROF_TMPDIR: dir }, true);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  assert.equal(r.err, `Generating report in ${join(dir, 'profile001.pb.gz')}\n`);
  assert.equal((await ours(['-top', join(dir, 'profile001.pb.gz')])).out, (await ours(['-top', H5])).out);
});

test('a URL source is fetched, reported, and saved as pprof does', { skip: !haveData }, async () => {
  const body = readFileSync(H5);
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/debug/pprof/heap')) {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(body);
    } else {
      res.writeHead(404);
      res.end('404 page not found\n');
    }
  });
  await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
  try {
    const port = (server.address() as AddressInfo).port;
    const dir = mkdtempSync(join(tmp, 'saved-'));
    const r = await ours(['-top', `127.0.0.1:${port}/debug/pprof/heap`], { PPROF_TMPDIR: dir });
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, (await ours(['-top', H5])).out);
    assert.match(r.err, /^Fetching profile over HTTP from http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/heap\n/);
    const saved = readdirSync(dir);
    assert.equal(saved.length, 1);
    assert.match(saved[0], /^pprof\.leaklab\.alloc_objects\.alloc_space\.inuse_objects\.inuse_space\.001\.pb\.gz$/);
    assert.match(r.err, /Saved profile in .*001\.pb\.gz\n/);
    const missing = await ours(['-top', `127.0.0.1:${port}/debug/pprof/nothing`], { PPROF_TMPDIR: dir });
    assert.equal(missing.code, 1);
    assert.match(missing.err, /^pprof-plus: http:\/\/127\.0\.0\.1:\d+\/debug\/pprof\/nothing: /m);
  } finally {
    server.close();
  }
});

test('[binary] source and a build id argument name the main mapping, as in go tool pprof', { skip: !haveGo || !haveData }, async () => {
  // Any ELF file serves as the binary; pprof then reports it in `File:`.
  await sameAsGo(['-top', process.execPath, H5]);
  await sameAsGo(['-raw', 'abcdef12', H5]);
  await sameAsGo(['-raw', '-buildid=0123abcd', H5]);
});

test('legacy inputs: fake mapping, empty stacks dropped, merge and base as go tool pprof', { skip: !haveGo }, async () => {
  const d = join(repoRoot, 'testdata/legacy/pprof-testdata');
  if (!existsSync(d)) return;
  for (const f of ['java.cpu', 'java.heap', 'gobench.heap', 'cppbench.contention']) {
    await sameAsGo(['-raw', '-symbolize=none', join(d, f)]);
  }
  await sameAsGo(['-top', '-symbolize=none', join(d, 'java.cpu'), join(d, 'java.cpu')]);
  await sameAsGo(['-top', '-symbolize=none', `-base=${join(d, 'cppbench.contention')}`, join(d, 'cppbench.contention')]);
});

test('merging converts sample values to the finest common unit', async () => {
  const { ProfileBuilder } = await import('../../src/profile/builder.ts');
  const { combineProfiles } = await import('../../src/cli/pprof-sources.ts');
  const make = (unit: string, v: number) => {
    const b = new ProfileBuilder({ sampleTypes: [{ type: 'delay', unit }] });
    const f = b.addFunction('main.wait');
    b.addSample([b.addLocation(0x1000n, [{ fn: f, line: 3 }])], [v]);
    return b.build();
  };
  const m = combineProfiles([make('microseconds', 2), make('nanoseconds', 500)]);
  assert.deepEqual(m.sampleTypes, [{ type: 'delay', unit: 'nanoseconds' }]);
  assert.deepEqual([...m.samples.values], [2500]);
});

test('-tagroot and -tagleaf add label frames as go tool pprof does', { skip: !haveGo || !haveCpu || !haveData }, async () => {
  await sameAsGo(['-top', '-tagroot=tenant', CPU]);
  await sameAsGo(['-tree', '-tagroot=tenant,handler', '-tagleaf=handler', CPU]);
  await sameAsGo(['-raw', '-tagroot=tenant', CPU]);
  await sameAsGo(['-traces', '-tagleaf=bytes', H5]);
});
