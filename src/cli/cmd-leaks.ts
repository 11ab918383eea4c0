// `pprof-plus leaks`: rank the allocation sites that grow without bound
// across a series of heap snapshots (or diff two of them).

import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InputError, UsageError } from '../profile/errors.ts';
import { readInputFile, profileTimeMs } from '../profile/load.ts';
import type { Snapshot } from '../profile/model.ts';
import { diffSnapshots } from '../leak/diff.ts';
import { displayPath, resolveInputs, type StoreHook } from '../leak/inputs.ts';
import { LeakRanker, type LeakOptions } from '../leak/rank.ts';
import { renderDiffMarkdown, renderDiffText, renderMarkdown, renderText } from '../leak/render.ts';
import { parseSuppressions, type SuppressRule } from '../leak/suppress.ts';
import { parseSize } from '../leak/units.ts';
import { formatUsage, oneOf, parseFlags, type FlagSpec } from './flags.ts';
import type { CommandIO } from './io.ts';

const SPECS: FlagSpec[] = [
  { name: 'format', type: 'string', default: 'text', arg: 'text|json|markdown', help: 'Output format' },
  { name: 'fail-on', type: 'string', default: '', arg: 'leak|suspect', help: 'Exit with status 3 when a candidate of this verdict (or stronger) is found' },
  { name: 'depth', type: 'number', default: 1, help: 'User frames per site (0: all of them)' },
  { name: 'by', type: 'string', default: '', arg: 'label:KEY', help: 'Rank growth per value of a pprof label instead of per site' },
  { name: 'suppress', type: 'string', default: '', arg: 'FILE', help: 'Regexes of sites judged bounded, one per line (default .pprof-plus-suppress if present)' },
  { name: 'limit', type: 'string', default: '', arg: 'SIZE|cgroup', help: 'Project when total in-use heap reaches this size (2GiB, 512MiB; cgroup: this machine\'s memory.max)' },
  { name: 'diff', type: 'bool', help: 'Two-snapshot mode: new objects by site and by size' },
  { name: 'goroutines', type: 'list', arg: 'FILE', help: 'Goroutine profiles taken with the snapshots (may also be mixed into the inputs)' },
  { name: 'keep', type: 'list', arg: 'REGEX', help: 'Frames to count as user frames even in the standard library' },
  { name: 'skip', type: 'list', arg: 'REGEX', help: 'Frames to skip as allocation helpers' },
  { name: 'target', type: 'string', default: '', arg: 'URL', help: 'Target to read from a snapshot store holding several' },
  { name: 'all', type: 'bool', help: 'Also list the sites that were not kept, with the reason' },
  { name: 'top', type: 'number', default: 20, help: 'Rows shown in --diff tables' },
  { name: 'help', type: 'bool', aliases: ['h'], help: 'Show this help' },
];

const USAGE_TITLE = `Usage: pprof-plus leaks [flags] SNAPSHOT...

Ranks the allocation sites that grow without bound across heap snapshots
(files, directories, globs, or a pprof-plus collect store), ordered by the
profiles' time. Two snapshots (or --diff) show what was added in between.`;

const SUPPRESS_DEFAULT = '.pprof-plus-suppress';

async function cgroupLimit(): Promise<number> {
  for (const f of ['/sys/fs/cgroup/memory.max', '/sys/fs/cgroup/memory/memory.limit_in_bytes']) {
    try {
      const t = (await readFile(f, 'utf8')).trim();
      if (/^\d+$/.test(t) && Number(t) < 2 ** 60) return Number(t);
    } catch {
      // next
    }
  }
  throw new UsageError('--limit=cgroup: this machine has no cgroup memory limit', 'Give the container\'s limit as a size, e.g. --limit=2GiB.');
}

function storeHook(target: string): StoreHook {
  return async (dir) => {
    const store = await import('../collect/store.ts');
    if (!(await store.isStoreDir(dir))) return null;
    const s = await store.openStore(dir);
    const heap = await s.readSnapshots({ target: target || undefined, type: 'heap' });
    let goroutine: Snapshot[] = [];
    try {
      goroutine = await s.readSnapshots({ target: target || undefined, type: 'goroutine' });
    } catch {
      // a store without goroutine profiles
    }
    return { heap, goroutine };
  };
}

async function loadSnapshot(path: string, io: CommandIO): Promise<Snapshot> {
  const parsed = await readInputFile(path);
  const source = displayPath(path, io.cwd);
  const timeMs = parsed.kind === 'goroutine-dump' ? parsed.dump.timeMs : profileTimeMs(parsed.profile);
  return { source, profile: parsed.profile, timeMs };
}

export async function runLeaks(args: string[], io: CommandIO): Promise<number> {
  const f = parseFlags(args, SPECS);
  const v = f.values;
  if (v.help) {
    io.stdout.write(formatUsage(USAGE_TITLE, SPECS));
    return 0;
  }
  const format = oneOf('format', v.format, ['text', 'json', 'markdown'] as const);
  const failOn = oneOf('fail-on', v['fail-on'], ['', 'leak', 'suspect'] as const);
  const depth = Number(v.depth);
  if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`--depth=${v.depth}: want a whole number (0 for all frames)`);
  let byLabel: string | undefined;
  if (v.by) {
    const m = /^label:(.+)$/.exec(String(v.by));
    if (!m) throw new UsageError(`--by=${v.by}: want label:KEY`);
    byLabel = m[1];
  }
  let limitBytes: number | null = null;
  if (v.limit) {
    limitBytes = v.limit === 'cgroup' ? await cgroupLimit() : parseSize(String(v.limit));
    if (!limitBytes) throw new UsageError(`--limit=${v.limit}: want a size such as 2GiB or 512MiB`);
  }
  let suppress: SuppressRule[] = [];
  const spath = resolve(io.cwd, String(v.suppress || SUPPRESS_DEFAULT));
  try {
    suppress = parseSuppressions(await readFile(spath, 'utf8'), String(v.suppress || SUPPRESS_DEFAULT));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || v.suppress) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError(String(v.suppress), 'no such file');
      throw err;
    }
  }
  if (f.positional.length === 0) throw new UsageError('leaks: give heap snapshots (files, a directory or a glob)', 'Run pprof-plus leaks -h for the flags.');

  const opts: LeakOptions = {
    depth, byLabel, suppress, limitBytes, all: Boolean(v.all),
    keep: v.keep as string[], skip: v.skip as string[],
  };
  const inputs = await resolveInputs(f.positional, io.cwd, storeHook(String(v.target)));
  const gorFiles = (await resolveInputs(v.goroutines as string[], io.cwd)).files;

  const diffMode = Boolean(v.diff) || (f.positional.length === 2 && inputs.files.length === 2 && inputs.snapshots.length === 0);
  if (diffMode) {
    const snaps = [...inputs.snapshots.filter((s) => s.profile.sampleTypes.some((t) => t.type === 'inuse_space'))];
    for (const p of inputs.files) snaps.push(await loadSnapshot(p, io));
    const heap = snaps.filter((s) => s.profile.sampleTypes.some((t) => t.type === 'inuse_space'));
    if (heap.length !== 2) throw new UsageError(`--diff takes exactly two heap snapshots (got ${heap.length})`);
    const d = diffSnapshots(heap[0], heap[1], opts);
    const top = Number(v.top);
    io.stdout.write(format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : format === 'markdown' ? renderDiffMarkdown(d, top) : renderDiffText(d, top));
    return 0;
  }

  const ranker = new LeakRanker(opts);
  for (const s of inputs.snapshots) ranker.add(s.source, s.profile, s.timeMs);
  // One profile in memory at a time: the ranker keeps per-site numbers only.
  for (const p of inputs.files) {
    const s = await loadSnapshot(p, io);
    ranker.add(s.source, s.profile, s.timeMs);
  }
  for (const p of gorFiles) {
    const s = await loadSnapshot(p, io);
    if (ranker.add(s.source, s.profile, s.timeMs) !== 'goroutine') throw new InputError(s.source, '--goroutines: not a goroutine profile');
  }
  const report = ranker.finish();
  io.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'markdown' ? renderMarkdown(report) : renderText(report));
  if (failOn) {
    const hit = report.candidates.some((c) => c.verdict === 'leak' || (failOn === 'suspect' && c.verdict === 'suspect'));
    if (hit) {
      io.stderr.write(`pprof-plus: leaks: ${report.candidates.length} candidate${report.candidates.length === 1 ? '' : 's'} found (--fail-on=${failOn})\n`);
      return 3;
    }
  }
  return 0;
}
