// Rebuilds, as .pb.gz fixtures, the in-code test profiles of google/pprof's
// internal/driver tests (cpuProfile, cpuProfileSmall, heapProfile and its
// heap_* variants, contentionProfile, longNameFuncsProfile), written here
// from their published definitions with the test symbolizer's renames
// (mangledNNNN -> lineNNNN, mangledNEW -> operator new, mangledMALLOC ->
// malloc) already applied to Name (SystemName keeps the mangled name).
// Golden outputs for them come from running go tool pprof on these files.
//
//   node --import tsx testdata/core/pproftest/generate.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ProfileBuilder } from '../../../src/profile/builder.ts';
import { encodeProfileGzip } from '../../../src/profile/load.ts';
import type { NumLabel } from '../../../src/profile/model.ts';

const here = import.meta.dirname;

function demangle(name: string): string {
  if (name === 'mangledNEW') return 'operator new';
  if (name === 'mangledMALLOC') return 'malloc';
  return name.replace(/^mangled(\d+)$/, 'line$1');
}

type Fn = [sys: string, file: string];
interface Loc {
  addr: number;
  lines: Array<[fn: number, line: number]>;
}
interface Sample {
  locs: number[];
  values: number[];
  str?: Array<[string, string]>;
  num?: NumLabel[];
}
interface Def {
  mapping: { file?: string; buildId?: string };
  fns: Fn[];
  locs: Loc[];
  samples: Sample[];
  types: Array<[string, string]>;
  periodType: [string, string];
  period: number;
  durationNanos?: bigint;
  comments?: string[];
  dropFrames?: string;
}

function build(d: Def): Uint8Array {
  const b = new ProfileBuilder({
    sampleTypes: d.types.map(([type, unit]) => ({ type, unit })),
    periodType: { type: d.periodType[0], unit: d.periodType[1] },
    period: d.period,
    durationNanos: d.durationNanos ?? 0n,
    comments: d.comments ?? [],
    dropFrames: d.dropFrames ?? '',
  });
  const m = b.addMapping({
    start: 0x1000n,
    limit: 0x4000n,
    file: d.mapping.file ?? '',
    buildId: d.mapping.buildId ?? '',
    // Every mapping in the definitions claims full symbolization, even
    // cpuProfileSmall's, whose locations are addresses only.
    hasFunctions: true,
    hasFilenames: true,
    hasLineNumbers: true,
    hasInlineFrames: true,
  });
  const fns = d.fns.map(([sys, file]) => b.addFunction(demangle(sys), sys, file));
  const locs = d.locs.map((l) => b.addLocation(BigInt(l.addr), l.lines.map(([f, line]) => ({ fn: fns[f], line })), m));
  for (const s of d.samples) {
    const ls = b.addLabelSet(s.str ?? [], s.num ?? []);
    b.addSample(s.locs.map((i) => locs[i]), s.values, ls);
  }
  return encodeProfileGzip(b.build());
}

const cpuFns: Fn[] = [
  ['mangled1000', 'testdata/file1000.src'],
  ['mangled2000', 'testdata/file2000.src'],
  ['mangled2001', 'testdata/file2000.src'],
  ['mangled3000', 'testdata/file3000.src'],
  ['mangled3001', 'testdata/file3000.src'],
  ['mangled3002', 'testdata/file3000.src'],
];
const cpuTypes: Array<[string, string]> = [['samples', 'count'], ['cpu', 'milliseconds']];

const cpu: Def = {
  mapping: { file: '/path/to/testbinary' },
  fns: cpuFns,
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
  types: cpuTypes,
  periodType: ['cpu', 'milliseconds'],
  period: 1,
  durationNanos: 10_000_000_000n,
};

const cpusmall: Def = {
  mapping: { file: '/path/to/testbinary' },
  fns: [],
  locs: [0x1000, 0x2000, 0x3000, 0x4000, 0x5000].map((addr) => ({ addr, lines: [] })),
  samples: [
    { locs: [0, 1, 2], values: [1000, 1000] },
    { locs: [3, 1, 4], values: [1000, 1000] },
    { locs: [2], values: [1000, 1000] },
    { locs: [4], values: [1000, 1000] },
  ],
  types: cpuTypes,
  periodType: ['cpu', 'milliseconds'],
  period: 1,
  durationNanos: 10_000_000_000n,
};

const bytes = (v: number[]): NumLabel[] => v.map((value) => ({ key: 'bytes', value, unit: '' }));
function heap(variant: string): Def {
  const sizes = [102400, 204800, 1638400, 409600];
  const samples: Sample[] = [
    { locs: [0, 1, 2], values: [10, 1024000] },
    { locs: [0, 3], values: [20, 4096000] },
    { locs: [1, 4], values: [40, 65536000] },
    { locs: [2], values: [80, 32768000] },
  ].map((s, i) => {
    let num = bytes([sizes[i]]);
    let str: Array<[string, string]> = [];
    if (variant === 'heap_request') num = [...num, { key: 'request', value: sizes[i], unit: '' }];
    if (variant === 'heap_sizetags') num = bytes([sizes[i], 2, 4, 8, 16, 32, 64, 128, 256]);
    if (variant === 'heap_tags' && i % 2 === 0) {
      num = [...num, { key: 'request', value: sizes[i], unit: '' }];
      str = [['key1', 'tag']];
    }
    return { ...s, num, str };
  });
  return {
    mapping: { buildId: 'buildid' },
    fns: [
      ['pruneme', 'prune.h'],
      ['mangled1000', 'testdata/file1000.src'],
      ['mangled2000', 'testdata/file2000.src'],
      ['mangled2001', 'testdata/file2000.src'],
      ['mangled3000', 'testdata/file3000.src'],
      ['mangled3001', 'testdata/file3000.src'],
      ['mangled3002', 'testdata/file3000.src'],
      ['mangledMALLOC', 'malloc.h'],
      ['mangledNEW', 'new.h'],
    ],
    locs: [
      { addr: 0x1000, lines: [[0, 100], [7, 100], [1, 1]] },
      { addr: 0x2000, lines: [[8, 100], [3, 2], [2, 3]] },
      { addr: 0x3000, lines: [[8, 100], [6, 3], [5, 2], [4, 4]] },
      { addr: 0x3001, lines: [[0, 100], [8, 100], [5, 2], [4, 4]] },
      { addr: 0x3002, lines: [[6, 3], [4, 4]] },
    ],
    samples,
    types: variant === 'heap_alloc' ? [['alloc_objects', 'count'], ['alloc_space', 'bytes']] : [['inuse_objects', 'count'], ['inuse_space', 'bytes']],
    periodType: ['allocations', 'bytes'],
    period: 524288,
    comments: ['comment', '#hidden comment'],
    dropFrames: '.*operator new.*|malloc',
  };
}

const contention: Def = {
  mapping: { buildId: 'buildid-contention' },
  fns: cpuFns,
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
  types: [['contentions', 'count'], ['delay', 'nanoseconds']],
  periodType: ['contentions', 'count'],
  period: 524288,
  comments: ['Comment #1', 'Comment #2'],
};

const longNameFuncs: Def = {
  mapping: { file: '/path/to/testbinary' },
  fns: [
    ['path/to/package1.object.function1', 'path/to/package1.go'],
    ['(anonymous namespace)::Bar::Foo', 'a/long/path/to/package2.cc'],
    ['java.bar.foo.FooBar.run(java.lang.Runnable)', 'FooBar.java'],
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
  types: cpuTypes,
  periodType: ['cpu', 'milliseconds'],
  period: 1,
  durationNanos: 10_000_000_000n,
};

const all: Record<string, Def> = {
  cpu,
  cpusmall,
  heap: heap('heap'),
  heap_alloc: heap('heap_alloc'),
  heap_request: heap('heap_request'),
  heap_sizetags: heap('heap_sizetags'),
  heap_tags: heap('heap_tags'),
  contention,
  longNameFuncs,
};
for (const [name, def] of Object.entries(all)) writeFileSync(join(here, `${name}.pb.gz`), build(def));
console.log(`wrote ${Object.keys(all).length} profiles to ${here}`);
