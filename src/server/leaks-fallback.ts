// The server's own small leak ranking, used while the leak layer's ranking
// (src/leak) is not available: charge each sample's in-use value to its first
// user frame and rank sites by how steadily their in-use value keeps rising,
// weighting the second half of the series most (a cache that fills early and
// then levels off is not a leak).

import type { Profile } from '../profile/model.ts';
import type { LeakCandidate } from './api-types.ts';

/** A Go function belongs to user code when its package path's first element has a dot, or it is in main. */
export function isUserFrame(name: string): boolean {
  if (name.startsWith('main.')) return true;
  const slash = name.indexOf('/');
  const first = slash >= 0 ? name.slice(0, slash) : name.slice(0, name.indexOf('.'));
  return first.includes('.');
}

function siteValues(p: Profile, si: number, into: Map<string, Float64Array>, index: number, n: number): void {
  const nv = p.sampleTypes.length;
  const S = p.samples;
  const L = p.locations;
  const siteOfLoc = new Map<number, string>();
  for (let s = 0; s < S.length; s++) {
    const v = S.values[s * nv + si];
    if (v === 0) continue;
    let site = '';
    let leaf = '';
    for (let i = S.stackStart[s]; i < S.stackStart[s + 1] && site === ''; i++) {
      const loc = S.stack[i];
      let cached = siteOfLoc.get(loc);
      if (cached === undefined) {
        cached = '';
        for (let l = L.lineStart[loc]; l < L.lineStart[loc + 1]; l++) {
          const name = p.functions.name[L.lineFunction[l]];
          if (isUserFrame(name)) {
            cached = name;
            break;
          }
        }
        siteOfLoc.set(loc, cached);
      }
      if (leaf === '' && L.lineStart[loc] < L.lineStart[loc + 1]) leaf = p.functions.name[L.lineFunction[L.lineStart[loc]]];
      site = cached;
    }
    if (site === '') site = leaf || '?';
    let arr = into.get(site);
    if (!arr) into.set(site, (arr = new Float64Array(n)));
    arr[index] += v;
  }
}

export function rankLeaksFallback(profiles: readonly Profile[], typeName: string): LeakCandidate[] {
  const n = profiles.length;
  const inuse = new Map<string, Float64Array>();
  const alloc = new Map<string, Float64Array>();
  const allocType = typeName.replace(/^inuse_/, 'alloc_');
  profiles.forEach((p, i) => {
    const si = p.sampleTypes.findIndex((t) => t.type === typeName);
    if (si >= 0) siteValues(p, si, inuse, i, n);
    const ai = p.sampleTypes.findIndex((t) => t.type === allocType);
    if (ai >= 0 && allocType !== typeName) siteValues(p, ai, alloc, i, n);
  });
  const out: LeakCandidate[] = [];
  const mid = Math.floor((n - 1) / 2);
  for (const [site, s] of inuse) {
    const growth = s[n - 1] - s[0];
    let up = 0;
    let rising = 0;
    for (let i = 1; i < n; i++) {
      if (s[i] >= s[i - 1]) up++;
      if (s[i] > s[i - 1]) rising++;
    }
    const monotonic = n > 1 ? up / (n - 1) : 0;
    const late = s[n - 1] - s[mid];
    const early = s[mid] - s[0];
    const a = alloc.get(site);
    const allocGrowth = a ? a[n - 1] - a[0] : 0;
    const retained = allocGrowth > 0 ? Math.min(1, growth / allocGrowth) : 1;
    const score = Math.max(0, late + 0.25 * early) * monotonic * (0.5 + 0.5 * retained);
    let verdict = 'steady';
    let why: string;
    if (growth > 0 && late > 0.25 * Math.max(growth, 1) && monotonic >= 0.7 && rising >= 0.5 * (n - 1)) {
      verdict = 'leak';
      why = `in-use rose in ${rising} of ${n - 1} intervals and was still growing in the second half; ${Math.round(retained * 100)}% of what it allocated since the first snapshot is still in use`;
    } else if (growth > 0 && late <= 0.25 * growth) {
      verdict = 'noise';
      why = 'grew early, then levelled off (a cache or pool warming up)';
    } else if (growth > 0) {
      verdict = 'suspect';
      why = rising < 0.5 * (n - 1) ? `grew in only ${rising} of ${n - 1} intervals (a step, not a trend)` : `grew overall but fell in ${n - 1 - up} of ${n - 1} intervals`;
    } else {
      why = 'no growth between the first and last snapshot';
    }
    out.push({ site, series: Array.from(s), growth, score, verdict, explanation: why });
  }
  const order: Record<string, number> = { leak: 0, suspect: 1, noise: 2, steady: 3 };
  out.sort((x, y) => order[x.verdict] - order[y.verdict] || y.score - x.score || y.growth - x.growth || (x.site < y.site ? -1 : 1));
  return out;
}
