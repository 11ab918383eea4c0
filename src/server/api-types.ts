// The JSON API between `pprof-plus -http` and the browser UI. The only src/
// file web/ may import (type-only), so both sides agree on one shape.
//
// Everything per-frame travels as parallel arrays of numbers plus a name
// table: a 300k-sample profile is ~100k flame nodes, and one JSON object per
// node would cost the browser seconds to parse and keep.

/** View parameters, as URL query keys; the UI keeps the same keys in its own URL. */
export interface ViewParams {
  /** Sample type index. */
  si?: string;
  focus?: string;
  ignore?: string;
  hide?: string;
  show?: string;
  /** `key=regex` or a bare regex matched against every label value. */
  tagfocus?: string;
  tagignore?: string;
  /** pprof's -show_from: drop frames above the first (from the root) matching one. */
  show_from?: string;
  /** pprof's -prune_from: drop frames below the matching ones. */
  prune_from?: string;
  /** pprof's -tagshow/-taghide: which label keys stay on the samples. */
  tagshow?: string;
  taghide?: string;
  /** pprof's -normalize ('1' = on): scale the target so its total equals the base's. */
  normalize?: string;
  /** Call graph only: the most nodes to draw (pprof's -nodecount; default 80). */
  nodecount?: string;
  granularity?: 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';
  /** Aggregate frames deeper than this many levels from the root into their ancestor. */
  depth?: string;
  /**
   * Flame graph only: JSON array of frame names from the root to the node to
   * zoom into. The answer then holds that node's subtree in full detail and
   * its ancestors as a single chain.
   */
  zoom?: string;
  /** Snapshot indices for a diff picked in the timeline. */
  base?: string;
  target?: string;
}

export interface SampleTypeInfo {
  type: string;
  unit: string;
}

export interface MetaResponse {
  title: string;
  sources: string[];
  sampleTypes: SampleTypeInfo[];
  defaultSampleIndex: number;
  /** True when -base/-diff_base was given. */
  hasBase: boolean;
  /** 'base' subtracts (pprof -base); 'diff_base' also keeps percentages relative to the base total. */
  baseMode: 'none' | 'base' | 'diff_base';
  /** Heap snapshots in time order (two or more: the Leak Candidates panel shows). */
  snapshots: { source: string; timeMs: number | null }[];
  hasGoroutines: boolean;
  /** Defaults from the command line, applied when the URL says nothing. */
  defaults: ViewParams;
  /** Explanations of what the numbers mean for this data. */
  notes: string[];
  isHeap: boolean;
  /** `key=value` pairs of the labels in the profile (up to 200), offered in the tag filter boxes. */
  labels: string[];
  /** Set when the source is a `pprof-plus collect` store: the target and range shown (`st`, `from`, `to`). */
  store?: { key: string; target: string; fromMs: number | null; toMs: number | null };
}

/**
 * A flame graph in preorder: node 0 is the root; the children of a node
 * follow it, each child's subtree contiguous. `parent[0]` is -1.
 */
export interface FlameResponse {
  names: string[];
  /** Index into `names` per node. */
  name: number[];
  parent: number[];
  self: number[];
  total: number[];
  /** Present for a diff: the base profile's values of the same node. */
  baseSelf?: number[];
  baseTotal?: number[];
  unit: string;
  sampleType: string;
  /** Total the percentages use (see `note`). */
  percentOf: number;
  note: string;
  /** The zoom path the answer is rooted at ([] for the whole tree); node `zoomPath.length` is its end. */
  zoomPath: string[];
  /** Nodes left out because they are too small to draw (under 1/200000 of the drawn subtree). */
  pruned: number;
  /** Milliseconds spent building on the server. */
  buildMs: number;
  /** pprof's warnings for this view's filters ("Focus expression matched no samples"). */
  warnings?: string[];
}

export interface TopRow {
  name: string;
  flat: number;
  cum: number;
  /** Diff only: base values. */
  baseFlat?: number;
  baseCum?: number;
}

export interface TopResponse {
  rows: TopRow[];
  unit: string;
  percentOf: number;
  isDiff: boolean;
  warnings?: string[];
}

export interface DotResponse {
  dot: string;
  nodeCount: number;
  /** How many nodes were left out by the nodecount cut. */
  dropped: number;
  warnings?: string[];
}

export interface TextResponse {
  text: string;
  warnings?: string[];
}

export interface LeakCandidate {
  site: string;
  /** In-use value per snapshot. */
  series: number[];
  growth: number;
  score: number;
  /**
   * 'leak' | 'suspect' rank as candidates; the rest say why a site is not
   * one ('levelled-off', 'rises-and-falls', 'within-noise', 'no-growth', or
   * the fallback's 'noise' | 'steady').
   */
  verdict: string;
  explanation: string;
  /** Goroutine groups growing with this site (from goroutine profiles), as text. */
  goroutines?: string[];
}

export interface LeaksResponse {
  unit: string;
  sampleType: string;
  candidates: LeakCandidate[];
  /** Timeline: per snapshot. */
  times: (number | null)[];
  totalInuse: number[];
  /** Goroutine count per snapshot, or null where none was loaded. */
  goroutines: (number | null)[];
  /** Which ranking produced the list: the leak layer's, or the server's fallback. */
  rankedBy: string;
  /** Notes from the ranking (restarts, identical snapshots, projections). */
  notes: string[];
}

export interface GoroutineGroupInfo {
  state: string;
  count: number;
  /** Minutes waited: min and max over the group. */
  waitMin: number;
  waitMax: number;
  /** Leaf first. */
  frames: string[];
  createdBy: string;
  ids: number[];
  labels: string[];
  verdict: string;
  /** With several dumps or goroutine profiles: the group's size in each, oldest first. */
  history?: number[];
  /** For flagged groups: how to fix the pattern, and the evidence for the verdict. */
  hint?: string;
  evidence?: string[];
}

export interface GoroutinesResponse {
  total: number;
  matched: number;
  groups: GoroutineGroupInfo[];
  states: Record<string, number>;
  /** The dump or profile the groups come from (the latest when several were loaded). */
  sources: string[];
  /** How many dumps or goroutine profiles were loaded. */
  snapshots: number;
}

export interface ErrorResponse {
  error: string;
}

/** One (target, type) series of a `pprof-plus collect` store, with a headline value per snapshot. */
export interface StoreSeries {
  target: string;
  /** The target's directory name in the store (what `st=` takes). */
  key: string;
  /** `heap`, `goroutine` or `goroutine-dump`. */
  type: string;
  /** What `values` measure: in-use bytes for heap, goroutines for goroutine profiles and dumps. */
  unit: 'bytes' | 'goroutines';
  /** Snapshot times, ms since the epoch, oldest first. */
  times: number[];
  values: number[];
}

/** `/api/store`: the store behind `-http STORE_DIR`, or `isStore: false`. */
export interface StoreResponse {
  isStore: boolean;
  dir: string;
  /** Target keys, in the store's order (the first is the default). */
  targets: { key: string; target: string }[];
  series: StoreSeries[];
}
