// Incident bursts: when a trigger or an alert fires, grab what a person
// debugging the incident wants — heap, a full goroutine dump (debug=2) and
// a CPU profile — into DIR/incidents/<target>/<id>/<timestamp>/, then tell
// a webhook where it is.

import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { httpGet } from '../fetch/http-get.ts';
import { checkProfileResponse } from '../fetch/source.ts';
import { parseProfileData, writeFileAtomic } from '../profile/load.ts';
import { targetKey } from './store.ts';

export interface IncidentRequest {
  target: string;
  /** Rule id or alert name: names the incident directory. */
  id: string;
  reason: string;
  /** What fired: 'trigger' or 'alertmanager'. */
  source: string;
  details?: Record<string, unknown>;
}

export interface BurstOptions {
  dir: string;
  cpuSeconds: number;
  timeoutMs: number;
  notify?: string;
  log: (line: string) => void;
  signal?: AbortSignal;
}

export interface IncidentRecord {
  target: string;
  id: string;
  reason: string;
  source: string;
  time: string;
  dir: string;
  files: string[];
  errors: string[];
  details?: Record<string, unknown>;
}

/** `2026-11-26T21:45:15.123Z` → `20261126T214515.123Z` (sortable, no colons). */
export function stampOf(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, '');
}

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'incident';
}

/** Captures a burst; never throws (failures are listed in incident.json). */
export async function captureBurst(req: IncidentRequest, opts: BurstOptions): Promise<IncidentRecord> {
  const now = Date.now();
  const dir = join(opts.dir, 'incidents', targetKey(req.target), slug(req.id), stampOf(now));
  await mkdir(dir, { recursive: true });
  const files: string[] = [];
  const errors: string[] = [];
  const grab = async (name: string, url: string, timeoutMs: number, validate: boolean): Promise<void> => {
    try {
      const res = await httpGet(url, { timeoutMs, signal: opts.signal, maxBytes: 512 << 20 });
      const body = checkProfileResponse(url, res);
      if (validate) parseProfileData(body, url);
      await writeFileAtomic(join(dir, name), body);
      files.push(name);
    } catch (err) {
      errors.push(`${name}: ${(err as Error).message}`);
    }
  };
  // Heap and goroutines first: they are instant and show the state at the alert.
  await Promise.all([
    grab('heap.pb.gz', `${req.target}/debug/pprof/heap`, opts.timeoutMs, true),
    grab('goroutine.pb.gz', `${req.target}/debug/pprof/goroutine`, opts.timeoutMs, true),
    grab('goroutines.txt', `${req.target}/debug/pprof/goroutine?debug=2`, opts.timeoutMs, false),
  ]);
  if (opts.cpuSeconds > 0) {
    await grab('cpu.pb.gz', `${req.target}/debug/pprof/profile?seconds=${Math.round(opts.cpuSeconds)}`, opts.cpuSeconds * 1500 + 5000, true);
  }
  const record: IncidentRecord = {
    target: req.target, id: req.id, reason: req.reason, source: req.source,
    time: new Date(now).toISOString(), dir, files, errors, details: req.details,
  };
  // Written last: its presence means the burst is complete.
  await writeFileAtomic(join(dir, 'incident.json'), `${JSON.stringify(record, null, 2)}\n`).catch((err) => {
    errors.push(`incident.json: ${(err as Error).message}`);
  });
  opts.log(`incident ${req.id} on ${req.target}: ${req.reason}; captured ${files.join(', ') || 'nothing'} in ${dir}${errors.length ? ` (failed: ${errors.join('; ')})` : ''}`);
  if (opts.notify) await notify(opts.notify, record, opts);
  return record;
}

async function notify(url: string, record: IncidentRecord, opts: BurstOptions): Promise<void> {
  try {
    const res = await httpGet(url, {
      method: 'POST',
      timeoutMs: 10_000,
      body: JSON.stringify({ event: 'pprof-plus.incident', ...record }),
      headers: { 'content-type': 'application/json' },
      maxBytes: 1 << 20,
    });
    if (res.status < 200 || res.status >= 300) opts.log(`notify ${url}: server response: ${res.status} ${res.statusText}`);
  } catch (err) {
    opts.log(`notify ${url}: ${(err as Error).message}`);
  }
}
