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

/** (parent, key) → child, open addressing on typed arrays: a Map per edge costs seconds at millions of nodes. */
class ChildTable {
  private mask: number;
  private parents: Int32Array;
  private keys: Int32Array;
  private children: Int32Array;
  private count = 0;
  constructor(capacity = 1 << 16) {
    this.mask = capacity - 1;
    this.parents = new Int32Array(capacity).fill(-1);
    this.keys = new Int32Array(capacity);
    this.children = new Int32Array(capacity);
  }
  private slot(parent: number, key: number): number {
    return (Math.imul(parent, 0x9e3779b1) ^ Math.imul(key + 1, 0x85ebca77)) & this.mask;
  }
  get(parent: number, key: number): number {
    for (let i = this.slot(parent, key); ; i = (i + 1) & this.mask) {
      const p = this.parents[i];
      if (p === -1) return -1;
      if (p === parent && this.keys[i] === key) return this.children[i];
    }
  }
  set(parent: number, key: number, child: number): void {
    if ((this.count + 1) * 2 > this.mask + 1) this.rehash();
    let i = this.slot(parent, key);
    while (this.parents[i] !== -1) i = (i + 1) & this.mask;
    this.parents[i] = parent;
    this.keys[i] = key;
    this.children[i] = child;
    this.count++;
  }
  private rehash(): void {
    const { parents, keys, children } = this;
    const cap = (this.mask + 1) * 2;
    this.mask = cap - 1;
    this.parents = new Int32Array(cap).fill(-1);
    this.keys = new Int32Array(cap);
    this.children = new Int32Array(cap);
    this.count = 0;
    for (let i = 0; i < parents.length; i++) if (parents[i] !== -1) this.set(parents[i], keys[i], children[i]);
  }
}

export class TreeBuilder {
  key: Int32Array = new Int32Array(1024);
  parent: Int32Array = new Int32Array(1024);
  /** Per column c: vals[2c] self, vals[2c+1] total. */
  vals: Float64Array[];
  n = 1;
  private readonly child = new ChildTable();
  childOf(node: number, key: number): number {
    return this.child.get(node, key);
  }
  constructor(columns: number) {
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
      let c = this.child.get(node, k);
      if (c === -1) {
        if (this.n === this.key.length) {
          this.grow();
          total = this.vals[column * 2 + 1];
        }
        c = this.n++;
        this.key[c] = k;
        this.parent[c] = node;
        this.child.set(node, k, c);
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
}

export function buildRawFlame(target: FlameInput, base: FlameInput | null, f: WalkFilters, maxDepth = 0): RawFlame {
  const table = new FrameTable();
  const b = new TreeBuilder(base ? 2 : 1);
  addProfile(b, table, target, f, maxDepth, 0);
  if (base) addProfile(b, table, base, f, maxDepth, 1);
  return { builder: b, table, diff: base !== null };
}

/** Finds the node at a root-first path of frame names, or -1. */
export function findPath(raw: RawFlame, path: readonly string[]): number {
  let node = 0;
  for (const name of path) {
    const k = raw.table.lookup(name);
    if (k < 0) return -1;
    node = raw.builder.childOf(node, k);
    if (node < 0) return -1;
  }
  return node;
}

/**
 * The flame tree to send: the subtree of `zoomNode` (default the root) with
 * its ancestors as a single chain above it, pruned relative to its weight.
 */
export function layoutFlame(raw: RawFlame, minFraction = 0, zoomNode = 0): FlameTree {
  return toPreorder(raw.builder, raw.table.names, raw.diff, minFraction, zoomNode);
}

/** Builds the flame tree; `base` makes it a diff (both columns kept). */
export function buildFlame(target: FlameInput, base: FlameInput | null, f: WalkFilters, maxDepth = 0, minFraction = 0): FlameTree {
  return layoutFlame(buildRawFlame(target, base, f, maxDepth), minFraction);
}

/**
 * Lays the tree out in preorder. Subtrees whose weight is under
 * `minFraction` of the root's are left out: they are narrower than a pixel
 * unless zoomed in more than 1/minFraction / screen width times.
 */
function toPreorder(b: TreeBuilder, keyNames: string[], diff: boolean, minFraction: number, zoomNode: number): FlameTree {
  const all = b.n;
  const weightOf = (i: number) => Math.abs(b.vals[1][i]) + (diff ? Math.abs(b.vals[3][i]) : 0);
  const threshold = weightOf(zoomNode) * minFraction;
  const keep = new Uint8Array(all);
  // 1: on the chain from the root to zoomNode; 2: inside zoomNode's subtree.
  const where = new Uint8Array(all);
  for (let a = zoomNode; a >= 0; a = a === 0 ? -1 : b.parent[a]) {
    where[a] = 1;
    keep[a] = 1;
  }
  where[zoomNode] = 2;
  let n = 0;
  for (let i = 0; i < all; i++) if (keep[i]) n++;
  let pruned = 0;
  // Parents precede children in creation order, so one forward pass decides.
  for (let i = 1; i < all; i++) {
    const p = b.parent[i];
    if (where[i] !== 0) continue;
    if (where[p] !== 2) continue;
    where[i] = 2;
    if (keep[p] && (threshold === 0 || weightOf(i) >= threshold)) {
      keep[i] = 1;
      n++;
    } else pruned++;
  }
  // Children lists in CSR form, then sorted by name.
  const count = new Int32Array(all + 1);
  for (let i = 1; i < all; i++) if (keep[i]) count[b.parent[i] + 1]++;
  for (let i = 0; i < all; i++) count[i + 1] += count[i];
  const kids = new Int32Array(Math.max(n - 1, 0));
  const fill = count.slice(0, all);
  for (let i = 1; i < all; i++) if (keep[i]) kids[fill[b.parent[i]]++] = i;
  const byName = (x: number, y: number) => {
    const a = keyNames[b.key[x]];
    const c = keyNames[b.key[y]];
    return a < c ? -1 : a > c ? 1 : 0;
  };
  for (let i = 0; i < all; i++) {
    const lo = count[i];
    const hi = count[i + 1];
    if (hi - lo > 1) kids.subarray(lo, hi).sort(byName);
  }
  // Names actually used, densely renumbered.
  const nameId = new Int32Array(keyNames.length).fill(-1);
  const names: string[] = ['root'];
  const out = {
    name: new Int32Array(n),
    parent: new Int32Array(n),
    self: new Float64Array(n),
    total: new Float64Array(n),
    baseSelf: diff ? new Float64Array(n) : null,
    baseTotal: diff ? new Float64Array(n) : null,
  };
  const newIndex = new Int32Array(all);
  const stack: number[] = [0];
  let o = 0;
  while (stack.length) {
    const node = stack.pop()!;
    newIndex[node] = o;
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
    out.parent[o] = node === 0 ? -1 : newIndex[b.parent[node]];
    out.self[o] = b.vals[0][node];
    out.total[o] = b.vals[1][node];
    if (diff) {
      out.baseSelf![o] = b.vals[2][node];
      out.baseTotal![o] = b.vals[3][node];
    }
    o++;
    for (let j = count[node + 1] - 1; j >= count[node]; j--) stack.push(kids[j]);
  }
  return { names, ...out, pruned };
}
