// The flame graph view: canvas, breadcrumb, search, tooltips, icicle toggle.

import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { FlameResponse } from '../../src/server/api-types.ts';
import { FlameRenderer, makeModel, searchModel, type FlameModel } from './flame-draw.ts';
import { formatValue, percent } from './format.ts';

interface Props {
  data: FlameResponse;
  search: string;
  icicle: boolean;
  onSearch: (q: string) => void;
  onIcicle: (v: boolean) => void;
  /** Asks the server for a subtree in full detail (null: the whole tree). */
  onZoomPath: (path: string[] | null) => void;
}

declare global {
  interface Window {
    __flame?: {
      draws: number;
      boxes: number;
      lastDrawMs: number;
      zoom: string;
      matchedTotal: number;
      nodes: number;
      find: (name: string) => { x: number; y: number; w: number } | null;
      listBoxes: (limit: number) => { name: string; x: number; y: number; w: number; depth: number; hidden: boolean }[];
    };
  }
}

function tooltipText(m: FlameModel, i: number, d: FlameResponse): string {
  const name = i === 0 ? 'root' : m.names[m.name[i]];
  const u = d.unit;
  const of = d.percentOf;
  if (m.baseTotal) {
    const a = m.total[i];
    const b = m.baseTotal[i];
    const delta = a - b;
    return `${name}\ncum: ${formatValue(a, u)} now, ${formatValue(b, u)} in base\nchange: ${delta >= 0 ? '+' : ''}${formatValue(delta, u)} (${percent(delta, of)})\nflat: ${formatValue(m.self[i], u)} now, ${formatValue(m.baseSelf![i], u)} in base`;
  }
  return `${name}\nflat: ${formatValue(m.self[i], u)} (${percent(m.self[i], of)})\ncum: ${formatValue(m.total[i], u)} (${percent(m.total[i], of)})`;
}

export function FlameView({ data, search, icicle, onSearch, onIcicle, onZoomPath }: Props) {
  const model = useMemo(() => makeModel(data), [data]);
  const renderer = useMemo(
    () =>
      new FlameRenderer(
        model,
        model.baseTotal
          ? (i) => {
              const d = model.total[i] - model.baseTotal![i];
              return ` ${d >= 0 ? '+' : ''}${formatValue(d, data.unit)}`;
            }
          : null,
      ),
    [model],
  );
  const [zoom, setZoom] = useState(0);
  const [tip, setTip] = useState<{ x: number; y: number; text: string } | null>(null);
  const [width, setWidth] = useState(0);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const [searchText, setSearchText] = useState(search);
  useEffect(() => setZoom(data.zoomPath.length < model.n ? data.zoomPath.length : 0), [model]);
  const pathTo = (i: number) => {
    const p: string[] = [];
    for (let a = i; a > 0; a = model.parent[a]) p.unshift(model.names[model.name[a]]);
    return p;
  };
  /** Zooms locally when the node's subtree is all here, else fetches it from the server. */
  const zoomTo = (i: number) => {
    const fetched = data.zoomPath.length;
    if (i < fetched || (i === 0 && fetched > 0)) onZoomPath(i === 0 ? null : pathTo(i));
    else if (model.hasHidden[i] && i !== 0) onZoomPath(pathTo(i));
    else setZoom(i);
  };
  useEffect(() => setSearchText(search), [search]);

  const re = useMemo(() => {
    if (!search) return null;
    try {
      return new RegExp(search);
    } catch {
      return null;
    }
  }, [search]);
  const found = useMemo(() => searchModel(model, re), [model, re]);

  useEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setWidth(el.clientWidth - 2));
    ro.observe(el);
    setWidth(el.clientWidth - 2);
    return () => ro.disconnect();
  }, []);

  useEffect(() => {
    const c = canvasRef.current;
    if (!c || width <= 0) return;
    const z = zoom < model.n ? zoom : 0;
    const boxes = renderer.draw(c, width, z, icicle, found ? found.nodeMatch : null);
    window.__flame = {
      // Counts every draw in this page, across data reloads (tests wait on it).
      draws: (window.__flame?.draws ?? 0) + 1,
      boxes,
      lastDrawMs: renderer.lastDrawMs,
      zoom: z === 0 ? 'root' : model.names[model.name[z]],
      matchedTotal: found ? found.matchedTotal : -1,
      nodes: model.n,
      find: (name: string) => renderer.findBox(name, icicle),
      listBoxes: (limit: number) => renderer.listBoxes(icicle, limit),
    };
  }, [renderer, width, zoom, icicle, found]);

  // Flame (root at the bottom): start scrolled to the root, where reading begins.
  useEffect(() => {
    const el = wrapRef.current;
    if (el) el.scrollTop = icicle ? 0 : el.scrollHeight;
  }, [model, icicle, width > 0]);

  const crumbs: number[] = [];
  for (let a = zoom; a > 0; a = model.parent[a]) crumbs.unshift(a);

  const onClick = (e: MouseEvent) => {
    const c = canvasRef.current!;
    const r = c.getBoundingClientRect();
    const i = renderer.hitTest(e.clientX - r.left, e.clientY - r.top, icicle);
    if (i >= 0) zoomTo(i);
  };
  const onMove = (e: MouseEvent) => {
    const c = canvasRef.current!;
    const r = c.getBoundingClientRect();
    const i = renderer.hitTest(e.clientX - r.left, e.clientY - r.top, icicle);
    setTip(i >= 0 ? { x: e.clientX + 12, y: e.clientY + 12, text: tooltipText(model, i, data) } : null);
  };

  const rootTotal = model.total[0];
  return (
    <div>
      <div class="flame-bar">
        <div class="crumbs" data-testid="crumbs">
          <button onClick={() => zoomTo(0)} title="Reset zoom">root</button>
          {crumbs.map((c) => (
            <button key={c} onClick={() => zoomTo(c)} title={model.names[model.name[c]]}>{model.names[model.name[c]]}</button>
          ))}
        </div>
        <form class="search" onSubmit={(e) => { e.preventDefault(); onSearch(searchText); }}>
          <input type="text" name="search" placeholder="search regex" value={searchText} onInput={(e) => setSearchText((e.target as HTMLInputElement).value)} />
          <button type="submit">Search</button>
          {search && <button type="button" onClick={() => onSearch('')}>Clear</button>}
        </form>
        {found && (
          <span class="match" data-testid="match">
            {found.matchedNames} functions match; {formatValue(found.matchedTotal, data.unit)} ({percent(found.matchedTotal, data.percentOf)})
          </span>
        )}
        {search && !re && <span class="error">bad regex</span>}
        <label><input type="checkbox" checked={icicle} onChange={(e) => onIcicle((e.target as HTMLInputElement).checked)} /> icicle</label>
        <span class="muted">{data.sampleType}: {formatValue(rootTotal, data.unit)} · {model.n} nodes · built in {data.buildMs} ms</span>
      </div>
      <p class="muted">{data.note}{model.baseTotal ? ` 100% = ${formatValue(data.percentOf, data.unit)}.` : ''}</p>
      <div class="flame-wrap" ref={wrapRef}>
        <canvas class="flame" ref={canvasRef} onClick={onClick} onMouseMove={onMove} onMouseLeave={() => setTip(null)} />
      </div>
      {tip && <div class="tooltip" style={{ left: `${Math.min(tip.x, window.innerWidth - 420)}px`, top: `${tip.y}px` }}>{tip.text}</div>}
    </div>
  );
}
