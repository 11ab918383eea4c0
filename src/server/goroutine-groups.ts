// Goroutine groups for the Goroutines panel: goroutines with the same state
// and stack form one group; a filter picks goroutines by ID, label or a regex
// over functions and state. Verdicts flag groups blocked for a long time on
// operations that only another goroutine can finish.

import type { Goroutine, GoroutineDump, Profile } from '../profile/model.ts';
import type { GoroutineGroupInfo, GoroutinesResponse } from './api-types.ts';
import { compileRegex } from './stack-walk.ts';

const BLOCKING = /^(chan receive|chan send|select|sync\.Cond\.Wait|sync\.(RW)?Mutex\.R?Lock|semacquire|chan receive \(nil chan\)|chan send \(nil chan\)|select \(no cases\))/;

function verdictOf(state: string, waitMax: number, count: number): string {
  if (BLOCKING.test(state)) {
    if (state.includes('nil chan') || state.includes('no cases')) return 'leaked: blocked forever (nil channel or empty select)';
    if (waitMax >= 10) return `likely leaked: blocked on ${state} for ${waitMax}+ minutes`;
    if (count >= 100) return `suspect: ${count} goroutines blocked on ${state}`;
  }
  return '';
}

/** A group that grew in every interval of three or more snapshots is suspect. */
function growthVerdict(h: number[] | undefined): string {
  if (!h || h.length < 3) return '';
  for (let i = 1; i < h.length; i++) if (h[i] <= h[i - 1]) return '';
  return `suspect: grew in every snapshot (${h.join(' → ')})`;
}

export function matchGoroutine(g: Goroutine, filter: string, re: RegExp | null): boolean {
  if (filter === '') return true;
  const ids = filter.split(/[\s,]+/).filter(Boolean);
  if (ids.length && ids.every((x) => /^\d+$/.test(x))) return ids.includes(String(g.id));
  const kv = /^([\w.-]+)=(.*)$/.exec(filter);
  if (kv) {
    const k = kv[1];
    const v = kv[2];
    return g.labels[k] !== undefined && (v === '' || g.labels[k] === v);
  }
  if (!re) return true;
  if (re.test(g.state)) return true;
  for (const f of g.frames) if (re.test(f.func)) return true;
  return g.createdBy !== null && re.test(g.createdBy.func);
}

export function groupGoroutines(dumps: readonly GoroutineDump[], goroutineProfiles: readonly { source: string; profile: Profile }[], filter: string): GoroutinesResponse {
  const isIds = /^[\d\s,]+$/.test(filter);
  const kv = !isIds ? /^([\w.-]+)=(.*)$/.exec(filter) : null;
  const re = filter && !isIds && !kv ? compileRegex(filter, 'goroutine filter') : null;
  const groups = new Map<string, GoroutineGroupInfo>();
  const states: Record<string, number> = {};
  let total = 0;
  let matched = 0;
  // Several dumps: groups are those of the latest; earlier dumps give each group's history.
  const ordered = [...dumps].sort((a, b) => (a.timeMs ?? 0) - (b.timeMs ?? 0));
  const history = new Map<string, number[]>();
  const dumpKey = (g: Goroutine) => `${g.state.replace(/, \d+ minutes?$/, '')}\n${g.frames.map((f) => f.func).join('\n')}\n${g.createdBy?.func ?? ''}`;
  ordered.forEach((d, i) => {
    for (const g of d.goroutines) {
      if (!matchGoroutine(g, filter, re)) continue;
      const k = dumpKey(g);
      let h = history.get(k);
      if (!h) history.set(k, (h = new Array(ordered.length).fill(0)));
      h[i]++;
    }
  });
  for (const d of ordered.slice(-1)) {
    for (const g of d.goroutines) {
      total++;
      states[g.state] = (states[g.state] ?? 0) + 1;
      if (!matchGoroutine(g, filter, re)) continue;
      matched++;
      const frames = g.frames.map((f) => f.func);
      const key = dumpKey(g);
      let gr = groups.get(key);
      if (!gr) {
        gr = {
          state: g.state,
          count: 0,
          waitMin: g.waitMinutes,
          waitMax: g.waitMinutes,
          frames,
          createdBy: g.createdBy ? `${g.createdBy.func} ${g.createdBy.file}:${g.createdBy.line}` : '',
          ids: [],
          labels: [],
          verdict: '',
          ...(ordered.length > 1 ? { history: history.get(key) } : {}),
        };
        groups.set(key, gr);
      }
      gr.count++;
      gr.waitMin = Math.min(gr.waitMin, g.waitMinutes);
      gr.waitMax = Math.max(gr.waitMax, g.waitMinutes);
      if (gr.ids.length < 1000) gr.ids.push(g.id);
      for (const [k, v] of Object.entries(g.labels)) {
        const l = `${k}=${v}`;
        if (!gr.labels.includes(l) && gr.labels.length < 20) gr.labels.push(l);
      }
    }
  }
  // Goroutine profiles (proto) carry stacks, counts and pprof labels, but no IDs or states.
  if (dumps.length === 0) {
    const protoHistory = new Map<string, number[]>();
    const n = goroutineProfiles.length;
    goroutineProfiles.forEach(({ profile: p }, idx) => {
      const S = p.samples;
      const L = p.locations;
      for (let s = 0; s < S.length; s++) {
        const frames: string[] = [];
        for (let i = S.stackStart[s]; i < S.stackStart[s + 1]; i++) {
          const loc = S.stack[i];
          for (let l = L.lineStart[loc]; l < L.lineStart[loc + 1]; l++) frames.push(p.functions.name[L.lineFunction[l]]);
        }
        const labels = p.labelSets[S.labelSet[s]].str.map(([k, val]) => `${k}=${val}`);
        const key = `${frames.join('\n')}\n${labels.join(',')}`;
        let h = protoHistory.get(key);
        if (!h) protoHistory.set(key, (h = new Array(n).fill(0)));
        h[idx] += S.values[s * p.sampleTypes.length];
      }
    });
    for (const { profile: p } of goroutineProfiles.slice(-1)) {
      const S = p.samples;
      const L = p.locations;
      for (let s = 0; s < S.length; s++) {
        const v = S.values[s * p.sampleTypes.length];
        const frames: string[] = [];
        for (let i = S.stackStart[s]; i < S.stackStart[s + 1]; i++) {
          const loc = S.stack[i];
          for (let l = L.lineStart[loc]; l < L.lineStart[loc + 1]; l++) frames.push(p.functions.name[L.lineFunction[l]]);
        }
        const labels = p.labelSets[S.labelSet[s]].str.map(([k, val]) => `${k}=${val}`);
        total += v;
        if (re && !frames.some((f) => re.test(f))) continue;
        if (kv && !labels.some((l) => l === filter || (kv[2] === '' && l.startsWith(`${kv[1]}=`)))) continue;
        if (filter && !re && !kv) continue;
        matched += v;
        const key = `${frames.join('\n')}\n${labels.join(',')}`;
        let gr = groups.get(key);
        if (!gr) groups.set(key, (gr = { state: '', count: 0, waitMin: 0, waitMax: 0, frames, createdBy: '', ids: [], labels, verdict: '', ...(n > 1 ? { history: protoHistory.get(key) } : {}) }));
        gr.count += v;
      }
    }
  }
  const list = [...groups.values()];
  for (const g of list) g.verdict = verdictOf(g.state, g.waitMax, g.count) || growthVerdict(g.history);
  list.sort((a, b) => Number(b.verdict !== '') - Number(a.verdict !== '') || b.count - a.count);
  return {
    total,
    matched,
    groups: list.slice(0, 500),
    states,
    sources: dumps.length ? ordered.slice(-1).map((d) => d.source) : goroutineProfiles.slice(-1).map((g) => g.source),
    snapshots: dumps.length ? ordered.length : goroutineProfiles.length,
  };
}
