// One bounded HTTP GET for a profile, with errors a user can act on.
// node:http rather than fetch(): it reports ECONNREFUSED and friends
// directly, lets us cap the body size, and honours https+insecure.

import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { InputError } from '../profile/errors.ts';

export interface GetOptions {
  /** Whole-request deadline in ms (headers and body). */
  timeoutMs: number;
  /** Largest body accepted. */
  maxBytes?: number;
  signal?: AbortSignal;
  method?: 'GET' | 'POST';
  body?: Uint8Array | string;
  headers?: Record<string, string>;
}

export interface GetResult {
  status: number;
  statusText: string;
  headers: IncomingMessage['headers'];
  body: Uint8Array;
}

const DEFAULT_MAX_BODY = 1 << 30;

/**
 * Performs the request and returns status, headers and body. Transport
 * failures become InputErrors naming the URL; HTTP statuses are returned
 * for the caller to judge.
 */
export function httpGet(url: string, opts: GetOptions): Promise<GetResult> {
  let target = url;
  let insecure = false;
  if (target.startsWith('https+insecure://')) {
    target = `https://${target.slice('https+insecure://'.length)}`;
    insecure = true;
  }
  const u = new URL(target);
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BODY;
  const seconds = (opts.timeoutMs / 1000).toFixed(opts.timeoutMs % 1000 === 0 ? 0 : 1);
  return new Promise<GetResult>((resolve, reject) => {
    let settled = false;
    const onAbort = (): void => fail(new InputError(url, 'request cancelled'));
    const cleanup = (): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: Error): void => {
      if (settled) return;
      settled = true;
      cleanup();
      req.destroy();
      reject(err);
    };
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(
      u,
      {
        method: opts.method ?? 'GET',
        headers: { 'user-agent': 'pprof-plus', ...opts.headers },
        ...(insecure ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) {
            fail(new InputError(url, `response larger than ${maxBytes} bytes; refusing it`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          cleanup();
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            body: new Uint8Array(Buffer.concat(chunks)),
          });
        });
        res.on('aborted', () => fail(new InputError(url, 'connection closed before the whole response arrived')));
        res.on('error', (e) => fail(transportError(url, e)));
      },
    );
    const timer = setTimeout(() => {
      fail(new InputError(url, `no complete answer within ${seconds}s (timed out; raise it with -timeout)`));
    }, opts.timeoutMs);
    req.on('error', (e) => fail(transportError(url, e)));
    if (opts.signal) {
      if (opts.signal.aborted) onAbort();
      else opts.signal.addEventListener('abort', onAbort, { once: true });
    }
    if (opts.body !== undefined) req.end(opts.body);
    else req.end();
  });
}

function transportError(url: string, e: Error): InputError {
  const code = (e as NodeJS.ErrnoException).code ?? '';
  const host = (() => {
    try {
      return new URL(url.replace(/^https\+insecure:/, 'https:')).host;
    } catch {
      return url;
    }
  })();
  switch (code) {
    case 'ECONNREFUSED':
      return new InputError(url, `connection refused: nothing listens on ${host} (is the service running?)`);
    case 'ECONNRESET':
      return new InputError(url, 'connection reset by the server');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new InputError(url, `cannot resolve host ${host}`);
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return new InputError(url, `host ${host} unreachable`);
    case 'ETIMEDOUT':
      return new InputError(url, 'connection timed out');
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_VERSION':
    case 'HPE_INVALID_HEADER_TOKEN':
      return new InputError(url, 'the server did not answer with HTTP');
    default:
      return new InputError(url, `http fetch: ${e.message}`);
  }
}
