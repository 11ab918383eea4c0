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
}

const KEY_SPACE = 4194304; // 2^22 distinct frame keys; node * KEY_SPACE stays below 2^53

class TreeBuilder {
  key: Int32Array = new Int32Array(1024);
  parent: Int32Array = new Int32Array(1024);
  vals: Float64Array[]; // per column: self, total interleaved as [self0,total0,self1,total1]
  n = 1;
  private readonly child = new Map<number, number>();
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
    const self = this.vals[column * 2];
    const total = this.vals[column * 2 + 1];
    let node = 0;
    total[0] += value;
    for (let d = 0; d < depth; d++) {
      const k = stack[d];
      const ck = node * KEY_SPACE + k;
      let c = this.child.get(ck);
      if (c === undefined) {
        if (this.n === this.key.length) this.grow();
        c = this.n++;
        this.key[c] = k;
        this.parent[c] = node;
        this.child.set(ck, c);
      }
      node = c;
      this.vals[column * 2 + 1][node] += value;
    }
    this.vals[column * 2][node] += value;
    void self;
  }
}

function addProfile(b: TreeBuilder, table: FrameTable, input: FlameInput, f: WalkFilters, maxDepth: number, column: number): void {
  const { profile: p, sampleIndex: si } = input;
  const nv = p.sampleTypes.length;
  const v = p.samples.values;
  walkStacks(p, table, f, (stack, depth, s) => {
    const value = v[s * nv + si];
    if (value === 0) return;
    if (table.names.length >= KEY_SPACE) throw new Error('too many distinct frames for the flame graph');
    b.add(stack, maxDepth > 0 && depth > maxDepth ? maxDepth : depth, value, column);
  });
}

/** Builds the flame tree; `base` makes it a diff (both columns kept). */
export function buildFlame(target: FlameInput, base: FlameInput | null, f: WalkFilters, maxDepth = 0): FlameTree {
  const table = new FrameTable();
  const b = new TreeBuilder(base ? 2 : 1);
  addProfile(b, table, target, f, maxDepth, 0);
  if (base) addProfile(b, table, base, f, maxDepth, 1);
  return toPreorder(b, table.names, base !== null);
}

function toPreorder(b: TreeBuilder, keyNames: string[], diff: boolean): FlameTree {
  const n = b.n;
  // Children lists in CSR form, then sorted by name.
  const count = new Int32Array(n + 1);
  for (let i = 1; i < n; i++) count[b.parent[i] + 1]++;
  for (let i = 0; i < n; i++) count[i + 1] += count[i];
  const kids = new Int32Array(Math.max(n - 1, 0));
  const fill = count.slice(0, n);
  for (let i = 1; i < n; i++) kids[fill[b.parent[i]]++] = i;
  const byName = (x: number, y: number) => {
    const a = keyNames[b.key[x]];
    const c = keyNames[b.key[y]];
    return a < c ? -1 : a > c ? 1 : 0;
  };
  for (let i = 0; i < n; i++) {
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
  const newIndex = new Int32Array(n);
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
  return { names, ...out };
}
