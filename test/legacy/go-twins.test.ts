// Go's debug=1 text profiles against their proto twins, written by the same
// program at the same moment (testdata/legacy/generate.sh). Read with the
// frame names from their `#` lines, the text forms must give the same
// per-function values as the protos, within what the text can express.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import { decodeProfile } from '../../src/profile/proto-decode.ts';
import { parseLegacyText } from '../../src/profile/legacy/index.ts';
import type { Profile } from '../../src/profile/model.ts';
import { repoRoot } from '../helpers/paths.ts';

const dir = join(repoRoot, 'testdata/legacy/allprofiles/out');

function text(name: string): Profile {
  const p = parseLegacyText(readFileSync(join(dir, `${name}.debug1.txt`)), `${name}.debug1.txt`);
  assert.ok(p, `${name}.debug1.txt not recognized`);
  return p;
}
function proto(name: string): Profile {
  return decodeProfile(gunzipSync(readFileSync(join(dir, `${name}.pb.gz`))), `${name}.pb.gz`);
}

/** Flat and cum per function name for one sample type, as `-top` counts them. */
function byFunction(p: Profile, t: number): Map<string, { flat: number; cum: number }> {
  const out = new Map<string, { flat: number; cum: number }>();
  const { samples: s, locations: l, functions: f } = p;
  const nv = p.sampleTypes.length;
  for (let i = 0; i < s.length; i++) {
    const v = s.values[i * nv + t];
    const seen = new Set<string>();
    for (let k = s.stackStart[i]; k < s.stackStart[i + 1]; k++) {
      const loc = s.stack[k];
      for (let j = l.lineStart[loc]; j < l.lineStart[loc + 1]; j++) {
        const name = f.name[l.lineFunction[j]];
        let e = out.get(name);
        if (!e) out.set(name, (e = { flat: 0, cum: 0 }));
        if (k === s.stackStart[i] && j === l.lineStart[loc]) e.flat += v;
        if (!seen.has(name)) {
          e.cum += v;
          seen.add(name);
        }
      }
    }
  }
  for (const [name, e] of out) if (e.flat === 0 && e.cum === 0) out.delete(name);
  return out;
}

function sorted<T>(m: Map<string, T>): [string, T][] {
  return [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function topByFlat(p: Profile, t: number, n: number): string[] {
  return sorted(byFunction(p, t))
    .sort(([, a], [, b]) => b.flat - a.flat)
    .slice(0, n)
    .map(([name]) => name);
}

for (const name of ['heap', 'allocs', 'block', 'mutex']) {
  test(`${name}.debug1.txt gives its proto twin's per-function values`, () => {
    const a = text(name);
    const b = proto(name);
    assert.deepEqual(a.sampleTypes, b.sampleTypes);
    assert.equal(a.period, b.period);
    assert.deepEqual(a.periodType, b.periodType);
    for (let t = 0; t < a.sampleTypes.length; t++) {
      assert.deepEqual(sorted(byFunction(a, t)), sorted(byFunction(b, t)), `sample type ${a.sampleTypes[t].type}`);
    }
  });
}

test('heap.debug1.txt names the allocating functions, inlined ones included, scaled by the rate', () => {
  const p = text('heap');
  const inuse = p.sampleTypes.findIndex((t) => t.type === 'inuse_space');
  // main.newBuffer is inlined into main.allocLarge: its own `#` line names it.
  assert.deepEqual(topByFlat(p, inuse, 2).sort(), ['main.allocSmall', 'main.newBuffer']);
  assert.deepEqual(topByFlat(p, inuse, 2), topByFlat(proto('heap'), inuse, 2));
  const fns = byFunction(p, inuse);
  assert.equal(fns.get('main.allocLarge')!.cum, fns.get('main.newBuffer')!.cum);
  // Raw in-use bytes of the rows whose leaf `#` frame is `fn`.
  const raw = readFileSync(join(dir, 'heap.debug1.txt'), 'utf8');
  const rawBytes = (fn: string): number =>
    [...raw.matchAll(/^(\d+): (\d+) \[\d+: \d+\] @.*\n#\t0x[0-9a-f]+\t([^+]+)\+/gm)]
      .filter((m) => m[3] === fn)
      .reduce((n, m) => n + Number(m[2]), 0);
  // 256 KiB buffers at MemProfileRate 4096 are always sampled: scale 1.
  assert.ok(rawBytes('main.newBuffer') >= 256 * 1024);
  assert.equal(fns.get('main.newBuffer')!.flat, rawBytes('main.newBuffer'));
  // 64-byte objects are sampled rarely (1 in ~64 at rate 4096): their row is scaled up
  // by 1/(1-exp(-64/4096)), and the sample keeps the block size as its `bytes` label.
  const row = /^(\d+): (\d+) \[\d+: \d+\] @.*\n#\t0x[0-9a-f]+\tmain\.allocSmall\+/gm;
  const small = [...raw.matchAll(row)].find((m) => Number(m[2]) === Number(m[1]) * 64);
  assert.ok(small, 'no 64-byte allocSmall row');
  const rawCount = Number(small[1]);
  const nv = p.sampleTypes.length;
  const sampleIdx = [...Array(p.samples.length).keys()].find((i) =>
    p.labelSets[p.samples.labelSet[i]].num.some((n) => n.key === 'bytes' && n.value === 64),
  );
  assert.ok(sampleIdx !== undefined);
  const scale = 1 / (1 - Math.exp(-64 / 4096));
  assert.equal(p.samples.values[sampleIdx * nv + inuse - 1], Math.trunc(rawCount * scale));
  assert.equal(p.samples.values[sampleIdx * nv + inuse], Math.trunc(rawCount * 64 * scale));
});

/** The function chains of locations that hold inlined frames, innermost first (non-zero samples only). */
function inlineChains(p: Profile): string[] {
  const { locations: l, functions: f, samples: s } = p;
  const nv = p.sampleTypes.length;
  const used = new Set<number>();
  for (let i = 0; i < s.length; i++) {
    if (!s.values.subarray(i * nv, (i + 1) * nv).some((v) => v !== 0)) continue;
    for (let k = s.stackStart[i]; k < s.stackStart[i + 1]; k++) used.add(s.stack[k]);
  }
  const out = new Set<string>();
  for (const i of used) {
    if (l.lineStart[i + 1] - l.lineStart[i] < 2) continue;
    const names: string[] = [];
    for (let j = l.lineStart[i]; j < l.lineStart[i + 1]; j++) names.push(f.name[l.lineFunction[j]]);
    out.add(names.join(' < '));
  }
  return [...out].sort();
}

for (const [name, chain] of [
  ['heap', 'main.newBuffer < main.allocLarge'],
  ['allocs', 'main.newBuffer < main.allocLarge'],
  ['block', 'sync.(*Mutex).Lock < main.contendMutex'],
  ['mutex', 'sync.(*Mutex).Unlock < main.contendMutex'],
]) {
  test(`${name}.debug1.txt folds inlined frames into one location, as its proto twin does`, () => {
    const a = inlineChains(text(name));
    assert.ok(a.includes(chain), a.join('; '));
    assert.deepEqual(a, inlineChains(proto(name)));
  });
}

/** Runs `pprof-plus <args>` in-process; returns stdout. */
async function cli(args: string[]): Promise<string> {
  let out = '';
  let err = '';
  const sink = (write: (s: string) => void): Writable =>
    new Writable({
      write(chunk, _enc, cb) {
        write(String(chunk));
        cb();
      },
    });
  const code = await main(args, {
    stdout: sink((s) => (out += s)),
    stderr: sink((s) => (err += s)),
    env: { TZ: 'UTC' },
    cwd: dir,
    isTTY: false,
  });
  assert.equal(code, 0, err);
  return out;
}

for (const [name, top] of [
  ['heap', 'main.newBuffer'],
  ['allocs', 'main.allocSmall'],
  ['block', 'sync.(*Mutex).Lock'],
  ['mutex', 'sync.(*Mutex).Unlock'],
]) {
  test(`-top on ${name}.debug1.txt shows the same table as on ${name}.pb.gz`, async () => {
    // The proto names the binary and the time; the text has neither. allocs text cannot say
    // it defaults to alloc_space, so both are asked for it.
    const table = (s: string): string =>
      s
        .split('\n')
        .filter((l) => !l.startsWith('File:') && !l.startsWith('Time:'))
        .join('\n');
    const args = name === 'allocs' ? ['-top', '-sample_index=alloc_space'] : ['-top'];
    const fromText = await cli([...args, `${name}.debug1.txt`]);
    const lines = fromText.split('\n');
    const first = lines[lines.findIndex((l) => l.includes('flat%')) + 1] ?? '';
    assert.ok(first.replace(' (inline)', '').endsWith(top), fromText);
    assert.equal(table(fromText), table(await cli([...args, `${name}.pb.gz`])));
  });
}
