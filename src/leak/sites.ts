// Charges every heap sample to a site and keeps, per site and per snapshot,
// the few numbers the ranking needs. Profiles are dropped as soon as they
// are added: memory grows with distinct sites, not with snapshot count.
//
// A site is the list of its N innermost user frames (function name and
// line: names and lines survive restarts and rebuilds, addresses do not), or
// the leaf frame when a stack has no user frame at all, or one pprof label
// value with `by: {label}`. Sites are found through a trie of interned frame
// ids, so the per-sample work allocates nothing.

import type { Profile } from '../profile/model.ts';
import { isUserFrame, type FrameFilter } from './frames.ts';

/** Per-site columns of one snapshot, indexed by site id. */
export interface SiteColumns {
  inuseBytes: Float64Array;
  inuseObjects: Float64Array;
  allocBytes: Float64Array;
  allocObjects: Float64Array;
  /** Sampling variance of inuseBytes (bytes²): Poisson thinning at the profile's MemProfileRate. */
  inuseVar: Float64Array;
  /** Sampling variance of allocBytes. */
  allocVar: Float64Array;
}

/** What one snapshot contributed, with totals for the whole heap. */
export interface SnapshotColumns extends SiteColumns {
  totalInuse: number;
  totalAlloc: number;
  hasAlloc: boolean;
  period: number;
}

export interface SiteGrouping {
  /** User frames per site; 0 keeps every user frame. */
  depth: number;
  frames: FrameFilter;
  /** Group by the value of this pprof label instead of by stack. */
  byLabel?: string;
}

interface TrieNode {
  site: number;
  kids: Map<number, TrieNode> | null;
}

export interface SiteInfo {
  /** Frames of the site key, innermost first: `name` and `line` (0 for label groups). */
  frames: Array<{ name: string; line: number; file: string }>;
  /** Function names of the heaviest stack charged to the site, leaf first. */
  stack: string[];
  /** Largest in-use bytes of that stack (to pick the representative). */
  stackWeight: number;
}

const NO_USER = -1;
/** Lines below this are interned by number (per name id, a line → frame map) instead of by string. */
const SMALL_LINE = 1 << 30;

/**
 * Sampling variance per byte of an in-use or allocated estimate made of
 * objects of `size` bytes sampled at `rate`: each allocation is recorded
 * with p = 1 − e^(−size/rate) and the profile reports count/p, whose
 * variance is count·(1−p)/p objects², i.e. size·(1−p)/p bytes² per byte.
 * Objects much larger than the rate are always sampled (no variance); at
 * rate 1 every allocation is recorded.
 */
export function varPerByte(size: number, rate: number): number {
  if (!(size > 0) || rate <= 1) return 0;
  return size * (Math.exp(-size / rate) / -Math.expm1(-size / rate));
}

export class SiteAccumulator {
  private readonly frameIds = new Map<string, number>();
  // Function names and (name, line) frames recur in every snapshot of a
  // series: interning them by number once, across profiles, keeps the
  // per-location work to a numeric map lookup.
  private readonly nameIds = new Map<string, number>();
  private nameUser = new Int8Array(256);
  // Per name id, line → frame id (small-integer keys: no boxing in the map).
  private readonly frameByNameLine: Array<Map<number, number>> = [];
  private readonly frameInfo: Array<{ name: string; line: number; file: string }> = [];
  private readonly root: TrieNode = { site: -1, kids: null };
  private readonly leafRoot: TrieNode = { site: -1, kids: null };
  readonly sites: SiteInfo[] = [];

  constructor(private readonly grouping: SiteGrouping) {}

  get siteCount(): number {
    return this.sites.length;
  }

  private frameId(name: string, line: number, file: string): number {
    const key = `${name}\u0000${line}`;
    let id = this.frameIds.get(key);
    if (id === undefined) {
      id = this.frameInfo.length;
      this.frameIds.set(key, id);
      this.frameInfo.push({ name, line, file });
    }
    return id;
  }

  /** Id of a function name, and whether it is a user frame (1) or not (0). */
  private nameId(name: string): number {
    let id = this.nameIds.get(name);
    if (id === undefined) {
      id = this.nameIds.size;
      this.nameIds.set(name, id);
      this.frameByNameLine.push(new Map());
      if (id >= this.nameUser.length) {
        const grown = new Int8Array(this.nameUser.length * 2);
        grown.set(this.nameUser);
        this.nameUser = grown;
      }
      this.nameUser[id] = isUserFrame(name, this.grouping.frames) ? 1 : 0;
    }
    return id;
  }

  private frameIdByName(nameId: number, name: string, line: number, file: string): number {
    if (!(line >= 0 && line < SMALL_LINE && Number.isInteger(line))) return this.frameId(name, line, file);
    const lines = this.frameByNameLine[nameId];
    let id = lines.get(line);
    if (id === undefined) {
      id = this.frameId(name, line, file);
      lines.set(line, id);
    }
    return id;
  }

  private siteOf(path: Int32Array, len: number, leaf: boolean): number {
    let node = leaf ? this.leafRoot : this.root;
    for (let i = 0; i < len; i++) {
      const f = path[i];
      if (!node.kids) node.kids = new Map();
      let next = node.kids.get(f);
      if (!next) node.kids.set(f, (next = { site: -1, kids: null }));
      node = next;
    }
    if (node.site < 0) {
      node.site = this.sites.length;
      const frames = Array.from(path.subarray(0, len), (f) => this.frameInfo[f]);
      this.sites.push({ frames, stack: [], stackWeight: -1 });
    }
    return node.site;
  }

  /** Charges one heap profile; returns its per-site columns. */
  add(p: Profile): SnapshotColumns {
    const nv = p.sampleTypes.length;
    const idx = (t: string): number => p.sampleTypes.findIndex((x) => x.type === t);
    const iB = idx('inuse_space');
    const iO = idx('inuse_objects');
    const aB = idx('alloc_space');
    const aO = idx('alloc_objects');
    const rate = p.period > 0 ? p.period : 1;
    const L = p.locations;
    const S = p.samples;

    // Per location: its user frames (innermost first) as frame ids, in CSR form; and its leaf frame.
    const userStart = new Uint32Array(L.length + 1);
    let userFrames = new Int32Array(0);
    const leafFrame = new Int32Array(L.length).fill(NO_USER);
    if (!this.grouping.byLabel) {
      const fnName = new Int32Array(p.functions.length);
      for (let fn = 0; fn < fnName.length; fn++) fnName[fn] = this.nameId(p.functions.name[fn]);
      const nameUser = this.nameUser;
      userFrames = new Int32Array(L.lineStart[L.length]);
      let nUser = 0;
      for (let loc = 0; loc < L.length; loc++) {
        userStart[loc] = nUser;
        const first = L.lineStart[loc];
        for (let l = first; l < L.lineStart[loc + 1]; l++) {
          const fn = L.lineFunction[l];
          const user = nameUser[fnName[fn]] === 1;
          if (user || l === first) {
            const id = this.frameIdByName(fnName[fn], p.functions.name[fn], L.lineNumber[l], p.functions.filename[fn]);
            if (l === first) leafFrame[loc] = id;
            if (user) userFrames[nUser++] = id;
          }
        }
      }
      userStart[L.length] = nUser;
    }
    // Per label set: the frame id standing for its value of the grouping label.
    let labelFrame: Int32Array | null = null;
    if (this.grouping.byLabel) {
      const key = this.grouping.byLabel;
      labelFrame = new Int32Array(p.labelSets.length);
      p.labelSets.forEach((ls, i) => {
        const s = ls.str.find(([k]) => k === key);
        const n = s ? undefined : ls.num.find((x) => x.key === key);
        const v = s ? s[1] : n ? `${n.value}${n.unit && n.unit !== 'count' ? ` ${n.unit}` : ''}` : '(none)';
        labelFrame![i] = this.frameId(`${key}=${v}`, 0, '');
      });
    }

    const depth = this.grouping.depth > 0 ? this.grouping.depth : Infinity;
    const path = new Int32Array(64);
    let cols = emptyColumns(this.sites.length + 64);
    let totalInuse = 0;
    let totalAlloc = 0;
    for (let s = 0; s < S.length; s++) {
      const b = iB >= 0 ? S.values[s * nv + iB] : 0;
      const o = iO >= 0 ? S.values[s * nv + iO] : 0;
      const ab = aB >= 0 ? S.values[s * nv + aB] : 0;
      const ao = aO >= 0 ? S.values[s * nv + aO] : 0;
      if (b === 0 && o === 0 && ab === 0 && ao === 0) continue;
      let site: number;
      if (labelFrame) {
        path[0] = labelFrame[S.labelSet[s]];
        site = this.siteOf(path, 1, false);
      } else {
        let len = 0;
        for (let k = S.stackStart[s]; k < S.stackStart[s + 1] && len < depth && len < path.length; k++) {
          const loc = S.stack[k];
          for (let u = userStart[loc]; u < userStart[loc + 1] && len < depth && len < path.length; u++) path[len++] = userFrames[u];
        }
        if (len > 0) site = this.siteOf(path, len, false);
        else {
          const first = S.stackStart[s] < S.stackStart[s + 1] ? leafFrame[S.stack[S.stackStart[s]]] : NO_USER;
          path[0] = first >= 0 ? first : this.frameId('(unknown)', 0, '');
          site = this.siteOf(path, 1, true);
        }
      }
      if (site >= cols.inuseBytes.length) cols = growColumns(cols, Math.max(site + 1, cols.inuseBytes.length * 2));
      cols.inuseBytes[site] += b;
      cols.inuseObjects[site] += o;
      cols.allocBytes[site] += ab;
      cols.allocObjects[site] += ao;
      if (b > 0 && o > 0) cols.inuseVar[site] += b * varPerByte(b / o, rate);
      if (ab > 0 && ao > 0) cols.allocVar[site] += ab * varPerByte(ab / ao, rate);
      totalInuse += b;
      totalAlloc += ab;
      const info = this.sites[site];
      if (b > info.stackWeight) {
        info.stackWeight = b;
        info.stack = stackNames(p, s);
      }
    }
    cols = trimColumns(cols, this.sites.length);
    return { ...cols, totalInuse, totalAlloc, hasAlloc: aB >= 0, period: rate };
  }
}

function stackNames(p: Profile, s: number): string[] {
  const out: string[] = [];
  const L = p.locations;
  for (let k = p.samples.stackStart[s]; k < p.samples.stackStart[s + 1]; k++) {
    const loc = p.samples.stack[k];
    for (let l = L.lineStart[loc]; l < L.lineStart[loc + 1]; l++) out.push(p.functions.name[L.lineFunction[l]]);
    if (L.lineStart[loc] === L.lineStart[loc + 1]) out.push(`0x${L.address[loc].toString(16)}`);
  }
  return out;
}

const KEYS = ['inuseBytes', 'inuseObjects', 'allocBytes', 'allocObjects', 'inuseVar', 'allocVar'] as const;

function emptyColumns(n: number): SiteColumns {
  return {
    inuseBytes: new Float64Array(n), inuseObjects: new Float64Array(n), allocBytes: new Float64Array(n),
    allocObjects: new Float64Array(n), inuseVar: new Float64Array(n), allocVar: new Float64Array(n),
  };
}

function growColumns(c: SiteColumns, n: number): SiteColumns {
  const out = emptyColumns(n);
  for (const k of KEYS) out[k].set(c[k]);
  return out;
}

function trimColumns(c: SiteColumns, n: number): SiteColumns {
  const out = emptyColumns(n);
  for (const k of KEYS) out[k].set(c[k].subarray(0, n));
  return out;
}
