// Go's count profiles in debug=1 text: goroutine and threadcreate.
//   goroutine profile: total 7
//   3 @ 0x43a8d6 0x406a4c 0x4ae3f3 0x46a9a1
//   # labels: {"worker":"a"}
//   #	0x4ae3f2	main.worker+0x33	/src/main.go:10

import { parseAdditionalSections } from './memory-map.ts';
import { LocationsByAddress, newRawProfile, type Annotate, type RawProfile, type RawSample } from './raw-profile.ts';
import { isSpaceOrComment, LineScanner, malformed, parseInt64, parseUint64 } from './text.ts';

const COUNT_START_RE = /^(\S+) profile: total \d+$/;
const COUNT_RE = /^(\d+) @((?: 0x[0-9a-f]+)*)$/;
const LABELS_PREFIX = '# labels: ';

/**
 * The pprof labels runtime/pprof prints for a goroutine stack, as
 * `{"k":"v", ...}` with Go-quoted strings. go tool pprof ignores them; we
 * keep them as string labels. Returns null when they do not parse.
 */
export function parseLabelLine(text: string): Map<string, string[]> | null {
  let obj: unknown;
  try {
    obj = JSON.parse(text.slice(LABELS_PREFIX.length));
  } catch {
    return null;
  }
  if (typeof obj !== 'object' || obj === null) return null;
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(obj)) if (typeof v === 'string') out.set(k, [v]);
  return out;
}

/** `readLabels`: keep the `# labels:` lines as string labels (go tool pprof ignores them). */
export function parseGoCount(text: string, source: string, annotate?: Annotate, readLabels = false): RawProfile | null {
  const s = new LineScanner(text);
  while (s.scan() && isSpaceOrComment(s.text())) {
    // skip leading comments
  }
  const m = COUNT_START_RE.exec(s.text());
  if (!m) return null;
  const type = m[1];
  const p = newRawProfile([{ type, unit: 'count' }], { type, unit: 'count' }, 1);
  const locs = new LocationsByAddress(p);
  let last: RawSample | null = null;
  while (s.scan()) {
    const line = s.text();
    if (readLabels && last !== null && line.startsWith(LABELS_PREFIX)) {
      const labels = parseLabelLine(line);
      if (labels !== null && labels.size > 0) last.labels = labels;
      continue;
    }
    if (isSpaceOrComment(line)) continue;
    if (line.startsWith('---')) break;
    const c = COUNT_RE.exec(line);
    if (!c) throw malformed(source, `line ${s.lineNumber()} is not "<count> @ <addresses>"`, line);
    const n = parseInt64(c[1], 0);
    if (n === null) throw malformed(source, `line ${s.lineNumber()}: bad count`, line);
    const stack = c[2].trim().split(/\s+/).filter((f) => f !== '').map((field) => {
      const addr = parseUint64(field);
      if (addr === null) throw malformed(source, `line ${s.lineNumber()}: bad address ${field}`, line);
      // Return addresses: step back onto the call instruction.
      return locs.get(BigInt.asUintN(64, addr - 1n));
    });
    last = { locations: stack, values: [n] };
    p.samples.push(last);
  }
  parseAdditionalSections(s, p, annotate);
  return p;
}
