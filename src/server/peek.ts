// The peek view: for each frame matching a regex, its callers and callees
// with the value flowing through each edge (pprof -peek, as data).

import type { Profile } from '../profile/model.ts';
import { formatValue } from './format.ts';
import { FrameTable, walkStacks, type WalkFilters } from './stack-walk.ts';

export function peekText(p: Profile, si: number, f: WalkFilters, re: RegExp, total: number, maxFns = 30): string {
  const table = new FrameTable();
  const flat = new Map<number, number>();
  const cum = new Map<number, number>();
  const callers = new Map<number, Map<number, number>>();
  const callees = new Map<number, Map<number, number>>();
  const matchCache = new Map<number, boolean>();
  const matches = (k: number) => {
    let m = matchCache.get(k);
    if (m === undefined) matchCache.set(k, (m = re.test(table.names[k])));
    return m;
  };
  const add = (m: Map<number, Map<number, number>>, a: number, b: number, v: number) => {
    let inner = m.get(a);
    if (!inner) m.set(a, (inner = new Map()));
    inner.set(b, (inner.get(b) ?? 0) + v);
  };
  const nv = p.sampleTypes.length;
  walkStacks(p, table, f, (stack, depth, s) => {
    const v = p.samples.values[s * nv + si];
    if (v === 0) return;
    const seen = new Set<number>();
    for (let d = 0; d < depth; d++) {
      const k = stack[d];
      if (!matches(k) || seen.has(k)) continue;
      seen.add(k);
      cum.set(k, (cum.get(k) ?? 0) + v);
      if (d === depth - 1) flat.set(k, (flat.get(k) ?? 0) + v);
      if (d > 0) add(callers, k, stack[d - 1], v);
      if (d < depth - 1) add(callees, k, stack[d + 1], v);
    }
  });
  const unit = p.sampleTypes[si].unit;
  const pct = (x: number) => (total ? `${((100 * x) / total).toFixed(2)}%` : '');
  const fns = [...cum.keys()].sort((a, b) => (cum.get(b) ?? 0) - (cum.get(a) ?? 0)).slice(0, maxFns);
  if (fns.length === 0) return `no functions match ${re.source}\n`;
  const out: string[] = [];
  const pad = (s: string, n: number) => s.padStart(n);
  out.push(`${pad('flat', 10)} ${pad('flat%', 8)} ${pad('cum', 10)} ${pad('cum%', 8)}   calls`);
  for (const k of fns) {
    out.push('-'.repeat(72));
    const sorted = (m: Map<number, number> | undefined) => [...(m ?? new Map<number, number>()).entries()].sort((a, b) => b[1] - a[1]);
    for (const [c, v] of sorted(callers.get(k))) out.push(`${pad('', 10)} ${pad('', 8)} ${pad(formatValue(v, unit), 10)} ${pad(pct(v), 8)}   | ${table.names[c]}`);
    const fl = flat.get(k) ?? 0;
    const cu = cum.get(k) ?? 0;
    out.push(`${pad(formatValue(fl, unit), 10)} ${pad(pct(fl), 8)} ${pad(formatValue(cu, unit), 10)} ${pad(pct(cu), 8)}   | ${table.names[k]}`);
    for (const [c, v] of sorted(callees.get(k))) out.push(`${pad('', 10)} ${pad('', 8)} ${pad(formatValue(v, unit), 10)} ${pad(pct(v), 8)}   |   ${table.names[c]}`);
  }
  out.push('-'.repeat(72));
  return out.join('\n') + '\n';
}
