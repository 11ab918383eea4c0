// -call_tree (dot only): pprof's newTree and TrimTree. Every distinct call
// path gets its own node, so a function appears once per context. Tree
// nodes get their own ids; their attributes are copied from the node index
// so the graph code and printers work on them unchanged.

import type { Profile } from '../profile/model.ts';
import {
  EdgeTable,
  Graph,
  materializeTags,
  removeRedundantEdges,
  TagSums,
  type GraphBuildOptions,
  type NodeIndex,
  type NodeNames,
} from './graph.ts';

/** newTree: the call tree of the samples. Returns the tree's own node index and graph. */
export function buildTree(p: Profile, ix: NodeIndex, o: GraphBuildOptions): Graph {
  const S = p.samples;
  const nt = p.sampleTypes.length;
  const vals = S.values;
  const infoOf: number[] = [];
  const child = new Map<number, number>();
  const flat: number[] = [];
  const flatDiv: number[] = [];
  const cum: number[] = [];
  const cumDiv: number[] = [];
  const E = new EdgeTable();
  const nSets = p.labelSets.length;
  const sums: { node: number; ls: number; dw: number; w: number; flat: boolean }[] = [];
  const wantTags = o.tags !== undefined;
  const infoCount = ix.count;
  for (let s = 0; s < S.length; s++) {
    const w = vals[s * nt + o.sampleIndex];
    const dw = o.mean ? vals[s * nt] : 0;
    if (dw === 0 && w === 0) continue;
    const lsi = S.labelSet[s];
    let parent = -1;
    for (let i = S.stackStart[s + 1] - 1; i >= S.stackStart[s]; i--) {
      const loc = S.stack[i];
      const a = ix.locStart[loc];
      const b = ix.locStart[loc + 1];
      for (let k = b - 1; k >= a; k--) {
        const info = ix.locNodes[k];
        const key = (parent + 1) * infoCount + info;
        let n = child.get(key);
        if (n === undefined) {
          n = infoOf.length;
          child.set(key, n);
          infoOf.push(info);
          flat.push(0);
          flatDiv.push(0);
          cum.push(0);
          cumDiv.push(0);
        }
        cum[n] += w;
        cumDiv[n] += dw;
        if (wantTags) sums.push({ node: n, ls: lsi, dw, w, flat: false });
        if (parent >= 0) {
          let e = E.find(parent, n);
          if (e < 0) {
            e = E.add(parent, n, -1 - e);
            E.weight[e] = w;
            E.weightDiv[e] = dw;
            E.inline[e] = k !== b - 1 ? 1 : 0;
          } else {
            E.weight[e] += w;
            E.weightDiv[e] += dw;
            if (k === b - 1) E.inline[e] = 0;
          }
        }
        parent = n;
      }
    }
    if (parent >= 0) {
      flat[parent] += w;
      flatDiv[parent] += dw;
      if (wantTags) sums.push({ node: parent, ls: lsi, dw, w, flat: true });
    }
  }
  E.seal();
  const treeIx: NodeIndex = {
    count: infoOf.length,
    name: infoOf.map((i) => ix.name[i]),
    file: infoOf.map((i) => ix.file[i]),
    address: infoOf.map((i) => ix.address[i]),
    startLine: infoOf.map((i) => ix.startLine[i]),
    lineno: infoOf.map((i) => ix.lineno[i]),
    objfile: infoOf.map((i) => ix.objfile[i]),
    locStart: new Uint32Array(0),
    locNodes: new Int32Array(0),
    func: Int32Array.from(infoOf.keys()),
  };
  const g = new Graph(treeIx, E);
  g.flat.set(flat);
  g.flatDiv.set(flatDiv);
  g.cum.set(cum);
  g.cumDiv.set(cumDiv);
  for (let n = 0; n < treeIx.count; n++) {
    if (g.cum[n] === 0 && g.flat[n] === 0) continue;
    if (o.dropNegative && (g.flat[n] < 0 || (g.flat[n] === 0 && g.cum[n] < 0))) continue;
    g.nodes.push(n);
  }
  if (wantTags) {
    const ts = new TagSums(treeIx.count * nSets);
    for (const x of sums) ts.add(x.node * nSets + x.ls, x.dw, x.w, x.flat);
    const tags = new Array(treeIx.count);
    materializeTags(p, ts, nSets, tags, o.tags!);
    g.tags = tags;
  }
  return g;
}

/**
 * TrimTree: drops the nodes not in `kept`, re-attaching their children to
 * their parent with a residual edge (inline only if both edges were).
 */
export function trimTree(g: Graph, kept: Uint8Array, names: NodeNames): void {
  const E = g.edges;
  const N = g.ix.count;
  // Live adjacency, mutated as pprof mutates its edge maps.
  const inEdge = new Int32Array(N).fill(-1);
  const out: number[][] = new Array(N);
  for (let e = 0; e < E.count; e++) {
    if (E.removed[e]) continue;
    inEdge[E.dest[e]] = e;
    (out[E.src[e]] ??= []).push(e);
  }
  const old = g.nodes;
  g.nodes = [];
  for (const cur of old) {
    if (kept[cur]) {
      g.nodes.push(cur);
      continue;
    }
    const pe = inEdge[cur];
    if (pe < 0) {
      for (const e of out[cur] ?? []) {
        if (inEdge[E.dest[e]] === e) inEdge[E.dest[e]] = -1;
        E.removed[e] = 1;
      }
      continue;
    }
    const parent = E.src[pe];
    const parentEdgeInline = E.inline[pe] === 1;
    E.removed[pe] = 1;
    const po = out[parent];
    if (po) po.splice(po.indexOf(pe), 1);
    for (const e of out[cur] ?? []) {
      E.src[e] = parent;
      E.residual[e] = 1;
      E.inline[e] = parentEdgeInline && E.inline[e] === 1 ? 1 : 0;
      (out[parent] ??= []).push(e);
    }
    out[cur] = [];
  }
  g.invalidateIndex();
  removeRedundantEdges(g, names);
}
