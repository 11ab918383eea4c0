// google/pprof's own legacy test inputs must parse to exactly what its parser
// prints (`.string` files): gperftools CPU/heap/growth/contention/thread,
// Java CPU/heap/contention and old Go profiles.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLegacyText } from '../../src/profile/legacy/index.ts';
import { profileToString } from '../../src/profile/to-string.ts';
import { repoRoot } from '../helpers/paths.ts';

const dir = join(repoRoot, 'testdata/legacy/pprof-testdata');
const inputs = readdirSync(dir).filter((f) => !f.endsWith('.string') && !f.endsWith('.md'));

test('the pprof legacy corpus is all there', () => {
  assert.equal(inputs.length, 14);
});

for (const name of inputs) {
  test(`${name} parses to its .string`, () => {
    const p = parseLegacyText(readFileSync(join(dir, name)), name);
    assert.ok(p, `${name} not recognized`);
    assert.equal(profileToString(p, 'latest'), readFileSync(join(dir, `${name}.string`), 'utf8'));
  });
}

/**
 * Re-encodes a gperftools CPU profile's words in another size/byte order;
 * the text after the end-of-data marker is copied as is.
 */
function reencodeCpu(b: Uint8Array, from: 4 | 8, to: 4 | 8, bigEndian: boolean): Uint8Array {
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const read = (at: number): bigint => (from === 4 ? BigInt(dv.getUint32(at, true)) : dv.getBigUint64(at, true));
  const words: bigint[] = [];
  let at = 0;
  const take = (): bigint => {
    const v = read(at);
    at += from;
    words.push(v);
    return v;
  };
  for (let i = 0; i < 5; i++) take();
  while (at < b.length) {
    const count = take();
    const n = Number(take());
    let first = 0n;
    for (let i = 0; i < n; i++) {
      const a = take();
      if (i === 0) first = a;
    }
    if (count === 0n && n === 1 && first === 0n) break;
  }
  const out = new Uint8Array(words.length * to + (b.length - at));
  const ov = new DataView(out.buffer);
  words.forEach((w, i) => {
    if (to === 4) {
      assert.ok(w < 1n << 32n, 'word does not fit in 32 bits');
      ov.setUint32(i * 4, Number(w), !bigEndian);
    } else {
      ov.setBigUint64(i * 8, w, !bigEndian);
    }
  });
  out.set(b.subarray(at), words.length * to);
  return out;
}

for (const [name, from] of [
  ['go.crc32.cpu', 8],
  ['java.cpu', 4],
] as const) {
  for (const [to, big] of [
    [4, false],
    [4, true],
    [8, false],
    [8, true],
  ] as const) {
    test(`${name} re-encoded as ${to * 8}-bit ${big ? 'big' : 'little'}-endian reads the same`, () => {
      const bytes = reencodeCpu(readFileSync(join(dir, name)), from, to, big);
      const p = parseLegacyText(bytes, name);
      assert.ok(p);
      assert.equal(profileToString(p, 'latest'), readFileSync(join(dir, `${name}.string`), 'utf8'));
    });
  }
}
