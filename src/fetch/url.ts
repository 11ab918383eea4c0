// Turning a command-line source into the URL `go tool pprof` would fetch,
// and the timeout it would allow. Mirrors adjustURL in
// cmd/pprof/pprof.go and google/pprof's internal/driver/fetch.go.

/** The Go pprof CPU handler, which go tool pprof uses for an empty path. */
export const CPU_PROFILE_PATH = '/debug/pprof/profile';

/** Profile names net/http/pprof serves under /debug/pprof/. */
export const GO_PROFILE_NAMES: readonly string[] = [
  'allocs', 'block', 'goroutine', 'heap', 'mutex', 'profile', 'threadcreate',
];

export interface AdjustedURL {
  url: string;
  /** Request time allowed for the profile itself (ms), before the 5 s grace. */
  timeoutMs: number;
  /** Seconds the server spends collecting (0 for an instant profile). */
  durationSec: number;
}

function parse(source: string): URL | null {
  try {
    return new URL(source);
  } catch {
    return null;
  }
}

/**
 * Returns the URL to fetch for `source`, or null when it is not a URL (a
 * file name). Rules, as go tool pprof:
 * - `host:port[/path]` gets `http://` in front;
 * - an empty or `/` path becomes `/debug/pprof/profile` (CPU);
 * - `seconds > 0` sets `?seconds=N`; otherwise an existing `?seconds=` only
 *   feeds the timeout;
 * - timeout: `timeoutSec` if > 0, else 1.5 x seconds, else 60 s.
 * One extension: a bare profile name path (`host:6060/heap`) is taken as
 * `/debug/pprof/heap`, since net/http/pprof serves nothing else there.
 */
export function adjustURL(source: string, seconds = 0, timeoutSec = 0): AdjustedURL | null {
  if (source === '' || source === '-') return null;
  // Go's url.Parse decides first: a scheme is letters before ':'. Without
  // one, a colon in the first path segment is an error, which makes pprof
  // retry with http:// ("127.0.0.1:6060"); a plain path is a file.
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(source);
  let u: URL | null;
  if (scheme) {
    const hasAuthority = source.slice(scheme[0].length).startsWith('//');
    if (scheme[1].toLowerCase() === 'file') return null;
    u = hasAuthority ? parse(source) : parse(`http://${source}`);
    if (u === null && hasAuthority) return null;
  } else {
    const firstSegment = source.split('/')[0];
    if (!firstSegment.includes(':')) return null;
    u = parse(`http://${source}`);
  }
  if (u === null || u.host === '') return null;
  if (!/^(https?|https\+insecure):$/.test(u.protocol)) return null;

  if (u.pathname === '' || u.pathname === '/') u.pathname = CPU_PROFILE_PATH;
  const bare = u.pathname.replace(/^\/+|\/+$/g, '');
  if (GO_PROFILE_NAMES.includes(bare)) u.pathname = `/debug/pprof/${bare}`;

  let duration = 0;
  if (seconds > 0) {
    duration = Math.trunc(seconds);
    u.searchParams.set('seconds', String(duration));
  } else {
    const s = u.searchParams.get('seconds');
    if (s !== null && /^[+-]?\d+$/.test(s)) duration = Math.max(0, Number(s));
  }
  let timeoutMs: number;
  if (timeoutSec > 0) timeoutMs = timeoutSec * 1000;
  else if (duration > 0) timeoutMs = duration * 1500;
  else timeoutMs = 60_000;
  // Go's url.Values.Encode sorts keys.
  const entries = [...u.searchParams.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  u.search = '';
  for (const [k, v] of entries) u.searchParams.append(k, v);
  return { url: u.toString(), timeoutMs, durationSec: duration };
}

/** True when go tool pprof would treat `source` as a URL rather than a file. */
export function isURLSource(source: string): boolean {
  return adjustURL(source) !== null;
}

/** The profile name of a /debug/pprof/<name> URL ('profile' for CPU), or ''. */
export function profileNameOf(url: string): string {
  const u = parse(url);
  if (!u) return '';
  const m = /\/debug\/pprof\/([^/]+)\/?$/.exec(u.pathname);
  return m ? m[1] : '';
}

/** True for loopback hosts: 127.0.0.0/8, ::1 and localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
