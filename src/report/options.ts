// What a text report needs to know, independent of how the command line
// spelled it. The driver (src/cli) fills this from pprof's flags; the web
// server fills it from URL parameters.

export type ReportFormat =
  | 'text' // -top / -text
  | 'traces'
  | 'tags'
  | 'tree'
  | 'peek'
  | 'raw'
  | 'list'
  | 'dot'
  | 'comments';

export type Granularity = 'functions' | 'filefunctions' | 'files' | 'lines' | 'addresses';

export interface ReportOptions {
  format: ReportFormat;
  /** Index into profile.sampleTypes of the value to report. */
  sampleIndex: number;
  /** -mean: divide each value by the sample's first value (its count). */
  mean: boolean;
  /** Max nodes; 0 = no limit; -1 = pprof's per-format default (0 for text, 80 otherwise). */
  nodeCount: number;
  nodeFraction: number;
  edgeFraction: number;
  /** -trim=false disables nodecount/nodefraction/edgefraction. */
  trim: boolean;
  sort: 'flat' | 'cum';
  granularity: Granularity;
  noInlines: boolean;
  showColumns: boolean;
  /** 'minimum' | 'auto' | a unit name such as 'mb' or 'ms'. */
  unit: string;
  divideBy: number;
  dropNegative: boolean;
  callTree: boolean;
  compactLabels: boolean;
  /** Regex for -peek / -list (the "symbol" option). */
  symbol: RegExp | null;
  /** -tagshow/-taghide are applied before the report; kept here for -tags' key selection. */
  sourcePath: string;
  trimPath: string;
  /**
   * The total percentages are relative to. pprof computes it before focus
   * filtering unless -relative_percentages; the driver passes it in. When
   * undefined the report computes it from the profile it is given.
   */
  total?: number;
  /** Name of the DOT graph (pprof's Title); defaults to the basename of the first mapping's file. */
  title?: string;
  /** Header lines replacing File:/Type:/Time:/... (pprof's ProfileLabels option); computed when absent. */
  profileLabels?: string[];
  /** Lines the driver adds to the header legend (e.g. "Active filters: ..."). */
  activeFilters?: string[];
}

export const defaultReportOptions: ReportOptions = {
  format: 'text',
  sampleIndex: 0,
  mean: false,
  nodeCount: 0,
  nodeFraction: 0.005,
  edgeFraction: 0.001,
  trim: true,
  sort: 'flat',
  granularity: 'functions',
  noInlines: false,
  showColumns: false,
  unit: 'minimum',
  divideBy: 1,
  dropNegative: false,
  callTree: false,
  compactLabels: false,
  symbol: null,
  sourcePath: '',
  trimPath: '',
};
