// Worker-thread side of BackgroundDemangler: demangles batches of names
// and answers each batch, in order, with the demangled names. Bundled as
// its own entry point (dist/demangle-worker.mjs).

import { parentPort } from 'node:worker_threads';
import { demangle, type DemangleMode } from './demangle.ts';

parentPort?.on('message', (m: { mode: DemangleMode; names: string[] }) => {
  const out = new Array<string>(m.names.length);
  for (let i = 0; i < m.names.length; i++) out[i] = demangle(m.names[i], m.mode);
  parentPort!.postMessage(out);
});
