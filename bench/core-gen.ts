// Generates the large synthetic Go heap profile of the core benchmark:
// 300k samples, 60k locations, 30k functions, stacks 8..48 deep, a `bytes`
// numeric label per sample, four Go heap sample types. Deterministic for a
// given seed, so the base (seed 2) shares most stacks with the main one.
//   node --import tsx bench/core-gen.ts OUT.pb.gz SEED
import { writeFileSync } from 'node:fs';
import { ProfileBuilder } from '../src/profile/builder.ts';
import { encodeProfileGzip } from '../src/profile/load.ts';

const [out, seedArg] = process.argv.slice(2);
let x = Number(seedArg ?? 1) * 2654435761 >>> 0 || 1;
const rnd = (n: number) => {
  x ^= x << 13; x >>>= 0;
  x ^= x >>> 17;
  x ^= x << 5; x >>>= 0;
  return x % n;
};
const NS = 300_000, NL = 60_000, NF = 30_000;
const b = new ProfileBuilder({
  sampleTypes: [
    { type: 'alloc_objects', unit: 'count' },
    { type: 'alloc_space', unit: 'bytes' },
    { type: 'inuse_objects', unit: 'count' },
    { type: 'inuse_space', unit: 'bytes' },
  ],
  defaultSampleType: 'inuse_space',
  periodType: { type: 'space', unit: 'bytes' },
  period: 524288,
  timeNanos: 1_700_000_000_000_000_000n,
});
const m = b.addMapping({ start: 0x400000n, limit: 0x2000000n, file: '/usr/local/bin/bigservice', hasFunctions: true, hasFilenames: true, hasLineNumbers: true });
// Function ids are stable across seeds so the base matches the main profile.
const fns: number[] = [];
for (let f = 0; f < NF; f++) fns.push(b.addFunction(`github.com/example/svc/pkg${f % 97}.(*T${f % 13}).Method${f}`, '', `/src/svc/pkg${f % 97}/file${f % 211}.go`, 10 + (f % 400)));
const locs: number[] = [];
for (let l = 0; l < NL; l++) locs.push(b.addLocation(0x400000n + BigInt(l * 16), [{ fn: fns[l % NF], line: 20 + (l % 700) }], m));
// Stacks are drawn from a few thousand call paths, like a real service.
const stack: number[] = [];
for (let s = 0; s < NS; s++) {
  const depth = 8 + rnd(41);
  stack.length = 0;
  let cur = rnd(NL);
  for (let d = 0; d < depth; d++) {
    stack.push(locs[cur]);
    cur = (cur * 7 + 13 + (d % 3)) % NL;
  }
  const size = 16 << rnd(12);
  const objs = 1 + rnd(50);
  const live = rnd(3) === 0 ? 0 : rnd(objs + 1);
  b.addSample(stack, [objs, objs * size, live, live * size], b.addLabelSet([], [{ key: 'bytes', value: size, unit: '' }]));
}
writeFileSync(out, encodeProfileGzip(b.build()));
