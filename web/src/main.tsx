// The pprof-plus web UI: tabs over one set of view parameters kept in the URL.

import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type {
  DotResponse,
  FlameResponse,
  GoroutinesResponse,
  LeaksResponse,
  MetaResponse,
  StoreResponse,
  TextResponse,
  TopResponse,
} from '../../src/server/api-types.ts';
import { FlameView } from './flame-view.tsx';
import { TopView } from './top-view.tsx';
import { GraphView } from './graph-view.tsx';
import { LeaksView } from './leaks-view.tsx';
import { GoroutinesView } from './goroutines-view.tsx';
import { Controls } from './controls.tsx';
import { StorePanel, type StorePickChange } from './store-view.tsx';
import { escapeRegex } from './format.ts';
import { STORE_KEYS, VIEW_KEYS, getJSON, readState, storeQuery, viewQuery, writeState, type UIState, type ViewName } from './state.ts';

function useData<T>(path: string | null): { data: T | null; error: string; loading: boolean } {
  const [st, setSt] = useState<{ data: T | null; error: string; loading: boolean; path: string | null }>({ data: null, error: '', loading: false, path: null });
  useEffect(() => {
    if (!path) return;
    let live = true;
    setSt((s) => ({ ...s, loading: true, error: '', path }));
    getJSON<T>(path).then(
      (data) => live && setSt({ data, error: '', loading: false, path }),
      (err) => live && setSt({ data: null, error: String(err.message ?? err), loading: false, path }),
    );
    return () => {
      live = false;
    };
  }, [path]);
  return st;
}

function TextView({ kind, state, set }: { kind: 'source' | 'peek'; state: UIState; set: (p: Partial<UIState>) => void }) {
  const [sym, setSym] = useState(state.sym ?? '');
  const path = state.sym ? `/api/${kind}?${viewQuery(state, { sym: state.sym })}` : null;
  const { data, error, loading } = useData<TextResponse>(path);
  return (
    <div>
      <form class="flame-bar" onSubmit={(e) => { e.preventDefault(); set({ sym }); }}>
        <input type="text" name="sym" placeholder="function regex" value={sym} onInput={(e) => setSym((e.target as HTMLInputElement).value)} style={{ width: '260px' }} />
        <button type="submit">{kind === 'source' ? 'List' : 'Peek'}</button>
        <span class="muted">{kind === 'source' ? 'Per-line flat and cum of matching functions (like -list).' : 'Callers and callees of matching functions (like -peek).'}</span>
      </form>
      {loading && <p class="muted">loading…</p>}
      {error && <p class="error">{error}</p>}
      {data && <pre class="text" data-testid="text">{data.text}</pre>}
    </div>
  );
}

function App() {
  const [state, setState] = useState<UIState>(readState());
  const sq = storeQuery(state);
  const meta = useData<MetaResponse>(`/api/meta${sq ? `?${sq}` : ''}`);
  const set = (p: Partial<UIState>) =>
    setState((s) => {
      const n = { ...s, ...p };
      // A zoom path belongs to one view of the data: changing the data drops it.
      if (!('zoom' in p) && VIEW_KEYS.some((k) => k in p && p[k] !== s[k])) n.zoom = undefined;
      writeState(n);
      return n;
    });
  const m = meta.data;
  const storeData = useData<StoreResponse>(m?.store ? '/api/store' : null);
  /** A new target or range: snapshot numbers (target, base) and zoom belong to the old series. */
  const pickStore = (p: StorePickChange) => set({ ...p, target: undefined, base: undefined, zoom: undefined });
  const multi = (m?.snapshots.length ?? 0) >= 2;
  const onlyGoroutines = m !== null && m.hasGoroutines && m.sampleTypes.length === 1 && m.sampleTypes[0].type === 'goroutine';
  const view: ViewName = state.view ?? (onlyGoroutines ? 'goroutines' : 'flame');
  const q = viewQuery(state);
  const flame = useData<FlameResponse>(m && view === 'flame' ? `/api/flame?${viewQuery(state, { zoom: state.zoom })}` : null);
  const top = useData<TopResponse>(m && view === 'top' ? `/api/top?${q}` : null);
  const dot = useData<DotResponse>(m && view === 'graph' ? `/api/dot?${viewQuery(state, { nodecount: state.nodecount })}` : null);
  const leaks = useData<LeaksResponse>(m && view === 'leaks' ? `/api/leaks${sq ? `?${sq}` : ''}` : null);
  const gor = useData<GoroutinesResponse>(m && view === 'goroutines' ? `/api/goroutines?${storeQuery(state, { filter: state.gf ?? '' })}` : null);

  if (meta.error) {
    const picked = STORE_KEYS.some((k) => state[k] !== undefined);
    return (
      <p class="error">
        {meta.error}{' '}
        {picked && <button onClick={() => pickStore({ st: undefined, from: undefined, to: undefined })}>Show the whole store</button>}
      </p>
    );
  }
  if (!m) return <p class="muted">loading…</p>;
  const tabs: [ViewName, string][] = [
    ['flame', 'Flame graph'],
    ['top', 'Top'],
    ['graph', 'Call graph'],
    ['source', 'Source'],
    ['peek', 'Peek'],
  ];
  if (multi) tabs.push(['leaks', 'Leak Candidates']);
  if (m.hasGoroutines) tabs.push(['goroutines', 'Goroutines']);
  const current = [flame, top, dot, leaks, gor][['flame', 'top', 'graph', 'leaks', 'goroutines'].indexOf(view)];
  const diffing = state.target !== undefined;
  return (
    <div>
      <header>
        <h1>pprof-plus</h1>
        <span class="title" title={m.title}>{m.title}</span>
      </header>
      {m.store && storeData.data && <StorePanel data={storeData.data} meta={m} onPick={pickStore} />}
      {m.store && storeData.error && <p class="error">{storeData.error}</p>}
      <nav class="tabs">
        {tabs.map(([v, label]) => (
          <button key={v} class={v === view ? 'active' : ''} data-view={v} onClick={() => set({ view: v })}>{label}</button>
        ))}
      </nav>
      {view !== 'leaks' && view !== 'goroutines' && <Controls meta={m} state={state} set={set} />}
      {(m.notes.length > 0 || diffing) && (
        <div class="notes">
          {m.notes.map((n, i) => <p key={i}>{n}</p>)}
          {diffing && (
            <p>
              Showing snapshot #{state.target}{state.base !== undefined ? ` compared with base #${state.base} (percentages of the base total)` : ''}.{' '}
              <button onClick={() => set({ base: undefined, target: undefined, focus: undefined })}>Back to the latest snapshot</button>
            </p>
          )}
        </div>
      )}
      <main>
        {current?.error && <p class="error">{current.error}</p>}
        {(current?.data as { warnings?: string[] } | null | undefined)?.warnings?.map((w) => <p key={w} class="warning">{w}</p>)}
        {current?.loading && <p class="muted">loading…</p>}
        {view === 'flame' && flame.data && (
          <FlameView data={flame.data} search={state.q ?? ''} icicle={state.icicle === '1'} onSearch={(q2) => set({ q: q2 })} onIcicle={(v) => set({ icicle: v ? '1' : undefined })} onZoomPath={(p) => set({ zoom: p && p.length ? JSON.stringify(p) : undefined })} />
        )}
        {view === 'top' && top.data && <TopView data={top.data} onPick={(name) => set({ view: 'flame', focus: `^${escapeRegex(name)}$` })} />}
        {view === 'graph' && dot.data && <GraphView data={dot.data} />}
        {(view === 'source' || view === 'peek') && <TextView key={view} kind={view} state={state} set={set} />}
        {view === 'leaks' && leaks.data && (
          <LeaksView data={leaks.data} meta={m} onDiff={(b, t, focus) => set({ view: 'flame', base: String(b), target: String(t), focus })} />
        )}
        {view === 'goroutines' && gor.data && <GoroutinesView data={gor.data} filter={state.gf ?? ''} onFilter={(f) => set({ gf: f })} />}
      </main>
    </div>
  );
}

render(<App />, document.getElementById('app')!);
