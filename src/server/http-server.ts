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
  const routes: Record<string, (u: URL) => unknown> = {
    '/api/meta': () => session.meta(),
    '/api/flame': (u) => session.flame(viewParams(u)),
    '/api/top': (u) => session.top(viewParams(u)),
    '/api/dot': (u) => session.dot(viewParams(u)),
    '/api/peek': (u) => session.peek(viewParams(u), u.searchParams.get('sym') ?? ''),
    '/api/source': (u) => session.source(viewParams(u), u.searchParams.get('sym') ?? ''),
    '/api/leaks': () => session.leaks(),
    '/api/goroutines': (u) => session.goroutines(u.searchParams.get('filter') ?? ''),
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
    const route = routes[u.pathname];
    if (route) {
      try {
        const key = u.pathname + '?' + [...u.searchParams.entries()].sort().map(([k, v]) => `${k}=${v}`).join('&');
        const body = cache.get(key, () => JSON.stringify(route(u)));
        send(res, 200, 'application/json; charset=utf-8', body, head);
      } catch (err) {
        const status = err instanceof UsageError ? 400 : 500;
        const msg = err instanceof Error ? err.message : String(err);
        send(res, status, 'application/json; charset=utf-8', JSON.stringify({ error: msg }), head);
      }
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
