// Generates the web benchmark's input: a CPU-like profile with 300k samples,
// ~3000 functions in 60 packages and stacks 6–45 frames deep, written to
// bench/out/web-300k.pb.gz. Deterministic (fixed PRNG seed).
// Usage: node --import tsx bench/web-gen.ts [samples]
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileBuilder } from '../src/profile/builder.ts';
import { writeProfileFile } from '../src/profile/load.ts';

const N = Number(process.argv[2] ?? 300000);
let seed = 12345;
const rnd = () => {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
};
const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)];

const b = new ProfileBuilder({
  sampleTypes: [
    { type: 'samples', unit: 'count' },
    { type: 'cpu', unit: 'nanoseconds' },
  ],
  periodType: { type: 'cpu', unit: 'nanoseconds' },
  period: 10000000,
  timeNanos: 1700000000000000000n,
  durationNanos: 30000000000n,
});
const pkgs = Array.from({ length: 60 }, (_, i) => (i < 10 ? ['runtime', 'net/http', 'encoding/json', 'sync', 'bufio', 'compress/gzip', 'crypto/tls', 'io', 'reflect', 'strings'][i] : `github.com/acme/svc/internal/pkg${i}`));
const nFn = 3000;
const locsOf: number[][] = [];
const names: string[] = [];
for (let f = 0; f < nFn; f++) {
  const pkg = pick(pkgs);
  const name = `${pkg}.${rnd() < 0.3 ? `(*T${f % 50}).` : ''}fn${f}`;
  names.push(name);
  const fi = b.addFunction(name, name, `${pkg}/file${f % 20}.go`, 10);
  const locs: number[] = [];
  const k = 1 + Math.floor(rnd() * 3);
  for (let j = 0; j < k; j++) locs.push(b.addLocation(BigInt(0x400000 + f * 64 + j * 8), [{ fn: fi, line: 10 + j * 7 }]));
  locsOf.push(locs);
}
const callees: number[][] = [];
for (let f = 0; f < nFn; f++) callees.push(Array.from({ length: 2 + Math.floor(rnd() * 5) }, () => Math.floor(rnd() * nFn)));
const roots = [0, 1, 2, 3, 4];
const stack: number[] = [];
const values = [0, 0];
for (let s = 0; s < N; s++) {
  stack.length = 0;
  let f = pick(roots);
  const depth = 6 + Math.floor(-Math.log(1 - rnd()) * 12) % 40;
  const path: number[] = [];
  for (let d = 0; d < depth; d++) {
    path.push(pick(locsOf[f]));
    f = pick(callees[f]);
  }
  for (let d = path.length - 1; d >= 0; d--) stack.push(path[d]);
  const c = 1 + Math.floor(rnd() * 3);
  values[0] = c;
  values[1] = c * 10000000;
  b.addSample(stack, values);
}
const out = join(new URL('.', import.meta.url).pathname, 'out');
mkdirSync(out, { recursive: true });
await writeProfileFile(join(out, 'web-300k.pb.gz'), b.build());
console.log(`wrote ${join(out, 'web-300k.pb.gz')} (${N} samples)`);
