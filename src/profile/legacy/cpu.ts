// gperftools' binary CPU profile (also written by very old Go runtimes and
// by Google's Java agent): machine words in the writer's size and byte
// order, detected from the header.
//   header:  0, 3, 0 (C++) or 1 (Java), sampling period in µs, 0
//   samples: count, depth, depth addresses (leaf first) ...
//   trailer: 0, 1, 0, then the text memory map (or Java location lines)

import { finishWithMemoryMap } from './memory-map.ts';
import { parseJavaLocations } from './java.ts';
import { LocationsByAddress, newRawProfile, type RawLocation, type RawProfile } from './raw-profile.ts';
import { LineScanner, malformed } from './text.ts';

type WordReader = (b: Uint8Array, at: number) => bigint;

interface WordFormat {
  size: 4 | 8;
  read: WordReader;
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

const FORMATS: WordFormat[] = [
  { size: 4, read: (b, at) => BigInt(view(b).getUint32(at, true)) },
  { size: 4, read: (b, at) => BigInt(view(b).getUint32(at, false)) },
  { size: 8, read: (b, at) => view(b).getBigUint64(at, true) },
  { size: 8, read: (b, at) => view(b).getBigUint64(at, false) },
];

/** The word format and kind of a gperftools CPU profile, or null when the header is not one. */
function detect(b: Uint8Array): { f: WordFormat; java: boolean; periodMicros: bigint } | null {
  for (const f of FORMATS) {
    if (b.length < 5 * f.size) continue;
    const w = [0, 1, 2, 3, 4].map((i) => f.read(b, i * f.size));
    if (w[0] === 0n && w[1] === 3n && (w[2] === 0n || w[2] === 1n) && w[3] > 0n && w[4] === 0n) {
      return { f, java: w[2] === 1n, periodMicros: w[3] };
    }
  }
  return null;
}

export function looksLikeCpuProfile(b: Uint8Array): boolean {
  return detect(b) !== null;
}

/** Reads the samples; returns the byte offset after the end-of-data marker and the locations by address. */
function parseCpuSamples(
  b: Uint8Array,
  start: number,
  f: WordFormat,
  adjust: boolean,
  p: RawProfile,
  source: string,
): { rest: number; locs: LocationsByAddress } {
  const locs = new LocationsByAddress(p);
  let at = start;
  const word = (): bigint => {
    if (at + f.size > b.length) throw malformed(source, `CPU profile truncated at byte ${at}`);
    const v = f.read(b, at);
    at += f.size;
    return v;
  };
  while (at < b.length) {
    const count = word();
    const depth = word();
    if (depth > BigInt(Math.floor((b.length - at) / f.size))) {
      throw malformed(source, `CPU profile sample at byte ${at} claims ${depth} frames, more than the file holds`);
    }
    const addrs: bigint[] = [];
    for (let i = 0n; i < depth; i++) addrs.push(word());
    if (count === 0n && depth === 1n && addrs[0] === 0n) break;
    const stack = addrs.map((a, i) => locs.get(adjust && i > 0 ? BigInt.asUintN(64, a - 1n) : a));
    const n = Number(BigInt.asIntN(64, count));
    p.samples.push({ locations: stack, values: [n, n * p.period] });
  }
  return { rest: at, locs };
}

/**
 * The profiler's signal handler may leave its own frame second in every
 * stack; when (nearly) all samples share the second frame, pprof drops it,
 * up to twice.
 */
function stripSignalFrames(p: RawProfile): void {
  const margin = Math.floor(p.samples.length / 32);
  for (let iter = 0; iter < 2; iter++) {
    const counts = new Map<bigint, number>();
    for (const s of p.samples) {
      if (s.locations.length > 1) {
        const a = s.locations[1].address;
        counts.set(a, (counts.get(a) ?? 0) + 1);
      }
    }
    for (const [addr, count] of counts) {
      if (count >= p.samples.length - margin) {
        for (const s of p.samples) {
          if (s.locations.length > 1 && s.locations[1].address === addr) s.locations.splice(1, 1);
        }
        break;
      }
    }
  }
}

/** Drops a leaf repeated by the unwinder as its caller (address − 1). */
export function cleanupDuplicateLocations(p: RawProfile): void {
  for (const s of p.samples) {
    const l: RawLocation[] = s.locations;
    if (l.length > 1 && l[0].address === BigInt.asUintN(64, l[1].address + 1n)) l.splice(1, 1);
  }
}

export function parseCpu(b: Uint8Array, source: string): RawProfile | null {
  const h = detect(b);
  if (h === null) return null;
  const period = Number(h.periodMicros) * 1000;
  const p = newRawProfile(
    [
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ],
    { type: 'cpu', unit: 'nanoseconds' },
    period,
  );
  const { rest, locs } = parseCpuSamples(b, 5 * h.f.size, h.f, !h.java, p, source);
  const tail = new TextDecoder('latin1').decode(b.subarray(rest));
  if (h.java) {
    parseJavaLocations(tail, locs.byAddress, p);
    for (const l of p.locations) l.address = 0n;
    return p;
  }
  stripSignalFrames(p);
  finishWithMemoryMap(new LineScanner(tail), p);
  cleanupDuplicateLocations(p);
  return p;
}
