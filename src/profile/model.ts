// The profile model every layer shares: plain data, columnar.
//
// One profile.proto maps onto this shape, and so do Go's legacy text
// profiles and goroutine dumps once parsed. Hot paths (decode, filters,
// graph building, series ranking) touch samples only through typed arrays
// and integer indices: a 300k-sample profile must not become 300k objects.
//
// Conventions:
// - Entities are referred to by *index* into their table (0-based, dense).
//   The proto's own ids are kept in `id` columns so `-raw` and `-proto` can
//   print/write them back; nothing else should use them.
// - int64 values are stored as float64 numbers: exact to 2^53, which covers
//   every byte and nanosecond count a profile carries. Addresses and
//   timestamps can exceed 2^53, so they stay bigint.
// - Values of one sample are stored row-major in `samples.values`
//   (`values[i * sampleTypes.length + t]`).
// - Functions and strings are few (tens of thousands at most), so their names
//   are plain JS strings; per-sample data never holds a string.
// - Nothing here is mutated after construction. Transformations return a new
//   Profile (sharing unchanged tables by reference).

export interface ValueType {
  readonly type: string;
  readonly unit: string;
}

export interface Mapping {
  readonly id: number;
  readonly start: bigint;
  readonly limit: bigint;
  readonly offset: bigint;
  readonly file: string;
  readonly buildId: string;
  readonly hasFunctions: boolean;
  readonly hasFilenames: boolean;
  readonly hasLineNumbers: boolean;
  readonly hasInlineFrames: boolean;
}

export interface FunctionTable {
  readonly length: number;
  readonly id: Float64Array;
  readonly name: readonly string[];
  readonly systemName: readonly string[];
  readonly filename: readonly string[];
  readonly startLine: Float64Array;
}

/**
 * Locations and their lines in CSR form: the lines of location `i` are
 * `lineStart[i] .. lineStart[i+1]-1`, innermost (inlined callee) first, as in
 * profile.proto. A location with no lines is address-only and waits for the
 * symbolizer.
 */
export interface LocationTable {
  readonly length: number;
  readonly id: Float64Array;
  /** Mapping index, or -1 when the location names no mapping. */
  readonly mapping: Int32Array;
  readonly address: BigUint64Array;
  readonly isFolded: Uint8Array;
  readonly lineStart: Uint32Array;
  /** Function index of each line. */
  readonly lineFunction: Uint32Array;
  readonly lineNumber: Float64Array;
  readonly lineColumn: Float64Array;
}

/**
 * Samples in CSR form: the stack of sample `i` is
 * `stack[stackStart[i] .. stackStart[i+1]-1]`, location indices, leaf first.
 */
export interface SampleTable {
  readonly length: number;
  readonly stackStart: Uint32Array;
  readonly stack: Uint32Array;
  /** Row-major: `values[i * sampleTypes.length + t]`. */
  readonly values: Float64Array;
  /** Index into `Profile.labelSets`; 0 is the empty set. */
  readonly labelSet: Uint32Array;
}

export interface NumLabel {
  readonly key: string;
  readonly value: number;
  /** Unit as written in the profile; '' when absent. */
  readonly unit: string;
}

/**
 * The labels of a sample. Distinct label sets are few even when samples are
 * many (one per allocation size, one per pprof.Do context), so samples point
 * at a shared set. Pairs keep file order; a key may repeat.
 */
export interface LabelSet {
  readonly str: ReadonlyArray<readonly [key: string, value: string]>;
  readonly num: readonly NumLabel[];
}

export interface Profile {
  readonly sampleTypes: readonly ValueType[];
  /** Type name of the default sample type; '' when the profile names none. */
  readonly defaultSampleType: string;
  readonly samples: SampleTable;
  /** labelSets[0] is always the empty set. */
  readonly labelSets: readonly LabelSet[];
  readonly locations: LocationTable;
  readonly functions: FunctionTable;
  readonly mappings: readonly Mapping[];
  readonly dropFrames: string;
  readonly keepFrames: string;
  readonly timeNanos: bigint;
  readonly durationNanos: bigint;
  readonly periodType: ValueType | null;
  readonly period: number;
  readonly comments: readonly string[];
  readonly docUrl: string;
}

/** The empty label set, shared. */
export const EMPTY_LABEL_SET: LabelSet = Object.freeze({ str: [], num: [] });

/** Number of sample values per sample. */
export function valueCount(p: Profile): number {
  return p.sampleTypes.length;
}

/** Total of one sample type over all samples. */
export function totalOf(p: Profile, typeIndex: number): number {
  const n = p.sampleTypes.length;
  const v = p.samples.values;
  let sum = 0;
  for (let i = 0; i < p.samples.length; i++) sum += v[i * n + typeIndex];
  return sum;
}

/**
 * Resolves a `-sample_index` style selector (a number, a type name, or '' for
 * the default) to an index. Returns -1 when nothing matches. Mirrors pprof:
 * with no selector, the default sample type, else the last type.
 */
export function sampleTypeIndex(p: Profile, selector: string): number {
  const n = p.sampleTypes.length;
  if (n === 0) return -1;
  if (selector === '') {
    if (p.defaultSampleType !== '') {
      const i = p.sampleTypes.findIndex((t) => t.type === p.defaultSampleType);
      if (i >= 0) return i;
    }
    return n - 1;
  }
  if (/^\d+$/.test(selector)) {
    const i = Number(selector);
    return i < n ? i : -1;
  }
  // pprof accepts "sample_<name>" as a legacy spelling.
  const name = selector.startsWith('sample_') && !p.sampleTypes.some((t) => t.type === selector)
    ? selector.slice('sample_'.length)
    : selector;
  return p.sampleTypes.findIndex((t) => t.type === name);
}

// ---------------------------------------------------------------------------
// Snapshot series and goroutine dumps: the other shapes of input the leak
// finder, goroutine analysis, the UI and the collector pass around.

/** One profile in a time series, with where it came from. */
export interface Snapshot {
  /** File path, URL or store reference, for messages and reports. */
  readonly source: string;
  readonly profile: Profile;
  /** Milliseconds since the epoch from time_nanos, or null when unknown. */
  readonly timeMs: number | null;
}

/** Snapshots in time order (time_nanos, falling back to the given order). */
export interface SnapshotSeries {
  readonly snapshots: readonly Snapshot[];
}

/** One frame of a goroutine in a debug=2 dump. */
export interface GoroutineFrame {
  /** Fully qualified function name, e.g. `net/http.(*conn).serve`. */
  readonly func: string;
  /** Raw argument text between the parentheses; '...' for inlined frames. */
  readonly args: string;
  readonly file: string;
  readonly line: number;
  /** PC offset from the function entry (`+0x1a`), or -1 when absent (inlined frames). */
  readonly pcOffset: number;
}

/** One goroutine of a debug=2 dump (or a panic/SIGQUIT traceback). */
export interface Goroutine {
  readonly id: number;
  /** Status or wait reason: `chan receive`, `select`, `running`, `IO wait`, ... */
  readonly state: string;
  /** Minutes blocked as printed by the runtime; 0 when not printed. */
  readonly waitMinutes: number;
  readonly lockedToThread: boolean;
  /** Leaf first. */
  readonly frames: readonly GoroutineFrame[];
  /** Frames the runtime elided from the middle (or -1 for `...additional frames elided...`). */
  readonly elidedFrames: number;
  /** The `created by` frame, or null for goroutine 1 and runtime-started ones. */
  readonly createdBy: GoroutineFrame | null;
  /** `in goroutine N` of the created-by line (Go 1.21+), or -1. */
  readonly creatorId: number;
  /** Labels from the header (`{k: "v"}`, Go 1.27+ tracebacklabels), else empty. */
  readonly labels: Readonly<Record<string, string>>;
}

/** A parsed debug=2 goroutine dump. */
export interface GoroutineDump {
  readonly source: string;
  readonly goroutines: readonly Goroutine[];
  /** Milliseconds since the epoch when known (file mtime or collector stamp), else null. */
  readonly timeMs: number | null;
  /** Text before the first goroutine: a panic or fatal error message (tracebacks only). */
  readonly preamble?: string;
}
