// Builds the flame graph the UI draws: a call tree of frame keys with self
// and total per node, for one profile or for a target and its base (diff).
// Output is preorder with children sorted by name, so the browser lays it
// out in one pass and a subtree is a contiguous index range it can skip.

import type { Profile } from '../profile/model.ts';
import { FrameTable, walkStacks, type WalkFilters } from './stack-walk.ts';

export interface FlameInput {
  profile: Profile;
  sampleIndex: number;
}

export interface FlameTree {
  names: string[];
  name: Int32Array;
  parent: Int32Array;
  self: Float64Array;
  total: Float64Array;
  baseSelf: Float64Array | null;
  baseTotal: Float64Array | null;
  /** Nodes left out as too small to draw. */
  pruned: number;
}

/**
 * (parent, key) → child, open addressing on one interleaved Int32Array
 * (parent, key, child per slot, for cache locality): a Map per edge costs
 * seconds at millions of nodes.
 */
class ChildTable {
  private mask: number;
  private slots: Int32Array;
  private count = 0;
  constructor(capacity = 1 << 16) {
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity * 3).fill(-1);
  }
  get(parent: number, key: number): number {
    const s = this.slots;
    for (let i = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(key + 1, 0x85ebca77)) & this.mask; ; i = (i + 1) & this.mask) {
      const o = i * 3;
      const p = s[o];
      if (p === -1) return -1;
      if (p === parent && s[o + 1] === key) return s[o + 2];
    }
  }
  set(parent: number, key: number, child: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.rehash();
    const s = this.slots;
    let i = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(key + 1, 0x85ebca77)) & this.mask;
    while (s[i * 3] !== -1) i = (i + 1) & this.mask;
    s[i * 3] = parent;
    s[i * 3 + 1] = key;
    s[i * 3 + 2] = child;
    this.count++;
  }
  private rehash(): void {
    const old = this.slots;
    this.mask = (this.mask + 1) * 2 - 1;
    this.slots = new Int32Array((this.mask + 1) * 3).fill(-1);
    this.count = 0;
    for (let o = 0; o < old.length; o += 3) if (old[o] !== -1) this.set(old[o], old[o + 1], old[o + 2]);
  }
}

export class TreeBuilder {
  key: Int32Array = new Int32Array(1024);
  parent: Int32Array = new Int32Array(1024);
  /** Per column c: vals[2c] self, vals[2c+1] total. */
  vals: Float64Array[];
  n = 1;
  private child: ChildTable | null;
  /** The lookup table is only needed while adding stacks; layout uses child lists. */
  finish(): void {
    this.child = null;
  }
  /** `frames`: how many stack frames will be added at most; sizes the child table once. */
  constructor(columns: number, frames = 0) {
    let cap = 1 << 16;
    while (cap < Math.min(frames, 1 << 22) * 2) cap *= 2;
    this.child = new ChildTable(cap);
    this.vals = [];
    for (let c = 0; c < columns * 2; c++) this.vals.push(new Float64Array(1024));
    this.key[0] = -1;
    this.parent[0] = -1;
  }
  private grow(): void {
    const cap = this.key.length * 2;
    const g32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.key = g32(this.key);
    this.parent = g32(this.parent);
    this.vals = this.vals.map((a) => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    });
  }
  add(stack: Int32Array, depth: number, value: number, column: number): void {
    let node = 0;
    let total = this.vals[column * 2 + 1];
    total[0] += value;
    for (let d = 0; d < depth; d++) {
      const k = stack[d];
      let c = this.child!.get(node, k);
      if (c === -1) {
        if (this.n === this.key.length) {
          this.grow();
          total = this.vals[column * 2 + 1];
        }
        c = this.n++;
        this.key[c] = k;
        this.parent[c] = node;
        this.child!.set(node, k, c);
      }
      node = c;
      total[node] += value;
    }
    this.vals[column * 2][node] += value;
  }
}

function addProfile(b: TreeBuilder, table: FrameTable, input: FlameInput, f: WalkFilters, maxDepth: number, column: number): void {
  const { profile: p, sampleIndex: si } = input;
  const nv = p.sampleTypes.length;
  const v = p.samples.values;
  walkStacks(p, table, f, (stack, depth, s) => {
    const value = v[s * nv + si];
    if (value === 0) return;
    b.add(stack, maxDepth > 0 && depth > maxDepth ? maxDepth : depth, value, column);
  });
}

/** The whole call tree, before layout: kept so zooming into it needs no rebuild. */
export interface RawFlame {
  readonly builder: TreeBuilder;
  readonly table: FrameTable;
  readonly diff: boolean;
  /** Rank of each frame name in sorted order, computed on first layout. */
  rank: Int32Array | null;
  /** Children lists and subtree sizes, computed on first layout. */
  children: { kidStart: Int32Array; kids: Int32Array; size: Int32Array } | null;
}

export function buildRawFlame(target: FlameInput, base: FlameInput | null, f: WalkFilters, maxDepth = 0): RawFlame {
  const table = new FrameTable();
  const frames = target.profile.samples.stack.length + (base ? base.profile.samples.stack.length : 0);
  const b = new TreeBuilder(base ? 2 : 1, frames);
  addProfile(b, table, target, f, maxDepth, 0);
  if (base) addProfile(b, table, base, f, maxDepth, 1);
  b.finish();
  return { builder: b, table, diff: base !== null, rank: null, children: null };
}

/** Finds the node at a root-first path of frame names, or -1. */
export function findPath(raw: RawFlame, path: readonly string[]): number {
  const { kidStart, kids } = childIndex(raw);
  const key = raw.builder.key;
  let node = 0;
  for (const name of path) {
    const k = raw.table.lookup(name);
    if (k < 0) return -1;
    let next = -1;
    for (let j = kidStart[node]; j < kidStart[node + 1] && next < 0; j++) if (key[kids[j]] === k) next = kids[j];
    if (next < 0) return -1;
    node = next;
  }
  return node;
}

/** Rank of each frame name in sorted order, so sibling order is an integer compare. */
function nameRanks(raw: RawFlame): Int32Array {
  if (raw.rank) return raw.rank;
  const names = raw.table.names;
  const idx = Array.from(names.keys()).sort((x, y) => (names[x] < names[y] ? -1 : names[x] > names[y] ? 1 : 0));
  const rank = new Int32Array(names.length);
  idx.forEach((k, r) => (rank[k] = r));
  raw.rank = rank;
  return rank;
}

/**
 * The flame tree to send: the subtree of `zoomNode` (default the root) with
 * its ancestors as a single chain above it, in preorder with siblings by
 * name. Subtrees under `minFraction` of the zoomed node's weight are left
 * out: narrower than a pixel unless zoomed in more than
 * (1/minFraction)/(screen width) times, when the UI asks for them.
 * One cheap pass over all nodes; sorting and output only for what is sent.
 */
export function layoutFlame(raw: RawFlame, minFraction = 0, zoomNode = 0, maxNodes = Infinity): FlameTree {
  const b = raw.builder;
  const diff = raw.diff;
  const keyNames = raw.table.names;
  const rank = nameRanks(raw);
  const { kidStart, kids, size } = childIndex(raw);
  const tot = b.vals[1];
  const baseTot = diff ? b.vals[3] : null;
  const weightOf = (i: number) => Math.abs(tot[i]) + (baseTot ? Math.abs(baseTot[i]) : 0);
  const chain: number[] = [];
  for (let a = b.parent[zoomNode]; a >= 0; a = a === 0 ? -1 : b.parent[a]) chain.push(a);

  let threshold = weightOf(zoomNode) * minFraction;
  let picked: number[] = [];
  let pickedParent: number[] = [];
  let pruned = 0;
  // Depth-first from the zoomed node; siblings by name; small subtrees skipped whole.
  // Over the node budget, the cut is raised and the walk redone (a long tail of tiny paths).
  for (;;) {
    picked = [];
    pickedParent = [];
    pruned = 0;
    for (let c = chain.length - 1; c >= 0; c--) {
      picked.push(chain[c]);
      pickedParent.push(picked.length - 2);
    }
    const stackNode: number[] = [zoomNode];
    const stackParent: number[] = [picked.length - 1];
    const sibs: number[] = [];
    let over = false;
    while (stackNode.length) {
      if (picked.length > maxNodes) {
        over = true;
        break;
      }
      const node = stackNode.pop()!;
      const parentOut = stackParent.pop()!;
      const me = picked.length;
      picked.push(node);
      pickedParent.push(parentOut);
      sibs.length = 0;
      for (let j = kidStart[node]; j < kidStart[node + 1]; j++) {
        const k = kids[j];
        if (threshold === 0 || weightOf(k) >= threshold) sibs.push(k);
        else pruned += size[k];
      }
      sibs.sort((x, y) => rank[b.key[y]] - rank[b.key[x]]);
      for (const k of sibs) {
        stackNode.push(k);
        stackParent.push(me);
      }
    }
    if (!over) break;
    threshold = threshold > 0 ? threshold * 2 : weightOf(zoomNode) / 1e6;
  }
  const n = picked.length;
  const nameId = new Int32Array(keyNames.length).fill(-1);
  const names: string[] = ['root'];
  const out = {
    name: new Int32Array(n),
    parent: Int32Array.from(pickedParent),
    self: new Float64Array(n),
    total: new Float64Array(n),
    baseSelf: diff ? new Float64Array(n) : null,
    baseTotal: diff ? new Float64Array(n) : null,
  };
  for (let o = 0; o < n; o++) {
    const node = picked[o];
    const k = b.key[node];
    let nm = 0;
    if (k >= 0) {
      if (nameId[k] < 0) {
        nameId[k] = names.length;
        names.push(keyNames[k]);
      }
      nm = nameId[k];
    }
    out.name[o] = nm;
    out.self[o] = b.vals[0][node];
    out.total[o] = tot[node];
    if (diff) {
      out.baseSelf![o] = b.vals[2][node];
      out.baseTotal![o] = baseTot![node];
    }
  }
  return { names, ...out, pruned };
}

/** Children of every node (CSR) and subtree sizes, built once per call tree. */
function childIndex(raw: RawFlame): { kidStart: Int32Array; kids: Int32Array; size: Int32Array } {
  if (raw.children) return raw.children;
  const b = raw.builder;
  const all = b.n;
  const kidStart = new Int32Array(all + 1);
  for (let i = 1; i < all; i++) kidStart[b.parent[i] + 1]++;
  for (let i = 0; i < all; i++) kidStart[i + 1] += kidStart[i];
  const kids = new Int32Array(Math.max(all - 1, 0));
  const fill = kidStart.slice(0, all);
  for (let i = 1; i < all; i++) kids[fill[b.parent[i]]++] = i;
  // Parents precede children in creation order: sizes accumulate backwards.
  const size = new Int32Array(all).fill(1);
  for (let i = all - 1; i > 0; i--) size[b.parent[i]] += size[i];
  raw.children = { kidStart, kids, size };
  return raw.children;
}

/** Builds the flame tree; `base` makes it a diff (both columns kept). */
export function buildFlame(target: FlameInput, base: FlameInput | null, f: WalkFilters, maxDepth = 0, minFraction = 0): FlameTree {
  return layoutFlame(buildRawFlame(target, base, f, maxDepth), minFraction);
}
