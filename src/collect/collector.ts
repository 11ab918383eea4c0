// The collector loop: every interval, fetch each type from each target,
// append to the store, run trigger rules, apply retention. A target that is
// down or answers badly costs one log line and is retried with backoff; it
// never stops the others. Stops after `count` rounds or when `signal` aborts.

import type { Server } from 'node:http';
import { httpGet } from '../fetch/http-get.ts';
import { checkProfileResponse } from '../fetch/source.ts';
import { InputError } from '../profile/errors.ts';
import { parseProfileData } from '../profile/load.ts';
import type { Profile } from '../profile/model.ts';
import { startAlertWebhook } from './alert-webhook.ts';
import { captureBurst } from './incident.ts';
import { DUMP_TYPE, StoreWriter, type Retention } from './store.ts';
import { typeURL } from './targets.ts';
import { TriggerEvaluator, type TriggerRule } from './triggers.ts';

export interface CollectorConfig {
  dir: string;
  targets: string[];
  types: string[];
  everyMs: number;
  /** Rounds to run; 0 runs until `signal` aborts. */
  count: number;
  retain: Retention;
  triggers: TriggerRule[];
  /** Alertmanager webhook listen address, or '' for none. */
  listen: string;
  notify: string;
  burstCpuSeconds: number;
  /** Duration of each `cpu` snapshot. */
  cpuSeconds: number;
  /** Per-request timeout for instant profiles. */
  timeoutMs: number;
  log: (line: string) => void;
  signal: AbortSignal;
  /** Called once the webhook listens (tests and the startup line use it). */
  onListening?: (url: string) => void;
}

export interface CollectStats {
  rounds: number;
  stored: number;
  failed: number;
  incidents: number;
}

interface TargetState {
  /** Consecutive rounds in which every fetch failed. */
  failures: number;
  nextTryMs: number;
  /** Last error per type, so each distinct problem is logged once. */
  errors: Map<string, string>;
  /** Incident bursts run one at a time per target; this chains them. */
  bursts: Promise<unknown>;
  pendingBursts: number;
}

/** Bursts waiting per target beyond which new ones are dropped (with a log line). */
const MAX_PENDING_BURSTS = 3;

export async function runCollector(cfg: CollectorConfig): Promise<CollectStats> {
  const writer = await StoreWriter.open(cfg.dir);
  const evaluator = new TriggerEvaluator(cfg.triggers);
  const types = [...cfg.types];
  for (const t of evaluator.neededTypes()) {
    if (!types.includes(t)) {
      types.push(t);
      cfg.log(`collecting ${t} too: a trigger rule needs it`);
    }
  }
  // CPU takes seconds; run it last so instant profiles keep their rhythm.
  types.sort((a, b) => Number(a === 'cpu') - Number(b === 'cpu'));
  const stats: CollectStats = { rounds: 0, stored: 0, failed: 0, incidents: 0 };
  const state = new Map<string, TargetState>(cfg.targets.map((t) => [t, {
    failures: 0, nextTryMs: 0, errors: new Map(), bursts: Promise.resolve(), pendingBursts: 0,
  }]));
  const pending = new Set<Promise<unknown>>();
  const burst = (target: string, id: string, reason: string, source: string, details?: Record<string, unknown>): void => {
    const st = state.get(target);
    if (!st) return;
    if (st.pendingBursts >= MAX_PENDING_BURSTS) {
      cfg.log(`incident ${id} on ${target}: ${st.pendingBursts} bursts already queued; skipped`);
      return;
    }
    st.pendingBursts++;
    stats.incidents++;
    const run = (): Promise<unknown> => captureBurst({ target, id, reason, source, details }, {
      dir: cfg.dir, cpuSeconds: cfg.burstCpuSeconds, timeoutMs: cfg.timeoutMs, notify: cfg.notify || undefined,
      log: cfg.log, signal: cfg.signal,
    }).catch((err) => cfg.log(`incident ${id} on ${target}: ${(err as Error).message}`));
    const p: Promise<unknown> = st.bursts.then(run).finally(() => {
      st.pendingBursts--;
      pending.delete(p);
    });
    st.bursts = p;
    pending.add(p);
  };

  let server: Server | null = null;
  if (cfg.listen) {
    const w = await startAlertWebhook(cfg.listen, cfg.targets, (f) => {
      burst(f.target, f.alertname, `Alertmanager alert ${f.alertname} firing`, 'alertmanager', { labels: f.labels });
    });
    server = w.server;
    cfg.log(`alert webhook listening on ${w.url}`);
    cfg.onListening?.(w.url);
  }

  const retentionEveryMs = Math.min(60_000, 10 * cfg.everyMs);
  let lastRetention = -Infinity;
  const retain = async (): Promise<void> => {
    if (!cfg.retain) return;
    try {
      const n = await writer.applyRetention(cfg.retain, Date.now());
      if (n > 0) cfg.log(`retention: removed ${n} old snapshots`);
    } catch (err) {
      cfg.log(`retention: ${(err as Error).message}`);
    }
    lastRetention = Date.now();
  };

  const collectTarget = async (target: string, st: TargetState): Promise<void> => {
    let ok = 0;
    let failed = 0;
    for (const type of types) {
      if (cfg.signal.aborted) return;
      const url = typeURL(target, type, cfg.cpuSeconds);
      try {
        const timeoutMs = type === 'cpu' ? cfg.cpuSeconds * 1500 + 5000 : cfg.timeoutMs;
        const res = await httpGet(url, { timeoutMs, signal: cfg.signal, maxBytes: 512 << 20 });
        const body = checkProfileResponse(url, res);
        const timeMs = Date.now();
        if (type === DUMP_TYPE) {
          if (!/^\s*goroutine \d+ \[/.test(new TextDecoder().decode(body.subarray(0, 200)))) {
            throw new InputError(url, 'not a debug=2 goroutine dump');
          }
          await writer.appendDump(target, body, timeMs, url);
        } else {
          const profile: Profile = parseProfileData(body, url);
          await writer.appendProfile(target, type, profile, timeMs, url);
          for (const f of evaluator.observe(target, type, profile, timeMs)) {
            burst(target, f.rule.id, f.reason, 'trigger', { rule: f.rule.text, value: f.value, base: f.base });
          }
        }
        stats.stored++;
        ok++;
        if (st.errors.has(type)) st.errors.delete(type);
      } catch (err) {
        if (cfg.signal.aborted) return;
        stats.failed++;
        failed++;
        const msg = (err as Error).message;
        // Down or unreachable: the other types would fail the same way, so
        // this is said once for the target, not per type.
        const down = /connection refused|timed out|cannot resolve|unreachable|connection reset/.test(msg);
        const key = down && msg.startsWith(url) ? `${target}${msg.slice(url.length)}` : msg;
        if (st.errors.get(type) !== key) {
          if (![...st.errors.values()].includes(key)) cfg.log(`${key}; will retry`);
          st.errors.set(type, key);
        }
        if (down) {
          for (const t of types) st.errors.set(t, key);
          break;
        }
      }
    }
    const now = Date.now();
    if (ok === 0 && failed > 0) {
      st.failures++;
      const cap = Math.max(cfg.everyMs, Math.min(4 * cfg.everyMs, 120_000));
      st.nextTryMs = now + Math.min(cap, cfg.everyMs * 2 ** (st.failures - 1));
    } else {
      if (st.failures > 0) cfg.log(`${target}: back after ${st.failures} failed round(s)`);
      st.failures = 0;
      st.nextTryMs = 0;
    }
  };

  cfg.log(`collecting ${types.join(',')} from ${cfg.targets.join(', ')} every ${cfg.everyMs}ms into ${cfg.dir}`);
  await retain();
  const t0 = Date.now();
  let slot = 0;
  try {
    while (!cfg.signal.aborted && (cfg.count === 0 || stats.rounds < cfg.count)) {
      const now = Date.now();
      await Promise.all(cfg.targets.map((t) => {
        const st = state.get(t)!;
        return now >= st.nextTryMs ? collectTarget(t, st) : Promise.resolve();
      }));
      stats.rounds++;
      if (Date.now() - lastRetention >= retentionEveryMs) await retain();
      if (cfg.count !== 0 && stats.rounds >= cfg.count) break;
      // Fixed rate: the next slot after now (skips slots a slow round overran).
      slot = Math.max(slot + 1, Math.ceil((Date.now() - t0) / cfg.everyMs));
      await sleep(t0 + slot * cfg.everyMs - Date.now(), cfg.signal);
    }
  } finally {
    await Promise.all([...pending]);
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    await retain();
    await writer.close();
    cfg.log(`stopped after ${stats.rounds} round(s): ${stats.stored} snapshots stored, ${stats.failed} failed fetches, ${stats.incidents} incidents`);
  }
  return stats;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (ms <= 0 || signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
