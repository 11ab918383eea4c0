// A small mutable profile, shaped like google/pprof's Go structs, that the
// legacy parsers build first. Legacy inputs are small and their semantics
// (which locations survive, how ids and mappings are renumbered) are defined
// by pprof's pointer-based code; replaying those steps on the same shape is
// the simplest way to reach the same result. `toProfile` then packs it into
// the shared columnar model.

import type { LabelSet, Mapping, NumLabel, Profile, ValueType } from '../model.ts';
import { EMPTY_LABEL_SET } from '../model.ts';

export interface RawMapping {
  id: number;
  start: bigint;
  limit: bigint;
  offset: bigint;
  file: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface RawFunction {
  id: number;
  name: string;
  systemName: string;
  filename: string;
  startLine: number;
}

export interface RawLine {
  fn: RawFunction;
  line: number;
}

export interface RawLocation {
  id: number;
  address: bigint;
  mapping: RawMapping | null;
  lines: RawLine[];
}

export interface RawSample {
  locations: RawLocation[];
  values: number[];
  /** Numeric labels by key (no units: legacy formats carry none). */
  numLabels?: Map<string, number[]>;
  /** String labels by key, in the order they were read. */
  labels?: Map<string, string[]>;
}

export interface RawProfile {
  sampleTypes: ValueType[];
  periodType: ValueType | null;
  period: number;
  durationNanos: bigint;
  samples: RawSample[];
  locations: RawLocation[];
  functions: RawFunction[];
  mappings: RawMapping[];
  dropFrames: string;
  keepFrames: string;
}

/** A step run on a parsed profile before pprof's renumbering (naming frames, say). */
export type Annotate = (p: RawProfile) => void;

export function newRawProfile(sampleTypes: ValueType[], periodType: ValueType | null, period: number): RawProfile {
  return {
    sampleTypes,
    periodType,
    period,
    durationNanos: 0n,
    samples: [],
    locations: [],
    functions: [],
    mappings: [],
    dropFrames: '',
    keepFrames: '',
  };
}

export function newMapping(start: bigint, limit: bigint, offset: bigint, file: string, buildId: string): RawMapping {
  return {
    id: 0,
    start,
    limit,
    offset,
    file,
    buildId,
    hasFunctions: false,
    hasFilenames: false,
    hasLineNumbers: false,
    hasInlineFrames: false,
  };
}

/**
 * Interns locations by address, as every pprof legacy parser does with its
 * `locs` map: one location per distinct (adjusted) address.
 */
export class LocationsByAddress {
  readonly byAddress = new Map<bigint, RawLocation>();
  constructor(private readonly p: RawProfile) {}
  get(address: bigint): RawLocation {
    let loc = this.byAddress.get(address);
    if (loc === undefined) {
      loc = { id: 0, address, mapping: null, lines: [] };
      this.byAddress.set(address, loc);
      this.p.locations.push(loc);
    }
    return loc;
  }
}

/** Keeps only locations that samples use, numbered in order of first use. */
export function remapLocationIds(p: RawProfile): void {
  const seen = new Set<RawLocation>();
  const locs: RawLocation[] = [];
  for (const s of p.samples) {
    for (const l of s.locations) {
      if (seen.has(l)) continue;
      l.id = locs.length + 1;
      locs.push(l);
      seen.add(l);
    }
  }
  p.locations = locs;
}

/** Keeps only functions that locations use, numbered in order of first use. */
export function remapFunctionIds(p: RawProfile): void {
  const seen = new Set<RawFunction>();
  const fns: RawFunction[] = [];
  for (const l of p.locations) {
    for (const ln of l.lines) {
      if (seen.has(ln.fn)) continue;
      ln.fn.id = fns.length + 1;
      fns.push(ln.fn);
      seen.add(ln.fn);
    }
  }
  p.functions = fns;
}

const MAX_U64 = (1n << 64n) - 1n;

/**
 * Attaches each location to the mapping holding its address, with pprof's
 * fix-ups for the main binary; locations outside every mapping share one
 * fake mapping covering the whole address space.
 */
export function remapMappingIds(p: RawProfile): void {
  if (p.mappings.length > 0) {
    const m = p.mappings[0];
    if (m.file.startsWith('/anon_hugepage') && p.mappings.length > 1 && m.limit === p.mappings[1].start) {
      p.mappings = p.mappings.slice(1);
    }
  }
  if (p.mappings.length > 0) {
    const m = p.mappings[0];
    if (((m.start - m.offset) & MAX_U64) === 0x400000n) {
      m.start = 0x400000n;
      m.offset = 0n;
    }
  }
  let fake: RawMapping | null = null;
  next: for (const l of p.locations) {
    const a = l.address;
    if (l.mapping !== null || a === 0n) continue;
    for (const m of p.mappings) {
      if (m.start <= a && a < m.limit) {
        l.mapping = m;
        continue next;
      }
    }
    for (const m of p.mappings) {
      if (m.offset !== 0n && ((m.start - m.offset) & MAX_U64) <= a && a < m.start) {
        m.start = (m.start - m.offset) & MAX_U64;
        m.offset = 0n;
        l.mapping = m;
        continue next;
      }
    }
    if (fake === null) {
      fake = newMapping(0n, MAX_U64, 0n, '', '');
      fake.id = 1;
      p.mappings.push(fake);
    }
    l.mapping = fake;
  }
  p.mappings.forEach((m, i) => (m.id = i + 1));
}

function adjacent(m1: RawMapping, m2: RawMapping): boolean {
  if (m1.file !== '' && m2.file !== '' && m1.file !== m2.file) return false;
  if (m1.buildId !== '' && m2.buildId !== '' && m1.buildId !== m2.buildId) return false;
  if (m1.limit !== m2.start) return false;
  if (m1.offset !== 0n && m2.offset !== 0n) {
    const offset = (m1.offset + (m1.limit - m1.start)) & MAX_U64;
    if (offset !== m2.offset) return false;
  }
  return true;
}

const LIB_RE = /([.]so$|[.]so[._][0-9]+)/;

/** Merges split mappings and moves the likely main binary first. */
export function massageMappings(p: RawProfile): void {
  if (p.mappings.length > 1) {
    const merged = [p.mappings[0]];
    for (const m of p.mappings.slice(1)) {
      const lm = merged[merged.length - 1];
      if (adjacent(lm, m)) {
        lm.limit = m.limit;
        if (m.file !== '') lm.file = m.file;
        if (m.buildId !== '') lm.buildId = m.buildId;
        for (const l of p.locations) if (l.mapping === m) l.mapping = lm;
        continue;
      }
      merged.push(m);
    }
    p.mappings = merged;
  }
  for (let i = 0; i < p.mappings.length; i++) {
    const file = p.mappings[i].file.replaceAll('(deleted)', '').trim();
    if (file.length === 0 || LIB_RE.test(file) || file[0] === '[') continue;
    [p.mappings[0], p.mappings[i]] = [p.mappings[i], p.mappings[0]];
    break;
  }
  p.mappings.forEach((m, i) => (m.id = i + 1));
}

/** Packs a RawProfile into the shared columnar model, keeping pprof's ids. */
export function toProfile(p: RawProfile): Profile {
  const nv = p.sampleTypes.length;
  const locIndex = new Map<RawLocation, number>();
  p.locations.forEach((l, i) => locIndex.set(l, i));
  const fnIndex = new Map<RawFunction, number>();
  p.functions.forEach((f, i) => fnIndex.set(f, i));
  const mapIndex = new Map<RawMapping, number>();
  p.mappings.forEach((m, i) => mapIndex.set(m, i));

  const nLines = p.locations.reduce((n, l) => n + l.lines.length, 0);
  const lineStart = new Uint32Array(p.locations.length + 1);
  const lineFunction = new Uint32Array(nLines);
  const lineNumber = new Float64Array(nLines);
  let k = 0;
  p.locations.forEach((l, i) => {
    lineStart[i] = k;
    for (const ln of l.lines) {
      const fi = fnIndex.get(ln.fn);
      if (fi === undefined) throw new Error('legacy parser: line names a function outside the table');
      lineFunction[k] = fi;
      lineNumber[k] = ln.line;
      k++;
    }
  });
  lineStart[p.locations.length] = k;

  const nStack = p.samples.reduce((n, s) => n + s.locations.length, 0);
  const stackStart = new Uint32Array(p.samples.length + 1);
  const stack = new Uint32Array(nStack);
  const values = new Float64Array(p.samples.length * nv);
  const labelSet = new Uint32Array(p.samples.length);
  const labelSets: LabelSet[] = [EMPTY_LABEL_SET];
  const labelSetIndex = new Map<string, number>([['', 0]]);
  let j = 0;
  p.samples.forEach((s, i) => {
    stackStart[i] = j;
    for (const l of s.locations) {
      const li = locIndex.get(l);
      if (li === undefined) throw new Error('legacy parser: sample names a location outside the table');
      stack[j++] = li;
    }
    for (let t = 0; t < nv; t++) values[i * nv + t] = s.values[t] ?? 0;
    const str: [string, string][] = [];
    for (const [key, vs] of s.labels ?? []) for (const v of vs) str.push([key, v]);
    const num: NumLabel[] = [];
    for (const [key, vs] of s.numLabels ?? []) for (const v of vs) num.push({ key, value: v, unit: '' });
    if (str.length > 0 || num.length > 0) {
      const key = JSON.stringify([str, num]);
      let idx = labelSetIndex.get(key);
      if (idx === undefined) {
        idx = labelSets.length;
        labelSetIndex.set(key, idx);
        labelSets.push({ str, num });
      }
      labelSet[i] = idx;
    }
  });
  stackStart[p.samples.length] = j;

  const mappings: Mapping[] = p.mappings.map((m) => ({ ...m }));
  return {
    sampleTypes: p.sampleTypes.slice(),
    defaultSampleType: '',
    samples: { length: p.samples.length, stackStart, stack, values, labelSet },
    labelSets,
    locations: {
      length: p.locations.length,
      id: Float64Array.from(p.locations, (l) => l.id),
      mapping: Int32Array.from(p.locations, (l) => (l.mapping === null ? -1 : mapIndex.get(l.mapping) ?? -1)),
      address: BigUint64Array.from(p.locations, (l) => l.address),
      isFolded: new Uint8Array(p.locations.length),
      lineStart,
      lineFunction,
      lineNumber,
      lineColumn: new Float64Array(nLines),
    },
    functions: {
      length: p.functions.length,
      id: Float64Array.from(p.functions, (f) => f.id),
      name: p.functions.map((f) => f.name),
      systemName: p.functions.map((f) => f.systemName),
      filename: p.functions.map((f) => f.filename),
      startLine: Float64Array.from(p.functions, (f) => f.startLine),
    },
    mappings,
    dropFrames: p.dropFrames,
    keepFrames: p.keepFrames,
    timeNanos: 0n,
    durationNanos: p.durationNanos,
    periodType: p.periodType,
    period: p.period,
    comments: [],
    docUrl: '',
  };
}
