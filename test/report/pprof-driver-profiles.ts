// Rebuilds the in-code test profiles of google/pprof's
// internal/driver/driver_test.go (cpuProfile, cpuProfileSmall, heapProfile
// and its variants, contentionProfile, longNameFuncsProfile) as the second
// pprof pass of its TestParse sees them: names already demangled by the
// test symbolizer (mangled1000 → line1000, mangledMALLOC → malloc,
// mangledNEW → operator new). Writes fixtures/pprof-driver/raw-<name>.pb.gz;
// gen-fixtures.sh then reads each through `go tool pprof -proto`, which
// applies the heap's drop_frames as pprof's driver does.
// Usage: npx tsx test/report/pprof-driver-profiles.ts
import { mkdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import type { NumLabel, Profile } from '../../src/profile/model.ts';
import { encodeProfile } from '../../src/profile/proto-encode.ts';

const out = new URL('./fixtures/pprof-driver/', import.meta.url).pathname;
mkdirSync(out, { recursive: true });

const demangle: Record<string, string> = {
  mangled1000: 'line1000',
  mangled2000: 'line2000',
  mangled2001: 'line2001',
  mangled3000: 'line3000',
  mangled3001: 'line3001',
  mangled3002: 'line3002',
  mangledNEW: 'operator new',
  mangledMALLOC: 'malloc',
};

interface Fn {
  sys: string;
  file: string;
}
interface Loc {
  addr: number;
  lines: [fn: number, line: number][];
}
interface Smp {
  locs: number[];
  values: number[];
  str?: [string, string][];
  num?: NumLabel[];
}

function build(o: {
  mapping: { file?: string; buildId?: string };
  fns: Fn[];
  locs: Loc[];
  samples: Smp[];
  sampleTypes: [string, string][];
  periodType: [string, string];
  period: number;
  durationNanos?: bigint;
  comments?: string[];
  dropFrames?: string;
}): Profile {
  const b = new ProfileBuilder({
    sampleTypes: o.sampleTypes.map(([type, unit]) => ({ type, unit })),
    periodType: { type: o.periodType[0], unit: o.periodType[1] },
    period: o.period,
    durationNanos: o.durationNanos ?? 0n,
    comments: o.comments ?? [],
    dropFrames: o.dropFrames ?? '',
  });
  const m = b.addMapping({
    start: 0x1000n,
    limit: 0x4000n,
    file: o.mapping.file ?? '',
    buildId: o.mapping.buildId ?? '',
    hasFunctions: true,
    hasFilenames: true,
    hasLineNumbers: true,
    hasInlineFrames: true,
  });
  const fns = o.fns.map((f) => b.addFunction(demangle[f.sys] ?? f.sys, f.sys, f.file));
  const locs = o.locs.map((l) => b.addLocation(BigInt(l.addr), l.lines.map(([fn, line]) => ({ fn: fns[fn], line })), m));
  for (const s of o.samples) b.addSample(s.locs.map((i) => locs[i]), s.values, b.addLabelSet(s.str ?? [], s.num ?? []));
  return b.build();
}

const F1000 = 'testdata/file1000.src';
const F2000 = 'testdata/file2000.src';
const F3000 = 'testdata/file3000.src';
const sixFns: Fn[] = [
  { sys: 'mangled1000', file: F1000 },
  { sys: 'mangled2000', file: F2000 },
  { sys: 'mangled2001', file: F2000 },
  { sys: 'mangled3000', file: F3000 },
  { sys: 'mangled3001', file: F3000 },
  { sys: 'mangled3002', file: F3000 },
];
const cpuTypes: [string, string][] = [
  ['samples', 'count'],
  ['cpu', 'milliseconds'],
];

function cpu(): Profile {
  return build({
    mapping: { file: '/path/to/testbinary' },
    fns: sixFns,
    locs: [
      { addr: 0x1000, lines: [[0, 1]] },
      { addr: 0x2000, lines: [[2, 9], [1, 4]] },
      { addr: 0x3000, lines: [[5, 2], [4, 5], [3, 6]] },
      { addr: 0x3001, lines: [[4, 8], [3, 9]] },
      { addr: 0x3002, lines: [[5, 5], [3, 9]] },
    ],
    samples: [
      { locs: [0, 1, 2], values: [1000, 1000], str: [['key1', 'tag1'], ['key2', 'tag1']] },
      { locs: [0, 3], values: [100, 100], str: [['key1', 'tag2'], ['key3', 'tag2']] },
      { locs: [1, 4], values: [10, 10], str: [['key1', 'tag3'], ['key2', 'tag2']] },
      { locs: [2], values: [10, 10], str: [['key1', 'tag4'], ['key2', 'tag1']] },
    ],
    sampleTypes: cpuTypes,
    periodType: ['cpu', 'milliseconds'],
    period: 1,
    durationNanos: 10_000_000_000n,
  });
}

function cpuSmall(): Profile {
  const b = new ProfileBuilder({
    sampleTypes: cpuTypes.map(([type, unit]) => ({ type, unit })),
    periodType: { type: 'cpu', unit: 'milliseconds' },
    period: 1,
    durationNanos: 10_000_000_000n,
  });
  const m = b.addMapping({ start: 0x1000n, limit: 0x4000n, file: '/path/to/testbinary', hasFunctions: true, hasFilenames: true, hasLineNumbers: true, hasInlineFrames: true });
  const l = [0x1000n, 0x2000n, 0x3000n, 0x4000n, 0x5000n].map((a) => b.addLocation(a, [], m));
  for (const s of [[0, 1, 2], [3, 1, 4], [2], [4]]) b.addSample(s.map((i) => l[i]), [1000, 1000]);
  return b.build();
}

type HeapVariant = 'heap' | 'heap_alloc' | 'heap_request' | 'heap_sizetags' | 'heap_tags';

function heap(variant: HeapVariant): Profile {
  const bytes = [102400, 204800, 1638400, 409600];
  const samples: Smp[] = [
    { locs: [0, 1, 2], values: [10, 1024000] },
    { locs: [0, 3], values: [20, 4096000] },
    { locs: [1, 4], values: [40, 65536000] },
    { locs: [2], values: [80, 32768000] },
  ].map((s, i) => {
    const num: NumLabel[] = [{ key: 'bytes', value: bytes[i], unit: '' }];
    const str: [string, string][] = [];
    if (variant === 'heap_request') num.push({ key: 'request', value: bytes[i], unit: '' });
    if (variant === 'heap_sizetags') for (const t of [2, 4, 8, 16, 32, 64, 128, 256]) num.push({ key: 'bytes', value: t, unit: '' });
    if (variant === 'heap_tags' && i % 2 === 0) {
      num.push({ key: 'request', value: bytes[i], unit: '' });
      str.push(['key1', 'tag']);
    }
    return { ...s, num, str };
  });
  return build({
    mapping: { buildId: 'buildid' },
    fns: [
      { sys: 'pruneme', file: 'prune.h' },
      ...sixFns,
      { sys: 'mangledMALLOC', file: 'malloc.h' },
      { sys: 'mangledNEW', file: 'new.h' },
    ],
    locs: [
      { addr: 0x1000, lines: [[0, 100], [7, 100], [1, 1]] },
      { addr: 0x2000, lines: [[8, 100], [3, 2], [2, 3]] },
      { addr: 0x3000, lines: [[8, 100], [6, 3], [5, 2], [4, 4]] },
      { addr: 0x3001, lines: [[0, 100], [8, 100], [5, 2], [4, 4]] },
      { addr: 0x3002, lines: [[6, 3], [4, 4]] },
    ],
    samples,
    sampleTypes:
      variant === 'heap_alloc'
        ? [['alloc_objects', 'count'], ['alloc_space', 'bytes']]
        : [['inuse_objects', 'count'], ['inuse_space', 'bytes']],
    periodType: ['allocations', 'bytes'],
    period: 524288,
    comments: ['comment', '#hidden comment'],
    dropFrames: '.*operator new.*|malloc',
  });
}

function contention(): Profile {
  return build({
    mapping: { buildId: 'buildid-contention' },
    fns: sixFns,
    locs: [
      { addr: 0x1000, lines: [[0, 1]] },
      { addr: 0x2000, lines: [[2, 2], [1, 3]] },
      { addr: 0x3000, lines: [[5, 2], [4, 3], [3, 5]] },
      { addr: 0x3001, lines: [[4, 3], [3, 5]] },
      { addr: 0x3002, lines: [[5, 4], [3, 3]] },
    ],
    samples: [
      { locs: [0, 1, 2], values: [10, 10240000] },
      { locs: [0, 3], values: [20, 40960000] },
      { locs: [1, 4], values: [40, 65536000] },
      { locs: [2], values: [80, 32768000] },
    ],
    sampleTypes: [
      ['contentions', 'count'],
      ['delay', 'nanoseconds'],
    ],
    periodType: ['contentions', 'count'],
    period: 524288,
    comments: ['Comment #1', 'Comment #2'],
  });
}

function longNameFuncs(): Profile {
  return build({
    mapping: { file: '/path/to/testbinary' },
    fns: [
      { sys: 'path/to/package1.object.function1', file: 'path/to/package1.go' },
      { sys: '(anonymous namespace)::Bar::Foo', file: 'a/long/path/to/package2.cc' },
      { sys: 'java.bar.foo.FooBar.run(java.lang.Runnable)', file: 'FooBar.java' },
    ],
    locs: [
      { addr: 0x1000, lines: [[0, 1]] },
      { addr: 0x2000, lines: [[1, 4]] },
      { addr: 0x3000, lines: [[2, 9]] },
    ],
    samples: [
      { locs: [0, 1, 2], values: [1000, 1000] },
      { locs: [0, 1], values: [100, 100] },
      { locs: [2], values: [10, 10] },
    ],
    sampleTypes: cpuTypes,
    periodType: ['cpu', 'milliseconds'],
    period: 1,
    durationNanos: 10_000_000_000n,
  });
}

const profiles: Record<string, Profile> = {
  cpu: cpu(),
  cpusmall: cpuSmall(),
  heap: heap('heap'),
  heap_alloc: heap('heap_alloc'),
  heap_request: heap('heap_request'),
  heap_sizetags: heap('heap_sizetags'),
  heap_tags: heap('heap_tags'),
  contention: contention(),
  longNameFuncs: longNameFuncs(),
};
for (const [name, p] of Object.entries(profiles)) writeFileSync(out + `raw-${name}.pb.gz`, gzipSync(encodeProfile(p)));
