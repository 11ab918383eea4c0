// Groups the goroutines of one snapshot by stack, function by function
// (arguments and PC offsets ignored), or by exact position with `exact`.
// Works on the two shapes a goroutine snapshot comes in: a full dump
// (debug=2, panic/SIGQUIT tracebacks: IDs, states, waits, creators) and a
// goroutine Profile (proto debug=0 with labels, or debug=1 text: counted
// stacks, no IDs; the state is inferred from the runtime frames when the
// profile has them).
//
// Stacks are normalized the way the runtime prints them in tracebacks:
// unexported `runtime.` frames (gopark, chanrecv, goexit, main) and unnamed
// frames are dropped unless nothing else is left, so a dump and a proto of
// the same program give the same groups. A trie over function names gives
// each distinct stack an integer id without building a string per goroutine.

import type { Goroutine, GoroutineDump, Profile } from '../../profile/model.ts';
import { inferState } from './states.ts';

export interface GroupOptions {
  /** Group by exact position (file:line and PC offset or address), not by function names. */
  readonly exact?: boolean;
}

/** One frame of a group's representative stack. */
export interface GroupFrame {
  readonly func: string;
  /** '' when the input has no file names (an unsymbolized debug=1 frame). */
  readonly file: string;
  readonly line: number;
}

/** Goroutines of one snapshot that share a stack. Plain, JSON-serializable data. */
export interface GoroutineGroup {
  /** Grouping key: function names (or exact positions), leaf first, joined by newlines. */
  readonly key: string;
  /** Function names, leaf first, after normalization. */
  readonly stack: string[];
  /** The stack with positions, from the first member. */
  readonly frames: GroupFrame[];
  readonly count: number;
  /** Goroutines per state; '' counts members whose state is unknown. */
  readonly states: Record<string, number>;
  /** The commonest state ('' when unknown). */
  readonly state: string;
  /** True when the state comes from the stack (profiles), not from the runtime (dumps). */
  readonly stateInferred: boolean;
  /** Range of printed wait minutes over the members; null when the input has no waits (profiles). */
  readonly waitMinutes: { min: number; max: number } | null;
  /** `created by` function and position, e.g. `main.start scenarios/main.go:40`; null when unknown. */
  readonly createdBy: string | null;
  /** Distinct creator goroutine IDs (`in goroutine N`, Go 1.21+). */
  readonly creatorIds: number[];
  /** Member goroutine IDs, ascending (dumps only). */
  readonly ids: number[];
  /** Distinct values per label key over the members. */
  readonly labels: Record<string, string[]>;
  /** Members locked to their thread. */
  readonly lockedToThread: number;
}

export type GoroutineInput = GoroutineDump | Profile;

export function isGoroutineDump(x: GoroutineInput): x is GoroutineDump {
  return (x as GoroutineDump).goroutines !== undefined;
}

/** True for frames a traceback hides: unexported runtime functions and unnamed frames. */
export function isHiddenFrame(func: string): boolean {
  if (func === '') return true;
  if (!func.startsWith('runtime.')) return false;
  const c = func.charCodeAt(8);
  return !(c >= 65 && c <= 90); // runtime.Gosched, runtime.Goexit, runtime.GC stay
}

/** Groups one snapshot; groups are ordered by count, largest first. */
export function groupGoroutines(input: GoroutineInput, opts: GroupOptions = {}): GoroutineGroup[] {
  const groups = isGoroutineDump(input) ? groupDump(input, opts) : groupProfile(input, opts);
  return groups.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Interns stacks: a trie whose node ids are stack ids. */
class StackTrie {
  private readonly children: Array<Map<string, number>> = [new Map()];
  node(parent: number, step: string): number {
    const m = this.children[parent];
    let id = m.get(step);
    if (id === undefined) {
      id = this.children.length;
      m.set(step, id);
      this.children.push(new Map());
    }
    return id;
  }
}

interface Acc {
  key: string;
  stack: string[];
  frames: GroupFrame[];
  count: number;
  states: Map<string, number>;
  stateInferred: boolean;
  waitMin: number;
  waitMax: number;
  hasWait: boolean;
  createdBy: Map<string, number>;
  creatorIds: Set<number>;
  ids: number[];
  labels: Map<string, Set<string>>;
  locked: number;
}

function newAcc(key: string, stack: string[], frames: GroupFrame[], inferred: boolean): Acc {
  return {
    key, stack, frames, count: 0, states: new Map(), stateInferred: inferred,
    waitMin: Infinity, waitMax: -Infinity, hasWait: false, createdBy: new Map(),
    creatorIds: new Set(), ids: [], labels: new Map(), locked: 0,
  };
}

function addLabels(acc: Acc, pairs: Iterable<readonly [string, string]>): void {
  for (const [k, v] of pairs) {
    let s = acc.labels.get(k);
    if (!s) acc.labels.set(k, (s = new Set()));
    s.add(v);
  }
}

function finishAcc(a: Acc): GoroutineGroup {
  let state = '';
  let best = -1;
  const states: Record<string, number> = {};
  for (const [s, n] of a.states) {
    states[s] = n;
    if (n > best) { best = n; state = s; }
  }
  let createdBy: string | null = null;
  best = -1;
  for (const [c, n] of a.createdBy) if (n > best) { best = n; createdBy = c; }
  const labels: Record<string, string[]> = {};
  for (const k of [...a.labels.keys()].sort()) labels[k] = [...(a.labels.get(k) as Set<string>)].sort(compareMaybeNumeric);
  return {
    key: a.key,
    stack: a.stack,
    frames: a.frames,
    count: a.count,
    states,
    state,
    stateInferred: a.stateInferred,
    waitMinutes: a.hasWait ? { min: a.waitMin, max: a.waitMax } : null,
    createdBy,
    creatorIds: [...a.creatorIds].sort((x, y) => x - y),
    ids: a.ids.sort((x, y) => x - y),
    labels,
    lockedToThread: a.locked,
  };
}

function compareMaybeNumeric(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function groupDump(dump: GoroutineDump, opts: GroupOptions): GoroutineGroup[] {
  const trie = new StackTrie();
  const byNode = new Map<number, Acc>();
  const exact = opts.exact === true;
  for (const g of dump.goroutines) {
    const frames = g.frames;
    let hiddenOnly = true;
    for (let i = 0; i < frames.length; i++) if (!isHiddenFrame(frames[i].func)) { hiddenOnly = false; break; }
    let node = 0;
    for (let i = 0; i < frames.length; i++) {
      const f = frames[i];
      if (!hiddenOnly && isHiddenFrame(f.func)) continue;
      node = trie.node(node, exact ? `${f.func} ${f.file}:${f.line} +${f.pcOffset}` : f.func);
    }
    let acc = byNode.get(node);
    if (!acc) {
      const kept = frames.filter((f) => hiddenOnly || !isHiddenFrame(f.func));
      const stack = kept.map((f) => f.func);
      const key = exact ? kept.map((f) => `${f.func} ${f.file}:${f.line} +${f.pcOffset}`).join('\n') : stack.join('\n');
      acc = newAcc(key, stack, kept.map((f) => ({ func: f.func, file: f.file, line: f.line })), false);
      byNode.set(node, acc);
    }
    addDumpMember(acc, g);
  }
  return [...byNode.values()].map(finishAcc);
}

function addDumpMember(acc: Acc, g: Goroutine): void {
  acc.count++;
  acc.states.set(g.state, (acc.states.get(g.state) ?? 0) + 1);
  acc.hasWait = true;
  if (g.waitMinutes < acc.waitMin) acc.waitMin = g.waitMinutes;
  if (g.waitMinutes > acc.waitMax) acc.waitMax = g.waitMinutes;
  if (g.createdBy) {
    const c = g.createdBy.file ? `${g.createdBy.func} ${g.createdBy.file}:${g.createdBy.line}` : g.createdBy.func;
    acc.createdBy.set(c, (acc.createdBy.get(c) ?? 0) + 1);
  }
  if (g.creatorId >= 0) acc.creatorIds.add(g.creatorId);
  acc.ids.push(g.id);
  for (const k in g.labels) addLabels(acc, [[k, g.labels[k]]]);
  if (g.lockedToThread) acc.locked++;
}

function groupProfile(p: Profile, opts: GroupOptions): GoroutineGroup[] {
  const L = p.locations;
  const S = p.samples;
  const F = p.functions;
  const nv = p.sampleTypes.length;
  let col = p.sampleTypes.findIndex((t) => t.type === 'goroutine');
  if (col < 0) col = Math.max(0, nv - 1);
  const exact = opts.exact === true;
  const trie = new StackTrie();
  const byNode = new Map<number, Acc>();
  // debug=1 text loses the runtime frames; then only sync/time frames tell a state.
  let runtimeFrames = false;
  for (let f = 0; f < F.length && !runtimeFrames; f++) runtimeFrames = F.name[f] === 'runtime.goexit' || F.name[f] === 'runtime.gopark';
  const names: string[] = [];
  const positions: GroupFrame[] = [];
  const steps: string[] = [];
  for (let s = 0; s < S.length; s++) {
    const n = S.values[s * nv + col];
    if (n <= 0) continue;
    names.length = 0;
    positions.length = 0;
    steps.length = 0;
    for (let k = S.stackStart[s]; k < S.stackStart[s + 1]; k++) {
      const loc = S.stack[k];
      const l0 = L.lineStart[loc];
      const l1 = L.lineStart[loc + 1];
      if (l0 === l1) {
        names.push('');
        positions.push({ func: '', file: '', line: 0 });
        steps.push(`0x${L.address[loc].toString(16)}`);
        continue;
      }
      for (let l = l0; l < l1; l++) {
        const fn = L.lineFunction[l];
        names.push(F.name[fn]);
        positions.push({ func: F.name[fn], file: F.filename[fn], line: L.lineNumber[l] });
        steps.push(L.address[loc] !== 0n ? `${F.name[fn]} 0x${L.address[loc].toString(16)}` : `${F.name[fn]} ${F.filename[fn]}:${L.lineNumber[l]}`);
      }
    }
    let hiddenOnly = true;
    for (const name of names) if (!isHiddenFrame(name)) { hiddenOnly = false; break; }
    let node = 0;
    for (let i = 0; i < names.length; i++) {
      if (!hiddenOnly && isHiddenFrame(names[i])) continue;
      node = trie.node(node, exact ? steps[i] : names[i]);
    }
    let acc = byNode.get(node);
    if (!acc) {
      const keep: number[] = [];
      for (let i = 0; i < names.length; i++) if (hiddenOnly || !isHiddenFrame(names[i])) keep.push(i);
      const stack = keep.map((i) => names[i]);
      const key = exact ? keep.map((i) => steps[i]).join('\n') : stack.join('\n');
      acc = newAcc(key, stack, keep.map((i) => positions[i]), true);
      byNode.set(node, acc);
    }
    acc.count += n;
    const state = inferState(names, runtimeFrames);
    acc.states.set(state, (acc.states.get(state) ?? 0) + n);
    const ls = p.labelSets[S.labelSet[s]];
    if (ls) addLabels(acc, ls.str);
  }
  return [...byNode.values()].map(finishAcc);
}

// The series analysis lives in ./series.ts; re-exported so callers need one import.
export { analyzeGoroutineSeries, analyzeGroupedSeries, groupSnapshot, orderSnapshots } from './series.ts';
export type { GoroutineReport, GoroutineSnapshot, GroupedSnapshot, GroupReport, SnapshotInfo } from './series.ts';
