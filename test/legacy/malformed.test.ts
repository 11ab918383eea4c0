// Broken legacy profiles: recognizably legacy but malformed input is an
// InputError with one line naming the problem; input that is no legacy
// format at all is left to the caller (null).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../../src/profile/errors.ts';
import { parseLegacyText } from '../../src/profile/legacy/index.ts';
import { profileToString } from '../../src/profile/to-string.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function rejects(input: string | Uint8Array, problem: RegExp): void {
  const bytes = typeof input === 'string' ? enc(input) : input;
  assert.throws(
    () => parseLegacyText(bytes, 'bad.prof'),
    (e: unknown) => {
      assert.ok(e instanceof InputError, `not an InputError: ${String(e)}`);
      assert.match(e.message, /^bad\.prof: /);
      assert.match(e.message, problem);
      assert.ok(!e.message.includes('\n'), `message spans lines: ${e.message}`);
      return true;
    },
  );
}

const HEAP = 'heap profile: 1: 64 [1: 64] @ heap/1048576\n';

test('a heap profile with a line that is not a sample names the line', () => {
  rejects(`${HEAP}1: 64 [1: 64] @ 0x401000\nthis is not a sample\n`, /line 3 is not a heap sample: "this is not a sample"/);
});

test('a heap sample with bytes but no objects is rejected', () => {
  rejects(`${HEAP}0: 64 [1: 64] @ 0x401000\n`, /inuse count was 0 but inuse bytes was 64/);
});

test('an address wider than 64 bits is rejected', () => {
  rejects(`${HEAP}1: 64 [1: 64] @ 0x1ffffffffffffffff\n`, /address 0x1ffffffffffffffff does not fit in 64 bits/);
});

test('a goroutine profile with a broken stack line names it', () => {
  rejects('goroutine profile: total 2\n2 @ 0x401000 zz\n', /line 2 is not "<count> @ <addresses>"/);
});

test('a contention profile with a broken sample line names it', () => {
  rejects('--- mutex:\ncycles/second=1000000000\nsampling period=1\ntwelve @ 0x401000\n', /line 4 is not "<cycles> <count> @ <addresses>"/);
});

test('a gperftools CPU profile cut short is rejected', () => {
  // Header (64-bit little-endian), then a sample claiming 1000 frames.
  const words = [0n, 3n, 0n, 10000n, 0n, 1n, 1000n, 0x401000n];
  const b = new Uint8Array(words.length * 8);
  const dv = new DataView(b.buffer);
  words.forEach((w, i) => dv.setBigUint64(i * 8, w, true));
  rejects(b, /claims 1000 frames, more than the file holds/);
});

test('a Java heap profile with a zero count is rejected', () => {
  rejects('--- heapz 1 ---\nformat = java\nresolution = bytes\n  100  0 @ 0x1\n', /sample count must be non-zero/);
});

test('text in no legacy format is not claimed', () => {
  for (const s of ['hello world\n', '{"json": true}\n', 'heap profile: garbage\n', '--- something else ---\n']) {
    assert.equal(parseLegacyText(enc(s), 'x'), null, s);
  }
  assert.equal(parseLegacyText(Uint8Array.from({ length: 256 }, (_, i) => (i * 37) & 0xff), 'x'), null);
  assert.equal(parseLegacyText(new Uint8Array(0), 'x'), null);
});

test('heap/2R (Go) and heap_v2/R (gperftools) headers scale alike', () => {
  const go = parseLegacyText(enc('heap profile: 3: 1572864 [3: 1572864] @ heap/1048576\n3: 1572864 [3: 1572864] @ 0x401000\n'), 'go');
  const v2 = parseLegacyText(enc('heap profile: 3: 1572864 [3: 1572864] @ heap_v2/524288\n3: 1572864 [3: 1572864] @ 0x401000\n'), 'v2');
  assert.ok(go && v2);
  assert.equal(go.period, 524288);
  assert.equal(profileToString(go), profileToString(v2));
  // 3 sampled 512 KiB objects at rate 512 KiB: each had probability 1-1/e.
  assert.deepEqual([...go.samples.values], [4, 2488234]);
});
