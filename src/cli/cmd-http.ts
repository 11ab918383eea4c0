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
import { loadAnySource, type SourceOptions } from '../server/inputs.ts';
import { Session, type BaseMode } from '../server/session.ts';
import { formatUsage, parseFlags, type FlagSpec } from './flags.ts';
import type { CommandIO } from './io.ts';

const SAMPLE_BOOLS = ['inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects', 'total_delay', 'contentions', 'mean_delay'];
const GRANULARITY_BOOLS = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

/** pprof flags that shape text reports, not what the UI shows: accepted so pprof command lines work. */
const IGNORED: [string, FlagSpec['type']][] = [
  ['nodefraction', 'number'],
  ['edgefraction', 'number'],
  ['trim', 'bool'],
  ['call_tree', 'bool'],
  ['relative_percentages', 'bool'],
  ['mean', 'bool'],
  ['noinlines', 'bool'],
  ['compact_labels', 'bool'],
  ['drop_negative', 'bool'],
  ['flat', 'bool'],
  ['cum', 'bool'],
  ['unit', 'string'],
  ['divide_by', 'number'],
  ['source_path', 'string'],
  ['trim_path', 'string'],
  ['symbolize', 'string'],
  ['tls_cert', 'string'],
  ['tls_key', 'string'],
  ['tls_ca', 'string'],
  ['add_comment', 'string'],
  ['tagshow', 'string'],
  ['taghide', 'string'],
  ['prune_from', 'string'],
  ['show_from', 'string'],
  ['buildid', 'string'],
  ['tools', 'string'],
  ['max_decompressed', 'string'],
];

const SPECS: FlagSpec[] = [
  { name: 'http', type: 'string', help: 'Serve the web UI on [host]:port', arg: '[host]:port' },
  { name: 'no_browser', type: 'bool', help: 'Do not open a browser' },
  { name: 'base', type: 'string', help: 'Subtract this profile (diff flame graph)', arg: 'file' },
  { name: 'diff_base', type: 'string', help: 'Compare against this profile; percentages relative to it', arg: 'file' },
  { name: 'sample_index', type: 'string', help: 'Sample type to show (index or name)' },
  { name: 'focus', type: 'string', help: 'Keep only samples with a frame matching this regex' },
  { name: 'ignore', type: 'string', help: 'Drop samples with a frame matching this regex' },
  { name: 'hide', type: 'string', help: 'Drop frames matching this regex' },
  { name: 'show', type: 'string', help: 'Keep only frames matching this regex' },
  { name: 'tagfocus', type: 'string', help: 'Keep samples with a label matching key=regex' },
  { name: 'tagignore', type: 'string', help: 'Drop samples with a label matching key=regex' },
  { name: 'nodecount', type: 'number', default: 80, help: 'Nodes in the call graph' },
  ...SAMPLE_BOOLS.map((n): FlagSpec => ({ name: n, type: 'bool', help: `Same as -sample_index=${n}` })),
  ...GRANULARITY_BOOLS.map((n): FlagSpec => ({ name: n, type: 'bool', help: `Aggregate at ${n} granularity` })),
  { name: 'seconds', type: 'number', help: 'Duration of time-based profiles fetched from URLs' },
  { name: 'timeout', type: 'number', help: 'Timeout in seconds for fetching URLs' },
  ...IGNORED.map(([name, type]): FlagSpec => ({ name, type, help: 'Accepted for go tool pprof compatibility; not used by the web UI' })),
  { name: 'h', type: 'bool', help: 'Show this help', aliases: ['help'] },
];

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
  const f = parseFlags(argv, SPECS);
  if (f.values.h) {
    io.stdout.write(formatUsage('Usage: pprof-plus -http=[host]:port [flags] SOURCE...', SPECS));
    return null;
  }
  const { host, port } = parseHostPort(String(f.values.http));
  if (f.positional.length === 0) throw new UsageError('-http: give at least one profile', 'Usage: pprof-plus -http=:8080 [flags] SOURCE...');
  const baseFile = String(f.values.base || f.values.diff_base || '');
  const baseMode: BaseMode = f.values.diff_base ? 'diff_base' : f.values.base ? 'base' : 'none';
  const so: SourceOptions = {
    seconds: f.given.has('seconds') ? Number(f.values.seconds) : undefined,
    timeout: f.given.has('timeout') ? Number(f.values.timeout) : undefined,
    stderr: io.stderr,
    env: io.env,
    cwd: io.cwd,
  };
  const [sources, base] = await Promise.all([
    Promise.all(f.positional.map((p) => loadAnySource(p, so))),
    baseFile ? loadAnySource(baseFile, so) : Promise.resolve(null),
  ]);
  const defaults: ViewParams = {};
  const str = (k: string) => (f.given.has(k) ? String(f.values[k]) : undefined);
  const si = str('sample_index') ?? SAMPLE_BOOLS.find((n) => f.values[n]);
  if (si) defaults.si = si;
  for (const k of ['focus', 'ignore', 'hide', 'show', 'tagfocus', 'tagignore'] as const) {
    const v = str(k);
    if (v) defaults[k] = v;
  }
  const g = GRANULARITY_BOOLS.find((n) => f.values[n]);
  if (g) defaults.granularity = g as ViewParams['granularity'];
  const session = new Session({ sources, base, baseMode, defaults });
  const { server, port: bound } = await startServer({ session, webDir: webDir(), boundHost: host }, host || 'localhost', port);
  const urlHost = host === '' || host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${bound}`;
  io.stderr.write(`Serving web UI on ${url}\n`);
  if (!f.values.no_browser) openBrowser(url, io);
  // Compute the first flame graph while the browser loads the page, so it is cached when asked for.
  setImmediate(() => {
    get(`http://127.0.0.1:${bound}/api/flame`, { headers: { host: `localhost:${bound}` } }, (r) => r.resume()).on('error', () => {});
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
