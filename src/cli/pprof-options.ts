// The `go tool pprof` command line (non-interactive): flag table, the
// checks pprof makes (one output format, one granularity, normalize needs a
// base), and the resulting configuration. Exported so the web UI command
// can read the same spelling.

import { UsageError } from '../profile/errors.ts';
import { DEFAULT_MAX_BYTES } from '../profile/load.ts';
import type { Granularity, ReportFormat } from '../report/options.ts';
import { parseSymbolizeMode } from '../symbolize/symbolizer.ts';
import { formatUsage, parseFlags, type FlagSpec } from './flags.ts';
import type { FocusOptions } from '../profile/focus.ts';

/** Output flags we implement, and the report format each produces. */
export const OUTPUT_FORMATS: Record<string, ReportFormat | 'proto'> = {
  top: 'text',
  text: 'text',
  traces: 'traces',
  tags: 'tags',
  tree: 'tree',
  raw: 'raw',
  dot: 'dot',
  proto: 'proto',
  comments: 'comments',
};
/** Output flags taking a regexp. */
export const PARAM_FORMATS: Record<string, ReportFormat> = { peek: 'peek', list: 'list' };
/** pprof output flags we do not implement (graphics, disassembly, callgrind). */
const UNSUPPORTED_BOOL = ['svg', 'png', 'gif', 'pdf', 'ps', 'eog', 'evince', 'gv', 'web', 'callgrind', 'kcachegrind', 'topproto'];
const UNSUPPORTED_PARAM = ['disasm', 'weblist'];

export const SAMPLE_ALIASES: Array<[flag: string, sampleType: string]> = [
  ['total_delay', 'delay'],
  ['mean_delay', 'delay'],
  ['contentions', 'contentions'],
  ['inuse_space', 'inuse_space'],
  ['inuse_objects', 'inuse_objects'],
  ['alloc_space', 'alloc_space'],
  ['alloc_objects', 'alloc_objects'],
];
export const GRANULARITIES: Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

export const PPROF_FLAGS: FlagSpec[] = [
  { name: 'top', type: 'bool', help: 'Outputs top entries in text form' },
  { name: 'text', type: 'bool', help: 'Outputs top entries in text form' },
  { name: 'traces', type: 'bool', help: 'Outputs all profile samples in text form' },
  { name: 'tags', type: 'bool', help: 'Outputs all tags in the profile' },
  { name: 'tree', type: 'bool', help: 'Outputs a text rendering of call graph' },
  { name: 'peek', type: 'string', arg: 'RE', help: 'Output callers/callees of functions matching regexp' },
  { name: 'list', type: 'string', arg: 'RE', help: 'Output annotated source for functions matching regexp' },
  { name: 'raw', type: 'bool', help: 'Outputs a text representation of the raw profile' },
  { name: 'dot', type: 'bool', help: 'Outputs a graph in DOT format' },
  { name: 'proto', type: 'bool', help: 'Outputs the profile in compressed protobuf format' },
  { name: 'comments', type: 'bool', help: 'Output all profile comments' },
  ...UNSUPPORTED_BOOL.map((n): FlagSpec => ({ name: n, type: 'bool', help: 'Not supported by pprof-plus (use -dot, or -http)' })),
  ...UNSUPPORTED_PARAM.map((n): FlagSpec => ({ name: n, type: 'string', arg: 'RE', help: 'Not supported by pprof-plus' })),
  { name: 'output', type: 'string', arg: 'FILE', help: 'Output filename for file-based outputs' },
  { name: 'sample_index', type: 'string', arg: 'N|name', help: 'Sample value to report (0-based index or name)' },
  ...SAMPLE_ALIASES.map(([n, t]): FlagSpec => ({ name: n, type: 'bool', help: `Same as -sample_index=${t}${n === 'mean_delay' ? ' -mean' : ''}` })),
  { name: 'mean', type: 'bool', help: 'Average sample value over first value (count)' },
  { name: 'base', type: 'list', arg: 'source', help: 'Source of profile to use as baseline (repeatable)' },
  { name: 'diff_base', type: 'list', arg: 'source', help: 'Source of profile to compare against (repeatable)' },
  { name: 'normalize', type: 'bool', help: 'Scales profile based on the base profile' },
  { name: 'focus', type: 'string', arg: 'RE', help: 'Restricts to samples going through a node matching regexp' },
  { name: 'ignore', type: 'string', arg: 'RE', help: 'Skips paths going through any nodes matching regexp' },
  { name: 'hide', type: 'string', arg: 'RE', help: 'Skips nodes matching regexp' },
  { name: 'show', type: 'string', arg: 'RE', help: 'Only show nodes matching regexp' },
  { name: 'show_from', type: 'string', arg: 'RE', help: 'Drops functions above the highest matched frame' },
  { name: 'prune_from', type: 'string', arg: 'RE', help: 'Drops any functions below the matched frame' },
  { name: 'tagfocus', type: 'string', arg: '[key=]RE|range', help: 'Restricts to samples with tags in range or matched by regexp' },
  { name: 'tagignore', type: 'string', arg: '[key=]RE|range', help: 'Discard samples with tags in range or matched by regexp' },
  { name: 'tagshow', type: 'string', arg: 'RE', help: 'Only consider tags matching this regexp' },
  { name: 'taghide', type: 'string', arg: 'RE', help: 'Skip tags matching this regexp' },
  { name: 'tagroot', type: 'string', arg: 'key,...', help: 'Adds pseudo stack frames for labels key/value pairs at the callstack root' },
  { name: 'tagleaf', type: 'string', arg: 'key,...', help: 'Adds pseudo stack frames for labels key/value pairs at the callstack leaf' },
  { name: 'nodecount', type: 'number', default: -1, help: 'Max number of nodes to show (text: all, tree/dot: 80)' },
  { name: 'nodefraction', type: 'number', default: 0.005, help: 'Hide nodes below <f>*total' },
  { name: 'edgefraction', type: 'number', default: 0.001, help: 'Hide edges below <f>*total' },
  { name: 'trim', type: 'bool', default: true, help: 'Honor nodefraction/edgefraction/nodecount defaults' },
  { name: 'flat', type: 'bool', help: 'Sort entries based on own weight' },
  { name: 'cum', type: 'bool', help: 'Sort entries based on cumulative weight' },
  ...GRANULARITIES.map((g): FlagSpec => ({ name: g, type: 'bool', help: `Aggregate at the ${g} level` })),
  { name: 'noinlines', type: 'bool', help: 'Ignore inlines' },
  { name: 'show_columns', type: 'bool', aliases: ['showcolumns'], help: 'Show column numbers at the source code line level' },
  { name: 'unit', type: 'string', default: 'minimum', help: 'Measurement units to display (minimum, auto, b, kb, ms, ...)' },
  { name: 'divide_by', type: 'number', default: 1, help: 'Ratio to divide all samples before visualization' },
  { name: 'relative_percentages', type: 'bool', help: 'Show percentages relative to focused subgraph' },
  { name: 'compact_labels', type: 'bool', help: 'Show minimal headers' },
  { name: 'drop_negative', type: 'bool', help: 'Ignore negative differences' },
  { name: 'call_tree', type: 'bool', help: 'Create a context-sensitive call tree' },
  { name: 'source_path', type: 'string', help: 'Search path for source files' },
  { name: 'trim_path', type: 'string', help: 'Path to trim from source paths before search' },
  { name: 'seconds', type: 'number', default: -1, help: 'Duration for time-based profile collection' },
  { name: 'timeout', type: 'number', default: -1, help: 'Timeout in seconds for profile collection' },
  { name: 'symbolize', type: 'string', help: 'Symbolization: none, local, fastlocal, remote, force' },
  { name: 'buildid', type: 'string', help: 'Override build id for main binary' },
  { name: 'add_comment', type: 'string', help: 'Annotation string to record in the profile' },
  { name: 'tools', type: 'string', help: 'Accepted for compatibility; unused' },
  { name: 'http', type: 'string', arg: '[host]:port', help: 'Serve the web UI at host:port' },
  { name: 'no_browser', type: 'bool', help: 'Skip opening a browser for the web UI' },
  { name: 'max_decompressed', type: 'string', arg: 'SIZE', help: 'Largest decompressed profile accepted (e.g. 4GB)' },
  { name: 'h', type: 'bool', aliases: ['help'], help: 'Show this help' },
];

/** The driver's configuration; the filters are the shared FocusOptions. */
export interface PprofConfig extends FocusOptions {
  help: boolean;
  /** Set when -http was given: the caller hands the whole argv to the web UI. */
  http: string | null;
  /** Output flag name (`top`, `peek`, ...) and its report format. */
  command: string;
  format: ReportFormat | 'proto';
  /** Regexp of -peek/-list. */
  symbol: string;
  output: string;
  sources: string[];
  /** `[binary] source`: the explicit binary, when the first of several args is one. */
  execName: string;
  base: string[];
  diffBase: boolean;
  normalize: boolean;
  sampleIndex: string;
  mean: boolean;
  tagRoot: string;
  tagLeaf: string;
  nodeCount: number;
  nodeFraction: number;
  edgeFraction: number;
  trim: boolean;
  sort: 'flat' | 'cum';
  granularity: Granularity;
  noInlines: boolean;
  showColumns: boolean;
  unit: string;
  divideBy: number;
  relativePercentages: boolean;
  compactLabels: boolean;
  dropNegative: boolean;
  callTree: boolean;
  sourcePath: string;
  trimPath: string;
  seconds: number;
  timeout: number;
  symbolize: string;
  buildId: string;
  addComment: string;
  maxBytes: number;
  /** Notices pprof prints while parsing (e.g. "Multiple value selections"). */
  notices: string[];
}

export const OUTPUT_FLAG_LIST = '-top -text -traces -tags -tree -peek=RE -list=RE -raw -dot -proto -comments';

/** `4GB`, `512mb`, `100000`, `2GiB` → bytes. */
export function parseSize(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(raw);
  if (!m) throw new UsageError(`invalid size "${raw}" for -max_decompressed`, 'Use a byte count or a size such as 512MB or 4GB.');
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g' | 't'];
  return Math.floor(Number(m[1]) * mult);
}

export function pprofUsage(): string {
  return formatUsage(
    'Usage: pprof-plus <format> [options] [binary] <source> ...\n' +
      '       pprof-plus -http=[host]:[port] [options] [binary] <source> ...\n\n' +
      'Sources are profile files (profile.proto, gzipped or not; Go legacy text profiles)\n' +
      'or URLs (http://host:port/debug/pprof/heap, host:port/debug/pprof/profile).\n' +
      `Output formats (select exactly one; there is no interactive mode): ${OUTPUT_FLAG_LIST}`,
    PPROF_FLAGS,
  );
}

/** Parses a `go tool pprof` command line into a configuration. */
export function parsePprofArgs(argv: readonly string[]): PprofConfig {
  const f = parseFlags(argv, PPROF_FLAGS);
  const v = f.values;
  const str = (k: string): string => String(v[k] ?? '');
  const notices: string[] = [];
  const cfg = {
    help: Boolean(v.h),
    http: f.given.has('http') ? str('http') : null,
    notices,
  } as PprofConfig;
  if (cfg.help) return cfg;

  let command = '';
  let symbol = '';
  const chosen: string[] = [];
  for (const name of [...Object.keys(OUTPUT_FORMATS), ...UNSUPPORTED_BOOL]) if (v[name]) chosen.push(name);
  for (const name of [...Object.keys(PARAM_FORMATS), ...UNSUPPORTED_PARAM]) if (str(name) !== '') chosen.push(name);
  if (chosen.length > 1) throw new UsageError('must set at most one output format', `Choose one of ${OUTPUT_FLAG_LIST}`);
  if (chosen.length === 1) {
    command = chosen[0];
    if (UNSUPPORTED_BOOL.includes(command) || UNSUPPORTED_PARAM.includes(command)) {
      throw new UsageError(`-${command} is not supported by pprof-plus`, `Use one of ${OUTPUT_FLAG_LIST}, or -http=:8080 for graphs and source views.`);
    }
    if (command in PARAM_FORMATS) symbol = str(command);
  }
  if (cfg.http !== null) {
    if (command !== '') throw new UsageError('--http is not compatible with an output format on the command line');
    return cfg;
  }
  if (command === '') {
    throw new UsageError(
      'no output format given: pprof-plus has no interactive mode',
      `Choose one of ${OUTPUT_FLAG_LIST}, or -http=:8080 for the web UI (run with -h for all flags).`,
    );
  }
  cfg.command = command;
  cfg.format = OUTPUT_FORMATS[command] ?? PARAM_FORMATS[command];
  cfg.symbol = symbol;
  cfg.output = str('output');
  if (f.positional.length === 0) throw new UsageError('no profile source specified', 'Usage: pprof-plus -top [options] [binary] <source> ...');
  cfg.sources = f.positional;
  cfg.execName = '';

  const grans = GRANULARITIES.filter((g) => v[g]);
  if (grans.length > 1) throw new UsageError(`conflicting options set: [${grans.join(' ')}]`);
  if (v.flat && v.cum) throw new UsageError('conflicting options set: [flat cum]');
  cfg.granularity = grans[0] ?? 'functions';
  cfg.sort = v.cum ? 'cum' : 'flat';

  let si = str('sample_index');
  for (const [flag, type] of SAMPLE_ALIASES) {
    if (!v[flag]) continue;
    if (si === '') si = type;
    else notices.push(`Multiple value selections, ignoring -${flag}`);
  }
  cfg.sampleIndex = si;
  cfg.mean = Boolean(v.mean) || Boolean(v.mean_delay);

  const base = (v.base as string[]).filter((s) => s !== '');
  const diffBase = (v.diff_base as string[]).filter((s) => s !== '');
  if (base.length > 0 && diffBase.length > 0) throw new UsageError('-base and -diff_base flags cannot both be specified');
  cfg.base = base.length > 0 ? base : diffBase;
  cfg.diffBase = diffBase.length > 0;
  cfg.normalize = Boolean(v.normalize);
  if (cfg.normalize && cfg.base.length === 0) throw new UsageError('Must have base profile to normalize by');

  cfg.focus = str('focus');
  cfg.ignore = str('ignore');
  cfg.hide = str('hide');
  cfg.show = str('show');
  cfg.showFrom = str('show_from');
  cfg.pruneFrom = str('prune_from');
  cfg.tagFocus = str('tagfocus');
  cfg.tagIgnore = str('tagignore');
  cfg.tagShow = str('tagshow');
  cfg.tagHide = str('taghide');
  cfg.tagRoot = str('tagroot');
  cfg.tagLeaf = str('tagleaf');
  cfg.nodeCount = Math.trunc(Number(v.nodecount));
  cfg.nodeFraction = Number(v.nodefraction);
  cfg.edgeFraction = Number(v.edgefraction);
  cfg.trim = Boolean(v.trim);
  cfg.noInlines = Boolean(v.noinlines);
  cfg.showColumns = Boolean(v.show_columns);
  cfg.unit = str('unit');
  cfg.divideBy = Number(v.divide_by);
  if (cfg.divideBy === 0) throw new UsageError('-divide_by must not be 0');
  cfg.relativePercentages = Boolean(v.relative_percentages);
  cfg.compactLabels = Boolean(v.compact_labels);
  cfg.dropNegative = Boolean(v.drop_negative);
  cfg.callTree = Boolean(v.call_tree);
  cfg.sourcePath = str('source_path');
  cfg.trimPath = str('trim_path');
  cfg.seconds = Number(v.seconds);
  cfg.timeout = Number(v.timeout);
  cfg.symbolize = str('symbolize');
  try {
    parseSymbolizeMode(cfg.symbolize);
  } catch (err) {
    throw new UsageError(`-symbolize: ${(err as Error).message}`, 'Use none, local, fastlocal, remote, force, demangle=none|full|templates (joined with ":").');
  }
  cfg.buildId = str('buildid');
  cfg.addComment = str('add_comment');
  cfg.maxBytes = f.given.has('max_decompressed') ? parseSize(str('max_decompressed')) : DEFAULT_MAX_BYTES;
  return cfg;
}
