// The Top table: flat and cumulative value per frame key. A key that appears
// twice in one stack (recursion) counts once towards cum, as in pprof.

import type { Profile } from '../profile/model.ts';
import { FrameTable, walkStacks, type WalkFilters } from './stack-walk.ts';

export interface FlatCum {
  flat: Float64Array;
  cum: Float64Array;
}

export function flatCum(p: Profile, si: number, table: FrameTable, f: WalkFilters): FlatCum {
  let flat = new Float64Array(1024);
  let cum = new Float64Array(1024);
  let seen = new Int32Array(1024).fill(-1);
  const nv = p.sampleTypes.length;
  const vals = p.samples.values;
  walkStacks(p, table, f, (stack, depth, s) => {
    const v = vals[s * nv + si];
    if (v === 0 || depth === 0) return;
    if (table.names.length > flat.length) {
      const cap = Math.max(table.names.length, flat.length * 2);
      const f2 = new Float64Array(cap);
      f2.set(flat);
      flat = f2;
      const c2 = new Float64Array(cap);
      c2.set(cum);
      cum = c2;
      const s2 = new Int32Array(cap).fill(-1);
      s2.set(seen);
      seen = s2;
    }
    flat[stack[depth - 1]] += v;
    for (let d = 0; d < depth; d++) {
      const k = stack[d];
      if (seen[k] === s) continue;
      seen[k] = s;
      cum[k] += v;
    }
  });
  const n = table.names.length;
  const grow = (a: Float64Array) => {
    if (a.length >= n) return a;
    const b = new Float64Array(n);
    b.set(a);
    return b;
  };
  return { flat: grow(flat), cum: grow(cum) };
}
