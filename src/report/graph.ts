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
  /** Skip edges (a first pass that only needs node values). */
  noEdges?: boolean;
  /** Collect label tags (dot only). */
  tags?: {
    /** Numeric labels to keep on nodes, with the unit to format them in. */
    numUnits: Map<string, string>;
    format: (v: number, unit: string) => string;
  };
}

/**
 * Edges in columns, found during the sample walk through an open-addressing
 * hash of (src, dest) pairs. An edge is its integer id.
 */
export class EdgeTable {
  count = 0;
  src = new Int32Array(1024);
  dest = new Int32Array(1024);
  weight = new Float64Array(1024);
  weightDiv = new Float64Array(1024);
  residual = new Uint8Array(1024);
  inline = new Uint8Array(1024);
  removed = new Uint8Array(1024);
  stamp = new Int32Array(1024);
  private slots = new Int32Array(4096).fill(-1);
  private mask = 4095;

  private static hash(a: number, b: number): number {
    return (Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77)) >>> 0;
  }

  /** The id of edge (a, b), or -1-insertPosition when absent. */
  find(a: number, b: number): number {
    let i = EdgeTable.hash(a, b) & this.mask;
    for (;;) {
      const e = this.slots[i];
      if (e < 0) return -1 - i;
      if (this.src[e] === a && this.dest[e] === b) return e;
      i = (i + 1) & this.mask;
    }
  }

  add(a: number, b: number, slot: number): number {
    const e = this.count++;
    if (e >= this.src.length) this.grow();
    this.src[e] = a;
    this.dest[e] = b;
    this.slots[slot] = e;
    if (this.count * 2 > this.slots.length) this.rehash();
    return e;
  }

  private grow(): void {
    const n = this.src.length * 2;
    const g32 = (x: Int32Array) => { const y = new Int32Array(n); y.set(x); return y; };
    const g64 = (x: Float64Array) => { const y = new Float64Array(n); y.set(x); return y; };
    const g8 = (x: Uint8Array) => { const y = new Uint8Array(n); y.set(x); return y; };
    this.src = g32(this.src);
    this.dest = g32(this.dest);
    this.stamp = g32(this.stamp);
    this.weight = g64(this.weight);
    this.weightDiv = g64(this.weightDiv);
    this.residual = g8(this.residual);
    this.inline = g8(this.inline);
    this.removed = g8(this.removed);
  }

  private rehash(): void {
    const size = this.slots.length * 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let e = 0; e < this.count; e++) {
      let i = EdgeTable.hash(this.src[e], this.dest[e]) & this.mask;
      while (this.slots[i] >= 0) i = (i + 1) & this.mask;
      this.slots[i] = e;
    }
  }

  /** Drops the hash (after the walk) to free memory. */
  seal(): void {
    this.slots = new Int32Array(0);
    this.stamp = new Int32Array(0);
  }
}

/** A built graph: per-node values indexed by node id, plus the nodes present. */
export class Graph {
  readonly flat: Float64Array;
  readonly flatDiv: Float64Array;
  readonly cum: Float64Array;
  readonly cumDiv: Float64Array;
  /** Node ids in the graph (order: as sorted by sortNodes). */
  nodes: number[] = [];
  readonly edges: EdgeTable;
  tags: (NodeTags | undefined)[] | null = null;
  private inStart: Uint32Array | null = null;
  private inList: Int32Array | null = null;
  private outStart: Uint32Array | null = null;
  private outList: Int32Array | null = null;

  constructor(readonly ix: NodeIndex, edges?: EdgeTable) {
    this.edges = edges ?? new EdgeTable();
    const n = ix.count;
    this.flat = new Float64Array(n);
    this.flatDiv = new Float64Array(n);
    this.cum = new Float64Array(n);
    this.cumDiv = new Float64Array(n);
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

  /** Forgets the adjacency index after edges were re-pointed (call-tree trimming). */
  invalidateIndex(): void {
    this.inStart = this.inList = this.outStart = this.outList = null;
  }

  private index(): void {
    const E = this.edges;
    const N = this.ix.count;
    const build = (key: Int32Array): [Uint32Array, Int32Array] => {
      const start = new Uint32Array(N + 1);
      for (let e = 0; e < E.count; e++) start[key[e] + 1]++;
      for (let i = 0; i < N; i++) start[i + 1] += start[i];
      const fill = start.slice(0, N);
      const list = new Int32Array(E.count);
      for (let e = 0; e < E.count; e++) list[fill[key[e]]++] = e;
      return [start, list];
    };
    [this.inStart, this.inList] = build(E.dest);
    [this.outStart, this.outList] = build(E.src);
  }

  /** Live incoming edge ids of node n. */
  inEdges(n: number): number[] {
    if (!this.inStart) this.index();
    const out: number[] = [];
    const rm = this.edges.removed;
    for (let i = this.inStart![n]; i < this.inStart![n + 1]; i++) {
      const e = this.inList![i];
      if (!rm[e]) out.push(e);
    }
    return out;
  }

  /** Live outgoing edge ids of node n. */
  outEdges(n: number): number[] {
    if (!this.outStart) this.index();
    const out: number[] = [];
    const rm = this.edges.removed;
    for (let i = this.outStart![n]; i < this.outStart![n + 1]; i++) {
      const e = this.outList![i];
      if (!rm[e]) out.push(e);
    }
    return out;
  }

  weightValue(e: number): number {
    const d = this.edges.weightDiv[e];
    return d === 0 ? this.edges.weight[e] : Math.trunc(this.edges.weight[e] / d);
  }
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
  const E = g.edges;
  const withEdges = !o.noEdges;
  const N = ix.count;
  const locStart = ix.locStart;
  const locNodes = ix.locNodes;
  const stack = S.stack;
  const stackStart = S.stackStart;
  const wantTags = o.tags !== undefined && !o.noEdges;
  const tags: (NodeTags | undefined)[] | null = wantTags ? new Array(N) : null;
  const nSets = p.labelSets.length;
  const tagSums: TagSums | null = wantTags ? new TagSums(N * nSets) : null;

  for (let s = 0; s < S.length; s++) {
    const w = vals[s * nt + o.sampleIndex];
    const dw = o.mean ? vals[s * nt] : 0;
    if (dw === 0 && w === 0) continue;
    const stamp = s + 1;
    let parent = -1;
    let residual = false;
    const lsi = S.labelSet[s];
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
          if (tagSums) tagSums.add(n * nSets + lsi, dw, w, false);
        }
        if (withEdges && parent >= 0 && n !== parent) {
          let e = E.find(parent, n);
          if (e < 0) {
            e = E.add(parent, n, -1 - e);
            E.stamp[e] = stamp;
            E.weight[e] = w;
            E.weightDiv[e] = dw;
            E.residual[e] = residual ? 1 : 0;
            E.inline[e] = k !== b - 1 ? 1 : 0;
          } else if (E.stamp[e] !== stamp) {
            E.stamp[e] = stamp;
            E.weightDiv[e] += dw;
            E.weight[e] += w;
            if (residual) E.residual[e] = 1;
            if (k === b - 1) E.inline[e] = 0;
          }
        }
        parent = n;
        residual = false;
      }
    }
    if (parent >= 0 && !residual) {
      g.flatDiv[parent] += dw;
      g.flat[parent] += w;
      if (tagSums) tagSums.add(parent * nSets + lsi, dw, w, true);
    }
  }

  // selectNodesForGraph
  for (let n = 0; n < N; n++) {
    if (g.cum[n] === 0 && g.flat[n] === 0) continue;
    if (kept !== null && kept[n] === 0) continue;
    if (o.dropNegative && isNegative(g, n)) continue;
    g.nodes.push(n);
  }
  E.seal();
  if (tagSums && tags) materializeTags(p, tagSums, nSets, tags, o.tags!);
  g.tags = tags;
  return g;
}

function isNegative(g: Graph, n: number): boolean {
  return g.flat[n] < 0 || (g.flat[n] === 0 && g.cum[n] < 0);
}

/**
 * Per (node, label set) sums of a walk: [cum, cumDiv, flat, flatDiv]. Dense
 * arrays when node count × label sets is modest (the usual case: label sets
 * are few), else a map.
 */
export class TagSums {
  private readonly dense: Float64Array | null;
  private readonly touched: Uint8Array | null;
  private readonly sparse = new Map<number, Float64Array>();
  constructor(size: number) {
    const ok = size <= 1 << 22;
    this.dense = ok ? new Float64Array(size * 4) : null;
    this.touched = ok ? new Uint8Array(size) : null;
  }
  add(key: number, dw: number, w: number, flat: boolean): void {
    let a: Float64Array;
    let o = 0;
    if (this.dense) {
      a = this.dense;
      o = key * 4;
      this.touched![key] = 1;
    } else {
      let x = this.sparse.get(key);
      if (!x) this.sparse.set(key, (x = new Float64Array(4)));
      a = x;
    }
    if (flat) {
      a[o + 2] += w;
      a[o + 3] += dw;
    } else {
      a[o] += w;
      a[o + 1] += dw;
    }
  }
  *entries(): Generator<[number, Float64Array]> {
    if (this.dense) {
      const t = this.touched!;
      for (let k = 0; k < t.length; k++) if (t[k]) yield [k, this.dense.subarray(k * 4, k * 4 + 4)];
    } else yield* this.sparse;
  }
}

/**
 * Turns the per (node, label set) sums into pprof's per-node tags: one tag
 * per joined string-label text, and numeric `bytes` tags keyed by their
 * formatted value. Sums are additive, so summing per label set first and
 * spreading afterwards gives pprof's numbers with far fewer map operations.
 */
export function materializeTags(
  p: Profile,
  sums: TagSums,
  nSets: number,
  tags: (NodeTags | undefined)[],
  o: NonNullable<GraphBuildOptions['tags']>,
): void {
  const joined = new Map<number, string>();
  const numeric = new Map<number, { name: string; unit: string; value: number }[]>();
  for (const [key, a] of sums.entries()) {
    const n = Math.floor(key / nSets);
    const lsi = key - n * nSets;
    let labels = joined.get(lsi);
    if (labels === undefined) joined.set(lsi, (labels = joinLabels(p, lsi, 'pprof::base')));
    let nums = numeric.get(lsi);
    if (!nums) {
      nums = [];
      for (const nl of p.labelSets[lsi].num) {
        const unit = o.numUnits.get(nl.key);
        if (unit !== undefined) nums.push({ name: o.format(nl.value, unit), unit, value: nl.value });
      }
      numeric.set(lsi, nums);
    }
    let t = tags[n];
    if (!t) tags[n] = t = { labelTags: new Map(), numericTags: new Map() };
    const bump = (tag: Tag) => {
      tag.cum += a[0];
      tag.cumDiv += a[1];
      tag.flat += a[2];
      tag.flatDiv += a[3];
    };
    if (labels !== '') {
      let lt = t.labelTags.get(labels);
      if (!lt) t.labelTags.set(labels, (lt = newTag(labels, '', 0)));
      bump(lt);
    }
    let nt = t.numericTags.get(labels);
    if (!nt) t.numericTags.set(labels, (nt = new Map()));
    for (const x of nums) {
      let tag = nt.get(x.name);
      if (!tag) nt.set(x.name, (tag = newTag(x.name, x.unit, x.value)));
      bump(tag);
    }
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
  ids.sort(cmp);
  return ids;
}

function entropyScore(g: Graph, n: number): number {
  let score = 0;
  const inn = g.inEdges(n);
  const out = g.outEdges(n);
  if (inn.length === 0) score++;
  else score += edgeEntropyScore(g, inn, 0);
  if (out.length === 0) score++;
  else score += edgeEntropyScore(g, out, g.flat[n]);
  return goInt64(score * g.cum[n]) + g.flat[n];
}

function edgeEntropyScore(g: Graph, edges: number[], self: number): number {
  const W = g.edges.weight;
  let score = 0;
  let total = self;
  for (const e of edges) if (W[e] > 0) total += Math.abs(W[e]);
  if (total !== 0) {
    for (const e of edges) {
      const frac = Math.abs(W[e]) / total;
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

/** Edge ids sorted as pprof's EdgeMap.Sort. */
export function sortEdges(g: Graph, edges: number[], names: NodeNames): number[] {
  const W = g.edges.weight;
  const S = g.edges.src;
  const D = g.edges.dest;
  return edges.sort((a, b) => {
    if (W[a] !== W[b]) {
      const x = Math.abs(W[a]);
      const y = Math.abs(W[b]);
      if (x !== y) return y - x;
      return 0;
    }
    const f1 = names.name(S[a]);
    const f2 = names.name(S[b]);
    if (f1 !== f2) return f1 < f2 ? -1 : 1;
    const t1 = names.name(D[a]);
    const t2 = names.name(D[b]);
    return t1 < t2 ? -1 : t1 > t2 ? 1 : 0;
  });
}

/** TrimLowFrequencyEdges: incoming edges of the graph's nodes under the cutoff; returns how many. */
export function trimLowFrequencyEdges(g: Graph, cutoff: number): number {
  let dropped = 0;
  const E = g.edges;
  const present = new Uint8Array(g.ix.count);
  for (const n of g.nodes) present[n] = 1;
  for (let e = 0; e < E.count; e++) {
    if (E.removed[e] || !present[E.dest[e]]) continue;
    if (Math.abs(E.weight[e]) < cutoff) {
      E.removed[e] = 1;
      dropped++;
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
  const E = g.edges;
  for (let i = g.nodes.length; i > 0; i--) {
    const n = g.nodes[i - 1];
    const inn = sortEdges(g, g.inEdges(n), names);
    for (let j = inn.length; j > 0; j--) {
      const e = inn[j - 1];
      if (!E.residual[e]) break;
      if (isRedundantEdge(g, e)) E.removed[e] = 1;
    }
  }
}

function isRedundantEdge(g: Graph, e: number): boolean {
  const E = g.edges;
  const src = E.src[e];
  const seen = new Set<number>([E.dest[e]]);
  const queue = [E.dest[e]];
  while (queue.length > 0) {
    const n = queue.shift()!;
    for (const ie of g.inEdges(n)) {
      const s = E.src[ie];
      if (e === ie || seen.has(s)) continue;
      if (s === src) return true;
      seen.add(s);
      queue.push(s);
    }
  }
  return false;
}
