// `pprof-plus goroutines`: group, follow and explain goroutines from dumps
// (debug=2, panic/SIGQUIT tracebacks) and goroutine profiles (proto,
// debug=1); across several snapshots, flag the groups that leak.

import { UsageError, InputError } from '../profile/errors.ts';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { gunzipBounded, isGzip, parseInput, profileTimeMs, type ParsedInput } from '../profile/load.ts';
import { looksLikeGoroutineDump, parseGoroutineDump } from '../profile/goroutine-dump.ts';
import type { GoroutineDump } from '../profile/model.ts';
import { fetchProfile, isURLSource } from '../fetch/source.ts';
import { displayPath, resolveInputs } from '../leak/inputs.ts';
import { analyzeGroupedSeries, groupSnapshot, isGoroutineDump, type GoroutineSnapshot, type GroupedSnapshot } from '../leak/goroutines/group.ts';
import { goroutineDetail, renderGoroutineDetail, renderGoroutineText } from '../leak/goroutines/render.ts';
import { formatUsage, oneOf, parseFlags, type FlagSpec } from './flags.ts';
import type { CommandIO } from './io.ts';

const SPECS: FlagSpec[] = [
  { name: 'format', type: 'string', default: 'text', arg: 'text|json', help: 'Output format' },
  { name: 'fail-on', type: 'string', default: '', arg: 'leak|suspect', help: 'Exit with status 3 when a group of this verdict (or stronger) is found' },
  { name: 'id', type: 'number', arg: 'N', help: 'Show one goroutine (from the latest dump holding it): stack, state, wait, creator chain' },
  { name: 'exact', type: 'bool', help: 'Group by exact position (file:line and PC) instead of function names' },
  { name: 'frames', type: 'number', default: 8, help: 'Frames shown per flagged group (0: all)' },
  { name: 'ok', type: 'bool', default: true, help: 'List bounded groups too (one line each); -ok=false hides them' },
  { name: 'target', type: 'string', default: '', arg: 'URL', help: 'Target to read from a snapshot store holding several' },
  { name: 'help', type: 'bool', aliases: ['h'], help: 'Show this help' },
];

const USAGE_TITLE = `Usage: pprof-plus goroutines [flags] SNAPSHOT...

Groups goroutines by stack and explains them. A SNAPSHOT is a goroutine
profile (proto, debug=1 text), a full dump (debug=2), a panic or SIGQUIT
traceback, a directory or glob of them, a pprof-plus collect store (its
goroutine-dump series, else its goroutine profiles), or a URL (host:port
fetches /debug/pprof/goroutine?debug=2). Several snapshots, in time order,
make a series: groups that keep growing while parked are flagged as leaks.`;

async function fetchGoroutines(source: string, io: CommandIO): Promise<{ parsed: ParsedInput; source: string; timeMs: number }> {
  // A bare host:port means the full dump, the richest form.
  let url = source;
  if (/^(https?:\/\/)?[^/]+\/?$/.test(source)) url = `${source.replace(/\/$/, '')}/debug/pprof/goroutine?debug=2`;
  const fetched = await fetchProfile(url, { stderr: io.stderr });
  return { parsed: parseInput(fetched.data, fetched.url), source: fetched.url, timeMs: Date.now() };
}

/**
 * Reads one file. Dumps go straight to the dump parser: the loader would also
 * build a goroutine-count Profile from them, which this command never uses.
 */
async function readGoroutineFile(path: string): Promise<ParsedInput | { kind: 'goroutine-dump'; dump: GoroutineDump }> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(path, code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String((err as Error).message));
  }
  const data = isGzip(bytes) ? gunzipBounded(bytes, path) : bytes;
  if (looksLikeGoroutineDump(data)) return { kind: 'goroutine-dump', dump: parseGoroutineDump(data, path) };
  return parseInput(bytes, path);
}

/** The goroutine series of a collect store, or null when `dir` is not one. */
async function readStore(dir: string, target: string): Promise<GoroutineSnapshot[] | null> {
  const store = await import('../collect/store.ts');
  if (!(await store.isStoreDir(dir))) return null;
  const s = await store.openStore(dir);
  const out: GoroutineSnapshot[] = [];
  let dumps: Awaited<ReturnType<typeof s.readGoroutineDumps>> = [];
  try {
    dumps = await s.readGoroutineDumps({ target: target || undefined });
  } catch {
    // a store without dumps: fall back to its goroutine profiles
  }
  for (const d of dumps) {
    // A failed or cut-off collection leaves an empty record: skip it, keep the series.
    if (!looksLikeGoroutineDump(d.text)) continue;
    out.push({ source: d.source, timeMs: d.timeMs, data: { ...parseGoroutineDump(d.text, d.source), timeMs: d.timeMs } });
  }
  if (out.length) return out;
  for (const p of await s.readSnapshots({ target: target || undefined, type: 'goroutine' })) out.push({ source: p.source, timeMs: p.timeMs, data: p.profile });
  return out;
}

function toSnapshot(parsed: ParsedInput | { kind: 'goroutine-dump'; dump: GoroutineDump }, source: string, fallbackTime: number | null): GoroutineSnapshot {
  if (parsed.kind === 'goroutine-dump') {
    const dump: GoroutineDump = parsed.dump;
    return { source, timeMs: dump.timeMs ?? fallbackTime, data: dump };
  }
  const p = parsed.profile;
  const isGoroutine = p.sampleTypes.some((t) => t.type === 'goroutine') || p.periodType?.type === 'goroutine';
  if (!isGoroutine) {
    const types = p.sampleTypes.map((t) => t.type).join(', ');
    throw new InputError(source, `not a goroutine profile (sample types: ${types || 'none'})`);
  }
  return { source, timeMs: profileTimeMs(p) ?? fallbackTime, data: p };
}

export async function runGoroutines(args: string[], io: CommandIO): Promise<number> {
  const f = parseFlags(args, SPECS);
  const v = f.values;
  if (v.help) {
    io.stdout.write(formatUsage(USAGE_TITLE, SPECS));
    return 0;
  }
  const format = oneOf('format', v.format, ['text', 'json'] as const);
  const failOn = oneOf('fail-on', v['fail-on'], ['', 'leak', 'suspect'] as const);
  const frames = Number(v.frames);
  if (!Number.isInteger(frames) || frames < 0) throw new UsageError(`--frames=${v.frames}: want a whole number (0 for all)`);
  const id = Number(v.id);
  if (f.given.has('id') && (!Number.isInteger(id) || id < 0)) throw new UsageError(`--id=${v.id}: want a goroutine ID`);
  if (f.positional.length === 0) throw new UsageError('goroutines: give goroutine dumps or profiles (files, a directory, a glob or a URL)', 'Run pprof-plus goroutines -h for the flags.');

  // Each snapshot is grouped as soon as it is read, so a long series of big
  // dumps holds one dump in memory at a time; --id keeps the dumps.
  const wantId = f.given.has('id');
  const opts = { exact: Boolean(v.exact) };
  const grouped: GroupedSnapshot[] = [];
  const dumps = new Map<string, GoroutineDump>();
  const take = (snap: GoroutineSnapshot): GroupedSnapshot => {
    if (wantId && isGoroutineDump(snap.data)) dumps.set(snap.source, snap.data);
    return groupSnapshot(snap, opts);
  };
  for (const arg of f.positional) {
    if (isURLSource(arg)) {
      const r = await fetchGoroutines(arg, io);
      grouped.push(take(toSnapshot(r.parsed, r.source, r.timeMs)));
      continue;
    }
    const stored = await readStore(resolve(io.cwd, arg), String(v.target));
    if (stored) {
      for (const snap of stored) grouped.push(take(snap));
      continue;
    }
    const { files } = await resolveInputs([arg], io.cwd);
    const found: GroupedSnapshot[] = [];
    for (const path of files) found.push(take(toSnapshot(await readGoroutineFile(path), displayPath(path, io.cwd), null)));
    // A directory holding both dumps and profiles (as runtime/pprof's three
    // forms of the same moments) would interleave them: keep the richer dumps.
    const fromDumps = found.filter((x) => x.form === 'dump');
    if (files.length > 1 && fromDumps.length > 0 && fromDumps.length < found.length) {
      io.stderr.write(`pprof-plus: goroutines: ${arg}: using its ${fromDumps.length} full dumps, not its ${found.length - fromDumps.length} goroutine profiles (name them to use them)\n`);
      grouped.push(...fromDumps);
    } else {
      grouped.push(...found);
    }
  }
  const report = analyzeGroupedSeries(grouped);

  if (wantId) {
    let detail = null;
    for (let i = report.snapshots.length - 1; i >= 0 && !detail; i--) {
      const src = report.snapshots[i].source;
      const d = dumps.get(src);
      if (d) {
        detail = goroutineDetail(d, id);
        if (detail) detail.source = src;
      }
    }
    if (!detail) {
      throw new InputError(f.positional.join(' '), dumps.size > 0 ? `no goroutine ${id} in the dumps` : '--id needs a full dump (debug=2 or a traceback); goroutine profiles carry no IDs');
    }
    const group = report.groups.find((g) => g.ids.includes(id)) ?? null;
    io.stdout.write(format === 'json' ? `${JSON.stringify({ ...detail, group_rank: group?.rank ?? null }, null, 2)}\n` : renderGoroutineDetail(detail, group));
    return 0;
  }

  io.stdout.write(format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderGoroutineText(report, { frames, showOk: Boolean(v.ok) }));
  if (failOn) {
    const hits = report.groups.filter((g) => g.verdict === 'leak' || (failOn === 'suspect' && g.verdict === 'suspect'));
    if (hits.length) {
      io.stderr.write(`pprof-plus: goroutines: ${hits.length} leaking group${hits.length === 1 ? '' : 's'} found (--fail-on=${failOn})\n`);
      return 3;
    }
  }
  return 0;
}
