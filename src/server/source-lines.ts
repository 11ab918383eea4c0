// The source view's fallback while the report layer's -list is not available:
// flat and cum per source line of every function matching a regex, from the
// line numbers in the profile (no source text is read).

import type { Profile } from '../profile/model.ts';
import { formatValue } from './format.ts';

export function sourceLinesText(p: Profile, si: number, re: RegExp, total: number, maxFns = 20): string {
  const L = p.locations;
  const S = p.samples;
  const nv = p.sampleTypes.length;
  const fnMatch = p.functions.name.map((n) => re.test(n));
  // key = fn * 2^24 + line
  const flat = new Map<number, number>();
  const cum = new Map<number, number>();
  const fnCum = new Map<number, number>();
  for (let s = 0; s < S.length; s++) {
    const v = S.values[s * nv + si];
    if (v === 0) continue;
    const seen = new Set<number>();
    const seenFn = new Set<number>();
    for (let i = S.stackStart[s]; i < S.stackStart[s + 1]; i++) {
      const loc = S.stack[i];
      for (let l = L.lineStart[loc]; l < L.lineStart[loc + 1]; l++) {
        const fn = L.lineFunction[l];
        if (!fnMatch[fn]) continue;
        const key = fn * 16777216 + L.lineNumber[l];
        if (i === S.stackStart[s] && l === L.lineStart[loc]) flat.set(key, (flat.get(key) ?? 0) + v);
        if (!seen.has(key)) {
          seen.add(key);
          cum.set(key, (cum.get(key) ?? 0) + v);
        }
        if (!seenFn.has(fn)) {
          seenFn.add(fn);
          fnCum.set(fn, (fnCum.get(fn) ?? 0) + v);
        }
      }
    }
  }
  const unit = p.sampleTypes[si].unit;
  const fns = [...fnCum.keys()].sort((a, b) => (fnCum.get(b) ?? 0) - (fnCum.get(a) ?? 0)).slice(0, maxFns);
  if (fns.length === 0) return `no functions match ${re.source}\n`;
  const out: string[] = [];
  for (const fn of fns) {
    const c = fnCum.get(fn) ?? 0;
    out.push(`ROUTINE ======================== ${p.functions.name[fn]} in ${p.functions.filename[fn]}`);
    out.push(`${formatValue(0, unit).replace(/./g, ' ')}     cum ${formatValue(c, unit)} (${total ? ((100 * c) / total).toFixed(2) : '0'}% of total)`);
    const lines = [...cum.keys()].filter((k) => Math.floor(k / 16777216) === fn).map((k) => k % 16777216).sort((a, b) => a - b);
    for (const line of lines) {
      const key = fn * 16777216 + line;
      out.push(`${formatValue(flat.get(key) ?? 0, unit).padStart(10)} ${formatValue(cum.get(key) ?? 0, unit).padStart(10)} ${String(line).padStart(6)}`);
    }
    out.push('');
  }
  out.push('(Source text is not shown: lines and values come from the profile.)');
  return out.join('\n') + '\n';
}
