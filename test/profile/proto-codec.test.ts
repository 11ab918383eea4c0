// The decoder against an independent reader (pprof-format) on profiles the
// Go runtime wrote, the encoder by round trip, and both against damage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Profile as RefProfile } from 'pprof-format';
import { decodeProfile } from '../../src/profile/proto-decode.ts';
import { encodeProfile } from '../../src/profile/proto-encode.ts';
import { InputError } from '../../src/profile/errors.ts';
import type { Profile } from '../../src/profile/model.ts';
import { sharedDir } from '../helpers/paths.ts';

function corpusFiles(): string[] {
  const root = join(sharedDir(), 'corpus/leaks');
  if (!existsSync(root)) return [];
  const out: string[] = [];
  for (const c of readdirSync(root)) {
    for (const f of readdirSync(join(root, c))) if (f.endsWith('.pb.gz')) out.push(join(root, c, f));
  }
  return out.sort();
}

/** Stacks as function-name paths with values, independent of ids and order. */
function summarize(p: Profile): string[] {
  const rows: string[] = [];
  const n = p.sampleTypes.length;
  for (let i = 0; i < p.samples.length; i++) {
    const names: string[] = [];
    for (let k = p.samples.stackStart[i]; k < p.samples.stackStart[i + 1]; k++) {
      const loc = p.samples.stack[k];
      for (let l = p.locations.lineStart[loc]; l < p.locations.lineStart[loc + 1]; l++) {
        names.push(`${p.functions.name[p.locations.lineFunction[l]]}:${p.locations.lineNumber[l]}`);
      }
      names.push(`@${p.locations.address[loc].toString(16)}`);
    }
    const vals = Array.from(p.samples.values.subarray(i * n, (i + 1) * n)).join(',');
    const set = p.labelSets[p.samples.labelSet[i]];
    rows.push(`${names.join(';')} ${vals} ${JSON.stringify(set)}`);
  }
  return rows.sort();
}

test('decoder agrees with pprof-format on every corpus profile', () => {
  const files = corpusFiles();
  assert.ok(files.length >= 60, `expected the shared corpus, found ${files.length} files`);
  for (const f of files) {
    const raw = gunzipSync(readFileSync(f));
    const ours = decodeProfile(raw, f);
    const ref = RefProfile.decode(raw);
    assert.equal(ours.samples.length, ref.sample.length, f);
    assert.equal(ours.locations.length, ref.location.length, f);
    assert.equal(ours.functions.length, ref.function.length, f);
    assert.deepEqual(ours.sampleTypes.map((t) => t.type), ref.sampleType.map((t) => ref.stringTable.strings[Number(t.type)]), f);
    assert.equal(ours.period, Number(ref.period), f);
    for (let i = 0; i < ref.sample.length; i++) {
      const s = ref.sample[i];
      const ids = Array.from(ours.samples.stack.subarray(ours.samples.stackStart[i], ours.samples.stackStart[i + 1]), (li) => ours.locations.id[li]);
      assert.deepEqual(ids, s.locationId.map(Number), `${f} sample ${i} stack`);
      const vals = Array.from(ours.samples.values.subarray(i * ours.sampleTypes.length, (i + 1) * ours.sampleTypes.length));
      assert.deepEqual(vals, s.value.map(Number), `${f} sample ${i} values`);
    }
    for (let i = 0; i < ref.function.length; i++) {
      assert.equal(ours.functions.name[i], ref.stringTable.strings[Number(ref.function[i].name)], f);
    }
  }
});

test('encode then decode gives back the same profile', () => {
  for (const f of corpusFiles().slice(0, 20)) {
    const p = decodeProfile(gunzipSync(readFileSync(f)), f);
    const q = decodeProfile(encodeProfile(p), 'roundtrip');
    assert.deepEqual(summarize(q), summarize(p), f);
    assert.equal(q.timeNanos, p.timeNanos);
    assert.equal(q.period, p.period);
    assert.deepEqual(q.periodType, p.periodType);
    assert.deepEqual(q.mappings, p.mappings);
    assert.deepEqual(q.comments, p.comments);
  }
});

test('negative values (delta and diff profiles) survive encode and decode', () => {
  const f = corpusFiles()[1];
  const p = decodeProfile(gunzipSync(readFileSync(f)), f);
  const values = p.samples.values.map((v) => -v - 1);
  const neg: Profile = { ...p, samples: { ...p.samples, values } };
  const q = decodeProfile(encodeProfile(neg), 'neg');
  assert.deepEqual(Array.from(q.samples.values), Array.from(values));
  assert.ok(q.samples.values[0] < 0);
});

test('damaged input raises InputError, never another exception', () => {
  const f = corpusFiles()[5];
  const raw = new Uint8Array(gunzipSync(readFileSync(f)));
  let seed = 12345;
  const rand = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  let rejected = 0;
  for (let trial = 0; trial < 400; trial++) {
    let data: Uint8Array;
    if (trial < 100) data = raw.subarray(0, Math.floor(rand() * raw.length));
    else {
      data = raw.slice();
      const flips = 1 + Math.floor(rand() * 8);
      for (let k = 0; k < flips; k++) data[Math.floor(rand() * data.length)] = Math.floor(rand() * 256);
    }
    try {
      decodeProfile(data, 'damaged.pb');
    } catch (err) {
      assert.ok(err instanceof InputError, `trial ${trial}: ${(err as Error).stack}`);
      assert.match((err as Error).message, /^damaged\.pb: /);
      rejected++;
    }
  }
  assert.ok(rejected > 200, `only ${rejected} of 400 damaged inputs were rejected`);
});

test('a sample pointing at a missing location is named in the error', () => {
  const f = corpusFiles()[3];
  const ref = RefProfile.decode(gunzipSync(readFileSync(f)));
  ref.sample[0].locationId = [987654];
  const enc = ref.encode();
  assert.throws(() => decodeProfile(enc, 'dangling.pb'), (e: Error) => e instanceof InputError && /missing location id 987654/.test(e.message));
});
