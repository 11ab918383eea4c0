// Lays out dot text with Graphviz compiled to WASM, off the main thread:
// a dense graph can take seconds and must not freeze the page.
import { Graphviz } from '@hpcc-js/wasm-graphviz';

let gv: Promise<Graphviz> | null = null;

self.onmessage = async (e: MessageEvent<{ id: number; dot: string }>) => {
  try {
    gv ??= Graphviz.load();
    const svg = (await gv).layout(e.data.dot, 'svg', 'dot');
    (self as unknown as Worker).postMessage({ id: e.data.id, svg });
  } catch (err) {
    (self as unknown as Worker).postMessage({ id: e.data.id, error: String((err as Error)?.message ?? err) });
  }
};
