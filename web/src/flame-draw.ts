// Canvas flame graph renderer. The tree arrives in preorder, so a node's
// subtree is the index range [i, end[i]): one linear pass lays it out, and
// drawing skips a whole subtree as soon as its box is under a pixel wide.
// That keeps a frame of a 1M-node tree to a few milliseconds.

import type { FlameResponse } from '../../src/server/api-types.ts';
import { packageOf } from './format.ts';

export const ROW = 18;

export interface FlameModel {
  n: number;
  names: string[];
  name: Int32Array;
  parent: Int32Array;
  self: Float64Array;
  total: Float64Array;
  baseSelf: Float64Array | null;
  baseTotal: Float64Array | null;
  /** Box width weight: total, or total + base total in a diff. */
  weight: Float64Array;
  x: Float64Array;
  depth: Int32Array;
  end: Int32Array;
  maxDepth: number;
  /** 1 where the server left out some of the node's children (too small at this zoom). */
  hasHidden: Uint8Array;
}

export function makeModel(r: FlameResponse): FlameModel {
  const n = r.name.length;
  const parent = Int32Array.from(r.parent);
  const total = Float64Array.from(r.total);
  const baseTotal = r.baseTotal ? Float64Array.from(r.baseTotal) : null;
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) weight[i] = Math.abs(total[i]) + (baseTotal ? Math.abs(baseTotal[i]) : 0);
  const depth = new Int32Array(n);
  const x = new Float64Array(n);
  const cursor = new Float64Array(n);
  let maxDepth = 0;
  for (let i = 1; i < n; i++) {
    const p = parent[i];
    depth[i] = depth[p] + 1;
    if (depth[i] > maxDepth) maxDepth = depth[i];
    x[i] = cursor[p] + x[p];
    cursor[p] += weight[i];
  }
  const size = new Int32Array(n).fill(1);
  for (let i = n - 1; i > 0; i--) size[parent[i]] += size[i];
  const end = new Int32Array(n);
  for (let i = 0; i < n; i++) end[i] = i + size[i];
  const childSum = new Float64Array(n);
  for (let i = 1; i < n; i++) childSum[parent[i]] += weight[i];
  const hasHidden = new Uint8Array(n);
  const eps = 1e-9 * (weight[0] || 1);
  for (let i = 0; i < n; i++) {
    const selfW = Math.abs(r.self[i]) + (r.baseSelf ? Math.abs(r.baseSelf[i]) : 0);
    if (weight[i] - selfW - childSum[i] > eps) hasHidden[i] = 1;
  }
  return {
    n,
    names: r.names,
    name: Int32Array.from(r.name),
    parent,
    self: Float64Array.from(r.self),
    total,
    baseSelf: r.baseSelf ? Float64Array.from(r.baseSelf) : null,
    baseTotal,
    weight,
    x,
    depth,
    end,
    maxDepth,
    hasHidden,
  };
}

/** Per name: 1 when it matches. Per node: whether it matches, and the total of matched nodes (not double counting nested ones). */
export function searchModel(m: FlameModel, re: RegExp | null): { nodeMatch: Uint8Array; matchedTotal: number; matchedNames: number } | null {
  if (!re) return null;
  const nameMatch = new Uint8Array(m.names.length);
  let matchedNames = 0;
  for (let k = 1; k < m.names.length; k++) if (re.test(m.names[k])) {
    nameMatch[k] = 1;
    matchedNames++;
  }
  const nodeMatch = new Uint8Array(m.n);
  const under = new Uint8Array(m.n);
  let matchedTotal = 0;
  for (let i = 1; i < m.n; i++) {
    const p = m.parent[i];
    const hit = nameMatch[m.name[i]];
    nodeMatch[i] = hit;
    under[i] = under[p] | nodeMatch[p];
    if (hit && !under[i]) matchedTotal += m.total[i];
  }
  return { nodeMatch, matchedTotal, matchedNames };
}

function hashHue(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return (h >>> 0) % 1000 / 1000;
}

export class FlameRenderer {
  private colorCache: string[] = [];
  /** Boxes drawn in the last frame, for hit testing. */
  private hitIdx = new Int32Array(0);
  private hitX = new Float32Array(0);
  private hitW = new Float32Array(0);
  private hitRow = new Int32Array(0);
  hits = 0;
  draws = 0;
  lastDrawMs = 0;

  /** Largest change of any non-root node: diff colours scale to it. */
  private readonly maxDelta: number;

  constructor(
    private readonly model: FlameModel,
    /** Text appended to a box's label (a diff's change). */
    private readonly suffix: ((i: number) => string) | null = null,
  ) {
    let md = 0;
    if (model.baseTotal) for (let i = 1; i < model.n; i++) md = Math.max(md, Math.abs(model.total[i] - model.baseTotal[i]));
    this.maxDelta = md || 1;
  }

  private colorOf(i: number): string {
    const m = this.model;
    if (m.baseTotal) {
      const a = m.total[i];
      const b = m.baseTotal[i];
      const d = a - b;
      // Square root so a site with a tenth of the largest change still shows clearly.
      const t = Math.min(1, Math.sqrt(Math.abs(d) / this.maxDelta));
      if (Math.abs(d) < 1e-12) return '#dcdcdc';
      const l = Math.round(92 - 42 * t);
      return d > 0 ? `hsl(0,80%,${l}%)` : `hsl(120,55%,${l}%)`;
    }
    const k = m.name[i];
    let c = this.colorCache[k];
    if (!c) {
      const pkg = packageOf(m.names[k]);
      const h = hashHue(pkg);
      // Warm palette like flame graphs; runtime frames greyer.
      c = pkg === 'runtime' || pkg.startsWith('runtime/') ? `hsl(30,15%,${72 + h * 10}%)` : `hsl(${Math.round(10 + h * 45)},${Math.round(70 + h * 20)}%,${Math.round(62 + h * 12)}%)`;
      this.colorCache[k] = c;
    }
    return c;
  }

  heightFor(): number {
    return (this.model.maxDepth + 1) * ROW;
  }

  /** Draws the subtree of `zoom` across the full width, its ancestors above it. Returns the number of boxes drawn. */
  draw(canvas: HTMLCanvasElement, cssWidth: number, zoom: number, icicle: boolean, match: Uint8Array | null): number {
    const t0 = performance.now();
    const m = this.model;
    const dpr = window.devicePixelRatio || 1;
    const H = this.heightFor();
    if (canvas.width !== Math.round(cssWidth * dpr) || canvas.height !== Math.round(H * dpr)) {
      canvas.width = Math.round(cssWidth * dpr);
      canvas.height = Math.round(H * dpr);
      canvas.style.width = `${cssWidth}px`;
      canvas.style.height = `${H}px`;
    }
    const ctx = canvas.getContext('2d')!;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, cssWidth, H);
    ctx.font = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';
    ctx.textBaseline = 'middle';
    const charW = ctx.measureText('m').width || 7;
    const cap = Math.max(1024, this.hitIdx.length);
    if (this.hitIdx.length < cap) {
      this.hitIdx = new Int32Array(cap);
      this.hitX = new Float32Array(cap);
      this.hitW = new Float32Array(cap);
      this.hitRow = new Int32Array(cap);
    }
    let hits = 0;
    const push = (i: number, x: number, w: number, row: number) => {
      if (hits === this.hitIdx.length) {
        const g = <T extends Int32Array | Float32Array>(a: T, C: new (n: number) => T) => {
          const b = new C(a.length * 2);
          b.set(a);
          return b;
        };
        this.hitIdx = g(this.hitIdx, Int32Array);
        this.hitX = g(this.hitX, Float32Array);
        this.hitW = g(this.hitW, Float32Array);
        this.hitRow = g(this.hitRow, Int32Array);
      }
      this.hitIdx[hits] = i;
      this.hitX[hits] = x;
      this.hitW[hits] = w;
      this.hitRow[hits] = row;
      hits++;
    };
    const yOf = (row: number) => (icicle ? row * ROW : H - (row + 1) * ROW);
    const box = (i: number, x: number, w: number, row: number) => {
      const y = yOf(row);
      const dim = match !== null && !match[i];
      ctx.globalAlpha = dim ? 0.35 : 1;
      ctx.fillStyle = match !== null && match[i] ? '#b388ff' : this.colorOf(i);
      ctx.fillRect(x, y, Math.max(w - 0.5, 0.5), ROW - 1);
      if (w > 3 * charW) {
        const label = (i === 0 ? 'root' : m.names[m.name[i]]) + (this.suffix ? this.suffix(i) : '');
        const fit = Math.floor((w - 6) / charW);
        ctx.fillStyle = '#111';
        ctx.fillText(label.length > fit ? label.slice(0, Math.max(fit - 1, 0)) + '…' : label, x + 3, y + ROW / 2);
      }
      push(i, x, w, row);
    };
    // Ancestors of the zoomed node, full width.
    const chain: number[] = [];
    for (let a = m.parent[zoom]; a >= 0; a = m.parent[a]) chain.push(a);
    for (const a of chain) box(a, 0, cssWidth, m.depth[a]);
    const zw = m.weight[zoom] || 1;
    const scale = cssWidth / zw;
    const x0 = m.x[zoom];
    const endZ = m.end[zoom];
    for (let i = zoom; i < endZ; ) {
      const w = m.weight[i] * scale;
      if (w < 0.4) {
        i = m.end[i];
        continue;
      }
      box(i, (m.x[i] - x0) * scale, w, m.depth[i]);
      i++;
    }
    ctx.globalAlpha = 1;
    this.hits = hits;
    this.draws++;
    this.lastDrawMs = performance.now() - t0;
    return hits;
  }

  /** Drawn boxes (not the root), widest first, for tests and the benchmark. */
  listBoxes(icicle: boolean, limit: number): { name: string; x: number; y: number; w: number; depth: number; hidden: boolean }[] {
    const H = this.heightFor();
    const out = [];
    for (let h = 0; h < this.hits; h++) {
      const i = this.hitIdx[h];
      if (i === 0) continue;
      const row = this.hitRow[h];
      out.push({ name: this.model.names[this.model.name[i]], x: this.hitX[h], y: icicle ? row * ROW : H - (row + 1) * ROW, w: this.hitW[h], depth: row, hidden: this.model.hasHidden[i] === 1 });
    }
    return out.sort((a, b) => b.w - a.w).slice(0, limit);
  }

  /** The widest drawn box of a frame name, in CSS pixels (tests and tools use it). */
  findBox(label: string, icicle: boolean): { x: number; y: number; w: number } | null {
    const H = this.heightFor();
    let best = -1;
    for (let h = 0; h < this.hits; h++) {
      const i = this.hitIdx[h];
      if (i !== 0 && this.model.names[this.model.name[i]] === label && (best < 0 || this.hitW[h] > this.hitW[best])) best = h;
    }
    if (best < 0) return null;
    const row = this.hitRow[best];
    return { x: this.hitX[best], y: icicle ? row * ROW : H - (row + 1) * ROW, w: this.hitW[best] };
  }

  /** The node under a point (CSS pixels within the canvas), or -1. */
  hitTest(px: number, py: number, icicle: boolean): number {
    const H = this.heightFor();
    const row = icicle ? Math.floor(py / ROW) : Math.floor((H - py) / ROW);
    for (let h = 0; h < this.hits; h++) {
      if (this.hitRow[h] === row && px >= this.hitX[h] && px < this.hitX[h] + this.hitW[h]) return this.hitIdx[h];
    }
    return -1;
  }
}
