// Text views of a goroutine report: groups ranked, flagged groups in full
// (state, waits, count sparkline, creator, labels, evidence, fix), bounded
// groups one line each; and the one-goroutine view of `--id`.

import type { Goroutine, GoroutineDump } from '../../profile/model.ts';
import type { GoroutineReport, GroupReport } from './series.ts';
import { isParkedState } from './states.ts';

const SPARK = '▁▂▃▄▅▆▇█';

export function sparkline(xs: readonly number[]): string {
  const max = Math.max(...xs);
  const min = Math.min(...xs);
  if (max === min) return SPARK[max > 0 ? 3 : 0].repeat(xs.length);
  return xs.map((x) => SPARK[Math.round(((x - min) / (max - min)) * (SPARK.length - 1))]).join('');
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function formatWait(w: { min: number; max: number } | null): string {
  if (w === null) return 'not recorded';
  if (w.max === 0) return 'under a minute';
  return w.min === w.max ? `${w.max} minutes` : `${w.min}–${w.max} minutes`;
}

function formatIds(ids: readonly number[], max = 12): string {
  if (ids.length <= max) return ids.join(' ');
  return `${ids.slice(0, max).join(' ')} … (${ids.length})`;
}

function formatStates(states: Record<string, number>, inferred: boolean): string {
  const parts = Object.entries(states).sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s || 'unknown'} (${n})`);
  return parts.join(', ') + (inferred && !(Object.keys(states).length === 1 && '' in states) ? ' [from the stack]' : '');
}

/** The frame worth naming in a one-line summary: the first outside the runtime's plumbing. */
function headline(g: GroupReport): string {
  const f = g.stack.find((s) => s !== '' && !/^(runtime|internal\/poll|sync|net|bufio|io)\./.test(s)) ?? g.stack.find((s) => s !== '');
  return f ?? '(no frames)';
}

export interface RenderOptions {
  /** Frames shown per flagged group (0: all). */
  frames?: number;
  /** Also print bounded groups (default: yes, one line each). */
  showOk?: boolean;
}

export function renderGoroutineText(r: GoroutineReport, opts: RenderOptions = {}): string {
  const maxFrames = opts.frames ?? 8;
  const n = r.snapshots.length;
  const out: string[] = [];
  const leaks = r.groups.filter((g) => g.verdict === 'leak').length;
  const suspects = r.groups.filter((g) => g.verdict === 'suspect').length;
  const totals = r.snapshots.map((s) => s.total);
  const forms = [...new Set(r.snapshots.map((s) => s.form))].join('+');
  out.push(`Goroutines: ${plural(n, 'snapshot')} (${forms}), ${n > 1 ? `${totals[0]} → ${totals[n - 1]}` : totals[0]} goroutines in ${plural(r.groups.length, 'group')}; ${plural(leaks, 'leak')}, ${plural(suspects, 'suspect')}`);
  if (n > 1) {
    for (let i = 0; i < n; i++) {
      const s = r.snapshots[i];
      out.push(`  ${String(i + 1).padStart(2)}  ${s.time ?? '-'}  ${String(s.total).padStart(7)}  ${s.source}`);
    }
  }
  for (const s of r.snapshots) if (s.preamble) out.push(`  ${s.source}: ${s.preamble.split('\n').join('\n    ')}`);
  out.push('');
  for (const g of r.groups) {
    const counts = n > 1 ? `${g.count.join(' ')}  ${sparkline(g.count)}  (${g.growth >= 0 ? '+' : ''}${g.growth})` : `${g.count[0]}`;
    if (g.verdict === 'ok') {
      if (opts.showOk === false) continue;
      // A series lists bounded groups in one line; one snapshot has nothing
      // but its groups to show, so each is shown in full (as panicparse does).
      if (n > 1) {
        out.push(`#${g.rank}  ok       ${counts}  ${g.state || 'unknown'}  ${headline(g)}`);
        continue;
      }
      out.push(`#${g.rank}  ${plural(g.count[0], 'goroutine')}`);
    } else {
      out.push(`#${g.rank}  ${g.verdict.toUpperCase().padEnd(7)}  ${counts}  ${g.rule ?? 'no known pattern'}`);
    }
    const showWait = isParkedState(g.state) || (g.wait_minutes !== null && g.wait_minutes.max > 0);
    out.push(`    state: ${formatStates(g.states, g.state_inferred)}${showWait ? `   wait: ${formatWait(g.wait_minutes)}` : ''}`);
    // Cut from the middle: the leaf says what it waits for, the root which goroutine it is.
    const frameLine = (f: GroupReport['frames'][number]) => `    ${f.func || '?'}${f.file ? `  ${f.file}:${f.line}` : ''}`;
    if (maxFrames === 0 || g.frames.length <= maxFrames) {
      for (const f of g.frames) out.push(frameLine(f));
    } else {
      const head = Math.max(1, maxFrames - 1);
      for (const f of g.frames.slice(0, head)) out.push(frameLine(f));
      out.push(`    … ${plural(g.frames.length - head - 1, 'frame')} …`);
      out.push(frameLine(g.frames[g.frames.length - 1]));
    }
    if (g.created_by) out.push(`    created by ${g.created_by}${g.creator_ids.length ? ` in goroutine ${formatIds(g.creator_ids, 5)}` : ''}`);
    if (g.ids.length) out.push(`    ids: ${formatIds(g.ids)}`);
    const labels = Object.entries(g.labels);
    if (labels.length) out.push(`    labels: ${labels.map(([k, vs]) => `${k}=${vs.join(',')}`).join(' ')}`);
    if (g.locked_to_thread) out.push(`    locked to thread: ${g.locked_to_thread}`);
    for (const e of g.evidence) out.push(`    - ${e}`);
    if (g.verdict !== 'ok') out.push(`    why: ${g.explanation}`);
    if (g.hint) out.push(`    fix: ${g.hint}`);
    out.push('');
  }
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}

/** One goroutine, its creator chain as far as the dump records it. */
export interface GoroutineDetail {
  id: number;
  source: string;
  state: string;
  wait_minutes: number;
  locked_to_thread: boolean;
  labels: Record<string, string>;
  frames: Array<{ func: string; args: string; file: string; line: number; pc_offset: number }>;
  elided_frames: number;
  created_by: { func: string; file: string; line: number } | null;
  /** Creators, nearest first, while they are in the dump (`in goroutine N` needs Go 1.21+). */
  creator_chain: Array<{ id: number; state: string; top: string; present: boolean }>;
}

export function goroutineDetail(dump: GoroutineDump, id: number): GoroutineDetail | null {
  const byId = new Map<number, Goroutine>();
  for (const g of dump.goroutines) byId.set(g.id, g);
  const g = byId.get(id);
  if (!g) return null;
  const chain: GoroutineDetail['creator_chain'] = [];
  const seen = new Set([id]);
  let c = g.creatorId;
  while (c >= 0 && !seen.has(c)) {
    seen.add(c);
    const p = byId.get(c);
    if (!p) {
      chain.push({ id: c, state: '', top: '', present: false });
      break;
    }
    chain.push({ id: c, state: p.state, top: p.frames.find((f) => !f.func.startsWith('runtime.'))?.func ?? p.frames[0]?.func ?? '', present: true });
    c = p.creatorId;
  }
  return {
    id,
    source: dump.source,
    state: g.state,
    wait_minutes: g.waitMinutes,
    locked_to_thread: g.lockedToThread,
    labels: { ...g.labels },
    frames: g.frames.map((f) => ({ func: f.func, args: f.args, file: f.file, line: f.line, pc_offset: f.pcOffset })),
    elided_frames: g.elidedFrames,
    created_by: g.createdBy ? { func: g.createdBy.func, file: g.createdBy.file, line: g.createdBy.line } : null,
    creator_chain: chain,
  };
}

export function renderGoroutineDetail(d: GoroutineDetail, group: GroupReport | null): string {
  const out: string[] = [];
  const qual = [d.state, d.wait_minutes > 0 ? `${d.wait_minutes} minutes` : '', d.locked_to_thread ? 'locked to thread' : ''].filter(Boolean).join(', ');
  out.push(`goroutine ${d.id} [${qual}]  (${d.source})`);
  const labels = Object.entries(d.labels);
  if (labels.length) out.push(`  labels: ${labels.map(([k, v]) => `${k}=${v}`).join(' ')}`);
  for (const f of d.frames) {
    out.push(`  ${f.func}(${f.args})`);
    out.push(`      ${f.file}:${f.line}${f.pc_offset >= 0 ? ` +0x${f.pc_offset.toString(16)}` : ''}`);
  }
  if (d.elided_frames !== 0) out.push(d.elided_frames > 0 ? `  ...${d.elided_frames} frames elided...` : '  ...additional frames elided...');
  if (d.created_by) {
    out.push(`  created by ${d.created_by.func}`);
    out.push(`      ${d.created_by.file}:${d.created_by.line}`);
  }
  if (d.creator_chain.length) {
    out.push(`creator chain: ${[`goroutine ${d.id}`, ...d.creator_chain.map((c) => (c.present ? `goroutine ${c.id} [${c.state}] ${c.top}` : `goroutine ${c.id} (exited)`))].join(' ← ')}`);
  } else if (d.created_by) {
    out.push('creator chain: not recorded (the creator ID is printed from Go 1.21 on)');
  } else {
    out.push('creator chain: none (main goroutine or started by the runtime)');
  }
  if (group) out.push(`group: #${group.rank}, ${plural(group.count[group.count.length - 1], 'goroutine')}, ${group.verdict}${group.rule ? ` (${group.rule})` : ''}`);
  return `${out.join('\n')}\n`;
}
