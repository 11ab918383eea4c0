// profile.Merge on the columnar model: several profiles with the same
// sample types become one. Samples with the same stack and labels add up;
// locations are the same when their address relative to the mapping start,
// mapping and lines agree (so ASLR'd copies of one binary line up).
// Header: Period is the max, DurationNanos the sum, TimeNanos the smallest,
// comments de-duplicated. All-zero samples are dropped.

import { ProfileBuilder } from './builder.ts';
import { compatibilizeSampleTypes, scaleProfilesToCommonUnits } from './compat.ts';
import { InputError } from './errors.ts';
import { EMPTY_LABEL_SET, type LabelSet, type Mapping, type Profile, type ValueType } from './model.ts';

function vtString(v: ValueType | null): string {
  return v ? `${v.type}/${v.unit}` : '';
}

/** Profile.compatible: same period type and sample types. */
export function checkCompatible(a: Profile, b: Profile, source = ''): void {
  if (vtString(a.periodType) !== vtString(b.periodType)) {
    throw new InputError(source, `incompatible period types ${vtString(a.periodType)} and ${vtString(b.periodType)}`);
  }
  const sa = a.sampleTypes.map(vtString).join(' ');
  const sb = b.sampleTypes.map(vtString).join(' ');
  if (sa !== sb) throw new InputError(source, `incompatible sample types [${sa}] and [${sb}]`);
}

function mappingKey(m: Mapping): string {
  const round = 0x1000n;
  let size = m.limit - m.start;
  size = size + round - 1n;
  size -= size % round;
  return `${size}:${m.offset}:${m.buildId !== '' ? m.buildId : m.file}`;
}

/** Order-independent key of a label set (pprof sorts labels in the sample key). */
function labelSetKey(ls: LabelSet): string {
  if (ls.str.length === 0 && ls.num.length === 0) return '';
  const byKey = new Map<string, string[]>();
  for (const [k, v] of ls.str) {
    const a = byKey.get(k);
    if (a) a.push(v);
    else byKey.set(k, [v]);
  }
  const str = [...byKey].map(([k, vs]) => JSON.stringify([k, vs])).sort();
  const numBy = new Map<string, string[]>();
  for (const nl of ls.num) {
    const a = numBy.get(nl.key);
    const s = `${nl.value}:${nl.unit}`;
    if (a) a.push(s);
    else numBy.set(nl.key, [s]);
  }
  const num = [...numBy].map(([k, vs]) => JSON.stringify([k, vs])).sort();
  return str.join('') + '#' + num.join('');
}

/** Merges profiles (which must have equal sample types: see compat.ts). */
export function mergeProfiles(srcs: readonly Profile[], source = ''): Profile {
  if (srcs.length === 0) throw new InputError(source, 'no profiles to merge');
  for (const s of srcs.slice(1)) checkCompatible(srcs[0], s, source);
  const first = srcs[0];
  let timeNanos = 0n;
  let durationNanos = 0n;
  let period = 0;
  const comments: string[] = [];
  const seen = new Set<string>();
  let defaultSampleType = '';
  for (const s of srcs) {
    if (timeNanos === 0n || s.timeNanos < timeNanos) timeNanos = s.timeNanos;
    durationNanos += s.durationNanos;
    if (period === 0 || period < s.period) period = s.period;
    for (const c of s.comments) if (!seen.has(c)) { seen.add(c); comments.push(c); }
    if (defaultSampleType === '') defaultSampleType = s.defaultSampleType;
  }
  const b = new ProfileBuilder({
    sampleTypes: first.sampleTypes.slice(),
    defaultSampleType,
    periodType: first.periodType,
    period,
    timeNanos,
    durationNanos,
    comments,
    dropFrames: first.dropFrames,
    keepFrames: first.keepFrames,
    docUrl: first.docUrl,
  });
  const nt = first.sampleTypes.length;
  const mergedMappings: Mapping[] = [];
  const mappingByKey = new Map<string, number>();
  const labelSetByKey = new Map<string, number>();
  let capSamples = 0;
  let capStack = 0;
  for (const s of srcs) { capSamples += s.samples.length; capStack += s.samples.stack.length; }
  const table = new SampleTable(nt, capSamples, capStack);

  for (const src of srcs) {
    const L = src.locations;
    const mapOf = new Int32Array(src.mappings.length).fill(-2);
    const mapOffset = new Array<bigint>(src.mappings.length).fill(0n);
    const mapMapping = (mi: number): number => {
      if (mi < 0) return -1;
      if (mapOf[mi] !== -2) return mapOf[mi];
      const m = src.mappings[mi];
      const k = mappingKey(m);
      let idx = mappingByKey.get(k);
      if (idx === undefined) {
        idx = b.addMapping({ ...m, id: mergedMappings.length + 1 });
        mergedMappings.push(m);
        mappingByKey.set(k, idx);
      } else {
        mapOffset[mi] = mergedMappings[idx].start - m.start;
      }
      mapOf[mi] = idx;
      return idx;
    };
    if (mergedMappings.length === 0 && src.mappings.length > 0) mapMapping(0);
    const locOf = new Int32Array(L.length).fill(-1);
    const F = src.functions;
    const fnOf = new Int32Array(F.length).fill(-1);
    const mapLocation = (li: number): number => {
      if (locOf[li] >= 0) return locOf[li];
      const mi = mapMapping(L.mapping[li]);
      const off = L.mapping[li] >= 0 ? mapOffset[L.mapping[li]] : 0n;
      const lines = [];
      for (let j = L.lineStart[li]; j < L.lineStart[li + 1]; j++) {
        const f = L.lineFunction[j];
        if (fnOf[f] < 0) fnOf[f] = b.addFunction(F.name[f], F.systemName[f], F.filename[f], F.startLine[f]);
        lines.push({ fn: fnOf[f], line: L.lineNumber[j], column: L.lineColumn[j] });
      }
      const addr = off === 0n ? L.address[li] : BigInt.asUintN(64, L.address[li] + off);
      const idx = b.addLocation(addr, lines, mi, L.isFolded[li] === 1);
      locOf[li] = idx;
      return idx;
    };
    const setOf = new Int32Array(src.labelSets.length).fill(-1);
    const S = src.samples;
    let scratch = new Uint32Array(64);
    for (let s = 0; s < S.length; s++) {
      let zero = true;
      for (let t = 0; t < nt; t++) if (S.values[s * nt + t] !== 0) { zero = false; break; }
      if (zero) continue;
      const from = S.stackStart[s];
      const depth = S.stackStart[s + 1] - from;
      if (depth > scratch.length) scratch = new Uint32Array(depth * 2);
      for (let j = 0; j < depth; j++) scratch[j] = mapLocation(S.stack[from + j]);
      const ls = S.labelSet[s];
      if (setOf[ls] < 0) {
        const key = labelSetKey(src.labelSets[ls]);
        let idx = labelSetByKey.get(key);
        if (idx === undefined) {
          idx = b.addLabelSet(src.labelSets[ls].str, src.labelSets[ls].num);
          labelSetByKey.set(key, idx);
        }
        setOf[ls] = idx;
      }
      table.add(scratch, depth, setOf[ls], S.values, s * nt);
    }
  }
  const built = b.build();
  const merged: Profile = { ...built, samples: table.toSamples() };
  // Like pprof, merge again to drop the zero samples and what only they used.
  return table.anyZero() ? mergeProfiles([merged], source) : merged;
}

/**
 * Merged samples keyed by (stack, label set) in an open-addressing hash
 * table over typed arrays: no string or object per sample.
 */
class SampleTable {
  private readonly nt: number;
  length = 0;
  private stackStart: Uint32Array;
  private stack: Uint32Array;
  private labelSet: Uint32Array;
  private values: Float64Array;
  private hashes: Uint32Array;
  private slots: Int32Array;

  constructor(nt: number, capSamples = 1024, capStack = 16384) {
    this.nt = nt;
    const cap = Math.max(1024, capSamples);
    this.stackStart = new Uint32Array(cap + 1);
    this.stack = new Uint32Array(Math.max(16384, capStack));
    this.labelSet = new Uint32Array(cap);
    this.hashes = new Uint32Array(cap);
    let slots = 4096;
    while (slots < cap * 2) slots *= 2;
    this.slots = new Int32Array(slots).fill(-1);
    this.values = new Float64Array(cap * Math.max(1, nt));
  }

  add(stack: Uint32Array, depth: number, set: number, values: Float64Array, vOff: number): void {
    let h = (set * 0x9e3779b1) ^ depth;
    for (let j = 0; j < depth; j++) h = Math.imul(h ^ stack[j], 0x01000193) >>> 0;
    h >>>= 0;
    const mask = this.slots.length - 1;
    let slot = h & mask;
    for (;;) {
      const i = this.slots[slot];
      if (i < 0) break;
      if (this.hashes[i] === h && this.labelSet[i] === set && this.sameStack(i, stack, depth)) {
        for (let t = 0; t < this.nt; t++) this.values[i * this.nt + t] += values[vOff + t];
        return;
      }
      slot = (slot + 1) & mask;
    }
    const i = this.length++;
    this.grow(i + 1, depth);
    this.slots[slot] = i;
    this.hashes[i] = h;
    this.labelSet[i] = set;
    const at = this.stackStart[i];
    this.stack.set(stack.subarray(0, depth), at);
    this.stackStart[i + 1] = at + depth;
    for (let t = 0; t < this.nt; t++) this.values[i * this.nt + t] = values[vOff + t];
    if (this.length * 2 > this.slots.length) this.rehash();
  }

  private sameStack(i: number, stack: Uint32Array, depth: number): boolean {
    const a = this.stackStart[i];
    if (this.stackStart[i + 1] - a !== depth) return false;
    for (let j = 0; j < depth; j++) if (this.stack[a + j] !== stack[j]) return false;
    return true;
  }

  private grow(n: number, depth: number): void {
    if (n + 1 > this.stackStart.length) {
      const cap = this.stackStart.length * 2;
      const ss = new Uint32Array(cap + 1); ss.set(this.stackStart); this.stackStart = ss;
      const ls = new Uint32Array(cap); ls.set(this.labelSet); this.labelSet = ls;
      const hs = new Uint32Array(cap); hs.set(this.hashes); this.hashes = hs;
      const vs = new Float64Array(cap * Math.max(1, this.nt)); vs.set(this.values); this.values = vs;
    }
    const need = this.stackStart[n - 1] + depth;
    if (need > this.stack.length) {
      const st = new Uint32Array(Math.max(need, this.stack.length * 2)); st.set(this.stack); this.stack = st;
    }
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let i = 0; i < this.length; i++) {
      let slot = this.hashes[i] & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = i;
    }
    this.slots = slots;
  }

  anyZero(): boolean {
    for (let i = 0; i < this.length; i++) {
      let zero = true;
      for (let t = 0; t < this.nt; t++) if (this.values[i * this.nt + t] !== 0) { zero = false; break; }
      if (zero) return true;
    }
    return false;
  }

  toSamples(): Profile['samples'] {
    const n = this.length;
    return {
      length: n,
      stackStart: this.stackStart.subarray(0, n + 1),
      stack: this.stack.subarray(0, this.stackStart[n]),
      values: this.values.subarray(0, n * this.nt),
      labelSet: this.labelSet.subarray(0, n),
    };
  }
}

/** Profile.SetLabel: every sample gets `key` = values (replacing that key). */
export function setLabel(p: Profile, key: string, values: readonly string[]): Profile {
  // Set 0 must stay the empty set, so every set moves up by one.
  const sets: LabelSet[] = [EMPTY_LABEL_SET];
  for (const ls of p.labelSets) {
    sets.push({ str: [...ls.str.filter(([k]) => k !== key), ...values.map((v) => [key, v] as const)], num: ls.num });
  }
  const labelSet = new Uint32Array(p.samples.length);
  for (let s = 0; s < p.samples.length; s++) labelSet[s] = p.samples.labelSet[s] + 1;
  return { ...p, labelSets: sets, samples: { ...p.samples, labelSet } };
}

/**
 * pprof's combineProfiles: keep the sample types all inputs share, convert
 * them to common units, then Merge. go1.19 merges even a single profile,
 * which drops all-zero samples and renumbers locations in sample order
 * (visible in -raw and -traces).
 */
export function combineProfiles(ps: readonly Profile[], source = ''): Profile {
  let list = compatibilizeSampleTypes(ps, source);
  list = scaleProfilesToCommonUnits(list, source);
  return mergeProfiles(list, source);
}
