// The Store panel of `-http STORE_DIR`: one line per target and type over
// the whole store, a target picker, and the time range the other views use
// (drag on the chart, or type the bounds). The choice lives in the URL as
// `st`, `from` and `to`.

import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { MetaResponse, StoreResponse } from '../../src/server/api-types.ts';
import { formatValue } from './format.ts';

declare global {
  interface Window {
    /** For the browser tests: how often the store chart was drawn and with how many lines. */
    __store?: { draws: number; lines: number };
  }
}

const COLORS = ['#c62828', '#1565c0', '#2e7d32', '#6a1b9a', '#ef6c00', '#00838f', '#5d4037', '#ad1457'];

export interface StorePickChange {
  st?: string;
  from?: string;
  to?: string;
}

function iso(ms: number | null | undefined): string {
  return ms == null ? '' : new Date(ms).toISOString();
}

/** Accepts an ISO time (or ms since the epoch); '' clears the bound. */
function parseBound(s: string): number | null | 'bad' {
  const t = s.trim();
  if (t === '') return null;
  if (/^\d+$/.test(t)) return Number(t);
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? ms : 'bad';
}

function StoreChart({ data, selKey, fromMs, toMs, onRange }: {
  data: StoreResponse;
  selKey: string;
  fromMs: number | null;
  toMs: number | null;
  onRange: (from: number, to: number) => void;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const rangeRef = useRef(onRange);
  rangeRef.current = onRange;
  useEffect(() => {
    const el = ref.current;
    if (!el || data.series.length === 0) return;
    // uPlot wants one x axis: join the series' times (seconds), gaps spanned.
    const tables = data.series.map((s) => [s.times.map((t) => t / 1000), s.values] as uPlot.AlignedData);
    const joined = uPlot.join(tables);
    const hasBytes = data.series.some((s) => s.unit === 'bytes');
    const hasCount = data.series.some((s) => s.unit === 'goroutines');
    const series: uPlot.Series[] = [{}];
    data.series.forEach((s, i) => {
      const chosen = s.key === selKey;
      series.push({
        label: `${s.target} ${s.type}`,
        stroke: COLORS[i % COLORS.length],
        width: chosen ? 2.5 : 1,
        dash: s.unit === 'goroutines' ? [6, 3] : undefined,
        scale: s.unit === 'bytes' ? 'bytes' : 'count',
        spanGaps: true,
        points: { size: chosen ? 6 : 4 },
        value: (_u, v) => (v == null ? '' : s.unit === 'bytes' ? formatValue(v, 'bytes') : String(v)),
      });
    });
    const axes: uPlot.Axis[] = [{}];
    if (hasBytes) axes.push({ scale: 'bytes', values: (_u, splits) => splits.map((v) => formatValue(v, 'bytes')), size: 70 });
    if (hasCount) axes.push({ scale: 'count', side: hasBytes ? 1 : 3, grid: { show: !hasBytes } });
    const plot = new uPlot(
      {
        width: Math.max(300, el.clientWidth - 4),
        height: 200,
        series,
        axes,
        cursor: { drag: { x: true, y: false, setScale: false } },
        legend: { live: true },
        hooks: {
          // Shade the chosen range.
          draw: [(u) => {
            if (fromMs == null && toMs == null) return;
            const x0 = u.valToPos(fromMs != null ? fromMs / 1000 : u.scales.x.min!, 'x', true);
            const x1 = u.valToPos(toMs != null ? toMs / 1000 : u.scales.x.max!, 'x', true);
            const ctx = u.ctx;
            ctx.save();
            ctx.fillStyle = 'rgba(255, 193, 7, 0.18)';
            ctx.fillRect(Math.min(x0, x1), u.bbox.top, Math.abs(x1 - x0), u.bbox.height);
            ctx.restore();
          }],
          setSelect: [(u) => {
            if (u.select.width < 3) return;
            const a = u.posToVal(u.select.left, 'x');
            const b = u.posToVal(u.select.left + u.select.width, 'x');
            u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
            rangeRef.current(Math.floor(a * 1000), Math.ceil(b * 1000));
          }],
        },
      },
      joined,
      el,
    );
    window.__store = { draws: (window.__store?.draws ?? 0) + 1, lines: data.series.length };
    return () => plot.destroy();
  }, [data, selKey, fromMs, toMs]);
  return <div ref={ref} data-testid="store-timeline" />;
}

export function StorePanel({ data, meta, onPick }: { data: StoreResponse; meta: MetaResponse; onPick: (p: StorePickChange) => void }) {
  const sel = meta.store!;
  const [from, setFrom] = useState(iso(sel.fromMs));
  const [to, setTo] = useState(iso(sel.toMs));
  const [bad, setBad] = useState('');
  useEffect(() => {
    setFrom(iso(sel.fromMs));
    setTo(iso(sel.toMs));
  }, [sel.fromMs, sel.toMs]);
  const apply = () => {
    const f = parseBound(from);
    const t = parseBound(to);
    if (f === 'bad' || t === 'bad') {
      setBad('Times: ISO 8601 (2024-05-01T10:00:00Z) or milliseconds since the epoch.');
      return;
    }
    setBad('');
    onPick({ from: f == null ? undefined : String(f), to: t == null ? undefined : String(t) });
  };
  const heap = meta.snapshots.length;
  return (
    <div class="store" data-testid="store">
      <form class="store-bar" onSubmit={(e) => { e.preventDefault(); apply(); }}>
        <label>
          target
          <select name="st" value={sel.key} onChange={(e) => onPick({ st: (e.target as HTMLSelectElement).value, from: undefined, to: undefined })}>
            {data.targets.map((t) => <option key={t.key} value={t.key}>{t.target}</option>)}
          </select>
        </label>
        <label>from <input type="text" name="from" value={from} placeholder="start of store" onInput={(e) => setFrom((e.target as HTMLInputElement).value)} /></label>
        <label>to <input type="text" name="to" value={to} placeholder="end of store" onInput={(e) => setTo((e.target as HTMLInputElement).value)} /></label>
        <button type="submit">Apply range</button>
        <button type="button" disabled={sel.fromMs == null && sel.toMs == null} onClick={() => onPick({ from: undefined, to: undefined })}>Whole store</button>
        <span class="muted" data-testid="store-count">{heap} heap snapshot{heap === 1 ? '' : 's'} of {sel.target} in range</span>
      </form>
      {bad && <p class="error">{bad}</p>}
      <StoreChart data={data} selKey={sel.key} fromMs={sel.fromMs} toMs={sel.toMs} onRange={(a, b) => onPick({ from: String(a), to: String(b) })} />
      <p class="muted">Drag across the chart to choose a time range; every view (Leak Candidates, flame graph, Goroutines…) then uses that target's snapshots in the range. Solid lines: in-use heap bytes; dashed: goroutines.</p>
    </div>
  );
}
