// `pprof-plus collect`: scrape pprof endpoints on a schedule into a compact
// store, with trigger rules and an Alertmanager webhook for incident bursts.

import { runCollector } from '../collect/collector.ts';
import { parseDurationMs, parseRetention } from '../collect/store.ts';
import { normalizeTarget, parseTypes } from '../collect/targets.ts';
import { parseTrigger } from '../collect/triggers.ts';
import { UsageError } from '../profile/errors.ts';
import { formatUsage, parseFlags, type FlagSpec } from './flags.ts';
import type { CommandIO } from './io.ts';

const SPECS: FlagSpec[] = [
  { name: 'target', type: 'list', arg: 'URL', help: 'Service to scrape: host:port or http://host:port (repeatable)' },
  { name: 'dir', type: 'string', arg: 'DIR', help: 'Store directory (created if missing; a restart continues it)' },
  { name: 'every', type: 'string', default: '30s', arg: 'DURATION', help: 'Interval between rounds (200ms, 30s, 5m)' },
  { name: 'types', type: 'string', default: 'heap,goroutine', arg: 'LIST', help: 'Profiles to collect: heap, goroutine, allocs, block, mutex, threadcreate, cpu, goroutine-dump (debug=2 text)' },
  { name: 'count', type: 'number', default: 0, help: 'Stop after N rounds (0: run until SIGINT/SIGTERM)' },
  { name: 'retain', type: 'string', default: '', arg: '7d|N', help: 'Keep snapshots this long (7d, 12h) or the newest N per series' },
  { name: 'trigger', type: 'list', arg: 'RULE', help: "Capture an incident burst when a rule fires: 'goroutines > 5000', 'inuse_space growth > 20% in 10m' (repeatable)" },
  { name: 'listen', type: 'string', default: '', arg: '[HOST]:PORT', help: 'Accept Alertmanager webhook POSTs here (loopback unless a host is given)' },
  { name: 'notify', type: 'string', default: '', arg: 'URL', help: 'POST a JSON notice here after each incident burst' },
  { name: 'burst-cpu-seconds', type: 'number', default: 30, help: 'CPU profile length in an incident burst (0: none)' },
  { name: 'cpu-seconds', type: 'number', default: 10, help: 'CPU profile length when -types includes cpu' },
  { name: 'timeout', type: 'number', default: 0, help: 'Per-request timeout in seconds (default: the interval, at least 5s, at most 60s)' },
  { name: 'h', type: 'bool', aliases: ['help'], help: 'Show this help' },
];

const TITLE = `Usage: pprof-plus collect -target URL [-target URL...] -dir DIR [flags]

Scrapes net/http/pprof endpoints on a schedule into a compact snapshot store.
Read the store with: pprof-plus leaks DIR, pprof-plus goroutines DIR,
pprof-plus -http=:8080 DIR, or pprof-plus export -dir DIR -out OUTDIR.`;

export async function runCollect(args: string[], io: CommandIO): Promise<number> {
  const f = parseFlags(args, SPECS);
  if (f.values.h) {
    io.stdout.write(formatUsage(TITLE, SPECS));
    return 0;
  }
  const targetSpecs = [...(f.values.target as string[]), ...f.positional];
  if (targetSpecs.length === 0) throw new UsageError('collect: no -target given', 'Example: pprof-plus collect -target localhost:6060 -dir ./profiles');
  const dir = f.values.dir as string;
  if (!dir) throw new UsageError('collect: no -dir given', 'Example: pprof-plus collect -target localhost:6060 -dir ./profiles');
  const everyMs = parseDurationMs(f.values.every as string);
  if (everyMs === null || everyMs < 10) throw new UsageError(`collect: invalid -every "${f.values.every}": want a duration such as 30s`);
  const count = f.values.count as number;
  if (!Number.isInteger(count) || count < 0) throw new UsageError('collect: -count wants a whole number >= 0');
  const targets = [...new Set(targetSpecs.map(normalizeTarget))];
  const timeoutSec = f.values.timeout as number;

  const ac = new AbortController();
  const stop = (sig: string): void => {
    if (!ac.signal.aborted) io.stderr.write(`${stamp()} ${sig}: finishing the current round and stopping\n`);
    ac.abort();
  };
  const onTerm = (): void => stop('SIGTERM');
  const onInt = (): void => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  try {
    const stats = await runCollector({
      dir,
      targets,
      types: parseTypes(f.values.types as string),
      everyMs,
      count,
      retain: parseRetention(f.values.retain as string),
      triggers: (f.values.trigger as string[]).map(parseTrigger),
      listen: f.values.listen as string,
      notify: f.values.notify as string,
      burstCpuSeconds: f.values['burst-cpu-seconds'] as number,
      cpuSeconds: f.values['cpu-seconds'] as number,
      timeoutMs: timeoutSec > 0 ? timeoutSec * 1000 : Math.min(60_000, Math.max(5000, everyMs)),
      log: (line) => io.stderr.write(`${stamp()} ${line}\n`),
      signal: ac.signal,
    });
    // Stopped by a signal: a clean exit. Ran its -count rounds without storing
    // anything: every target failed, which scripts want to know.
    return ac.signal.aborted || stats.stored > 0 ? 0 : 1;
  } finally {
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
  }
}

function stamp(): string {
  return new Date().toISOString();
}
