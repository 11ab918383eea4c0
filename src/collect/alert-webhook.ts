// An endpoint for Alertmanager's webhook receiver: a firing alert makes the
// collector capture an incident burst of the target it names.
//
// Alertmanager POSTs {"version":"4","status":"firing","alerts":[{"status":
// "firing","labels":{"alertname":..., "instance":...}, ...}]}. The target
// is the one whose host:port equals the alert's `pprof_target` or
// `instance` label; an alert naming none of the collector's targets fires
// for all of them.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { InputError } from '../profile/errors.ts';

export interface AlertFire {
  target: string;
  alertname: string;
  labels: Record<string, string>;
}

const MAX_BODY = 1 << 20;

/** `:9465` → 127.0.0.1:9465 (loopback unless a host is given). */
export function parseListen(spec: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d+)$/.exec(spec);
  if (!m) throw new InputError('', `invalid -listen "${spec}": want [host]:port`);
  const host = m[1] ?? m[2] ?? '';
  return { host: host === '' || host === 'localhost' ? '127.0.0.1' : host, port: Number(m[3]) };
}

function hostPort(url: string): string {
  try {
    return new URL(url.replace(/^https\+insecure:/, 'https:')).host;
  } catch {
    return url;
  }
}

/** Which targets a firing alert is about. */
export function targetsForAlert(labels: Record<string, string>, targets: readonly string[]): string[] {
  const named = labels.pprof_target ?? labels.instance ?? '';
  if (named) {
    const hit = targets.filter((t) => t === named || hostPort(t) === named || hostPort(t) === hostPort(named));
    if (hit.length) return hit;
  }
  return [...targets];
}

/** Extracts firing alerts from a webhook body; throws on a malformed one. */
export function firingAlerts(body: unknown, targets: readonly string[]): AlertFire[] {
  if (typeof body !== 'object' || body === null || !Array.isArray((body as { alerts?: unknown }).alerts)) {
    throw new Error('not an Alertmanager webhook payload (no "alerts" array)');
  }
  const out: AlertFire[] = [];
  for (const a of (body as { alerts: unknown[] }).alerts) {
    if (typeof a !== 'object' || a === null) continue;
    const alert = a as { status?: unknown; labels?: unknown };
    if (alert.status !== undefined && alert.status !== 'firing') continue;
    const labels: Record<string, string> = {};
    if (typeof alert.labels === 'object' && alert.labels !== null) {
      for (const [k, v] of Object.entries(alert.labels)) if (typeof v === 'string') labels[k] = v;
    }
    for (const target of targetsForAlert(labels, targets)) out.push({ target, alertname: labels.alertname ?? 'alert', labels });
  }
  return out;
}

/** Starts the webhook server; `onFire` runs for each firing alert. */
export async function startAlertWebhook(
  listen: string,
  targets: readonly string[],
  onFire: (f: AlertFire) => void,
): Promise<{ server: Server; url: string }> {
  const { host, port } = parseListen(listen);
  const server = createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405, { allow: 'POST', 'content-type': 'text/plain' }).end('POST an Alertmanager webhook payload\n');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('payload too large\n');
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => {
      if (res.writableEnded) return;
      let fires: AlertFire[];
      try {
        fires = firingAlerts(JSON.parse(Buffer.concat(chunks).toString('utf8')), targets);
      } catch (err) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(`${(err as Error).message}\n`);
        return;
      }
      for (const f of fires) onFire(f);
      res.writeHead(202, { 'content-type': 'application/json' }).end(`${JSON.stringify({ accepted: fires.length })}\n`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) => reject(new InputError('', `cannot listen on ${listen}: ${e.message}`)));
    server.listen(port, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  const h = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return { server, url: `http://${h}:${addr.port}/` };
}
