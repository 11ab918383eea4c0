// Entry point of the text reports: the exact stdout of go1.19's
// `go tool pprof -<format>` for a profile the driver has already filtered,
// merged and diffed.

import type { Profile } from '../profile/model.ts';
import { profileToString } from '../profile/to-string.ts';
import { makeContext } from './context.ts';
import { printDot } from './dot.ts';
import { ReportError } from './errors.ts';
import { printList } from './list.ts';
import type { ReportOptions } from './options.ts';
import { printTags } from './tags.ts';
import { printText } from './text.ts';
import { writeTraces } from './traces.ts';
import { printTree } from './tree.ts';

export { ReportError } from './errors.ts';

export interface ReportDeps {
  /** Replaces Profile.String() for -raw (default: src/profile/to-string.ts, go1.19 layout). */
  formatRaw?: (p: Profile) => string;
}

/**
 * Produces the report text. Throws ReportError when pprof would fail
 * (e.g. a -list/-peek regexp that matches nothing). For output that may be
 * very large (-traces of a big profile), prefer writeReport.
 */
export function generateReport(p: Profile, opts: ReportOptions, deps: ReportDeps = {}): string {
  const chunks: string[] = [];
  writeReport(p, opts, (c) => chunks.push(c), deps);
  return chunks.join('');
}

/**
 * Like generateReport, but hands the text to `write` in chunks (each at
 * most about 1 MB for -traces), so the whole report never has to be one
 * string. Nothing is written when the report fails.
 */
export function writeReport(p: Profile, opts: ReportOptions, write: (chunk: string) => void, deps: ReportDeps = {}): void {
  if (opts.format === 'traces') {
    if (p.sampleTypes.length === 0) throw new ReportError('profile has no samples');
    writeTraces(makeContext(p, opts), write);
    return;
  }
  write(reportText(p, opts, deps));
}

function reportText(p: Profile, opts: ReportOptions, deps: ReportDeps): string {
  if (opts.format === 'comments') return p.comments.map((c) => c + '\n').join('');
  if (opts.format === 'raw') {
    return deps.formatRaw ? deps.formatRaw(p) : profileToString(p, 'go1.19');
  }
  if (p.sampleTypes.length === 0) throw new ReportError('profile has no samples');
  const ctx = makeContext(p, opts);
  switch (opts.format) {
    case 'text':
      return printText(ctx);
    case 'tags':
      return printTags(ctx);
    case 'tree':
    case 'peek':
      return printTree(ctx);
    case 'list':
      return printList(ctx);
    case 'dot':
      return printDot(ctx);
  }
  throw new ReportError(`unexpected output format ${String(opts.format)}`);
}
