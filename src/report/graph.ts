// The call graph pprof's text, tree and dot reports are made of
// (internal/graph/graph.go), built from the columnar model with integer ids.
//
// Nodes are identified by their NodeInfo (name, file, address, line, start
// line, object file) *after* aggregation to the requested granularity, so
// one node id per distinct info. NodeIndex maps every (location, line) to
// its node id once; each graph build then walks the samples with typed
// arrays: per-sample de-duplication uses stamps instead of sets, edges are
// found through a numeric-key map. Trimming rebuilds the graph from the
// samples with a "kept" bitmap over node ids, as pprof rebuilds from its
// NodeSet.

import type { Profile } from '../profile/model.ts';
import type { Granularity } from './options.ts';

export interface NodeIndexOptions {
  granularity: Granularity;
  noInlines: boolean;
  /** Keep the object file name on every node (list, raw, callgrind). */
  objNames: boolean;
  /** Maps a function's file name before it is cleaned (pprof's trimPath); identity when absent. */
  mapFile?: (f: string) => string;
}

/** Node attributes, one entry per node id. */
export interface NodeIndex {
  readonly count: number;
  readonly name: string[];
  readonly file: string[];
  readonly address: bigint[];
  readonly startLine: number[];
  readonly lineno: number[];
  readonly objfile: string[];
  /** Node ids of location i: locNodes[locStart[i] .. locStart[i+1]-1], innermost line first. */
  readonly locStart: Uint32Array;
  readonly locNodes: Int32Array;
  /** Node id of the whole-function node each node belongs to (pprof's Node.Function). */
  readonly func: Int32Array;
}

/** Go's filepath.Clean for slash paths. */
export function cleanPath(p: string): string {
  if (p === '') return '.';
  const rooted = p.startsWith('/');
  const parts = p.split('/');
  const out: string[] = [];
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const s = (rooted ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

export function baseName(p: string): string {
  if (p === '') return '.';
  let s = p.replace(/\/+$/, '');
  if (s === '') return '/';
  const i = s.lastIndexOf('/');
  return i >= 0 ? s.slice(i + 1) : s;
}

/** pprof's CreateNodes: node ids for every location line at a granularity. */
export function buildNodeIndex(p: Profile, o: NodeIndexOptions): NodeIndex {
  let keepFunction = true;
  let keepFile = true;
  let keepLine = true;
  let keepAddress = true;
  const inlines = !o.noInlines;
  switch (o.granularity) {
    case 'addresses':
      break;
    case 'lines':
      keepAddress = false;
      break;
    case 'files':
      keepFunction = false;
      keepLine = false;
      keepAddress = false;
      break;
    case 'functions':
      keepFile = false;
      keepLine = false;
      keepAddress = false;
      break;
    case 'filefunctions':
      keepLine = false;
      keepAddress = false;
      break;
  }

  const L = p.locations;
  const F = p.functions;
  const fnName: string[] = new Array(F.length);
  const fnFile: string[] = new Array(F.length);
  for (let f = 0; f < F.length; f++) {
    fnName[f] = keepFunction ? F.name[f] : '';
    let file = keepFile ? F.filename[f] : '';
    if (file !== '') {
      if (o.mapFile) file = o.mapFile(file);
      file = file === '' ? '' : cleanPath(file);
    }
    fnFile[f] = file;
  }
  const mapFiles = p.mappings.map((m) => m.file);

  const name: string[] = [];
  const file: string[] = [];
  const address: bigint[] = [];
  const startLine: number[] = [];
  const lineno: number[] = [];
  const objfile: string[] = [];
  const funcOf: number[] = [];
  const ids = new Map<string, number>();

  const insert = (nm: string, fl: string, addr: bigint, sl: number, ln: number, obj: string): number => {
    const key = nm + '\x00' + fl + '\x00' + addr + '\x00' + sl + '\x00' + ln + '\x00' + obj;
    let id = ids.get(key);
    if (id !== undefined) return id;
    id = name.length;
    ids.set(key, id);
    name.push(nm);
    file.push(fl);
    address.push(addr);
    startLine.push(sl);
    lineno.push(ln);
    objfile.push(obj);
    funcOf.push(id);
    if (addr !== 0n || ln !== 0) funcOf[id] = insert(nm, fl, 0n, sl, 0, obj);
    return id;
  };

  const locStart = new Uint32Array(L.length + 1);
  const locNodesArr: number[] = [];
  for (let l = 0; l < L.length; l++) {
    locStart[l] = locNodesArr.length;
    const mi = L.mapping[l];
    const obj = mi >= 0 && mi < mapFiles.length ? mapFiles[mi] : '';
    const addr = keepAddress ? L.address[l] : 0n;
    let a = L.lineStart[l];
    const b = L.lineStart[l + 1];
    if (a === b) {
      locNodesArr.push(insert('', '', addr, 0, 0, obj));
      continue;
    }
    if (!inlines && b - a > 1) a = b - 1;
    for (let k = a; k < b; k++) {
      const f = L.lineFunction[k];
      const nm = fnName[f];
      const ln = keepLine ? L.lineNumber[k] : 0;
      const withObj = o.objNames || nm === '';
      locNodesArr.push(insert(nm, fnFile[f], addr, withObj ? F.startLine[f] : 0, ln, withObj ? obj : ''));
    }
  }
  locStart[L.length] = locNodesArr.length;
  return {
    count: name.length,
    name,
    file,
    address,
    startLine,
    lineno,
    objfile,
    locStart,
    locNodes: Int32Array.from(locNodesArr),
    func: Int32Array.from(funcOf),
  };
}

/** NodeInfo.NameComponents. */
export function nameComponents(ix: NodeIndex, n: number, fileOverride?: string, nameOverride?: string): string[] {
  const out: string[] = [];
  const addr = ix.address[n];
  if (addr !== 0n) out.push(addr.toString(16).padStart(16, '0'));
  const nm = nameOverride ?? ix.name[n];
  if (nm !== '') out.push(nm);
  const fl = fileOverride ?? ix.file[n];
  if (ix.lineno[n] !== 0) out.push(fl + ':' + ix.lineno[n]);
  else if (fl !== '') out.push(fl);
  else if (ix.name[n] !== '') {
    // function name already included
  } else if (ix.objfile[n] !== '') out.push('[' + baseName(ix.objfile[n]) + ']');
  else out.push('<unknown>');
  return out;
}

/** Caches printable names and Go's fmt.Sprint(NodeInfo) per node id. */
export class NodeNames {
  private readonly printable: (string | undefined)[];
  private readonly sprint: (string | undefined)[];
  constructor(private readonly ix: NodeIndex) {
    this.printable = new Array(ix.count);
    this.sprint = new Array(ix.count);
  }
  name(n: number): string {
    let s = this.printable[n];
    if (s === undefined) {
      s = nameComponents(this.ix, n).join(' ');
      this.printable[n] = s;
    }
    return s;
  }
  /** fmt.Sprint of the NodeInfo struct: pprof's last-resort tie-break. */
  info(n: number): string {
    let s = this.sprint[n];
    if (s === undefined) {
      const ix = this.ix;
      // {Name OrigName Address File StartLine Lineno Objfile}
      s = `{${ix.name[n]}  ${ix.address[n]} ${ix.file[n]} ${ix.startLine[n]} ${ix.lineno[n]} ${ix.objfile[n]}}`;
      this.sprint[n] = s;
    }
    return s;
  }
}

export interface Edge {
  src: number;
  dest: number;
  weight: number;
  weightDiv: number;
  residual: boolean;
  inline: boolean;
}

/** A tag on a node (dot nodelets). */
export interface Tag {
  name: string;
  unit: string;
  value: number;
  flat: number;
  flatDiv: number;
  cum: number;
  cumDiv: number;
}

export interface NodeTags {
  /** Joined string labels → tag. */
  labelTags: Map<string, Tag>;
  /** Joined string labels ('' for none) → formatted numeric value → tag. */
  numericTags: Map<string, Map<string, Tag>>;
}

export interface GraphBuildOptions {
  sampleIndex: number;
  mean: boolean;
  dropNegative: boolean;
  /** Node ids to keep (1 = keep); null keeps all. */
  kept: Uint8Array | null;
  /** Collect label tags (dot only). */
  tags?: {
    /** Numeric labels to keep on nodes, with the unit to format them in. */
    numUnits: Map<string, string>;
    format: (v: number, unit: string) => string;
  };
}

/** A built graph: per-node values indexed by node id, plus the nodes present. */
export class Graph {
  readonly flat: Float64Array;
  readonly flatDiv: Float64Array;
  readonly cum: Float64Array;
  readonly cumDiv: Float64Array;
  /** Node ids in the graph (order: as sorted by sortNodes). */
  nodes: number[] = [];
  /** In/out edges per node id (only for nodes in the graph). */
  readonly inEdges: Map<number, Edge>[];
  readonly outEdges: Map<number, Edge>[];
  tags: (NodeTags | undefined)[] | null = null;

  constructor(readonly ix: NodeIndex) {
    const n = ix.count;
    this.flat = new Float64Array(n);
    this.flatDiv = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.cumDiv = new Float64Array(n);
    this.inEdges = new Array(n);
    this.outEdges = new Array(n);
  }

  flatValue(n: number): number {
    const d = this.flatDiv[n];
    return d === 0 ? this.flat[n] : Math.trunc(this.flat[n] / d);
  }
  cumValue(n: number): number {
    const d = this.cumDiv[n];
    return d === 0 ? this.cum[n] : Math.trunc(this.cum[n] / d);
  }

  /** Σ raw flat and cum over the graph's nodes (Nodes.Sum). */
  sum(): [number, number] {
    let f = 0;
    let c = 0;
    for (const n of this.nodes) {
      f += this.flat[n];
      c += this.cum[n];
    }
    return [f, c];
  }
}

export function edgeWeightValue(e: Edge): number {
  return e.weightDiv === 0 ? e.weight : Math.trunc(e.weight / e.weightDiv);
}

/** joinLabels: sorted `key:value` pairs joined by a literal `\n`. */
export function joinLabels(p: Profile, labelSet: number, skipKey?: string): string {
  const ls = p.labelSets[labelSet];
  if (!ls || ls.str.length === 0) return '';
  const parts: string[] = [];
  for (const [k, v] of ls.str) if (k !== skipKey) parts.push(k + ':' + v);
  parts.sort(byteCompare);
  return parts.join('\\n');
}

export function byteCompare(a: string, b: string): number {
  // UTF-16 order equals UTF-8 byte order except across surrogates; names are ASCII in practice.
  return a < b ? -1 : a > b ? 1 : 0;
}

/** graph.newGraph: walks every sample, root to leaf. */
export function buildGraph(p: Profile, ix: NodeIndex, o: GraphBuildOptions): Graph {
  const g = new Graph(ix);
  const S = p.samples;
  const nt = p.sampleTypes.length;
  const vals = S.values;
  const kept = o.kept;
  const nodeStamp = new Int32Array(ix.count);
  const edgeIds = new Map<number, number>();
  const edges: Edge[] = [];
  const edgeStamp: number[] = [];
  const N = ix.count;
  const locStart = ix.locStart;
  const locNodes = ix.locNodes;
  const stack = S.stack;
  const stackStart = S.stackStart;
  const wantTags = o.tags !== undefined;
  const tags: (NodeTags | undefined)[] | null = wantTags ? new Array(N) : null;
  const labelCache = new Map<number, string>();

  for (let s = 0; s < S.length; s++) {
    const w = vals[s * nt + o.sampleIndex];
    const dw = o.mean ? vals[s * nt] : 0;
    if (dw === 0 && w === 0) continue;
    const stamp = s + 1;
    let parent = -1;
    let residual = false;
    let labels = '';
    if (wantTags) {
      const lsi = S.labelSet[s];
      let c = labelCache.get(lsi);
      if (c === undefined) {
        c = joinLabels(p, lsi, 'pprof::base');
        labelCache.set(lsi, c);
      }
      labels = c;
    }
    for (let i = stackStart[s + 1] - 1; i >= stackStart[s]; i--) {
      const loc = stack[i];
      const a = locStart[loc];
      const b = locStart[loc + 1];
      for (let k = b - 1; k >= a; k--) {
        const n = locNodes[k];
        if (kept !== null && kept[n] === 0) {
          residual = true;
          continue;
        }
        if (nodeStamp[n] !== stamp) {
          nodeStamp[n] = stamp;
          g.cumDiv[n] += dw;
          g.cum[n] += w;
          if (tags) addTags(p, tags, n, s, labels, dw, w, false, o.tags!);
        }
        if (parent >= 0 && n !== parent) {
          const key = parent * N + n;
          let eid = edgeIds.get(key);
          if (eid === undefined) {
            eid = edges.length;
            edgeIds.set(key, eid);
            const e: Edge = { src: parent, dest: n, weight: w, weightDiv: dw, residual, inline: k !== b - 1 };
            edges.push(e);
            edgeStamp.push(stamp);
            let out = g.outEdges[parent];
            if (!out) g.outEdges[parent] = out = new Map();
            out.set(n, e);
            let inn = g.inEdges[n];
            if (!inn) g.inEdges[n] = inn = new Map();
            inn.set(parent, e);
          } else if (edgeStamp[eid] !== stamp) {
            edgeStamp[eid] = stamp;
            const e = edges[eid];
            e.weightDiv += dw;
            e.weight += w;
            if (residual) e.residual = true;
            if (k === b - 1) e.inline = false;
          }
        }
        parent = n;
        residual = false;
      }
    }
    if (parent >= 0 && !residual) {
      g.flatDiv[parent] += dw;
      g.flat[parent] += w;
      if (tags) addTags(p, tags, parent, s, labels, dw, w, true, o.tags!);
    }
  }

  // selectNodesForGraph
  for (let n = 0; n < N; n++) {
    if (g.cum[n] === 0 && g.flat[n] === 0) continue;
    if (kept !== null && kept[n] === 0) continue;
    if (o.dropNegative && isNegative(g, n)) continue;
    g.nodes.push(n);
  }
  for (const n of g.nodes) {
    if (!g.inEdges[n]) g.inEdges[n] = new Map();
    if (!g.outEdges[n]) g.outEdges[n] = new Map();
  }
  g.tags = tags;
  return g;
}

function isNegative(g: Graph, n: number): boolean {
  return g.flat[n] < 0 || (g.flat[n] === 0 && g.cum[n] < 0);
}

function addTags(
  p: Profile,
  tags: (NodeTags | undefined)[],
  n: number,
  s: number,
  labels: string,
  dw: number,
  w: number,
  flat: boolean,
  o: NonNullable<GraphBuildOptions['tags']>,
): void {
  let t = tags[n];
  if (!t) tags[n] = t = { labelTags: new Map(), numericTags: new Map() };
  const bump = (tag: Tag) => {
    if (flat) {
      tag.flatDiv += dw;
      tag.flat += w;
    } else {
      tag.cumDiv += dw;
      tag.cum += w;
    }
  };
  if (labels !== '') {
    let lt = t.labelTags.get(labels);
    if (!lt) t.labelTags.set(labels, (lt = newTag(labels, '', 0)));
    bump(lt);
  }
  let nt = t.numericTags.get(labels);
  if (!nt) t.numericTags.set(labels, (nt = new Map()));
  const ls = p.labelSets[p.samples.labelSet[s]];
  if (!ls) return;
  for (const nl of ls.num) {
    const unit = o.numUnits.get(nl.key);
    if (unit === undefined) continue;
    const name = o.format(nl.value, unit);
    let tag = nt.get(name);
    if (!tag) nt.set(name, (tag = newTag(name, unit, nl.value)));
    bump(tag);
  }
}

function newTag(name: string, unit: string, value: number): Tag {
  return { name, unit, value, flat: 0, flatDiv: 0, cum: 0, cumDiv: 0 };
}

// ---------------------------------------------------------------------------
// Sorting and trimming (Graph methods in pprof).

export type NodeOrder = 'flat' | 'cum' | 'entropy' | 'name' | 'file' | 'address';

export function sortNodes(g: Graph, names: NodeNames, order: NodeOrder, ids: number[] = g.nodes): number[] {
  const abs = Math.abs;
  let score: Map<number, number> | null = null;
  let cmp: (l: number, r: number) => number;
  const tie = (l: number, r: number) => byteCompare(names.info(l), names.info(r));
  switch (order) {
    case 'flat':
      cmp = (l, r) => {
        const a = abs(g.flat[l]);
        const b = abs(g.flat[r]);
        if (a !== b) return b - a;
        const x = names.name(l);
        const y = names.name(r);
        if (x !== y) return x < y ? -1 : 1;
        const c = abs(g.cum[l]);
        const d = abs(g.cum[r]);
        if (c !== d) return d - c;
        return tie(l, r);
      };
      break;
    case 'name':
      cmp = (l, r) => {
        const x = g.ix.name[l];
        const y = g.ix.name[r];
        if (x !== y) return x < y ? -1 : 1;
        return tie(l, r);
      };
      break;
    case 'file':
      cmp = (l, r) => {
        const x = g.ix.file[l];
        const y = g.ix.file[r];
        if (x !== y) return x < y ? -1 : 1;
        const a = g.ix.startLine[l];
        const b = g.ix.startLine[r];
        if (a !== b) return a - b;
        return tie(l, r);
      };
      break;
    case 'address':
      cmp = (l, r) => {
        const x = g.ix.address[l];
        const y = g.ix.address[r];
        if (x !== y) return x < y ? -1 : 1;
        return tie(l, r);
      };
      break;
    case 'cum':
    case 'entropy': {
      const sc = new Map<number, number>();
      for (const n of ids) sc.set(n, order === 'cum' ? g.cum[n] : entropyScore(g, n));
      score = sc;
      cmp = (l, r) => {
        const a = abs64(sc.get(l)!);
        const b = abs64(sc.get(r)!);
        if (a !== b) return b - a;
        const x = names.name(l);
        const y = names.name(r);
        if (x !== y) return x < y ? -1 : 1;
        const c = abs(g.flat[l]);
        const d = abs(g.flat[r]);
        if (c !== d) return d - c;
        return tie(l, r);
      };
      break;
    }
  }
  void score;
  ids.sort(cmp);
  return ids;
}

function entropyScore(g: Graph, n: number): number {
  let score = 0;
  const inn = g.inEdges[n];
  const out = g.outEdges[n];
  if (inn.size === 0) score++;
  else score += edgeEntropyScore(inn, 0);
  if (out.size === 0) score++;
  else score += edgeEntropyScore(out, g.flat[n]);
  return goInt64(score * g.cum[n]) + g.flat[n];
}

function edgeEntropyScore(edges: Map<number, Edge>, self: number): number {
  let score = 0;
  let total = self;
  for (const e of edges.values()) if (e.weight > 0) total += Math.abs(e.weight);
  if (total !== 0) {
    for (const e of edges.values()) {
      const frac = Math.abs(e.weight) / total;
      score += -frac * Math.log2(frac);
    }
    if (self > 0) {
      const frac = Math.abs(self) / total;
      score += -frac * Math.log2(frac);
    }
  }
  return score;
}

const MIN_INT64 = -9223372036854775808;

/**
 * Go's int64(float) conversion on amd64: truncation, and the "integer
 * indefinite" value math.MinInt64 for NaN and out-of-range values.
 */
export function goInt64(x: number): number {
  if (Number.isNaN(x) || x >= 9223372036854775807 || x < MIN_INT64) return MIN_INT64;
  return Math.trunc(x);
}

/** Go's abs64: math.MinInt64 stays negative (two's complement overflow). */
export function abs64(x: number): number {
  return x === MIN_INT64 ? x : Math.abs(x);
}

/** Edges of a map sorted as pprof's EdgeMap.Sort. */
export function sortEdges(edges: Iterable<Edge>, names: NodeNames): Edge[] {
  const el = [...edges];
  el.sort((a, b) => {
    if (a.weight !== b.weight) {
      const x = Math.abs(a.weight);
      const y = Math.abs(b.weight);
      if (x !== y) return y - x;
      return 0;
    }
    const f1 = names.name(a.src);
    const f2 = names.name(b.src);
    if (f1 !== f2) return f1 < f2 ? -1 : 1;
    const t1 = names.name(a.dest);
    const t2 = names.name(b.dest);
    return t1 < t2 ? -1 : t1 > t2 ? 1 : 0;
  });
  return el;
}

/** TrimLowFrequencyEdges: returns the number of edges removed. */
export function trimLowFrequencyEdges(g: Graph, cutoff: number): number {
  let dropped = 0;
  for (const n of g.nodes) {
    const inn = g.inEdges[n];
    for (const [src, e] of [...inn]) {
      if (Math.abs(e.weight) < cutoff) {
        inn.delete(src);
        g.outEdges[src]?.delete(n);
        dropped++;
      }
    }
  }
  return dropped;
}

/** TrimLowFrequencyTags. */
export function trimLowFrequencyTags(g: Graph, cutoff: number): void {
  if (!g.tags) return;
  const trim = (m: Map<string, Tag>) => {
    for (const [k, t] of [...m]) if (!(Math.abs(t.flat) >= cutoff || Math.abs(t.cum) >= cutoff)) m.delete(k);
  };
  for (const n of g.nodes) {
    const t = g.tags[n];
    if (!t) continue;
    trim(t.labelTags);
    for (const m of t.numericTags.values()) trim(m);
  }
}

const MAX_NODELETS = 4;
export { MAX_NODELETS };

function countTags(g: Graph, n: number): number {
  const t = g.tags?.[n];
  if (!t) return 0;
  let c = 0;
  for (const e of t.labelTags.values()) if (e.flat !== 0) c++;
  for (const m of t.numericTags.values()) for (const e of m.values()) if (e.flat !== 0) c++;
  return c;
}

/** selectTopNodes: the first maxNodes nodes (counting nodelets in visual mode). */
export function selectTopNodes(g: Graph, maxNodes: number, visualMode: boolean): number[] {
  if (maxNodes > 0 && visualMode) {
    let count = 0;
    for (let i = 0; i < g.nodes.length; i++) {
      let tags = countTags(g, g.nodes[i]);
      if (tags > MAX_NODELETS) tags = MAX_NODELETS;
      count += tags + 1;
      if (count >= maxNodes) {
        maxNodes = i + 1;
        break;
      }
    }
  }
  if (maxNodes > g.nodes.length) maxNodes = g.nodes.length;
  return g.nodes.slice(0, maxNodes);
}

/** RemoveRedundantEdges (dot). */
export function removeRedundantEdges(g: Graph, names: NodeNames): void {
  for (let i = g.nodes.length; i > 0; i--) {
    const n = g.nodes[i - 1];
    const inn = sortEdges(g.inEdges[n].values(), names);
    for (let j = inn.length; j > 0; j--) {
      const e = inn[j - 1];
      if (!e.residual) break;
      if (isRedundantEdge(g, e)) {
        g.outEdges[e.src]?.delete(e.dest);
        g.inEdges[e.dest]?.delete(e.src);
      }
    }
  }
}

function isRedundantEdge(g: Graph, e: Edge): boolean {
  const src = e.src;
  const seen = new Set<number>([e.dest]);
  const queue = [e.dest];
  while (queue.length > 0) {
    const n = queue.shift()!;
    const inn = g.inEdges[n];
    if (!inn) continue;
    for (const ie of inn.values()) {
      if (e === ie || seen.has(ie.src)) continue;
      if (ie.src === src) return true;
      seen.add(ie.src);
      queue.push(ie.src);
    }
  }
  return false;
}
