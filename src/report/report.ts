// Entry point of the text reports: the exact stdout of go1.19's
// `go tool pprof -<format>` for a profile the driver has already filtered,
// merged and diffed.

import type { Profile } from '../profile/model.ts';
import { makeContext } from './context.ts';
import { printDot } from './dot.ts';
import { ReportError } from './errors.ts';
import { printList } from './list.ts';
import type { ReportOptions } from './options.ts';
import { printTags } from './tags.ts';
import { printText } from './text.ts';
import { printTraces } from './traces.ts';
import { printTree } from './tree.ts';

export { ReportError } from './errors.ts';

export interface ReportDeps {
  /** Profile.String() for -raw (src/profile/to-string.ts, owned by the profile layer). */
  formatRaw?: (p: Profile) => string;
}

/**
 * Produces the report text. Throws ReportError when pprof would fail
 * (e.g. a -list/-peek regexp that matches nothing).
 */
export function generateReport(p: Profile, opts: ReportOptions, deps: ReportDeps = {}): string {
  if (opts.format === 'comments') return p.comments.map((c) => c + '\n').join('');
  if (opts.format === 'raw') {
    if (!deps.formatRaw) throw new ReportError('raw format is not available');
    return deps.formatRaw(p);
  }
  if (p.sampleTypes.length === 0) throw new ReportError('profile has no samples');
  const ctx = makeContext(p, opts);
  switch (opts.format) {
    case 'text':
      return printText(ctx);
    case 'traces':
      return printTraces(ctx);
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
