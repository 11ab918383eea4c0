// Leak, suspect or ok: a group's verdict from its count series and the
// state of its members. Counts in goroutine data are exact (no sampling), so
// growth needs no statistical model: more goroutines at the end than at the
// start, rising in most intervals and still rising in the latest third. A
// growing group whose members are parked (waiting on a channel, select, a
// lock, IO, a sleep) is a leak; growth without that evidence is suspect.
// Wait minutes only appear after a goroutine has been blocked for a minute
// (and a GC has run), so they are extra evidence, never a requirement; the
// same goroutine IDs still parked in later dumps are evidence too.

import { kendallTau } from '../stats.ts';
import { isForeverState, isParkedState } from './states.ts';

export type Verdict = 'leak' | 'suspect' | 'ok';

export interface VerdictInput {
  /** Members per snapshot, in time order. */
  readonly count: readonly number[];
  /** Members per state over the latest snapshot holding the group. */
  readonly states: Readonly<Record<string, number>>;
  /** Largest wait (minutes) per snapshot, or null where the snapshot has no waits. */
  readonly waitMax: ReadonlyArray<number | null>;
  /** Share of the group's goroutines of its first dump that are still in the group in the last dump; null without IDs. */
  readonly persisted: number | null;
  /** A known leak pattern matched. */
  readonly ruleMatched: boolean;
}

export interface VerdictResult {
  readonly verdict: Verdict;
  /** Plain-language evidence, strongest first. */
  readonly evidence: string[];
}

/** Minimum rise (last − first) before a group counts as growing. */
export const MIN_GROWTH = 2;

export function judge(v: VerdictInput): VerdictResult {
  const c = v.count;
  const n = c.length;
  const evidence: string[] = [];
  const total = Object.values(v.states).reduce((a, b) => a + b, 0);
  let parked = 0;
  let unknown = 0;
  let forever = 0;
  for (const [s, k] of Object.entries(v.states)) {
    if (s === '') unknown += k;
    else if (isParkedState(s)) parked += k;
    if (isForeverState(s)) forever += k;
  }
  const known = total - unknown;
  const parkedShare = known > 0 ? parked / known : 0;
  const isParked = known > 0 && parkedShare >= 0.8;
  const last = c[n - 1];

  // Go 1.26+ (goroutineleak, GOEXPERIMENT then default) marks goroutines its
  // GC proved unreachable-while-blocked: no trend is needed for those.
  let leaked = 0;
  for (const [s, k] of Object.entries(v.states)) if (s.includes('(leaked)')) leaked += k;
  if (leaked > 0) {
    return { verdict: 'leak', evidence: [`the runtime's leak detector marked ${leaked} of ${total} goroutines as leaked (blocked on objects no running goroutine can reach)`] };
  }

  const waits = v.waitMax.filter((w): w is number => w !== null);
  const waitsGrow = waits.length >= 2 && waits[waits.length - 1] > waits[0];
  const waitMax = waits.length ? Math.max(...waits) : 0;

  if (n < 2) {
    // One snapshot: no trend. Only states that can never end, or long waits of a
    // known pattern, are worth a word.
    if (forever >= 2) return { verdict: 'suspect', evidence: [`${forever} goroutines blocked on an operation that can never complete (nil channel or empty select)`] };
    if (isParked && v.ruleMatched && waitMax >= 10 && last >= 10) {
      return { verdict: 'suspect', evidence: [`${last} goroutines parked for up to ${waitMax} minutes in a known leak pattern`, 'one snapshot: take several to see a trend'] };
    }
    return { verdict: 'ok', evidence: [] };
  }

  const growth = last - c[0];
  let rises = 0;
  let falls = 0;
  for (let i = 1; i < n; i++) {
    if (c[i] > c[i - 1]) rises++;
    else if (c[i] < c[i - 1]) falls++;
  }
  const w = Math.max(1, Math.ceil((n - 1) / 3));
  const recentRise = c[n - 1] - c[n - 1 - w] > 0;
  const tau = kendallTau(c);
  const growing = growth >= MIN_GROWTH && recentRise && (n === 2 || tau >= 0.5);
  if (!growing) return { verdict: 'ok', evidence: [] };

  evidence.push(`count grew ${c[0]} → ${last} (rising in ${rises} of ${n - 1} intervals${falls ? `, falling in ${falls}` : ''})`);
  if (known > 0) evidence.push(isParked ? `${Math.round(parkedShare * 100)}% of members parked` : `only ${Math.round(parkedShare * 100)}% of members parked`);
  else evidence.push('states unknown (this form of profile does not record them)');
  if (waitsGrow) evidence.push(`longest wait grew ${waits[0]} → ${waits[waits.length - 1]} minutes`);
  if (v.persisted !== null) evidence.push(`${Math.round(v.persisted * 100)}% of the first dump's members still there at the end`);

  const steady = n >= 3 && falls === 0 && rises >= Math.ceil((n - 1) / 2);
  const parkedEnough = isParked || (known === 0 && v.ruleMatched);
  const notReleased = v.persisted === null || v.persisted >= 0.8;
  if (steady && parkedEnough && notReleased) return { verdict: 'leak', evidence };
  if (n < 3) evidence.push('two snapshots: take more to confirm');
  return { verdict: 'suspect', evidence };
}
