// Contention profiles in text: Go's block (`--- contention:`) and mutex
// (`--- mutex:`) debug=1 output and gperftools' contentionz.
//   --- mutex:
//   cycles/second=2400000000
//   sampling period=5
//   48000 2 @ 0x46e3c5 0x4a6f5a 0x46a9a1
// Each row is `<cycles> <count> @ stack`. Delays become nanoseconds with
// cycles/second, and both values are multiplied by the sampling period.

import { parseAdditionalSections } from './memory-map.ts';
import { LocationsByAddress, newRawProfile, type Annotate, type RawProfile } from './raw-profile.ts';
import { isSpaceOrComment, LineScanner, malformed, parseHexAddresses, parseInt64, trimSpace } from './text.ts';

const SAMPLE_RE = /(\d+) *(\d+) @([ x0-9a-f]*)/;

export function parseContention(text: string, source: string, annotate?: Annotate): RawProfile | null {
  const s = new LineScanner(text);
  if (!s.scan()) return null;
  const head = s.text();
  if (!head.startsWith('--- contentionz ') && !head.startsWith('--- mutex:') && !head.startsWith('--- contention:')) {
    return null;
  }
  const p = newRawProfile(
    [
      { type: 'contentions', unit: 'count' },
      { type: 'delay', unit: 'nanoseconds' },
    ],
    { type: 'contentions', unit: 'count' },
    1,
  );
  let cpuHz = 0;
  // `attribute = value` lines before the samples. An unknown attribute means
  // this is some other format (pprof then tries the next parser).
  while (s.scan()) {
    const line = trimSpace(s.text());
    if (isSpaceOrComment(line)) continue;
    if (line.startsWith('---')) break;
    const eq = line.indexOf('=');
    if (eq < 0) break;
    const key = trimSpace(line.slice(0, eq));
    const val = trimSpace(line.slice(eq + 1));
    switch (key) {
      case 'cycles/second': {
        const v = parseInt64(val, 0);
        if (v === null) return null;
        cpuHz = v;
        break;
      }
      case 'sampling period': {
        const v = parseInt64(val, 0);
        if (v === null) return null;
        p.period = v;
        break;
      }
      case 'ms since reset': {
        const v = parseInt64(val, 0);
        if (v === null) return null;
        p.durationNanos = BigInt(v) * 1000000n;
        break;
      }
      case 'discarded samples':
        break;
      default:
        return null;
    }
  }
  const locs = new LocationsByAddress(p);
  for (;;) {
    const line = trimSpace(s.text());
    if (line.startsWith('---')) break;
    if (!isSpaceOrComment(line)) {
      const m = SAMPLE_RE.exec(line);
      if (!m) throw malformed(source, `line ${s.lineNumber()} is not "<cycles> <count> @ <addresses>"`, line);
      let cycles = Number(m[1]);
      let count = Number(m[2]);
      if (!Number.isSafeInteger(cycles) || !Number.isSafeInteger(count)) {
        throw malformed(source, `line ${s.lineNumber()}: value out of range`, line);
      }
      if (p.period > 0) {
        if (cpuHz > 0) cycles = Math.trunc((cycles * p.period) / (cpuHz / 1e9));
        count *= p.period;
      }
      const stack = parseHexAddresses(m[3], source, line).map((a) => locs.get(BigInt.asUintN(64, a - 1n)));
      p.samples.push({ locations: stack, values: [count, cycles] });
    }
    if (!s.scan()) break;
  }
  parseAdditionalSections(s, p, annotate);
  return p;
}
