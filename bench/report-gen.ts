// Writes a large synthetic heap profile for the report benchmark:
// 300k samples, 60k locations, 30k functions, stacks 8..48 deep, `bytes`
// numeric labels. Deterministic (fixed-seed PRNG).
// Usage: npx tsx bench/report-gen.ts OUT.pb.gz [seed]
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ProfileBuilder } from '../src/profile/builder.ts';
import { encodeProfile } from '../src/profile/proto-encode.ts';

const out = process.argv[2] ?? '/tmp/report-big.pb.gz';
let seed = Number(process.argv[3] ?? 1) >>> 0 || 1;
const rnd = () => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 2 ** 32;
};
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
  timeNanos: 1764193000000000000n,
});
const m = b.addMapping({ start: 0x400000n, limit: 0x2000000n, file: '/usr/local/bin/bigserver', hasFunctions: true, hasFilenames: true, hasLineNumbers: true });
const fns: number[] = [];
for (let i = 0; i < 30000; i++) fns.push(b.addFunction(`github.com/example/pkg${i % 300}.Func${i}`, undefined, `/src/pkg${i % 300}/file${i % 1000}.go`, 0));
const locs: number[] = [];
for (let i = 0; i < 60000; i++) {
  const f = fns[i % 30000];
  const lines = i % 7 === 0 ? [{ fn: fns[(i * 13) % 30000], line: 10 + (i % 50) }, { fn: f, line: 100 + (i % 90) }] : [{ fn: f, line: 100 + (i % 90) }];
  locs.push(b.addLocation(0x400000n + BigInt(i * 16), lines, m));
}
const sizes = [16, 32, 64, 128, 256, 1024, 4096, 32768];
for (let s = 0; s < 300000; s++) {
  const depth = 8 + Math.floor(rnd() * 41);
  const stack: number[] = [];
  // Shared roots make a realistic call tree.
  for (let d = 0; d < depth; d++) stack.push(locs[d < 4 ? d : Math.floor(rnd() * (d < 10 ? 2000 : 60000))]);
  stack.reverse();
  const size = sizes[Math.floor(rnd() * sizes.length)];
  const n = 1 + Math.floor(rnd() * 4);
  const inuse = rnd() < 0.4 ? n : 0;
  b.addSample(stack, [n, n * size, inuse, inuse * size], b.addLabelSet([], [{ key: 'bytes', value: size, unit: '' }]));
}
writeFileSync(out, gzipSync(encodeProfile(b.build())));
console.log(`wrote ${out}`);
