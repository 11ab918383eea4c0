// profile.Merge on the columnar model: several profiles with the same
// sample types become one. Samples with the same stack and labels add up;
// locations are the same when their address relative to the mapping start,
// mapping and lines agree (so ASLR'd copies of one binary line up).
// Header: Period is the max, DurationNanos the sum, TimeNanos the smallest,
// comments de-duplicated. All-zero samples are dropped.

import { ProfileBuilder } from './builder.ts';
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
  const sampleIndex = new Map<string, number>();
  const stacks: Uint32Array[] = [];
  const sampleLabels: number[] = [];
  let values = new Float64Array(1024 * Math.max(1, nt));

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
    const mapLocation = (li: number): number => {
      if (locOf[li] >= 0) return locOf[li];
      const mi = mapMapping(L.mapping[li]);
      const off = L.mapping[li] >= 0 ? mapOffset[L.mapping[li]] : 0n;
      const lines = [];
      for (let j = L.lineStart[li]; j < L.lineStart[li + 1]; j++) {
        const f = L.lineFunction[j];
        const F = src.functions;
        lines.push({ fn: b.addFunction(F.name[f], F.systemName[f], F.filename[f], F.startLine[f]), line: L.lineNumber[j], column: L.lineColumn[j] });
      }
      const addr = BigInt.asUintN(64, L.address[li] + off);
      const idx = b.addLocation(addr, lines, mi, L.isFolded[li] === 1);
      locOf[li] = idx;
      return idx;
    };
    const setOf = new Int32Array(src.labelSets.length).fill(-1);
    const setKeyOf: string[] = new Array(src.labelSets.length);
    const S = src.samples;
    for (let s = 0; s < S.length; s++) {
      let zero = true;
      for (let t = 0; t < nt; t++) if (S.values[s * nt + t] !== 0) { zero = false; break; }
      if (zero) continue;
      const from = S.stackStart[s];
      const to = S.stackStart[s + 1];
      const stack = new Uint32Array(to - from);
      for (let j = from; j < to; j++) stack[j - from] = mapLocation(S.stack[j]);
      const ls = S.labelSet[s];
      if (setOf[ls] < 0) {
        const key = labelSetKey(src.labelSets[ls]);
        let idx = labelSetByKey.get(key);
        if (idx === undefined) {
          idx = b.addLabelSet(src.labelSets[ls].str, src.labelSets[ls].num);
          labelSetByKey.set(key, idx);
        }
        setOf[ls] = idx;
        setKeyOf[ls] = key;
      }
      const key = `${stack.join(',')}|${setOf[ls]}`;
      let i = sampleIndex.get(key);
      if (i === undefined) {
        i = stacks.length;
        sampleIndex.set(key, i);
        stacks.push(stack);
        sampleLabels.push(setOf[ls]);
        if ((i + 1) * nt > values.length) {
          const grown = new Float64Array(values.length * 2);
          grown.set(values);
          values = grown;
        }
      }
      for (let t = 0; t < nt; t++) values[i * nt + t] += S.values[s * nt + t];
    }
  }
  let anyZero = false;
  for (let i = 0; i < stacks.length; i++) {
    let zero = true;
    for (let t = 0; t < nt; t++) if (values[i * nt + t] !== 0) { zero = false; break; }
    if (zero) anyZero = true;
    b.addSample(stacks[i], values.subarray(i * nt, i * nt + nt), sampleLabels[i]);
  }
  const merged = b.build();
  // Like pprof, merge again to drop the zero samples and what only they used.
  return anyZero ? mergeProfiles([merged], source) : merged;
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
