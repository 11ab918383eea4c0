// A call graph in Graphviz dot for the UI to lay out in the browser. Like
// pprof: keep the `nodeCount` nodes with the largest cum, join kept frames
// that were separated only by dropped ones with a dashed edge, size node
// labels by flat, and print flat/cum with their fraction of the total.

import type { Profile } from '../profile/model.ts';
import { FrameTable, walkStacks, type WalkFilters } from './stack-walk.ts';
import { flatCum } from './top.ts';
import { formatValue } from './format.ts';

export interface CallGraph {
  dot: string;
  nodeCount: number;
  dropped: number;
}

/** Escapes a string for a double-quoted dot label. */
export function dotString(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export function buildCallGraph(p: Profile, si: number, f: WalkFilters, nodeCount: number, total: number): CallGraph {
  const table = new FrameTable();
  const { flat, cum } = flatCum(p, si, table, f);
  const n = table.names.length;
  const order: number[] = [];
  for (let k = 0; k < n; k++) if (cum[k] !== 0 || flat[k] !== 0) order.push(k);
  order.sort((a, b) => Math.abs(cum[b]) - Math.abs(cum[a]) || (table.names[a] < table.names[b] ? -1 : 1));
  const kept = order.slice(0, nodeCount > 0 ? nodeCount : order.length);
  const keptId = new Int32Array(n).fill(-1);
  kept.forEach((k, i) => (keptId[k] = i));

  // Edges between consecutive kept frames; `direct` when nothing was dropped between them.
  const edges = new Map<number, { w: number; direct: boolean }>();
  const nv = p.sampleTypes.length;
  const vals = p.samples.values;
  const seenEdge = new Map<number, number>();
  walkStacks(p, table, f, (stack, depth, s) => {
    const v = vals[s * nv + si];
    if (v === 0) return;
    let prev = -1;
    let gap = false;
    for (let d = 0; d < depth; d++) {
      const id = keptId[stack[d]] ?? -1;
      if (id < 0) {
        gap = true;
        continue;
      }
      if (prev >= 0 && prev !== id) {
        const key = prev * 65536 + id;
        if (seenEdge.get(key) !== s) {
          seenEdge.set(key, s);
          let e = edges.get(key);
          if (!e) edges.set(key, (e = { w: 0, direct: true }));
          e.w += v;
          if (gap) e.direct = false;
        }
      }
      prev = id;
      gap = false;
    }
  });

  const unit = p.sampleTypes[si]?.unit ?? '';
  const pct = (x: number) => (total !== 0 ? `${((100 * x) / total).toFixed(2)}%` : '');
  const maxFlat = Math.max(1, ...kept.map((k) => Math.abs(flat[k])));
  const lines: string[] = [
    'digraph "pprof-plus" {',
    'node [style=filled fillcolor="#f8f8f8" shape=box fontname="Helvetica"]',
    'edge [fontname="Helvetica" fontsize=9]',
  ];
  kept.forEach((k, i) => {
    const name = table.names[k];
    const size = 8 + Math.round(8 * Math.sqrt(Math.abs(flat[k]) / maxFlat));
    const label = `${name}\n${formatValue(flat[k], unit)} (${pct(flat[k])})\nof ${formatValue(cum[k], unit)} (${pct(cum[k])})`;
    const heat = total !== 0 ? Math.min(1, Math.abs(cum[k]) / Math.abs(total)) : 0;
    const r = Math.round(248 - 40 * heat);
    const g = Math.round(248 - 140 * heat);
    const b2 = Math.round(248 - 160 * heat);
    const fill = `#${r.toString(16).padStart(2, '0')}${g.toString(16).padStart(2, '0')}${b2.toString(16).padStart(2, '0')}`;
    lines.push(`N${i} [label="${dotString(label)}" id="node${i}" fontsize=${size} fillcolor="${fill}" tooltip="${dotString(name)}"]`);
  });
  const maxW = Math.max(1, ...[...edges.values()].map((e) => Math.abs(e.w)));
  for (const [key, e] of edges) {
    const from = Math.floor(key / 65536);
    const to = key % 65536;
    const pen = 1 + Math.round((4 * Math.abs(e.w)) / maxW);
    lines.push(`N${from} -> N${to} [label=" ${dotString(formatValue(e.w, unit))}" penwidth=${pen}${e.direct ? '' : ' style=dashed'}]`);
  }
  lines.push('}');
  return { dot: lines.join('\n'), nodeCount: kept.length, dropped: order.length - kept.length };
}
