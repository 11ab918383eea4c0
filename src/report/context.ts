// What every report format shares: the resolved options, the total that
// percentages refer to, the value formatter, and the trimmed-graph pipeline
// (pprof's report.Report, newTrimmedGraph and selectOutputUnit).

import type { Profile } from '../profile/model.ts';
import { ReportError } from './errors.ts';
import type { ReportOptions } from './options.ts';
import {
  buildGraph,
  buildNodeIndex,
  goInt64,
  NodeNames,
  removeRedundantEdges,
  selectTopNodes,
  sortNodes,
  trimLowFrequencyEdges,
  trimLowFrequencyTags,
  type Graph,
  type GraphBuildOptions,
  type NodeIndex,
} from './graph.ts';
import { buildTree, trimTree } from './calltree.ts';
import { scale, scaledLabel } from './measurement.ts';
import { trimSourcePath } from './source-path.ts';

export interface ReportContext {
  readonly p: Profile;
  readonly opts: ReportOptions;
  readonly total: number;
  /** Sample type name as printed (`mean_` prefix with -mean). */
  readonly sampleType: string;
  readonly sampleUnit: string;
  /** 'minimum' until a graph report picks the unit. */
  outputUnit: string;
  readonly ratio: number;
  /** Unit of each numeric label key (Profile.NumLabelUnits). */
  readonly numLabelUnits: Map<string, string>;
  /** Resolved trimming parameters (0 when trimming is off). */
  readonly nodeCount: number;
  readonly nodeFraction: number;
  readonly edgeFraction: number;
}

export function formatValue(ctx: ReportContext, v: number): string {
  const r = ctx.ratio;
  if (r > 0 && r !== 1) v = goInt64(v * r);
  return scaledLabel(v, ctx.sampleUnit, ctx.outputUnit);
}

/** Profile.NumLabelUnits: first unit seen per key, else inferred from the key. */
export function numLabelUnits(p: Profile): Map<string, string> {
  const units = new Map<string, string>();
  const keys = new Set<string>();
  const seenSets = new Uint8Array(p.labelSets.length);
  const ls = p.samples.labelSet;
  for (let s = 0; s < p.samples.length; s++) {
    const i = ls[s];
    if (seenSets[i]) continue;
    seenSets[i] = 1;
    for (const nl of p.labelSets[i].num) {
      keys.add(nl.key);
      if (nl.unit !== '' && !units.has(nl.key)) units.set(nl.key, nl.unit);
    }
  }
  for (const k of keys) {
    if (!units.get(k)) units.set(k, k === 'alignment' || k === 'request' ? 'bytes' : k);
  }
  return units;
}

/** Whether sample s carries pprof::base=true (a -diff_base sample). */
export function diffBaseSets(p: Profile): Uint8Array {
  const out = new Uint8Array(p.labelSets.length);
  p.labelSets.forEach((ls, i) => {
    if (ls.str.some(([k, v]) => k === 'pprof::base' && v === 'true')) out[i] = 1;
  });
  return out;
}

/** computeTotal: Σ|value| (only over diff-base samples if there are any), over Σ count with -mean. */
export function computeTotal(p: Profile, sampleIndex: number, mean: boolean): number {
  const nt = p.sampleTypes.length;
  const v = p.samples.values;
  const base = diffBaseSets(p);
  const ls = p.samples.labelSet;
  let total = 0;
  let div = 0;
  let diffTotal = 0;
  let diffDiv = 0;
  for (let s = 0; s < p.samples.length; s++) {
    const x = Math.abs(v[s * nt + sampleIndex]);
    const d = mean ? v[s * nt] : 0;
    total += x;
    div += d;
    if (base[ls[s]]) {
      diffTotal += x;
      diffDiv += d;
    }
  }
  if (diffTotal > 0) {
    total = diffTotal;
    div = diffDiv;
  }
  return div !== 0 ? Math.trunc(total / div) : total;
}

export function makeContext(p: Profile, opts: ReportOptions): ReportContext {
  const st = p.sampleTypes[opts.sampleIndex];
  if (!st) throw new ReportError(`sample_index ${opts.sampleIndex} out of range [0..${p.sampleTypes.length - 1}]`);
  let trim = opts.trim;
  let nodeCount = opts.nodeCount;
  if (opts.format === 'peek' || opts.format === 'list' || opts.format === 'raw') trim = false;
  if (nodeCount < 0) nodeCount = opts.format === 'text' ? 0 : 80;
  return {
    p,
    opts,
    total: opts.total ?? computeTotal(p, opts.sampleIndex, opts.mean),
    sampleType: (opts.mean ? 'mean_' : '') + st.type,
    sampleUnit: st.unit,
    outputUnit: opts.unit,
    ratio: 1 / opts.divideBy,
    numLabelUnits: numLabelUnits(p),
    nodeCount: trim ? nodeCount : 0,
    nodeFraction: trim ? opts.nodeFraction : 0,
    edgeFraction: trim ? opts.edgeFraction : 0,
  };
}

export interface GraphSetup {
  ix: NodeIndex;
  names: NodeNames;
  /** Build options shared by every build of this report. */
  options: GraphBuildOptions;
  build: (kept: Uint8Array | null, noEdges?: boolean) => Graph;
}

/** The node index and graph builder of report.newGraph for this report. */
export function graphSetup(ctx: ReportContext, wantTags: boolean): GraphSetup {
  const o = ctx.opts;
  const objNames = o.format === 'list' || o.format === 'raw';
  const ix = buildNodeIndex(ctx.p, {
    granularity: o.format === 'list' ? 'lines' : o.granularity,
    noInlines: o.noInlines,
    objNames,
    mapFile: (f) => trimSourcePath(f, o.trimPath, o.sourcePath),
  });
  const names = new NodeNames(ix);
  const bo: GraphBuildOptions = {
    sampleIndex: o.sampleIndex,
    mean: o.mean,
    dropNegative: o.dropNegative,
    kept: null,
  };
  if (wantTags) {
    const unit = ctx.numLabelUnits.get('bytes');
    const numUnits = new Map<string, string>();
    if (unit !== undefined) numUnits.set('bytes', unit);
    const outUnit = ctx.outputUnit;
    const cache = new Map<string, string>();
    bo.tags = {
      numUnits,
      format: (v, u) => {
        const k = v + ' ' + u;
        let t = cache.get(k);
        if (t === undefined) cache.set(k, (t = scaledLabel(v, u, outUnit)));
        return t;
      },
    };
  }
  return { ix, names, options: bo, build: (kept, noEdges) => buildGraph(ctx.p, ix, { ...bo, kept, noEdges }) };
}

export interface TrimmedGraph {
  g: Graph;
  names: NodeNames;
  origCount: number;
  droppedNodes: number;
  droppedEdges: number;
}

/** report.newTrimmedGraph. */
export function trimmedGraph(ctx: ReportContext): TrimmedGraph {
  const visual = ctx.opts.format === 'dot';
  // pprof honours -call_tree only for the visual (dot) and callgrind reports.
  if (visual && ctx.opts.callTree) return trimmedTree(ctx);
  const cumSort = ctx.opts.sort === 'cum';
  const { ix, names, build } = graphSetup(ctx, visual);
  // The first pass only decides which nodes survive nodefraction; its edges
  // are needed only when nothing is dropped, and then a rebuild is cheaper
  // than tracking millions of edges twice.
  let g = build(null, true);
  const [totalValue] = g.sum();
  const nodeCutoff = Math.abs(goInt64(totalValue * ctx.nodeFraction));
  const edgeCutoff = Math.abs(goInt64(totalValue * ctx.edgeFraction));
  let droppedNodes = 0;
  if (nodeCutoff > 0) {
    const { kept, dropped } = nodesAtLeast(g.nodes, g.cum, ix.count, nodeCutoff);
    if (dropped > 0) {
      droppedNodes = dropped;
      g = build(kept);
    }
  }
  if (droppedNodes === 0) g = build(null);
  const origCount = g.nodes.length;
  const order = visual ? 'entropy' : cumSort ? 'cum' : 'flat';
  sortNodes(g, names, order);
  if (ctx.nodeCount > 0) {
    trimLowFrequencyTags(g, nodeCutoff);
    trimLowFrequencyEdges(g, edgeCutoff);
    const top = selectTopNodes(g, ctx.nodeCount, visual);
    if (top.length !== g.nodes.length) {
      const kept = new Uint8Array(ix.count);
      for (const id of top) kept[id] = 1;
      g = build(kept);
      sortNodes(g, names, order);
    }
  }
  trimLowFrequencyTags(g, nodeCutoff);
  const droppedEdges = trimLowFrequencyEdges(g, edgeCutoff);
  if (visual) removeRedundantEdges(g, names);
  return { g, names, origCount, droppedNodes, droppedEdges };
}

/** newTrimmedGraph with -call_tree: the tree is trimmed in place (TrimTree), never rebuilt. */
function trimmedTree(ctx: ReportContext): TrimmedGraph {
  const base = graphSetup(ctx, true);
  const g = buildTree(ctx.p, base.ix, { ...base.options, kept: null });
  const names = new NodeNames(g.ix);
  const [totalValue] = g.sum();
  const nodeCutoff = Math.abs(goInt64(totalValue * ctx.nodeFraction));
  const edgeCutoff = Math.abs(goInt64(totalValue * ctx.edgeFraction));
  let droppedNodes = 0;
  if (nodeCutoff > 0) {
    const { kept, dropped } = nodesAtLeast(g.nodes, g.cum, g.ix.count, nodeCutoff);
    if (dropped > 0) {
      droppedNodes = dropped;
      trimTree(g, kept, names);
    }
  }
  const origCount = g.nodes.length;
  const order = 'entropy';
  sortNodes(g, names, order);
  if (ctx.nodeCount > 0) {
    trimLowFrequencyTags(g, nodeCutoff);
    trimLowFrequencyEdges(g, edgeCutoff);
    const top = selectTopNodes(g, ctx.nodeCount, true);
    if (top.length !== g.nodes.length) {
      const kept = new Uint8Array(g.ix.count);
      for (const id of top) kept[id] = 1;
      trimTree(g, kept, names);
      sortNodes(g, names, order);
    }
  }
  trimLowFrequencyTags(g, nodeCutoff);
  const droppedEdges = trimLowFrequencyEdges(g, edgeCutoff);
  removeRedundantEdges(g, names);
  return { g, names, origCount, droppedNodes, droppedEdges };
}

/** report.selectOutputUnit: one unit for the whole table, from the smallest value shown. */
export function selectOutputUnit(ctx: ReportContext, g: Graph): void {
  if (ctx.outputUnit !== 'minimum' || g.nodes.length === 0) return;
  let minValue = 0;
  for (const n of g.nodes) {
    let nodeMin = Math.abs(g.flatValue(n));
    if (nodeMin === 0) nodeMin = Math.abs(g.cumValue(n));
    if (nodeMin > 0 && (minValue === 0 || nodeMin < minValue)) minValue = nodeMin;
  }
  let maxValue = ctx.total;
  if (minValue === 0) minValue = maxValue;
  const r = ctx.ratio;
  if (r > 0 && r !== 1) {
    minValue = goInt64(minValue * r);
    maxValue = goInt64(maxValue * r);
  }
  const [, minUnit] = scale(minValue, ctx.sampleUnit, 'minimum');
  const [, maxUnit] = scale(maxValue, ctx.sampleUnit, 'minimum');
  let unit = minUnit;
  if (minUnit !== maxUnit && minValue * 100 < maxValue) {
    [, unit] = scale(100 * minValue, ctx.sampleUnit, 'minimum');
  }
  ctx.outputUnit = unit !== '' ? unit : ctx.sampleUnit;
}

/** Marks the nodes whose |cum| reaches the cutoff (pprof's nodefraction test); counts the rest. */
function nodesAtLeast(nodes: ArrayLike<number>, cum: ArrayLike<number>, idCount: number, cutoff: number): { kept: Uint8Array; dropped: number } {
  const kept = new Uint8Array(idCount);
  let dropped = 0;
  for (let i = 0; i < nodes.length; i++) {
    const id = nodes[i];
    if (Math.abs(cum[id]) >= cutoff) kept[id] = 1;
    else dropped++;
  }
  return { kept, dropped };
}
