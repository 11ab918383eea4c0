// -tagroot / -tagleaf (pprof's addLabelNodes): label values become pseudo
// frames at the root or the leaf of each stack, named by the values (joined
// with ',') with the label key as file name. Decided per label set.

import type { Profile } from '../profile/model.ts';
import { scaledLabel } from '../report/measurement.ts';

function labelValues(p: Profile, set: number, key: string, outputUnit: string): string[] {
  const ls = p.labelSets[set];
  const values = ls.str.filter(([k]) => k === key).map(([, v]) => v);
  for (const nl of ls.num) {
    if (nl.key !== key) continue;
    values.push(nl.unit !== '' ? scaledLabel(nl.value, nl.unit, outputUnit) : scaledLabel(nl.value, '', ''));
  }
  return values;
}

/** Returns the new profile and whether any sample had a root / leaf key. */
export function addLabelNodes(
  p: Profile,
  rootKeys: readonly string[],
  leafKeys: readonly string[],
  outputUnit: string,
): { profile: Profile; rootMatched: boolean; leafMatched: boolean } {
  if (rootKeys.length === 0 && leafKeys.length === 0) return { profile: p, rootMatched: false, leafMatched: false };
  const L = p.locations;
  const F = p.functions;
  let maxLoc = 0;
  for (let i = 0; i < L.length; i++) maxLoc = Math.max(maxLoc, L.id[i]);
  let maxFn = 0;
  for (let i = 0; i < F.length; i++) maxFn = Math.max(maxFn, F.id[i]);
  const newNames: string[] = [];
  const newFiles: string[] = [];
  const interned = new Map<string, number>();
  const intern = (name: string, file: string): number => {
    const k = `${name}\u0000${file}`;
    let i = interned.get(k);
    if (i === undefined) {
      i = L.length + newNames.length;
      interned.set(k, i);
      newNames.push(name);
      newFiles.push(file);
    }
    return i;
  };
  let rootMatched = false;
  let leafMatched = false;
  // Keys are walked backwards so the first key ends up nearest the root.
  const frames = (set: number, keys: readonly string[]): { locs: number[]; match: boolean } => {
    const locs: number[] = [];
    let match = false;
    for (let i = keys.length - 1; i >= 0; i--) {
      const values = labelValues(p, set, keys[i], outputUnit);
      if (values.length > 0) match = true;
      locs.push(intern(values.join(','), keys[i]));
    }
    return { locs, match };
  };
  const perSet = new Map<number, { roots: number[]; leaves: number[] }>();
  const S = p.samples;
  const stackStart = new Uint32Array(S.length + 1);
  const out: number[] = [];
  for (let s = 0; s < S.length; s++) {
    const set = S.labelSet[s];
    let f = perSet.get(set);
    if (!f) {
      const r = frames(set, rootKeys);
      const l = frames(set, leafKeys);
      f = { roots: r.locs, leaves: l.locs };
      perSet.set(set, f);
      rootMatched ||= r.match;
      leafMatched ||= l.match;
    }
    stackStart[s] = out.length;
    for (const x of f.leaves) out.push(x);
    for (let j = S.stackStart[s]; j < S.stackStart[s + 1]; j++) out.push(S.stack[j]);
    for (const x of f.roots) out.push(x);
  }
  stackStart[S.length] = out.length;
  const n = newNames.length;
  const fnBase = F.length;
  const concatF64 = (a: Float64Array, extra: number[]): Float64Array => { const b = new Float64Array(a.length + extra.length); b.set(a); b.set(extra, a.length); return b; };
  const functions = {
    length: F.length + n,
    id: concatF64(F.id, newNames.map((_, i) => maxFn + 1 + i)),
    name: [...F.name, ...newNames],
    systemName: [...F.systemName, ...newNames.map(() => '')],
    filename: [...F.filename, ...newFiles],
    startLine: concatF64(F.startLine, newNames.map(() => 0)),
  };
  const lineStart = new Uint32Array(L.length + n + 1);
  lineStart.set(L.lineStart);
  const nLines = L.lineStart[L.length];
  for (let i = 0; i < n; i++) lineStart[L.length + i + 1] = nLines + i + 1;
  const lineFunction = new Uint32Array(nLines + n);
  lineFunction.set(L.lineFunction);
  for (let i = 0; i < n; i++) lineFunction[nLines + i] = fnBase + i;
  const mapping = new Int32Array(L.length + n).fill(-1);
  mapping.set(L.mapping);
  const address = new BigUint64Array(L.length + n);
  address.set(L.address);
  const isFolded = new Uint8Array(L.length + n);
  isFolded.set(L.isFolded);
  const locations = {
    length: L.length + n,
    id: concatF64(L.id, newNames.map((_, i) => maxLoc + 1 + i)),
    mapping,
    address,
    isFolded,
    lineStart,
    lineFunction,
    lineNumber: concatF64(L.lineNumber, newNames.map(() => 0)),
    lineColumn: concatF64(L.lineColumn, newNames.map(() => 0)),
  };
  return {
    profile: { ...p, functions, locations, samples: { ...S, stackStart, stack: Uint32Array.from(out) } },
    rootMatched,
    leafMatched,
  };
}
