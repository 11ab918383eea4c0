// Profiles from running services: fetch a URL the way `go tool pprof`
// does, judge the answer by its content, and save a copy as pprof does.
//
// Callers: the pprof driver (cmd-pprof.ts) for URL sources, `leaks` and
// `goroutines` for live targets, and the collector.

import { mkdir, open } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { InputError } from '../profile/errors.ts';
import { encodeProfileGzip, isGzip, parseProfileData } from '../profile/load.ts';
import type { Profile } from '../profile/model.ts';
import { httpGet, type GetResult } from './http-get.ts';
import { adjustURL } from './url.ts';

export { adjustURL, isURLSource, profileNameOf } from './url.ts';

export interface FetchOptions {
  /** `-seconds`: sets `?seconds=N` (CPU, delta heap/allocs, block, mutex). */
  seconds?: number;
  /** `-timeout` in seconds; default 1.5 x seconds, else 60 s. */
  timeout?: number;
  /** Where progress and notices go. */
  stderr: NodeJS.WritableStream;
  /** Show a live countdown while a timed profile is collected. */
  isTTY?: boolean;
  /** Add `gc=1` (heap: run a GC first so the numbers are current). */
  gc?: boolean;
  /** Suppress the "Fetching profile over HTTP" lines (the collector's own log says it). */
  quiet?: boolean;
  /** Largest response accepted (bytes). */
  maxBytes?: number;
  signal?: AbortSignal;
}

export interface FetchedProfile {
  /** The body as served: gzipped proto, or legacy/debug text. */
  data: Uint8Array;
  /** The URL actually fetched (after shorthand expansion and ?seconds=). */
  url: string;
}

/** Go's http.Client in pprof allows the profile timeout plus this grace. */
const GRACE_MS = 5000;

/**
 * Fetches a profile. Throws an InputError with one clear line when the
 * target is down, slow, answers 404 (pprof not enabled), an error status, or
 * something that is not a profile (an HTML or JSON page).
 */
export async function fetchProfile(source: string, opts: FetchOptions): Promise<FetchedProfile> {
  const adj = adjustURL(source, opts.seconds ?? 0, opts.timeout ?? 0);
  if (!adj) throw new InputError(source, 'not a URL (want http://host:port/debug/pprof/<profile> or host:port)');
  let url = adj.url;
  if (opts.gc) {
    const u = new URL(url);
    u.searchParams.set('gc', '1');
    url = u.toString();
  }
  if (!opts.quiet) {
    opts.stderr.write(`Fetching profile over HTTP from ${url}\n`);
    if (adj.durationSec > 0) opts.stderr.write(`Please wait... (${adj.durationSec}s)\n`);
  }
  const stopCountdown = adj.durationSec > 0 && opts.isTTY && !opts.quiet
    ? startCountdown(opts.stderr, adj.durationSec)
    : () => {};
  let res: GetResult;
  try {
    res = await httpGet(url, { timeoutMs: adj.timeoutMs + GRACE_MS, maxBytes: opts.maxBytes, signal: opts.signal });
  } finally {
    stopCountdown();
  }
  return { data: checkProfileResponse(url, res), url };
}

/** A countdown on one terminal line, erased when done. */
function startCountdown(out: NodeJS.WritableStream, seconds: number): () => void {
  let left = seconds;
  const draw = (): void => {
    out.write(`\r\x1b[KCollecting profile: ${left}s left`);
  };
  draw();
  const timer = setInterval(() => {
    left = Math.max(0, left - 1);
    draw();
  }, 1000);
  return () => {
    clearInterval(timer);
    out.write('\r\x1b[K');
  };
}

/**
 * The body of a profile response, or an InputError saying what came back
 * instead. Judged by status and content, never by Content-Type alone:
 * proxies label error pages as anything.
 */
export function checkProfileResponse(url: string, res: GetResult): Uint8Array {
  if (res.status !== 200) {
    const ctype = String(res.headers['content-type'] ?? '');
    const status = `${res.status} ${res.statusText}`.trim();
    if (res.headers['x-go-pprof'] !== undefined && ctype.includes('text/plain')) {
      const msg = new TextDecoder().decode(res.body.subarray(0, 500)).trim().split('\n')[0];
      return fail(url, `server response: ${status} - ${msg}`);
    }
    if (res.status === 404) {
      return fail(url, `server response: ${status} (no profile at this path: is net/http/pprof imported and served here?)`);
    }
    return fail(url, `server response: ${status}`);
  }
  const body = res.body;
  if (body.length === 0) return fail(url, 'empty response, not a profile');
  if (isGzip(body)) return body;
  const head = new TextDecoder().decode(body.subarray(0, 256)).replace(/^\uFEFF/, '').trimStart();
  const lower = head.toLowerCase();
  if (lower.startsWith('<!doctype') || lower.startsWith('<html') || lower.startsWith('<head') || lower.startsWith('<body')) {
    return fail(url, 'got an HTML page, not a profile (a login page, proxy error or the wrong port?)');
  }
  if (head.startsWith('{') || head.startsWith('[')) {
    return fail(url, 'got JSON, not a profile (the wrong path or port?)');
  }
  if (/^\d{3} [A-Za-z]/.test(head) || /^404 page not found/.test(head)) {
    return fail(url, `got an error text "${head.split('\n')[0].slice(0, 60)}", not a profile`);
  }
  return body;
}

function fail(url: string, msg: string): never {
  throw new InputError(url, msg);
}

/** Fetches and parses in one step (the collector and `leaks URL` use this). */
export async function fetchAndParse(source: string, opts: FetchOptions): Promise<{ profile: Profile; url: string; data: Uint8Array }> {
  const { data, url } = await fetchProfile(source, opts);
  return { profile: parseProfileData(data, url), url, data };
}

/**
 * The directory pprof saves fetched profiles in: the first usable of
 * $PPROF_TMPDIR, $HOME/pprof, the system temp dir.
 */
export async function profileSaveDir(env: NodeJS.ProcessEnv, stderr?: NodeJS.WritableStream): Promise<string> {
  const dirs: string[] = [];
  if (env.PPROF_TMPDIR) dirs.push(env.PPROF_TMPDIR);
  const home = env.HOME ?? env.USERPROFILE ?? homedir();
  if (home) dirs.push(join(home, 'pprof'));
  dirs.push(env.TMPDIR || tmpdir());
  for (const d of dirs) {
    try {
      await mkdir(d, { recursive: true, mode: 0o755 });
      return d;
    } catch (err) {
      stderr?.write(`Could not use temp dir ${d}: ${(err as Error).message}\n`);
    }
  }
  throw new InputError('', 'no usable directory to save the profile in');
}

/** `pprof.<binary>.<type1>.<type2>…` as pprof names saved profiles. */
export function savedProfilePrefix(p: Profile): string {
  let prefix = 'pprof.';
  if (p.mappings.length > 0 && p.mappings[0].file !== '') prefix += `${basename(p.mappings[0].file)}.`;
  for (const t of p.sampleTypes) prefix += `${t.type}.`;
  return prefix;
}

/**
 * Saves a fetched profile as pprof does: `<dir>/pprof.<binary>.<types>.NNN.pb.gz`
 * with the first free NNN, and prints `Saved profile in <path>` on stderr
 * when given. Bytes that are already gzipped proto are written as served;
 * anything else is parsed and written as gzipped proto.
 */
export async function saveFetchedProfile(
  profileOrBytes: Profile | Uint8Array,
  env: NodeJS.ProcessEnv,
  stderr?: NodeJS.WritableStream,
): Promise<string> {
  let profile: Profile;
  let bytes: Uint8Array;
  if (profileOrBytes instanceof Uint8Array) {
    profile = parseProfileData(profileOrBytes, 'fetched profile');
    bytes = isGzip(profileOrBytes) ? profileOrBytes : encodeProfileGzip(profile);
  } else {
    profile = profileOrBytes;
    bytes = encodeProfileGzip(profile);
  }
  const dir = await profileSaveDir(env, stderr);
  const prefix = savedProfilePrefix(profile);
  for (let index = 1; index < 10000; index++) {
    const path = join(dir, `${prefix}${String(index).padStart(3, '0')}.pb.gz`);
    let fh;
    try {
      fh = await open(path, 'wx', 0o666);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw new InputError(path, `could not save profile: ${(err as Error).message}`);
    }
    try {
      await fh.writeFile(bytes);
    } finally {
      await fh.close();
    }
    stderr?.write(`Saved profile in ${path}\n`);
    return path;
  }
  throw new InputError(dir, `could not create file of the form ${prefix}001.pb.gz`);
}
