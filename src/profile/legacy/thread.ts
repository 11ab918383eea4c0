// gperftools/Google threadz profiles: one stack per thread.
//   --- threadz 1 ---
//   --- Thread 7f794ab90940 (name: main/14748) stack: ---
//     PC:  0x00bc8f1c: helper(arg *)
//     0x0040be31: main

import { parseAdditionalSections } from './memory-map.ts';
import { LocationsByAddress, newRawProfile, type RawProfile } from './raw-profile.ts';
import { cleanupDuplicateLocations } from './cpu.ts';
import { isMemoryMapSentinel, isSpaceOrComment, LineScanner, malformed, parseHexAddresses, trimSpace } from './text.ts';

const THREADZ_START_RE = /--- threadz \d+ ---/;
const THREAD_START_RE = /--- Thread ([0-9A-Fa-f]+) \(name: (.*)\/(\d+)\) stack: ---/;

export function parseThread(text: string, source: string): RawProfile | null {
  const s = new LineScanner(text);
  while (s.scan() && isSpaceOrComment(s.text())) {
    // skip leading comments
  }
  let line = s.text();
  if (THREADZ_START_RE.test(line)) {
    while (s.scan()) {
      line = s.text();
      if (isMemoryMapSentinel(line) || line.startsWith('-')) break;
    }
  } else if (!THREAD_START_RE.test(line)) {
    return null;
  }
  const p = newRawProfile([{ type: 'thread', unit: 'count' }], { type: 'thread', unit: 'count' }, 1);
  const locs = new LocationsByAddress(p);
  while (!isMemoryMapSentinel(line)) {
    if (line.startsWith('---- no stack trace for')) break;
    if (!THREAD_START_RE.test(line)) {
      throw malformed(source, `line ${s.lineNumber()}: expected a "--- Thread" header`, line);
    }
    // One thread's stack: address lines up to the next "---" line.
    let addrs: bigint[] = [];
    let sameAsPrevious = false;
    let more = false;
    line = '';
    while ((more = s.scan())) {
      line = trimSpace(s.text());
      if (line === '') continue;
      if (line.startsWith('---')) break;
      if (line.includes('same as previous thread')) {
        sameAsPrevious = true;
        continue;
      }
      addrs = addrs.concat(parseHexAddresses(line, source, line));
    }
    if (sameAsPrevious) addrs = [];
    if (addrs.length === 0) {
      // "same as previous thread": count it on the previous stack.
      const prev = p.samples[p.samples.length - 1];
      if (prev !== undefined) prev.values[0]++;
    } else {
      // All but the leaf are return addresses: step back onto the call.
      const stack = addrs.map((a, i) => locs.get(i > 0 ? BigInt.asUintN(64, a - 1n) : a));
      p.samples.push({ locations: stack, values: [1] });
    }
    // pprof rejects a file that ends without a memory map; we just stop.
    if (!more) break;
  }
  parseAdditionalSections(s, p);
  cleanupDuplicateLocations(p);
  return p;
}
