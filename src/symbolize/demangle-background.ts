// Demangles names on a worker thread while the main thread goes on with
// address lookups: demangling the ~15k distinct C++ names of a large
// native profile costs ~55 ms, and the machine has more than one core.
// Names are sent in batches as the lookups find them; results() waits for
// the answers. Any worker failure falls back to demangling on the main
// thread (the caller demangles whatever results() lacks), so output never
// depends on the worker.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { DemangleMode } from './demangle.ts';

const BATCH = 1024;

/** The bundled worker beside this module's chunk; null when not bundled (tests run the TS sources). */
function workerFile(): string | null {
  const here = import.meta.url;
  if (!here.startsWith('file:') || here.endsWith('.ts')) return null;
  const f = fileURLToPath(new URL('./demangle-worker.mjs', here));
  return existsSync(f) ? f : null;
}

export class BackgroundDemangler {
  private readonly worker: Worker;
  private readonly sent: string[][] = [];
  private readonly answered: string[][] = [];
  private readonly seen = new Set<string>();
  private batch: string[] = [];
  private failed = false;
  private wake: (() => void) | null = null;

  private constructor(file: string, private readonly mode: DemangleMode) {
    this.worker = new Worker(file);
    this.worker.on('message', (out: string[]) => {
      this.answered.push(out);
      this.wake?.();
    });
    const fail = () => {
      this.failed = true;
      this.wake?.();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', fail);
  }

  /** A demangler, or null when no bundled worker is available or the mode needs none. */
  static start(mode: DemangleMode): BackgroundDemangler | null {
    if (mode === 'none') return null;
    const file = workerFile();
    if (!file) return null;
    try {
      return new BackgroundDemangler(file, mode);
    } catch {
      return null;
    }
  }

  /** Queues a name (each distinct name is sent once). */
  add(name: string): void {
    if (this.seen.has(name)) return;
    this.seen.add(name);
    // Plain C names need no worker round trip.
    if (!name.startsWith('_Z') && !name.startsWith('_R') && !name.startsWith('__Z') && !name.startsWith('__R')) return;
    this.batch.push(name);
    if (this.batch.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0 || this.failed) return;
    this.worker.postMessage({ mode: this.mode, names: this.batch });
    this.sent.push(this.batch);
    this.batch = [];
  }

  /** Waits for all answers; the map holds every name the worker demangled (maybe none). */
  async results(): Promise<Map<string, string>> {
    this.flush();
    while (!this.failed && this.answered.length < this.sent.length) {
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
    void this.worker.terminate();
    const m = new Map<string, string>();
    for (let b = 0; b < this.answered.length; b++) {
      const names = this.sent[b], out = this.answered[b];
      for (let i = 0; i < names.length; i++) m.set(names[i], out[i]);
    }
    return m;
  }
}
