// pprof's stack pruning: -prune_from (Profile.PruneFrom) and the profile's
// own drop_frames/keep_frames (Profile.Prune via RemoveUninteresting).

import { editLocationLines, range, rebuildSamples, type LineEdits } from './filter.ts';
import type { Profile } from './model.ts';

const RESERVED = ['(anonymous namespace)', 'operator()'];

/**
 * pprof's simplifyFunc: drops a leading '.' and everything from the first
 * '(' that does not start a reserved name. (So Go's `main.(*T).m` becomes
 * `main.`, as in pprof.)
 */
export function simplifyFunc(name: string): string {
  let f = name.startsWith('.') ? name.slice(1) : name;
  let i = 0;
  while (i < f.length) {
    const p = f.indexOf('(', i);
    if (p < 0) break;
    const res = RESERVED.find((r) => f.startsWith(r, p));
    if (!res) { f = f.slice(0, p); break; }
    i = p + res.length;
  }
  return f;
}

/** Profile.PruneFrom: cuts each stack below the deepest (leafmost) matching frame, which stays. */
export function pruneFrom(p: Profile, re: RegExp): Profile {
  const L = p.locations;
  const F = p.functions;
  const beneath = new Uint8Array(L.length);
  const edits: LineEdits = new Array(L.length).fill(null);
  for (let i = 0; i < L.length; i++) {
    for (let j = L.lineStart[i]; j < L.lineStart[i + 1]; j++) {
      const name = F.name[L.lineFunction[j]];
      if (name !== '' && re.test(simplifyFunc(name))) {
        beneath[i] = 1;
        if (j > L.lineStart[i]) edits[i] = seq(j, L.lineStart[i + 1]);
        break;
      }
    }
  }
  const S = p.samples;
  return rebuildSamples(p, (_s, from, to) => {
    for (let j = from; j < to; j++) if (beneath[S.stack[j]]) return range(j, to);
    return range(from, to);
  }, editLocationLines(L, edits));
}

/** Profile.Prune(drop, keep): removes frames from the leaf up to the last dropped one above user code. */
export function prune(p: Profile, drop: RegExp, keep: RegExp | null): Profile {
  const L = p.locations;
  const F = p.functions;
  const pruneLoc = new Uint8Array(L.length);
  const beneath = new Uint8Array(L.length);
  const edits: LineEdits = new Array(L.length).fill(null);
  for (let i = 0; i < L.length; i++) {
    const a = L.lineStart[i];
    const b = L.lineStart[i + 1];
    let j = b - 1;
    for (; j >= a; j--) {
      const name = F.name[L.lineFunction[j]];
      if (name !== '') {
        const fn = simplifyFunc(name);
        if (drop.test(fn) && (!keep || !keep.test(fn))) break;
      }
    }
    if (j >= a) {
      beneath[i] = 1;
      if (j === b - 1) pruneLoc[i] = 1;
      else edits[i] = seq(j + 1, b);
    }
  }
  const S = p.samples;
  return rebuildSamples(p, (_s, from, to) => {
    let foundUser = false;
    for (let j = to - 1; j >= from; j--) {
      const id = S.stack[j];
      if (!pruneLoc[id] && !beneath[id]) { foundUser = true; continue; }
      if (!foundUser) continue;
      if (pruneLoc[id]) return range(j + 1, to);
      return range(j, to);
    }
    return range(from, to);
  }, editLocationLines(L, edits));
}

/** Profile.RemoveUninteresting: applies the profile's drop_frames/keep_frames. */
export function removeUninteresting(p: Profile): Profile {
  if (p.dropFrames === '') return p;
  let drop: RegExp;
  let keep: RegExp | null = null;
  try {
    drop = new RegExp(`^(${p.dropFrames})$`);
    if (p.keepFrames !== '') keep = new RegExp(`^(${p.keepFrames})$`);
  } catch {
    return p;
  }
  return prune(p, drop, keep);
}

function seq(a: number, b: number): number[] {
  const out: number[] = [];
  for (let j = a; j < b; j++) out.push(j);
  return out;
}
