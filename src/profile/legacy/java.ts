// Google's Java agent profiles in text: heapz and contentionz, plus the
// location table shared with its binary CPU profiles.
//   --- heapz 1 ---
//   format = java
//   resolution = bytes
//        7048     1 @ 0x00000003 0x00000004 ...
//   0x00000003 com.example.Foo.bar (Foo.java:42)
// Sample rows are `<value> <count> @ ids`; the ids name rows of the
// location table, not machine addresses.

import { scaleHeapSample } from './heap.ts';
import {
  LocationsByAddress,
  newRawProfile,
  remapFunctionIds,
  remapLocationIds,
  remapMappingIds,
  type RawFunction,
  type RawLocation,
  type RawProfile,
} from './raw-profile.ts';
import { malformed, parseHexAddresses, parseInt64, trimSpace } from './text.ts';

const ATTRIBUTE_RE = /([\w ]+)=([\w ]+)/;
const SAMPLE_RE = / *(\d+) +(\d+) +@ +([ x0-9a-f]*)/;
const LOCATION_RE = /^\s*0x([0-9A-Fa-f]+)\s+(.*)\s*$/;
const LOCATION_FILE_LINE_RE = /^(.*)\s+\((.+):(-?[0-9]+)\)$/;
const LOCATION_PATH_RE = /^(.*)\s+\((.*)\)$/;
const JAVA_HEAPZ_SAMPLING_RATE = 524288;

/** Go's filepath.Base on a slash-separated path. */
function baseName(path: string): string {
  if (path === '') return '.';
  const p = path.replace(/\/+$/, '');
  if (p === '') return '/';
  return p.slice(p.lastIndexOf('/') + 1);
}

/** Names the locations listed in `text`; renumbers as pprof does. */
export function parseJavaLocations(text: string, locs: Map<bigint, RawLocation>, p: RawProfile): void {
  const fns = new Map<string, RawFunction>();
  for (const raw of text.split('\n')) {
    const line = trimSpace(raw);
    if (line === '') continue;
    const m = LOCATION_RE.exec(line);
    if (!m) continue;
    const addr = BigInt(`0x${m[1]}`);
    const loc = locs.get(addr);
    if (loc === undefined) continue;
    let fnName: string;
    let file = '';
    let lineNo = 0;
    const fl = LOCATION_FILE_LINE_RE.exec(m[2]);
    const fp = fl ? null : LOCATION_PATH_RE.exec(m[2]);
    if (fl) {
      fnName = fl[1];
      file = fl[2];
      const n = Number(fl[3]);
      if (Number.isSafeInteger(n) && n > 0) lineNo = n;
    } else if (fp) {
      // A shared library path: its base name is enough.
      fnName = fp[1];
      file = baseName(fp[2]);
    } else if (m[2].includes('generated stub/JIT')) {
      fnName = 'STUB';
    } else {
      // Agent-internal states such as "GC" or "VM".
      fnName = m[2];
    }
    let fn = fns.get(fnName);
    if (fn === undefined) {
      fn = { id: 0, name: fnName, systemName: fnName, filename: file, startLine: 0 };
      fns.set(fnName, fn);
      p.functions.push(fn);
    }
    loc.lines = [{ fn, line: lineNo }];
    loc.address = 0n;
  }
  remapLocationIds(p);
  remapFunctionIds(p);
  remapMappingIds(p);
}

/** Splits off complete lines like the Go code's IndexByte loops: a last line without '\n' is left over. */
function completeLines(text: string): { lines: string[]; starts: number[] } {
  const lines: string[] = [];
  const starts: number[] = [];
  let at = 0;
  for (;;) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    lines.push(text.slice(at, nl));
    starts.push(at);
    at = nl + 1;
  }
  starts.push(at);
  return { lines, starts };
}

export function parseJavaProfile(text: string, source: string): RawProfile | null {
  const nl = text.indexOf('\n');
  if (nl < 0) return null;
  const header = trimSpace(text.slice(0, nl));
  let kind: 'heap' | 'contention';
  if (header === '--- heapz 1 ---') kind = 'heap';
  else if (header === '--- contentionz 1 ---') kind = 'contention';
  else return null;

  const p = newRawProfile([], { type: '', unit: '' }, 0);
  const { lines, starts } = completeLines(text.slice(nl + 1));
  let i = 0;
  // Attributes.
  for (; i < lines.length; i++) {
    const line = trimSpace(lines[i]);
    if (line === '') continue;
    const a = ATTRIBUTE_RE.exec(line);
    if (!a) break;
    const attr = trimSpace(a[1]);
    const value = trimSpace(a[2]);
    switch (`${kind}/${attr}`) {
      case 'heap/format':
      case 'contention/format':
        if (value !== 'java') return null;
        break;
      case 'heap/resolution':
        p.sampleTypes = [
          { type: 'inuse_objects', unit: 'count' },
          { type: 'inuse_space', unit: value },
        ];
        break;
      case 'contention/resolution':
        p.sampleTypes = [
          { type: 'contentions', unit: 'count' },
          { type: 'delay', unit: value },
        ];
        break;
      case 'contention/sampling period': {
        p.periodType = { type: 'contentions', unit: 'count' };
        const v = parseInt64(value, 0);
        if (v === null) throw malformed(source, `bad attribute`, line);
        p.period = v;
        break;
      }
      case 'contention/ms since reset': {
        const v = parseInt64(value, 0);
        if (v === null) throw malformed(source, `bad attribute`, line);
        p.durationNanos = BigInt(v) * 1000000n;
        break;
      }
      default:
        return null;
    }
  }
  // Samples.
  const locs = new LocationsByAddress(p);
  for (; i < lines.length; i++) {
    const line = trimSpace(lines[i]);
    if (line === '') continue;
    const m = SAMPLE_RE.exec(line);
    if (!m) break;
    const addrs = parseHexAddresses(m[3], source, line);
    const stack = addrs.map((a) => locs.get(a));
    // Java rows put the value before the count.
    let count = parseInt64(m[2], 0);
    let value = parseInt64(m[1], 0);
    if (count === null || value === null) throw malformed(source, 'bad sample value', line);
    const sample: RawProfile['samples'][number] = { locations: stack, values: [] };
    if (kind === 'heap') {
      if (count === 0) throw malformed(source, 'sample count must be non-zero', line);
      sample.numLabels = new Map([['bytes', [Math.trunc(value / count)]]]);
      [count, value] = scaleHeapSample(count, value, JAVA_HEAPZ_SAMPLING_RATE);
    } else if (p.period !== 0) {
      count *= p.period;
      value *= p.period;
    }
    sample.values = [count, value];
    p.samples.push(sample);
  }
  if (p.sampleTypes.length === 0 && p.samples.length > 0) {
    throw malformed(source, 'Java profile names no resolution, so its sample types are unknown');
  }
  const rest = text.slice(nl + 1).slice(starts[i]);
  parseJavaLocations(rest, locs.byAddress, p);
  for (const l of p.locations) l.address = 0n;
  return p;
}
