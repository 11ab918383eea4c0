// The call graph: dot from the server, laid out by Graphviz in a Worker,
// inserted as parsed SVG with anything scriptable removed.

import { useEffect, useRef, useState } from 'preact/hooks';
import type { DotResponse } from '../../src/server/api-types.ts';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, (r: { svg?: string; error?: string }) => void>();

function layout(dot: string): Promise<{ svg?: string; error?: string }> {
  if (!worker) {
    worker = new Worker('/graph-worker.js');
    worker.onmessage = (e) => {
      const cb = pending.get(e.data.id);
      pending.delete(e.data.id);
      cb?.(e.data);
    };
  }
  const id = nextId++;
  return new Promise((res) => {
    pending.set(id, res);
    worker!.postMessage({ id, dot });
  });
}

/** Parses SVG text into a node, dropping scripts, event handlers and external references. */
function safeSvg(svg: string): Element | null {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  if (root.nodeName !== 'svg') return null;
  for (const el of Array.from(root.querySelectorAll('script, foreignObject'))) el.remove();
  for (const el of Array.from(root.querySelectorAll('*'))) {
    for (const a of Array.from(el.attributes)) {
      if (/^on/i.test(a.name) || (/href$/i.test(a.name) && !a.value.startsWith('#'))) el.removeAttribute(a.name);
    }
  }
  return document.importNode(root, true);
}

export function GraphView({ data }: { data: DotResponse }) {
  const ref = useRef<HTMLDivElement>(null);
  const [status, setStatus] = useState('laying out…');
  useEffect(() => {
    let live = true;
    const t0 = performance.now();
    setStatus('laying out…');
    layout(data.dot).then((r) => {
      if (!live || !ref.current) return;
      ref.current.replaceChildren();
      if (r.error || !r.svg) {
        setStatus(`layout failed: ${r.error}`);
        return;
      }
      const el = safeSvg(r.svg);
      if (el) ref.current.appendChild(el);
      setStatus(`${data.nodeCount} nodes${data.dropped ? ` (${data.dropped} small nodes dropped)` : ''} · laid out in ${Math.round(performance.now() - t0)} ms`);
    });
    return () => {
      live = false;
    };
  }, [data]);
  return (
    <div>
      <p class="muted" data-testid="graph-status">{status}</p>
      <div class="graph" ref={ref} data-testid="graph" />
    </div>
  );
}
