// `pprof-plus [flags] [binary] source...`: go tool pprof's non-interactive
// driver. Loads and merges the sources (pprof-sources.ts), picks the value,
// computes the total before focus (unless -relative_percentages), applies the
// filters (src/profile/focus.ts, shared with the web UI), then prints one report or writes -proto.

import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, UsageError } from '../profile/errors.ts';
import { encodeProfileGzip, pathExists, writeFileAtomic } from '../profile/load.ts';
import type { Profile } from '../profile/model.ts';
import { compileGoRegexp } from '../profile/filter.ts';
import { selectSampleIndex } from '../profile/select.ts';
import { computeTotal } from '../report/context.ts';
import type { ReportOptions } from '../report/options.ts';
import { ReportError, writeReport } from '../report/report.ts';
import type { CommandIO } from './io.ts';
import { activeFilterLines, applyFocus } from '../profile/focus.ts';
import { addLabelNodes } from './pprof-tagroot.ts';
import { parsePprofArgs, pprofUsage, type PprofConfig } from './pprof-options.ts';
import { loadDriverProfile, splitExecutable } from './pprof-sources.ts';

export { parsePprofArgs } from './pprof-options.ts';

export async function runPprof(args: string[], io: CommandIO): Promise<number> {
  const cfg = parsePprofArgs(args);
  if (cfg.help) {
    io.stdout.write(pprofUsage());
    return 0;
  }
  if (cfg.http !== null) {
    const { runHttp } = await import('./cmd-http.ts');
    return runHttp(args, io);
  }
  for (const n of cfg.notices) io.stderr.write(`${n}\n`);
  const split = await splitExecutable(cfg.sources, io.cwd);
  cfg.sources = split.sources;
  cfg.execName = split.execName;
  if (split.buildId && cfg.buildId === '') cfg.buildId = split.buildId;

  const { profile } = await loadDriverProfile(cfg, io);
  const warn = (line: string): void => { io.stderr.write(`${line}\n`); };
  const { profile: p, opts } = prepareReport(profile, cfg, warn);

  if (cfg.format === 'proto') {
    await writeProto(scaleForProto(p, cfg.divideBy), cfg, io);
    return 0;
  }
  if (cfg.output !== '') {
    writeReportFile(resolve(io.cwd, cfg.output), p, opts);
    // pprof says this once the report is made: a failed report names no file.
    io.stderr.write(`Generating report in ${cfg.output}\n`);
  } else {
    // -traces of a big profile is hundreds of MB: stream it in chunks.
    runReport(p, opts, (c) => io.stdout.write(c));
  }
  return 0;
}

/**
 * generateRawReport: resolves the options for `cfg`'s command, computes the
 * total, applies the focus options. Exported for callers that render
 * reports themselves.
 */
export function prepareReport(profile: Profile, cfg: PprofConfig, warn: (line: string) => void): { profile: Profile; opts: ReportOptions } {
  const sampleIndex = selectSampleIndex(profile, cfg.sampleIndex);
  let symbol: RegExp | null = null;
  if (cfg.symbol !== '') symbol = compileGoRegexp(cfg.command, cfg.symbol);
  let p = profile;
  if (cfg.tagRoot !== '' || cfg.tagLeaf !== '') {
    const keys = (v: string): string[] => v.split(',').filter((k) => k !== '');
    const r = addLabelNodes(p, keys(cfg.tagRoot), keys(cfg.tagLeaf), cfg.unit);
    p = r.profile;
    if (cfg.tagRoot !== '' && !r.rootMatched) warn('TagRoot expression matched no samples');
    if (cfg.tagLeaf !== '' && !r.leafMatched) warn('TagLeaf expression matched no samples');
  }
  if (cfg.relativePercentages) p = applyFocus(p, cfg, warn);
  const total = computeTotal(p, sampleIndex, cfg.mean);
  if (!cfg.relativePercentages) p = applyFocus(p, cfg, warn);

  let granularity = cfg.granularity;
  let noInlines = cfg.noInlines;
  let trim = cfg.trim;
  let nodeCount = cfg.nodeCount;
  const format = cfg.format === 'proto' ? 'raw' : cfg.format;
  if (format === 'peek') trim = false;
  if (format === 'list') { trim = false; granularity = 'lines'; }
  if (nodeCount === -1) nodeCount = format === 'text' ? 0 : 80;
  if (cfg.format === 'proto' || format === 'raw') { trim = false; granularity = 'addresses'; }
  const opts: ReportOptions = {
    format,
    sampleIndex,
    mean: cfg.mean,
    nodeCount: trim ? nodeCount : 0,
    nodeFraction: trim ? cfg.nodeFraction : 0,
    edgeFraction: trim ? cfg.edgeFraction : 0,
    trim,
    sort: cfg.sort,
    granularity,
    noInlines,
    showColumns: cfg.showColumns,
    unit: cfg.unit,
    divideBy: cfg.divideBy,
    dropNegative: cfg.dropNegative,
    callTree: cfg.callTree,
    compactLabels: cfg.compactLabels,
    symbol,
    sourcePath: cfg.sourcePath,
    trimPath: cfg.trimPath,
    total,
    activeFilters: activeFilterLines(cfg),
  };
  return { profile: p, opts };
}

function runReport(p: Profile, opts: ReportOptions, write: (chunk: string) => void): void {
  try {
    writeReport(p, opts, write);
  } catch (err) {
    if (err instanceof ReportError) throw new InputError('', err.message);
    throw err;
  }
}

/**
 * Streams the report into a temporary file beside `path`, then renames it:
 * a failed report leaves no file, a finished one appears whole.
 */
function writeReportFile(path: string, p: Profile, opts: ReportOptions): void {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(tmp, 'w');
  } catch (err) {
    throw new InputError(path, `cannot write report: ${(err as Error).message}`);
  }
  try {
    runReport(p, opts, (c) => { writeSync(fd, c); });
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
  } catch (err) {
    try { closeSync(fd); } catch { /* already closed */ }
    try { unlinkSync(tmp); } catch { /* never created */ }
    throw err;
  }
}

/** printProto: values multiplied by 1/divide_by (truncated, as Go's int64 conversion). */
function scaleForProto(p: Profile, divideBy: number): Profile {
  const r = 1 / divideBy;
  if (!(r > 0) || r === 1) return p;
  const values = p.samples.values.map((v) => Math.trunc(v * r));
  return { ...p, samples: { ...p.samples, values } };
}

async function writeProto(p: Profile, cfg: PprofConfig, io: CommandIO): Promise<void> {
  const bytes = encodeProfileGzip(p);
  let out = cfg.output;
  if (out === '' && io.isTTY) out = await freeName(io.env.PPROF_TMPDIR || io.cwd, 'profile', '.pb.gz');
  if (out === '') {
    io.stdout.write(bytes);
    return;
  }
  io.stderr.write(`Generating report in ${out}\n`);
  await writeFileAtomic(resolve(io.cwd, out), bytes);
}

/** pprof's newTempFile: `<prefix>NNN<suffix>` with the first free NNN. */
async function freeName(dir: string, prefix: string, suffix: string): Promise<string> {
  for (let i = 1; i < 10000; i++) {
    const name = join(dir, `${prefix}${String(i).padStart(3, '0')}${suffix}`);
    if (!(await pathExists(name))) return name;
  }
  throw new UsageError(`could not create file of the form ${prefix}NNN${suffix} in ${dir}`);
}
