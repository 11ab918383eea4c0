// Making several profiles mergeable, as pprof does before Merge:
// CompatibilizeSampleTypes keeps the sample types all of them have (in
// the first profile's order), and measurement.ScaleProfiles converts each
// type to the finest unit any input uses.

import { InputError } from './errors.ts';
import type { Profile, ValueType } from './model.ts';
import { scaleProfileN } from './scale.ts';
import { unitInfo } from './units.ts';

/** Keeps only the values of `types` (indices into p.sampleTypes), in that order. */
function selectTypes(p: Profile, keep: number[]): Profile {
  const nt = p.sampleTypes.length;
  if (keep.length === nt && keep.every((k, i) => k === i)) return p;
  const S = p.samples;
  const values = new Float64Array(S.length * keep.length);
  for (let s = 0; s < S.length; s++) for (let t = 0; t < keep.length; t++) values[s * keep.length + t] = S.values[s * nt + keep[t]];
  const sampleTypes = keep.map((k) => p.sampleTypes[k]);
  const dst = sampleTypes.some((t) => t.type === p.defaultSampleType) ? p.defaultSampleType : '';
  return { ...p, sampleTypes, defaultSampleType: dst, samples: { ...S, values } };
}

/** CompatibilizeSampleTypes. Throws when the profiles share no sample type. */
export function compatibilizeSampleTypes(ps: readonly Profile[], source = ''): Profile[] {
  if (ps.length <= 1) return ps.slice();
  const common = ps[0].sampleTypes.map((t) => t.type).filter((name) => ps.every((p) => p.sampleTypes.some((t) => t.type === name)));
  if (common.length === 0) throw new InputError(source, 'profiles have empty common sample type list');
  return ps.map((p) => selectTypes(p, common.map((name) => p.sampleTypes.findIndex((t) => t.type === name))));
}

/** measurement.ScaleProfiles: per sample type, converts every profile to the finest unit in use. */
export function scaleProfilesToCommonUnits(ps: readonly Profile[], source = ''): Profile[] {
  if (ps.length <= 1) return ps.slice();
  const nt = ps[0].sampleTypes.length;
  const ratios = ps.map(() => new Array<number>(nt).fill(1));
  const targets: ValueType[] = ps[0].sampleTypes.slice();
  for (let t = 0; t < nt; t++) {
    const units = ps.map((p) => p.sampleTypes[t].unit);
    if (units.every((u) => u === units[0])) continue;
    const infos = units.map(unitInfo);
    if (infos.some((u) => u === null) || infos.some((u) => u!.family !== infos[0]!.family)) {
      throw new InputError(source, `sample types: incompatible types: ${ps[0].sampleTypes[t].type}/${units.join(', ')}`);
    }
    let finest = 0;
    infos.forEach((u, i) => { if (u!.factor < infos[finest]!.factor) finest = i; });
    targets[t] = { type: ps[0].sampleTypes[t].type, unit: units[finest] };
    for (let i = 0; i < ps.length; i++) ratios[i][t] = infos[i]!.factor / infos[finest]!.factor;
  }
  return ps.map((p, i) => {
    const scaled = scaleProfileN(p, ratios[i]);
    return ratios[i].every((r) => r === 1) ? scaled : { ...scaled, sampleTypes: p.sampleTypes.map((st, t) => (ratios[i][t] === 1 && st.unit === targets[t].unit ? st : { type: st.type, unit: targets[t].unit })) };
  });
}
