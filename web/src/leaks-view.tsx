// Leak Candidates: ranked growing sites with sparklines and verdicts, and a
// timeline of total in-use memory and goroutines where two clicked points
// pick the snapshots to diff.

import { useEffect, useRef, useState } from 'preact/hooks';
import uPlot from 'uplot';
import type { LeaksResponse, MetaResponse } from '../../src/server/api-types.ts';
import { escapeRegex, formatValue } from './format.ts';

function Sparkline({ values }: { values: number[] }) {
  const w = 120;
  const h = 26;
  const max = Math.max(...values, 1);
  const min = Math.min(...values, 0);
  const pts = values.map((v, i) => `${(i / Math.max(values.length - 1, 1)) * (w - 2) + 1},${h - 1 - ((v - min) / (max - min || 1)) * (h - 2)}`).join(' ');
  return (
    <svg width={w} height={h} viewBox={`0 0 ${w} ${h}`} aria-hidden="true">
      <polyline points={pts} fill="none" stroke="#c62828" stroke-width="1.5" />
    </svg>
  );
}

function Timeline({ data, meta, picked, onPick }: { data: LeaksResponse; meta: MetaResponse; picked: number[]; onPick: (i: number) => void }) {
  const ref = useRef<HTMLDivElement>(null);
  const pickRef = useRef(onPick);
  pickRef.current = onPick;
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const xs = data.totalInuse.map((_, i) => i);
    const hasG = data.goroutines.some((g) => g !== null);
    const series: uPlot.Series[] = [
      {},
      { label: 'in-use', stroke: '#c62828', width: 2, scale: 'bytes', value: (_u, v) => (v == null ? '' : formatValue(v, data.unit)), points: { size: 8 } },
    ];
    // Snapshot number, and the time since the first one when the profiles carry times.
    const t0 = data.times[0];
    const since = (i: number) => {
      const t = data.times[i];
      if (t == null || t0 == null) return '';
      const ms = t - t0;
      const s = Math.round(ms / 1000);
      return ms < 2000 ? ` +${Math.round(ms)}ms` : s < 120 ? ` +${s}s` : s < 7200 ? ` +${Math.round(s / 60)}m` : ` +${(s / 3600).toFixed(1)}h`;
    };
    const axes: uPlot.Axis[] = [
      { values: (_u, splits) => splits.map((s) => (Number.isInteger(s) ? `#${s}${since(s)}` : '')) },
      { scale: 'bytes', values: (_u, splits) => splits.map((s) => formatValue(s, data.unit)), size: 70 },
    ];
    const rows: (number | null)[][] = [xs, data.totalInuse];
    if (hasG) {
      series.push({ label: 'goroutines', stroke: '#1565c0', width: 2, scale: 'count', points: { size: 6 } });
      axes.push({ scale: 'count', side: 1, grid: { show: false } });
      rows.push(data.goroutines);
    }
    const plot = new uPlot(
      {
        width: Math.max(300, el.clientWidth - 4),
        height: 180,
        series,
        axes,
        scales: { x: { time: false } },
        legend: { live: true },
      },
      rows as uPlot.AlignedData,
      el,
    );
    const over = plot.over;
    const click = () => {
      const i = plot.cursor.idx;
      if (i != null) pickRef.current(i);
    };
    over.addEventListener('click', click);
    return () => {
      over.removeEventListener('click', click);
      plot.destroy();
    };
  }, [data]);
  return (
    <div class="timeline">
      <div ref={ref} data-testid="timeline" />
      <div class="pick">
        <span>Click two points to diff them.</span>
        <span>base: {picked[0] !== undefined ? `#${picked[0]} ${meta.snapshots[picked[0]]?.source.split('/').pop()}` : '—'}</span>
        <span>target: {picked[1] !== undefined ? `#${picked[1]} ${meta.snapshots[picked[1]]?.source.split('/').pop()}` : '—'}</span>
      </div>
    </div>
  );
}

export function LeaksView({ data, meta, onDiff }: { data: LeaksResponse; meta: MetaResponse; onDiff: (base: number, target: number, focus?: string) => void }) {
  const [picked, setPicked] = useState<number[]>([]);
  const n = data.totalInuse.length;
  const pick = (i: number) => setPicked((p) => (p.length >= 2 ? [i] : p.length === 1 ? (i < p[0] ? [i, p[0]] : [p[0], i]) : [i]));
  return (
    <div class="leaks">
      <Timeline data={data} meta={meta} picked={picked} onPick={pick} />
      <div class="pick">
        <button disabled={picked.length !== 2} onClick={() => onDiff(picked[0], picked[1])}>Diff flame graph of the picked snapshots</button>
        <button onClick={() => onDiff(0, n - 1)}>Diff first → last</button>
      </div>
      {data.notes.map((n, i) => <p key={i} class="muted">{n}</p>)}
      <p class="muted">
        Sites are the first user (non-standard-library) frame of each allocation. Values are {data.sampleType}: sampled estimates of live heap as of the last GC before each snapshot. Ranked by: {data.rankedBy}.
      </p>
      <table data-testid="leaks">
        <thead>
          <tr><th>#</th><th>site</th><th>verdict</th><th>in-use over time</th><th>growth</th><th>why</th></tr>
        </thead>
        <tbody>
          {data.candidates.slice(0, 100).map((c, i) => (
            <tr key={c.site} onClick={() => onDiff(0, n - 1, `^${escapeRegex(c.site)}$`)} title="Show this site's growth as a diff flame graph">
              <td>{i + 1}</td>
              <td><code>{c.site}</code></td>
              <td><span class={`verdict ${c.verdict === 'leak' || c.verdict === 'suspect' ? c.verdict : 'other'}`}>{c.verdict}</span></td>
              <td><Sparkline values={c.series} /></td>
              <td>{c.growth >= 0 ? '+' : ''}{formatValue(c.growth, data.unit)}</td>
              <td class="muted">
                {c.explanation}
                {c.goroutines?.map((g, j) => <div key={j}>{g}</div>)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
