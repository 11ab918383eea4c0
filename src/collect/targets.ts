// What the collector fetches: a target's base URL and, per profile type,
// the endpoint net/http/pprof serves it at.

import { InputError } from '../profile/errors.ts';
import { DUMP_TYPE } from './store.ts';

/** Types `--types` accepts. */
export const COLLECT_TYPES: readonly string[] = ['heap', 'goroutine', 'allocs', 'block', 'mutex', 'threadcreate', 'cpu', DUMP_TYPE];

/**
 * Normalizes `--target`: `host:port`, `http://host:port`, or a URL with a
 * `/debug/pprof/...` path (the path is dropped) → `http://host:port[/prefix]`.
 * A path before `/debug/pprof` is kept, for services mounted under a prefix.
 */
export function normalizeTarget(spec: string): string {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(spec) ? spec : `http://${spec}`;
  let u: URL;
  try {
    u = new URL(withScheme);
  } catch {
    throw new InputError(spec, 'not a target URL (want host:port or http://host:port)');
  }
  if (!/^(https?|https\+insecure):$/.test(u.protocol) || u.host === '') {
    throw new InputError(spec, 'not a target URL (want host:port or http://host:port)');
  }
  const i = u.pathname.indexOf('/debug/pprof');
  const prefix = (i >= 0 ? u.pathname.slice(0, i) : u.pathname).replace(/\/+$/, '');
  return `${u.protocol}//${u.host}${prefix}`;
}

/** URL of one profile type on a target. */
export function typeURL(base: string, type: string, cpuSeconds: number): string {
  switch (type) {
    case 'cpu':
      return `${base}/debug/pprof/profile?seconds=${Math.max(1, Math.round(cpuSeconds))}`;
    case DUMP_TYPE:
      return `${base}/debug/pprof/goroutine?debug=2`;
    default:
      return `${base}/debug/pprof/${type}`;
  }
}

/** Parses `--types heap,goroutine,...`. */
export function parseTypes(spec: string): string[] {
  const types = spec.split(',').map((t) => t.trim()).filter(Boolean);
  for (const t of types) {
    if (!COLLECT_TYPES.includes(t)) {
      throw new InputError('', `unknown profile type "${t}" in -types (want ${COLLECT_TYPES.join(', ')})`);
    }
  }
  if (types.length === 0) throw new InputError('', '-types names no profile type');
  return [...new Set(types)];
}
