// -tags: totals per label key and value (go1.19's printTags layout:
// `key: Total %.1f<unit>` with percentages of the key's total).

import type { ReportContext } from './context.ts';
import { byteCompare } from './graph.ts';
import { goFixed, percentage, scale, scaledLabel } from './measurement.ts';
import { TabWriter } from './tabwriter.ts';

interface TagSum {
  name: string;
  flat: number;
}

/** graph.SortTags with flat=true: |flat| descending, then name. */
function sortTags(ts: TagSum[]): TagSum[] {
  return ts.sort((a, b) => {
    if (a.flat !== b.flat) {
      const x = Math.abs(a.flat);
      const y = Math.abs(b.flat);
      return x !== y ? y - x : 0;
    }
    return byteCompare(a.name, b.name);
  });
}

export function printTags(ctx: ReportContext): string {
  const p = ctx.p;
  const o = ctx.opts;
  const S = p.samples;
  const nt = p.sampleTypes.length;
  // Per label set, the value total, then spread to its labels.
  const perSet = new Float64Array(p.labelSets.length);
  for (let s = 0; s < S.length; s++) perSet[S.labelSet[s]] += S.values[s * nt + o.sampleIndex];
  const tagMap = new Map<string, Map<string, number>>();
  const add = (key: string, val: string, v: number) => {
    let m = tagMap.get(key);
    if (!m) tagMap.set(key, (m = new Map()));
    m.set(val, (m.get(val) ?? 0) + v);
  };
  const used = new Uint8Array(p.labelSets.length);
  for (let s = 0; s < S.length; s++) used[S.labelSet[s]] = 1;
  p.labelSets.forEach((ls, i) => {
    if (!used[i]) return;
    const v = perSet[i];
    for (const [k, val] of ls.str) add(k, val, v);
    for (const nl of ls.num) {
      const unit = ctx.numLabelUnits.get(nl.key) ?? nl.key;
      add(nl.key, scaledLabel(nl.value, unit, ctx.outputUnit), v);
    }
  });
  const keys = sortTags([...tagMap.keys()].map((name) => ({ name, flat: 0 })));
  const tw = new TabWriter({ padding: 1, alignRight: true });
  for (const { name: key } of keys) {
    const m = tagMap.get(key)!;
    let total = 0;
    const tags: TagSum[] = [];
    for (const [name, c] of m) {
      total += c;
      tags.push({ name, flat: c });
    }
    const [f, u] = scale(total, ctx.sampleUnit, ctx.outputUnit);
    tw.write(`${key}:\t Total ${goFixed(f, 1)}${u}\n`);
    for (const t of sortTags(tags)) {
      const [tf, tu] = scale(t.flat, ctx.sampleUnit, ctx.outputUnit);
      if (total > 0) tw.write(` \t${goFixed(tf, 1)}${tu} (${percentage(t.flat, total)}):\t ${t.name}\n`);
      else tw.write(` \t${goFixed(tf, 1)}${tu}:\t ${t.name}\n`);
    }
    tw.write('\n');
  }
  return tw.flush();
}
