// The `-http` server: the JSON API under /api/ and the UI's static bundle.
// It serves only the files of the bundle (a fixed list, never a path from the
// request) and answers only to Host names that cannot be rebound to us.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostname } from 'node:os';
import { UsageError } from '../profile/errors.ts';
import type { ViewParams } from './api-types.ts';
import { isAllowedHost } from './host-check.ts';
import type { Session } from './session.ts';
import type { StoreBrowser } from './store-browser.ts';

const STATIC: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/app.css': { file: 'app.css', type: 'text/css; charset=utf-8' },
  '/graph-worker.js': { file: 'graph-worker.js', type: 'text/javascript; charset=utf-8' },
};

const CSP = [
  "default-src 'none'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const VIEW_KEYS: readonly (keyof ViewParams)[] = [
  'si', 'focus', 'ignore', 'hide', 'show', 'show_from', 'prune_from', 'tagfocus', 'tagignore', 'tagshow', 'taghide',
  'normalize', 'nodecount', 'granularity', 'depth', 'base', 'target', 'zoom',
];

export interface ServerOptions {
  session: Session;
  /** Directory holding the built UI (dist/web). */
  webDir: string;
  /** The host the user asked to bind ('' for localhost). */
  boundHost: string;
  /** Set when the source is a `pprof-plus collect` store: `st`, `from`, `to` then pick the session. */
  store?: StoreBrowser;
}

function viewParams(u: URL): ViewParams {
  const v: Record<string, string> = {};
  for (const k of VIEW_KEYS) {
    const x = u.searchParams.get(k);
    if (x !== null) v[k] = x;
  }
  return v as ViewParams;
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array, head: boolean): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  });
  res.end(head ? undefined : body);
}

/** Caches the last few answers: the UI re-asks the same view when tabs switch. */
class AnswerCache {
  private readonly m = new Map<string, string>();
  constructor(private readonly max: number) {}
  get(k: string, compute: () => string): string {
    let v = this.m.get(k);
    if (v !== undefined) {
      this.m.delete(k);
      this.m.set(k, v);
      return v;
    }
    v = compute();
    this.m.set(k, v);
    if (this.m.size > this.max) this.m.delete(this.m.keys().next().value!);
    return v;
  }
}

export function createApiHandler(opts: ServerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { session, webDir, boundHost } = opts;
  const machine = hostname();
  const cache = new AnswerCache(16);
  const routes: Record<string, (u: URL, s: Session) => unknown> = {
    '/api/meta': (_u, s) => s.meta(),
    '/api/flame': (u, s) => s.flame(viewParams(u)),
    '/api/top': (u, s) => s.top(viewParams(u)),
    '/api/dot': (u, s) => s.dot(viewParams(u)),
    '/api/peek': (u, s) => s.peek(viewParams(u), u.searchParams.get('sym') ?? ''),
    '/api/source': (u, s) => s.source(viewParams(u), u.searchParams.get('sym') ?? ''),
    '/api/leaks': (_u, s) => s.leaks(),
    '/api/goroutines': (u, s) => s.goroutines(u.searchParams.get('filter') ?? ''),
  };
  const store = opts.store;
  /** The session a request is about: with a store, the target and range it names. */
  const sessionFor = async (u: URL): Promise<Session> => (store ? store.session(store.pick(u)) : session);
  /** Computes a route's answer; with a store, meta also says which target and range it shows. */
  const answer = async (path: string, u: URL): Promise<string> => {
    if (path === '/api/store') {
      // Not cached: a collector may be appending; the browser keeps only new snapshots' totals to decode.
      return JSON.stringify(store ? await store.overview() : { isStore: false, dir: '', targets: [], series: [] });
    }
    const s = await sessionFor(u);
    const key = path + '?' + [...u.searchParams.entries()].sort().map(([k, v]) => `${k}=${v}`).join('&');
    let extra: object = {};
    if (path === '/api/meta' && store) {
      const p = store.pick(u) ?? (await store.defaultPick());
      const k = p.key || (await store.defaultPick()).key;
      const target = await store.targetOf(k);
      // The title names the store and target, not every snapshot loaded from it.
      extra = { title: `${store.dir} — ${target}`, store: { key: k, target, fromMs: p.fromMs, toMs: p.toMs } };
    }
    return cache.get(key, () => JSON.stringify({ ...(routes[path](u, s) as object), ...extra }));
  };
  return (req, res) => {
    const head = req.method === 'HEAD';
    if (!isAllowedHost(req.headers.host, boundHost, machine)) {
      send(res, 403, 'text/plain; charset=utf-8', 'Forbidden: unexpected Host header (DNS rebinding protection)\n', head);
      return;
    }
    if (req.method !== 'GET' && !head) {
      send(res, 405, 'text/plain; charset=utf-8', 'Method not allowed\n', head);
      return;
    }
    let u: URL;
    try {
      u = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      send(res, 400, 'text/plain; charset=utf-8', 'Bad request\n', head);
      return;
    }
    if (routes[u.pathname] || u.pathname === '/api/store') {
      answer(u.pathname, u).then(
        (body) => send(res, 200, 'application/json; charset=utf-8', body, head),
        (err) => {
          const status = err instanceof UsageError ? 400 : 500;
          const msg = err instanceof Error ? err.message : String(err);
          send(res, status, 'application/json; charset=utf-8', JSON.stringify({ error: msg }), head);
        },
      );
      return;
    }
    const st = STATIC[u.pathname];
    if (u.pathname === '/favicon.ico') {
      res.writeHead(204, { 'Cache-Control': 'max-age=86400' });
      res.end();
      return;
    }
    if (!st) {
      send(res, 404, 'text/plain; charset=utf-8', 'Not found\n', head);
      return;
    }
    readFile(join(webDir, st.file)).then(
      (data) => send(res, 200, st.type, data, head),
      () => send(res, 500, 'text/plain; charset=utf-8', 'The web UI is not built: run `npm run build`.\n', head),
    );
  };
}

/** Starts listening; resolves with the server and the port actually bound. */
export function startServer(opts: ServerOptions, host: string, port: number): Promise<{ server: Server; port: number }> {
  const server = createServer(createApiHandler(opts));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const addr = server.address();
      resolve({ server, port: typeof addr === 'object' && addr ? addr.port : port });
    });
  });
}
