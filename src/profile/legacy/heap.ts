// Heap profiles in text: Go's debug=1 heap/allocs (`heap profile: … @
// heap/2R`), gperftools heapz/heapz_v2/heapprofile, growthz and
// fragmentationz. Values are unsampled with the rate from the header.

import { LocationsByAddress, newRawProfile, type Annotate, type RawProfile } from './raw-profile.ts';
import { parseAdditionalSections } from './memory-map.ts';
import { isMemoryMapSentinel, isSpaceOrComment, LineScanner, malformed, parseHexAddresses, trimSpace } from './text.ts';

const HEAP_HEADER_RE = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] *@ *(heap[_a-z0-9]*)\/?(\d*)/;
const HEAP_SAMPLE_RE = /(-?\d+): *(-?\d+) *\[ *(\d+): *(\d+) *] @([ x0-9a-f]*)/;
const GROWTH_HEADER_RE = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ growthz?/;
const FRAGMENTATION_HEADER_RE = /heap profile: *(\d+): *(\d+) *\[ *(\d+): *(\d+) *\] @ fragmentationz?/;

/**
 * Expected number of allocations behind a sampled (count, size) pair when
 * allocations are sampled by a Poisson process of mean `rate` bytes: divide
 * by P(sampled) = 1 - exp(-avgSize/rate). Truncates like Go's int64().
 */
export function scaleHeapSample(count: number, size: number, rate: number): [number, number] {
  if (count === 0 || size === 0) return [0, 0];
  if (rate <= 1) return [count, size];
  const avg = size / count;
  const scale = 1 / (1 - Math.exp(-avg / rate));
  return [Math.trunc(count * scale), Math.trunc(size * scale)];
}

interface HeapHeader {
  sampling: '' | 'v2';
  period: number;
  hasAlloc: boolean;
}

function parseHeapHeader(h: RegExpExecArray, source: string, line: string): HeapHeader | null {
  let period = 0;
  if (h[6].length > 0) {
    period = Number(h[6]);
    if (!Number.isSafeInteger(period)) throw malformed(source, 'sampling rate out of range', line);
  }
  const hasAlloc = (h[3] !== h[1] && h[3] !== '0') || (h[4] !== h[2] && h[4] !== '0');
  switch (h[5]) {
    case 'heapz_v2':
    case 'heap_v2':
      return { sampling: 'v2', period, hasAlloc };
    case 'heapprofile':
      return { sampling: '', period: 1, hasAlloc };
    case 'heap':
      // Go writes heap/2*MemProfileRate, a convention from gperftools.
      return { sampling: 'v2', period: Math.trunc(period / 2), hasAlloc };
    default:
      return null;
  }
}

export function parseHeap(text: string, source: string, annotate?: Annotate): RawProfile | null {
  const s = new LineScanner(text);
  if (!s.scan()) return null;
  const first = s.text();
  let header: HeapHeader;
  const h = HEAP_HEADER_RE.exec(first);
  if (h) {
    const parsed = parseHeapHeader(h, source, first);
    if (parsed === null) return null;
    header = parsed;
  } else if (GROWTH_HEADER_RE.test(first) || FRAGMENTATION_HEADER_RE.test(first)) {
    header = { sampling: '', period: 1, hasAlloc: false };
  } else {
    return null;
  }
  const { sampling, period, hasAlloc } = header;
  const p = newRawProfile(
    hasAlloc
      ? [
          { type: 'alloc_objects', unit: 'count' },
          { type: 'alloc_space', unit: 'bytes' },
          { type: 'inuse_objects', unit: 'count' },
          { type: 'inuse_space', unit: 'bytes' },
        ]
      : [
          { type: 'objects', unit: 'count' },
          { type: 'space', unit: 'bytes' },
        ],
    { type: 'space', unit: 'bytes' },
    period,
  );
  const locs = new LocationsByAddress(p);
  while (s.scan()) {
    const line = trimSpace(s.text());
    if (isSpaceOrComment(line)) continue;
    if (isMemoryMapSentinel(line)) break;
    const m = HEAP_SAMPLE_RE.exec(line);
    if (!m) throw malformed(source, `line ${s.lineNumber()} is not a heap sample`, line);
    const values: number[] = [];
    let blocksize = 0;
    const add = (countText: string, sizeText: string, label: string): void => {
      let count = Number(countText);
      let size = Number(sizeText);
      if (!Number.isSafeInteger(count) || !Number.isSafeInteger(size)) {
        throw malformed(source, `line ${s.lineNumber()}: value out of range`, line);
      }
      if (count === 0 && size !== 0) {
        throw malformed(source, `line ${s.lineNumber()}: ${label} count was 0 but ${label} bytes was ${size}`, line);
      }
      if (count !== 0) {
        blocksize = Math.trunc(size / count);
        if (sampling === 'v2') [count, size] = scaleHeapSample(count, size, period);
      }
      values.push(count, size);
    };
    if (hasAlloc) add(m[3], m[4], 'allocation');
    add(m[1], m[2], 'inuse');
    const addrs = parseHexAddresses(m[5], source, line);
    // Return addresses: step back onto the call instruction.
    const stack = addrs.map((a) => locs.get(BigInt.asUintN(64, a - 1n)));
    p.samples.push({ locations: stack, values, numLabels: new Map([['bytes', [blocksize]]]) });
  }
  parseAdditionalSections(s, p, annotate);
  return p;
}
