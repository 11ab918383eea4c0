// Trigger rules on collected data:
//   goroutines > 5000
//   inuse_space > 512MiB
//   inuse_space growth > 20% in 10m
// A rule fires when its condition becomes true for a target and re-arms
// once it is false again, so a lasting leak makes one incident, not one per
// round.

import { InputError } from '../profile/errors.ts';
import { sampleTypeIndex, totalOf, type Profile } from '../profile/model.ts';
import { parseDurationMs } from './store.ts';

/** Metrics a rule can watch, and the profile type each comes from. */
export const METRICS: Readonly<Record<string, { type: string; sample: string }>> = {
  goroutines: { type: 'goroutine', sample: 'goroutine' },
  inuse_space: { type: 'heap', sample: 'inuse_space' },
  inuse_objects: { type: 'heap', sample: 'inuse_objects' },
  alloc_space: { type: 'heap', sample: 'alloc_space' },
  alloc_objects: { type: 'heap', sample: 'alloc_objects' },
};

export interface TriggerRule {
  /** The rule as written. */
  text: string;
  /** File-name-safe id, used for the incident directory. */
  id: string;
  metric: string;
  op: '>' | '>=' | '<' | '<=';
  /** Threshold (absolute), or percent for growth rules. */
  value: number;
  /** Growth window in ms; 0 for a threshold rule. */
  windowMs: number;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1, b: 1, k: 1e3, kb: 1e3, m: 1e6, mb: 1e6, g: 1e9, gb: 1e9,
  kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};

export function parseTrigger(text: string): TriggerRule {
  const bad = (why: string): never => {
    throw new InputError('', `invalid -trigger "${text}": ${why} (e.g. 'goroutines > 5000' or 'inuse_space growth > 20% in 10m')`);
  };
  const s = text.trim();
  const growth = /^([a-z_]+)\s+growth\s*(>=|>|<=|<)\s*(\d+(?:\.\d+)?)\s*%\s+in\s+(\S+)$/i.exec(s);
  const threshold = /^([a-z_]+)\s*(>=|>|<=|<)\s*(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(s);
  let rule: Omit<TriggerRule, 'id' | 'text'>;
  if (growth) {
    const windowMs = parseDurationMs(growth[4]);
    if (windowMs === null || windowMs <= 0) bad(`bad window "${growth[4]}"`);
    rule = { metric: growth[1].toLowerCase(), op: growth[2] as TriggerRule['op'], value: Number(growth[3]), windowMs: windowMs as number };
  } else if (threshold) {
    const mul = SIZE_UNITS[threshold[4].toLowerCase()];
    if (mul === undefined) bad(`unknown unit "${threshold[4]}"`);
    rule = { metric: threshold[1].toLowerCase(), op: threshold[2] as TriggerRule['op'], value: Number(threshold[3]) * mul, windowMs: 0 };
  } else {
    return bad('cannot parse');
  }
  if (!(rule.metric in METRICS)) bad(`unknown metric "${rule.metric}" (want ${Object.keys(METRICS).join(', ')})`);
  const id = s.toLowerCase().replace(/>=/g, 'ge').replace(/<=/g, 'le').replace(/>/g, 'gt').replace(/</g, 'lt')
    .replace(/%/g, 'pct').replace(/[^a-z0-9._]+/g, '-').replace(/^-+|-+$/g, '');
  return { ...rule, text: s, id };
}

/** The value of a metric in a profile of its type, or null when absent. */
export function metricValue(metric: string, p: Profile): number | null {
  const m = METRICS[metric];
  if (!m) return null;
  const i = sampleTypeIndex(p, m.sample);
  if (i < 0) {
    // A goroutine profile has one sample type, whatever its name.
    if (metric === 'goroutines' && p.sampleTypes.length === 1) return totalOf(p, 0);
    return null;
  }
  return totalOf(p, i);
}

function compare(op: TriggerRule['op'], a: number, b: number): boolean {
  switch (op) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
  }
}

export interface Firing {
  rule: TriggerRule;
  target: string;
  /** Current metric value. */
  value: number;
  /** Growth rules: the value the growth is measured from, and its time. */
  base?: number;
  baseMs?: number;
  reason: string;
}

/** Per-target metric history and armed state; one instance per collector. */
export class TriggerEvaluator {
  private history = new Map<string, Array<{ t: number; v: number }>>();
  private firing = new Set<string>();
  constructor(readonly rules: readonly TriggerRule[]) {}

  /** Profile types the rules need collected. */
  neededTypes(): string[] {
    return [...new Set(this.rules.map((r) => METRICS[r.metric].type))];
  }

  /** Feeds a new snapshot; returns the rules that fire now. */
  observe(target: string, type: string, p: Profile, timeMs: number): Firing[] {
    const out: Firing[] = [];
    const maxWindow = Math.max(0, ...this.rules.map((r) => r.windowMs));
    for (const metric of new Set(this.rules.map((r) => r.metric))) {
      if (METRICS[metric].type !== type) continue;
      const v = metricValue(metric, p);
      if (v === null) continue;
      const hkey = `${target}\u0000${metric}`;
      const h = this.history.get(hkey) ?? [];
      h.push({ t: timeMs, v });
      // Keep just enough history for the longest window (plus one older point).
      while (h.length > 2 && h[1].t <= timeMs - maxWindow) h.shift();
      this.history.set(hkey, h);
      for (const rule of this.rules) {
        if (rule.metric !== metric) continue;
        const f = this.check(rule, target, v, h, timeMs);
        const fkey = `${target}\u0000${rule.text}`;
        if (f && !this.firing.has(fkey)) {
          this.firing.add(fkey);
          out.push(f);
        } else if (!f) this.firing.delete(fkey);
      }
    }
    return out;
  }

  private check(rule: TriggerRule, target: string, v: number, h: Array<{ t: number; v: number }>, now: number): Firing | null {
    if (rule.windowMs === 0) {
      return compare(rule.op, v, rule.value) ? { rule, target, value: v, reason: `${rule.metric} = ${v} (${rule.text})` } : null;
    }
    // Base: the newest point at least a window old. No such point yet: no verdict.
    let base: { t: number; v: number } | undefined;
    for (const p of h) if (p.t <= now - rule.windowMs) base = p;
    if (!base || base.v <= 0) return null;
    const pct = ((v - base.v) / base.v) * 100;
    if (!compare(rule.op, pct, rule.value)) return null;
    return {
      rule, target, value: v, base: base.v, baseMs: base.t,
      reason: `${rule.metric} grew ${pct.toFixed(1)}% (${base.v} → ${v}) in ${Math.round((now - base.t) / 1000)}s (${rule.text})`,
    };
  }
}
