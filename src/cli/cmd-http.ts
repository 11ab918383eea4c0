// `pprof-plus -http=[host]:port [flags] SOURCE...`: loads the sources once
// and serves the web UI. Every flag that shapes the data becomes a default of
// the UI's view, which the user can then change in the page.

import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { get, type Server } from 'node:http';
import { UsageError } from '../profile/errors.ts';
import type { ViewParams } from '../server/api-types.ts';
import { startServer } from '../server/http-server.ts';
import { loadAnySource, loadSources, type LoadedSource, type SourceOptions } from '../server/inputs.ts';
import { Session, type BaseMode } from '../server/session.ts';
import { mergeProfiles } from '../profile/merge.ts';
import { isStoreDir } from '../collect/store.ts';
import { StoreBrowser } from '../server/store-browser.ts';
import { resolve } from 'node:path';
import type { CommandIO } from './io.ts';
import { parseFlags } from './flags.ts';
import { GRANULARITIES, PPROF_FLAGS, SAMPLE_ALIASES, parseSize, pprofUsage } from './pprof-options.ts';
import { splitExecutable } from './pprof-sources.ts';

export interface HttpHandle {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Splits pprof's `[host]:port` (also `host:port`, `[::1]:0`, `:0`). */
export function parseHostPort(spec: string): { host: string; port: number } {
  const m = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(spec);
  if (!m) throw new UsageError(`-http: want [host]:port, got "${spec}"`);
  const port = Number(m[2]);
  if (port > 65535) throw new UsageError(`-http: port ${port} out of range`);
  const host = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return { host, port };
}

function webDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  // Bundled: dist/cli.mjs next to dist/web. From source: src/cli → ../../dist/web.
  for (const d of [join(here, 'web'), join(here, '..', '..', 'dist', 'web')]) if (existsSync(join(d, 'index.html'))) return d;
  return join(here, '..', '..', 'dist', 'web');
}

function openBrowser(url: string, io: CommandIO): void {
  const cmd = io.env.BROWSER || (process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open');
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => io.stderr.write(`Could not open a browser (${cmd}); visit ${url}\n`));
    child.unref();
  } catch {
    io.stderr.write(`Could not open a browser; visit ${url}\n`);
  }
}

/** Loads the sources and starts serving; the caller owns the returned server. */
export async function startHttp(argv: string[], io: CommandIO): Promise<HttpHandle | null> {
  // pprof's own flag table (shared with the report driver), so any pprof command line works.
  const f = parseFlags(argv, PPROF_FLAGS);
  const v = f.values;
  const str = (k: string) => String(v[k] ?? '');
  if (v.h) {
    io.stdout.write(pprofUsage());
    return null;
  }
  if (f.positional.length === 0) throw new UsageError('no profile source specified', 'Usage: pprof-plus -http=:8080 [flags] SOURCE...');
  const baseArgs = (v.base as string[]).filter(Boolean);
  const diffBases = (v.diff_base as string[]).filter(Boolean);
  if (baseArgs.length > 0 && diffBases.length > 0) throw new UsageError('-base and -diff_base flags cannot both be specified');
  let sampleIndex = str('sample_index');
  for (const [flag, type] of SAMPLE_ALIASES) {
    if (!v[flag]) continue;
    if (sampleIndex === '') sampleIndex = type;
    else io.stderr.write(`Multiple value selections, ignoring -${flag}\n`);
  }
  const grans = GRANULARITIES.filter((g) => v[g]);
  if (grans.length > 1) throw new UsageError(`conflicting options set: [${grans.join(' ')}]`);
  // `[binary] source...`: an executable first is for symbolization, not a profile.
  const { sources: profileArgs } = await splitExecutable(f.positional, io.cwd);
  const o = {
    http: str('http'),
    sources: profileArgs,
    base: baseArgs.length ? baseArgs : diffBases,
    diffBase: diffBases.length > 0,
    seconds: Number(v.seconds),
    timeout: Number(v.timeout),
    maxDecompressed: f.given.has('max_decompressed') ? parseSize(str('max_decompressed')) : undefined,
    noBrowser: Boolean(v.no_browser),
    sampleIndex,
    focus: str('focus'),
    ignore: str('ignore'),
    hide: str('hide'),
    show: str('show'),
    tagFocus: str('tagfocus'),
    tagIgnore: str('tagignore'),
    showFrom: str('show_from'),
    pruneFrom: str('prune_from'),
    tagShow: str('tagshow'),
    tagHide: str('taghide'),
    normalize: Boolean(v.normalize),
    nodeCount: f.given.has('nodecount') ? Number(v.nodecount) : 0,
    granularity: grans[0] ?? 'functions',
  };
  const { host, port } = parseHostPort(o.http);
  const so: SourceOptions = {
    seconds: o.seconds > 0 ? o.seconds : undefined,
    timeout: o.timeout > 0 ? o.timeout : undefined,
    stderr: io.stderr,
    env: io.env,
    cwd: io.cwd,
    maxBytes: o.maxDecompressed,
  };
  const [sources, bases] = await Promise.all([
    Promise.all(o.sources.map((p) => loadSources(p, so))).then((l) => l.flat()),
    Promise.all(o.base.map((p) => loadAnySource(p, so))),
  ]);
  const base: LoadedSource | null = bases.length === 0 ? null
    : bases.length === 1 ? bases[0]
    : { source: o.base.join(' '), profile: mergeProfiles(bases.map((b) => b.profile)), dump: null };
  const baseMode: BaseMode = base ? (o.diffBase ? 'diff_base' : 'base') : 'none';
  const defaults: ViewParams = {};
  if (o.sampleIndex) defaults.si = o.sampleIndex;
  if (o.focus) defaults.focus = o.focus;
  if (o.ignore) defaults.ignore = o.ignore;
  if (o.hide) defaults.hide = o.hide;
  if (o.show) defaults.show = o.show;
  if (o.tagFocus) defaults.tagfocus = o.tagFocus;
  if (o.tagIgnore) defaults.tagignore = o.tagIgnore;
  if (o.showFrom) defaults.show_from = o.showFrom;
  if (o.pruneFrom) defaults.prune_from = o.pruneFrom;
  if (o.tagShow) defaults.tagshow = o.tagShow;
  if (o.tagHide) defaults.taghide = o.tagHide;
  if (o.normalize) defaults.normalize = '1';
  if (o.nodeCount > 0) defaults.nodecount = String(o.nodeCount);
  if (o.granularity !== 'functions') defaults.granularity = o.granularity;
  const makeSession = (srcs: LoadedSource[]) => new Session({ sources: srcs, base, baseMode, defaults });
  const session = makeSession(sources);
  // One store named alone: the UI browses its targets and time ranges.
  const storeDir = o.sources.length === 1 ? resolve(io.cwd, o.sources[0]) : '';
  const store = storeDir && (await isStoreDir(storeDir)) ? new StoreBrowser(storeDir, o.maxDecompressed, makeSession, session) : undefined;
  const { server, port: bound } = await startServer({ session, webDir: webDir(), boundHost: host, store }, host || 'localhost', port);
  const urlHost = host === '' || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${bound}`;
  io.stderr.write(`Serving web UI on ${url}\n`);
  if (!o.noBrowser) openBrowser(url, io);
  // Compute the first flame graph while the browser loads the page, so it is cached when asked for.
  const addr = server.address();
  const self = typeof addr === 'object' && addr && addr.address !== '::' && addr.address !== '0.0.0.0' ? addr.address : '127.0.0.1';
  setImmediate(() => {
    get({ host: self, port: bound, path: '/api/flame', headers: { host: `localhost:${bound}` } }, (r) => r.resume()).on('error', () => {});
  });
  return {
    server,
    url,
    close: () => new Promise<void>((res) => {
      server.closeAllConnections?.();
      server.close(() => res());
    }),
  };
}

export async function runHttp(argv: string[], io: CommandIO): Promise<number> {
  const h = await startHttp(argv, io);
  if (!h) return 0;
  await new Promise<void>((res) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void h.close().then(res);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
