// The UI's state lives in the URL query, so a link reproduces the view.

import type { ViewParams } from '../../src/server/api-types.ts';

export type ViewName = 'flame' | 'top' | 'graph' | 'source' | 'peek' | 'leaks' | 'goroutines';

export interface UIState extends ViewParams {
  view?: ViewName;
  /** Flame graph search regex. */
  q?: string;
  icicle?: string;
  /** Symbol regex for source/peek. */
  sym?: string;
  /** Goroutine filter. */
  gf?: string;
  nodecount?: string;
  /** Flame graph zoom fetched from the server: JSON array of names from the root. */
  zoom?: string;
  /** Store target key, and time range in ms since the epoch (`-http STORE_DIR`). */
  st?: string;
  from?: string;
  to?: string;
}

export const VIEW_KEYS = [
  'si', 'focus', 'ignore', 'hide', 'show', 'show_from', 'prune_from', 'tagfocus', 'tagignore', 'tagshow', 'taghide',
  'normalize', 'granularity', 'depth', 'base', 'target', 'st', 'from', 'to',
] as const;
/** The parameters that pick a store's target and range: every query carries them. */
export const STORE_KEYS = ['st', 'from', 'to'] as const;
const ALL_KEYS = [...VIEW_KEYS, 'view', 'q', 'icicle', 'sym', 'gf', 'nodecount', 'zoom'] as const;

export function readState(): UIState {
  const u = new URLSearchParams(location.search);
  const s: Record<string, string> = {};
  for (const k of ALL_KEYS) {
    const v = u.get(k);
    if (v !== null && v !== '') s[k] = v;
  }
  return s as UIState;
}

export function writeState(s: UIState): void {
  const u = new URLSearchParams();
  for (const k of ALL_KEYS) {
    const v = (s as Record<string, string | undefined>)[k];
    if (v !== undefined && v !== '') u.set(k, v);
  }
  const qs = u.toString();
  history.replaceState(null, '', qs ? `?${qs}` : location.pathname);
}

/** The query string of the data-shaping parameters only (what the server needs). */
export function viewQuery(s: UIState, extra: Record<string, string | undefined> = {}): string {
  const u = new URLSearchParams();
  for (const k of VIEW_KEYS) {
    const v = s[k];
    if (v !== undefined && v !== '') u.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') u.set(k, v);
  return u.toString();
}

/** The query string of the store pick only (meta, leaks, goroutines). */
export function storeQuery(s: UIState, extra: Record<string, string | undefined> = {}): string {
  const u = new URLSearchParams();
  for (const k of STORE_KEYS) {
    const v = s[k];
    if (v !== undefined && v !== '') u.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined && v !== '') u.set(k, v);
  return u.toString();
}

export async function getJSON<T>(path: string): Promise<T> {
  const r = await fetch(path);
  const body = await r.json();
  if (!r.ok) throw new Error(body?.error ?? `${r.status} ${r.statusText}`);
  return body as T;
}
