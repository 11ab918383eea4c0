// Bad input through the CLI: one line on stderr naming the file and the
// problem, exit status 1, no stack trace, nothing written to -output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { root, runCli } from './helpers.ts';

const heapGz = readFileSync(join(root, 'testdata/core/profiles/heap.pb.gz'));
const heapRaw = gunzipSync(heapGz);

/** Deterministic pseudo-random bytes (xorshift32). */
function noise(n: number, seed = 12345): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

// Minimal protobuf writer for hand-made broken profiles.
function varint(n: number): number[] {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}
const field = (num: number, bytes: number[]) => [...varint((num << 3) | 2), ...varint(bytes.length), ...bytes];
const vfield = (num: number, v: number) => [...varint(num << 3), ...varint(v)];
const str = (s: string) => [...Buffer.from(s)];

/** A profile whose only sample names location 99, which does not exist. */
function missingLocation(): Uint8Array {
  return Uint8Array.from([
    ...field(1, [...vfield(1, 1), ...vfield(2, 2)]), // sample_type {type: "objects", unit: "count"}
    ...field(2, [...vfield(1, 99), ...vfield(2, 5)]), // sample {location_id: 99, value: 5}
    ...field(6, []),
    ...field(6, str('objects')),
    ...field(6, str('count')),
  ]);
}

/** A string-table entry claiming 2 GB of data. */
function absurdLength(): Uint8Array {
  return Uint8Array.from([...field(6, []), ...varint((6 << 3) | 2), ...varint(0x7ffffff0), 1, 2, 3]);
}

const cases: Array<[name: string, data: Uint8Array, problem: RegExp, extra?: string[]]> = [
  ['truncated.pb.gz', heapGz.subarray(0, heapGz.length >> 1), /gzip|truncat|unexpected end/i],
  ['random.bin', noise(4096), /./],
  ['garbage.gz', gzipSync(noise(4096, 99)), /./],
  ['cut.pb', heapRaw.subarray(0, Math.floor(heapRaw.length * 0.6)), /./],
  ['absurd.pb', absurdLength(), /./],
  ['missing-location.pb', missingLocation(), /location/i],
  ['error.html', new TextEncoder().encode('<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body>bad gateway</body></html>\n'), /HTML/i],
  ['bad-legacy.txt', new TextEncoder().encode('heap profile: 1: 2 [3: 4] @ heap/1048576\n1: 2 [3: 4] @ 0x1 0x2\nxx: yy\n'), /malformed|line 3/i],
  ['empty.pb.gz', new Uint8Array(0), /empty/i],
  ['bomb.gz', gzipSync(new Uint8Array(64 << 20)), /decompress|exceed|size|large/i, ['-max_decompressed=16mb']],
];

const dir = mkdtempSync(join(tmpdir(), 'pprof-plus-bad-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

for (const [name, data, problem, extra] of cases) {
  test(`bad input ${name}: one line naming the file, exit 1, no output file`, async () => {
    const file = join(dir, name);
    writeFileSync(file, data);
    const out = join(dir, `${name}.out`);
    const t0 = Date.now();
    const r = await runCli(['-top', `-output=${out}`, ...(extra ?? []), file]);
    assert.equal(r.code, 1, `exit status; stderr: ${r.stderr}`);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, `one line, got: ${r.stderr}`);
    assert.ok(lines[0].startsWith('pprof-plus: '), lines[0]);
    assert.ok(lines[0].includes(file), `names the file: ${lines[0]}`);
    assert.match(lines[0], problem);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(r.stdout, '');
    assert.equal(existsSync(out), false, 'no output file');
    assert.ok(Date.now() - t0 < 20000, 'in seconds');
  });
}

test('a gzip bomb below a raised -max_decompressed bound is read (and then rejected only as not a profile)', async () => {
  const file = join(dir, 'zeros.gz');
  writeFileSync(file, gzipSync(new Uint8Array(1 << 20)));
  const r = await runCli(['-top', '-max_decompressed=2mb', file]);
  assert.equal(r.code, 1);
  assert.doesNotMatch(r.stderr, /exceed/i);
});
