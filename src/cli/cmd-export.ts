// `pprof-plus export`: write a store's snapshots as standard .pb.gz files.

import { exportStore, parseTimeBound } from '../collect/export.ts';
import { openStore, parseDurationMs } from '../collect/store.ts';
import { parseTypes } from '../collect/targets.ts';
import { UsageError } from '../profile/errors.ts';
import { formatUsage, parseFlags, type FlagSpec } from './flags.ts';
import type { CommandIO } from './io.ts';

const SPECS: FlagSpec[] = [
  { name: 'dir', type: 'string', arg: 'DIR', help: 'Store directory written by pprof-plus collect' },
  { name: 'out', type: 'string', arg: 'OUTDIR', help: 'Directory for the exported files' },
  { name: 'target', type: 'string', default: '', arg: 'T', help: 'Only this target (host:port, URL or store key)' },
  { name: 'types', type: 'string', default: '', arg: 'LIST', help: 'Only these profile types (default: all)' },
  { name: 'since', type: 'string', default: '', arg: 'TIME', help: 'Only snapshots at or after TIME (RFC 3339, or a duration ago: 2h)' },
  { name: 'until', type: 'string', default: '', arg: 'TIME', help: 'Only snapshots at or before TIME' },
  { name: 'h', type: 'bool', aliases: ['help'], help: 'Show this help' },
];

export async function runExport(args: string[], io: CommandIO): Promise<number> {
  const f = parseFlags(args, SPECS);
  if (f.values.h) {
    io.stdout.write(formatUsage('Usage: pprof-plus export -dir DIR -out OUTDIR [-target T] [-since TIME] [-until TIME]', SPECS));
    return 0;
  }
  const dir = (f.values.dir as string) || f.positional[0] || '';
  const out = f.values.out as string;
  if (!dir) throw new UsageError('export: no -dir given');
  if (!out) throw new UsageError('export: no -out given');
  const now = Date.now();
  const bound = (name: 'since' | 'until'): number | undefined => {
    const raw = f.values[name] as string;
    if (raw === '') return undefined;
    const t = parseTimeBound(raw, now, parseDurationMs);
    if (t === null) throw new UsageError(`export: invalid -${name} "${raw}": want RFC 3339 time or a duration such as 2h`);
    return t;
  };
  const store = await openStore(dir);
  const written = await exportStore(store, {
    out,
    target: (f.values.target as string) || undefined,
    types: (f.values.types as string) ? parseTypes(f.values.types as string) : undefined,
    sinceMs: bound('since'),
    untilMs: bound('until'),
  });
  io.stderr.write(`Exported ${written.length} file(s) to ${out}\n`);
  return 0;
}
