// `-http STORE_DIR`: the store's overview (every target × type series with a
// headline value per snapshot) and a session per chosen target and time
// range, loaded from the store on demand.

import { DUMP_TYPE, openStore, type SeriesInfo, type SnapshotStore } from '../collect/store.ts';
import { totalOf } from '../profile/model.ts';
import { UsageError } from '../profile/errors.ts';
import type { StoreResponse, StoreSeries } from './api-types.ts';
import { loadStore, parseAnyKind, type LoadedSource, type StoreSelection } from './inputs.ts';
import type { Session } from './session.ts';

const SHOWN_TYPES = ['heap', 'goroutine', DUMP_TYPE];

/** The part of a request's query that picks from the store: `st` (target key), `from`, `to` (ms). */
export interface StorePick {
  key: string;
  fromMs: number | null;
  toMs: number | null;
}

function parseMs(name: string, v: string | null): number | null {
  if (v === null || v === '') return null;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new UsageError(`${name}: want milliseconds since the epoch, got ${v}`);
  return n;
}

interface CachedSeries {
  firstMs: number;
  times: number[];
  values: number[];
}

export class StoreBrowser {
  private store: SnapshotStore | null = null;
  /** Headline values per series, extended as a collector appends: each snapshot is decoded once. */
  private readonly totals = new Map<string, CachedSeries>();
  /** The last few sessions, by pick: switching back and forth does not reload. */
  private readonly sessions = new Map<string, Promise<Session>>();

  constructor(
    readonly dir: string,
    private readonly maxBytes: number | undefined,
    private readonly makeSession: (sources: LoadedSource[]) => Session,
    /** The session loaded at startup (first target, whole range). */
    private readonly initial: Session,
  ) {}

  private async open(): Promise<SnapshotStore> {
    this.store ??= await openStore(this.dir);
    return this.store;
  }

  private async shownSeries(): Promise<SeriesInfo[]> {
    return (await (await this.open()).series()).filter((s) => SHOWN_TYPES.includes(s.type));
  }

  private inFlight: Promise<StoreResponse> | null = null;

  /** Every shown series with its headline values; concurrent calls share one pass over the store. */
  overview(): Promise<StoreResponse> {
    this.inFlight ??= this.computeOverview().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  private async computeOverview(): Promise<StoreResponse> {
    const store = await this.open();
    const out: StoreSeries[] = [];
    const infos = await this.shownSeries();
    for (const info of infos) {
      const id = `${info.key}/${info.type}`;
      let c = this.totals.get(id);
      // Retention dropped old snapshots (or nothing cached): read it all; else only what was appended.
      if (!c || c.firstMs !== info.firstMs) c = { firstMs: info.firstMs, times: [], values: [] };
      const since = c.times.length ? c.times[c.times.length - 1] + 1 : undefined;
      if (c.times.length < info.count) {
        if (info.type === DUMP_TYPE) {
          for (const d of await store.readGoroutineDumps({ target: info.key, sinceMs: since })) {
            const parsed = parseAnyKind(d.text, d.source, d.timeMs, this.maxBytes);
            c.times.push(d.timeMs);
            c.values.push(parsed.dump ? parsed.dump.goroutines.length : totalOf(parsed.profile, 0));
          }
        } else {
          for (const s of await store.readSnapshots({ target: info.key, type: info.type, sinceMs: since })) {
            const p = s.profile;
            const i = info.type === 'heap' ? p.sampleTypes.findIndex((t) => t.type === 'inuse_space') : 0;
            c.times.push(s.timeMs ?? 0);
            c.values.push(i >= 0 ? totalOf(p, i) : 0);
          }
        }
      }
      this.totals.set(id, c);
      out.push({
        target: info.target,
        key: info.key,
        type: info.type,
        unit: info.type === 'heap' ? 'bytes' : 'goroutines',
        times: c.times.slice(),
        values: c.values.slice(),
      });
    }
    const targets = new Map<string, string>();
    for (const i of infos) if (!targets.has(i.key)) targets.set(i.key, i.target);
    return { isStore: true, dir: this.dir, targets: [...targets].map(([key, target]) => ({ key, target })), series: out };
  }

  /** The pick a request names, or null when it names none (the startup session). */
  pick(u: URL): StorePick | null {
    const key = u.searchParams.get('st') ?? '';
    const fromMs = parseMs('from', u.searchParams.get('from'));
    const toMs = parseMs('to', u.searchParams.get('to'));
    if (key === '' && fromMs === null && toMs === null) return null;
    return { key, fromMs, toMs };
  }

  /** What the startup session shows. */
  async defaultPick(): Promise<StorePick> {
    const first = (await this.shownSeries())[0];
    return { key: first?.key ?? '', fromMs: null, toMs: null };
  }

  async targetOf(key: string): Promise<string> {
    return (await this.shownSeries()).find((s) => s.key === key)?.target ?? key;
  }

  async session(p: StorePick | null): Promise<Session> {
    if (!p) return this.initial;
    const id = `${p.key}|${p.fromMs}|${p.toMs}`;
    let s = this.sessions.get(id);
    if (!s) {
      const sel: StoreSelection = { target: p.key || undefined, sinceMs: p.fromMs ?? undefined, untilMs: p.toMs ?? undefined };
      s = loadStore(this.dir, this.maxBytes, sel).then((sources) => {
        if (sources.length === 0) throw new UsageError(`store: no snapshots of ${p.key || 'the first target'} in the chosen time range`);
        return this.makeSession(sources);
      });
      s.catch(() => this.sessions.delete(id));
      this.sessions.set(id, s);
      if (this.sessions.size > 4) this.sessions.delete(this.sessions.keys().next().value!);
    }
    return s;
  }
}
