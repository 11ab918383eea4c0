// Profile.ScaleN / Scale / Normalize: multiply sample values per type,
// rounding as Go's math.Round (half away from zero), and drop samples whose
// scaled values all become zero.

import type { Profile } from './model.ts';

/** Go's math.Round. */
export function goRound(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** ScaleN: one ratio per sample type. */
export function scaleProfileN(p: Profile, ratios: readonly number[]): Profile {
  const nt = p.sampleTypes.length;
  if (ratios.length !== nt) throw new Error(`mismatched scale ratios, got ${ratios.length}, want ${nt}`);
  if (ratios.every((r) => r === 1)) return p;
  const S = p.samples;
  const keep = new Uint8Array(S.length);
  const scaled = new Float64Array(S.values.length);
  let kept = 0;
  let stackLen = 0;
  for (let s = 0; s < S.length; s++) {
    let nonZero = false;
    for (let t = 0; t < nt; t++) {
      const v = S.values[s * nt + t];
      if (ratios[t] !== 1) {
        const x = goRound(v * ratios[t]) + 0; // +0 turns -0 into 0
        scaled[s * nt + t] = x;
        nonZero ||= x !== 0;
      } else scaled[s * nt + t] = v;
    }
    if (nonZero) { keep[s] = 1; kept++; stackLen += S.stackStart[s + 1] - S.stackStart[s]; }
  }
  if (kept === S.length) {
    // Nothing dropped: only the values change; stacks are shared.
    return { ...p, samples: { ...S, values: scaled } };
  }
  const stackStart = new Uint32Array(kept + 1);
  const stack = new Uint32Array(stackLen);
  const values = new Float64Array(kept * nt);
  const labelSet = new Uint32Array(kept);
  let n = 0;
  let k = 0;
  for (let s = 0; s < S.length; s++) {
    if (!keep[s]) continue;
    stackStart[n] = k;
    stack.set(S.stack.subarray(S.stackStart[s], S.stackStart[s + 1]), k);
    k += S.stackStart[s + 1] - S.stackStart[s];
    values.set(scaled.subarray(s * nt, s * nt + nt), n * nt);
    labelSet[n] = S.labelSet[s];
    n++;
  }
  stackStart[n] = k;
  return { ...p, samples: { length: n, stackStart, stack, values, labelSet } };
}

/** Scale: the same ratio for every sample type (Scale(-1) turns a base into its negation). */
export function scaleProfile(p: Profile, ratio: number): Profile {
  if (ratio === 1) return p;
  return scaleProfileN(p, p.sampleTypes.map(() => ratio));
}

function totals(p: Profile): number[] {
  const nt = p.sampleTypes.length;
  const out = new Array<number>(nt).fill(0);
  const v = p.samples.values;
  for (let s = 0; s < p.samples.length; s++) for (let t = 0; t < nt; t++) out[t] += v[s * nt + t];
  return out;
}

/** Normalize: scales each sample type of `p` so its total equals `base`'s. */
export function normalizeProfile(p: Profile, base: Profile): Profile {
  const b = totals(base);
  const s = totals(p);
  return scaleProfileN(p, s.map((x, i) => (x === 0 ? 0 : b[i] / x)));
}
