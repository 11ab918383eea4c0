// Sums several profiles of the same kind into one, as go tool pprof does
// when given more than one source. Used until the profile layer's merge is
// available; mappings are dropped (the UI does not show them).

import { ProfileBuilder } from '../profile/builder.ts';
import { InputError } from '../profile/errors.ts';
import type { Profile } from '../profile/model.ts';

export function mergeProfiles(ps: readonly Profile[], sources: readonly string[]): Profile {
  if (ps.length === 1) return ps[0];
  const types = ps[0].sampleTypes;
  const sig = (p: Profile) => p.sampleTypes.map((t) => `${t.type}/${t.unit}`).join(',');
  ps.forEach((p, i) => {
    if (sig(p) !== sig(ps[0])) throw new InputError(sources[i], `cannot merge: sample types ${sig(p)} differ from ${sig(ps[0])}`);
  });
  const b = new ProfileBuilder({
    sampleTypes: types.map((t) => ({ ...t })),
    defaultSampleType: ps[0].defaultSampleType,
    periodType: ps[0].periodType,
    period: ps[0].period,
    timeNanos: ps.reduce((m, p) => (p.timeNanos > 0n && (m === 0n || p.timeNanos < m) ? p.timeNanos : m), 0n),
    durationNanos: ps.reduce((s, p) => s + p.durationNanos, 0n),
    comments: ps.flatMap((p) => p.comments),
  });
  for (const p of ps) {
    const fnMap = new Int32Array(p.functions.length);
    for (let f = 0; f < p.functions.length; f++) {
      fnMap[f] = b.addFunction(p.functions.name[f], p.functions.systemName[f], p.functions.filename[f], p.functions.startLine[f]);
    }
    const L = p.locations;
    const locMap = new Int32Array(L.length);
    for (let l = 0; l < L.length; l++) {
      const lines = [];
      for (let j = L.lineStart[l]; j < L.lineStart[l + 1]; j++) lines.push({ fn: fnMap[L.lineFunction[j]], line: L.lineNumber[j], column: L.lineColumn[j] });
      locMap[l] = b.addLocation(L.address[l], lines, -1, L.isFolded[l] === 1);
    }
    const labelMap = p.labelSets.map((ls) => (ls.str.length || ls.num.length ? b.addLabelSet(ls.str, ls.num) : 0));
    const S = p.samples;
    const nv = types.length;
    const stack: number[] = [];
    for (let s = 0; s < S.length; s++) {
      stack.length = 0;
      for (let i = S.stackStart[s]; i < S.stackStart[s + 1]; i++) stack.push(locMap[S.stack[i]]);
      b.addSample(stack, S.values.subarray(s * nv, s * nv + nv), labelMap[S.labelSet[s]]);
    }
  }
  return b.build();
}
