// Legacy (non-proto) profiles: Go's debug=1 text (heap/allocs, goroutine,
// threadcreate, block, mutex), gperftools' binary CPU, heap, growth,
// contention and thread profiles, and the Java agent's CPU, heap and
// contention profiles. Each parser follows google/pprof's reading of the
// format, so the result prints like pprof's own (`Profile.String()`); on
// top of that, Go text profiles get their frames named from their `#`
// comment lines (see go-frames.ts).

import type { Profile } from '../model.ts';
import { parseContention } from './contention.ts';
import { parseGoCount } from './count.ts';
import { parseCpu } from './cpu.ts';
import { addLegacyFrameInfo } from './frame-info.ts';
import { applyGoFrames, markSymbolized, readGoFrames } from './go-frames.ts';
import { parseHeap } from './heap.ts';
import { parseJavaProfile } from './java.ts';
import { toProfile, type Annotate, type RawProfile } from './raw-profile.ts';
import { parseThread } from './thread.ts';

export interface LegacyOptions {
  /**
   * Read the `#` comment lines of Go text profiles (default true): frame
   * names for each PC and goroutine labels. False reads them as go tool
   * pprof does: address-only locations, no labels.
   */
  goComments?: boolean;
}

/** Parses a legacy profile; null when the bytes are not one this recognizes. */
export function parseLegacyText(bytes: Uint8Array, source: string, opts: LegacyOptions = {}): Profile | null {
  const raw = parseLegacyRaw(bytes, source, opts.goComments ?? true);
  if (raw === null) return null;
  addLegacyFrameInfo(raw);
  return toProfile(raw);
}

function parseLegacyRaw(bytes: Uint8Array, source: string, goComments: boolean): RawProfile | null {
  const cpu = parseCpu(bytes, source);
  if (cpu !== null) return cpu;
  const text = new TextDecoder('utf-8').decode(bytes);
  let annotate: Annotate | undefined;
  let named = false;
  if (goComments) {
    const frames = readGoFrames(text.split('\n'));
    if (frames.size > 0) annotate = (p) => (named = applyGoFrames(p, frames));
  }
  const p =
    parseHeap(text, source, annotate) ??
    parseGoCount(text, source, annotate, goComments) ??
    parseThread(text, source) ??
    parseContention(text, source, annotate) ??
    parseJavaProfile(text, source);
  if (p !== null && named) markSymbolized(p);
  return p;
}
