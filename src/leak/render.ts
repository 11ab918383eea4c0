// Leak reports as text (a ranked table, then details per candidate) and as
// Markdown for a CI job's step summary.

import type { DiffReport } from './diff.ts';
import type { LeakCandidate, LeakReport } from './report-types.ts';
import { formatBytes, formatCount, sparkline } from './units.ts';

function pad(s: string, w: number, right = false): string {
  const n = [...s].length;
  return n >= w ? s : right ? ' '.repeat(w - n) + s : s + ' '.repeat(w - n);
}

function table(rows: string[][], rightCols: Set<number>): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => [...r[c]].length)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : pad(cell, widths[c], rightCols.has(c)))).join('  ').trimEnd()).join('\n');
}

function truncate(s: string, n: number): string {
  return s.length > n ? `…${s.slice(s.length - n + 1)}` : s;
}

function perMinute(c: LeakCandidate): string {
  return c.growth_bytes_per_minute === null ? '-' : `${formatBytes(c.growth_bytes_per_minute, true)}`;
}

function candidateRows(cs: readonly LeakCandidate[]): string[][] {
  const rows = [['#', 'verdict', 'site', 'now', '/snapshot', '/min', 'conf', 'series']];
  for (const c of cs) {
    rows.push([
      String(c.rank), c.verdict, truncate(c.function, 60), formatBytes(c.inuse_bytes[c.inuse_bytes.length - 1] ?? 0),
      formatBytes(c.growth_bytes_per_snapshot, true), perMinute(c), `${Math.round(c.confidence * 100)}%`, sparkline(c.inuse_bytes),
    ]);
  }
  return rows;
}

function details(c: LeakCandidate, depthShown: number): string {
  const lines = [`${c.rank}. ${c.function} — ${c.verdict}`, `   site: ${c.site}`, `   ${c.explanation}`];
  lines.push(`   in-use: ${c.inuse_bytes.map((b) => formatBytes(b)).join(' → ')}`);
  lines.push('   stack (leaf first):');
  for (const f of c.stack.slice(0, depthShown)) lines.push(`     ${f}`);
  if (c.stack.length > depthShown) lines.push(`     … ${c.stack.length - depthShown} more`);
  for (const g of c.goroutines) {
    lines.push(`   goroutines holding it: ${g.count.join(' → ')} (+${g.growth}) in ${g.stack.slice(0, 4).join(' < ')}${g.stack.length > 4 ? ' < …' : ''}; shares ${g.shared_frames.join(', ')}`);
  }
  if (c.suppressed_by) lines.push(`   suppressed by: ${c.suppressed_by}`);
  return lines.join('\n');
}

export function renderText(r: LeakReport): string {
  const out: string[] = [];
  const n = r.snapshots.length;
  const first = r.snapshots[0]?.time;
  const last = r.snapshots[n - 1]?.time;
  out.push(`${n} heap snapshot${n === 1 ? '' : 's'}${first && last ? ` from ${first} to ${last}` : ''}, ${r.site_count} sites, sampling period ${formatBytes(r.sample_period)}`);
  out.push(`total in-use heap: ${r.total_inuse_bytes.map((b) => formatBytes(b)).join(' → ')}`);
  for (const note of r.notes) out.push(`note: ${note}`);
  if (r.projection) out.push(`projection: ${r.projection.explanation}`);
  out.push('');
  if (r.candidates.length === 0) out.push('No site grows without bound.');
  else {
    out.push(table(candidateRows(r.candidates), new Set([0, 3, 4, 5, 6])));
    out.push('');
    for (const c of r.candidates) out.push(details(c, 12), '');
  }
  if (r.suppressed.length) {
    out.push(`Suppressed (judged bounded by the suppression file): ${r.suppressed.length}`);
    out.push(table(candidateRows(r.suppressed), new Set([0, 3, 4, 5, 6])));
    for (const c of r.suppressed) out.push(`   ${c.function}: ${c.suppressed_by}`);
    out.push('');
  }
  if (r.others?.length) {
    out.push('Not kept:');
    for (const o of r.others) out.push(`  ${o.function} — ${o.verdict}: ${o.explanation}`);
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function renderMarkdown(r: LeakReport): string {
  const out: string[] = [];
  const leaks = r.candidates.filter((c) => c.verdict === 'leak').length;
  const suspects = r.candidates.length - leaks;
  out.push('## Heap leak check');
  out.push('');
  out.push(r.candidates.length === 0
    ? `:white_check_mark: No allocation site grows without bound over ${r.snapshots.length} snapshots.`
    : `:warning: **${leaks} leak${leaks === 1 ? '' : 's'}**, ${suspects} suspect${suspects === 1 ? '' : 's'} over ${r.snapshots.length} snapshots.`);
  if (r.projection) out.push('', `Projection: ${mdEscape(r.projection.explanation)}`);
  if (r.candidates.length) {
    out.push('', '| # | verdict | site | now | growth/snapshot | series | why |', '|---:|---|---|---:|---:|---|---|');
    for (const c of r.candidates) {
      out.push(`| ${c.rank} | ${c.verdict} | \`${mdEscape(c.function)}\` | ${formatBytes(c.inuse_bytes[c.inuse_bytes.length - 1] ?? 0)} | ${formatBytes(c.growth_bytes_per_snapshot, true)} | ${sparkline(c.inuse_bytes)} | ${mdEscape(c.explanation)} |`);
    }
    out.push('', '<details><summary>Stacks</summary>', '');
    for (const c of r.candidates) {
      out.push(`**${c.rank}. \`${mdEscape(c.function)}\`**`, '', '```', ...c.stack.slice(0, 20), '```');
      for (const g of c.goroutines) out.push(`Goroutines holding it: ${g.count.join(' → ')} sharing \`${mdEscape(g.shared_frames.join(', '))}\``);
      out.push('');
    }
    out.push('</details>');
  }
  if (r.suppressed.length) {
    out.push('', `Suppressed as bounded: ${r.suppressed.map((c) => `\`${mdEscape(c.function)}\` (${mdEscape(c.suppressed_by ?? '')})`).join(', ')}`);
  }
  for (const n of r.notes) out.push('', `_${mdEscape(n)}_`);
  return `${out.join('\n')}\n`;
}

export function renderDiffText(d: DiffReport, limit = 20): string {
  const out: string[] = [];
  out.push(`heap diff: ${d.base.file}${d.base.time ? ` (${d.base.time})` : ''} → ${d.snapshot.file}${d.snapshot.time ? ` (${d.snapshot.time})` : ''}`);
  out.push(`in-use heap ${formatBytes(d.total_inuse_bytes_delta, true)}${d.total_alloc_bytes_delta !== null ? `, ${formatBytes(d.total_alloc_bytes_delta)} allocated in between` : ''}; sampling period ${formatBytes(d.sample_period)}`);
  for (const n of d.notes) out.push(`note: ${n}`);
  out.push('', 'New objects by site (± is sampling noise, * marks changes of 3σ or more):');
  const rows = [['in-use Δ', '±', 'objects Δ', 'allocated', 'now', '', 'site']];
  for (const r of d.sites.slice(0, limit)) {
    rows.push([formatBytes(r.inuse_bytes_delta, true), formatBytes(r.noise_sd_bytes), formatCount(r.inuse_objects_delta, true),
      r.alloc_bytes_delta === null ? '-' : formatBytes(r.alloc_bytes_delta), formatBytes(r.inuse_bytes_now), r.significant ? '*' : '', r.site]);
  }
  out.push(table(rows, new Set([0, 1, 2, 3, 4])));
  if (d.sites.length > limit) out.push(`… ${d.sites.length - limit} more sites`);
  out.push('', 'New objects by size:');
  const srows = [['size', 'objects Δ', 'in-use Δ', 'allocated objects']];
  for (const s of d.sizes.slice(0, limit)) {
    srows.push([s.bytes === null ? '(no label)' : formatBytes(s.bytes), formatCount(s.inuse_objects_delta, true), formatBytes(s.inuse_bytes_delta, true), s.alloc_objects_delta === null ? '-' : formatCount(s.alloc_objects_delta)]);
  }
  out.push(table(srows, new Set([0, 1, 2, 3])));
  return `${out.join('\n')}\n`;
}

export function renderDiffMarkdown(d: DiffReport, limit = 20): string {
  const out = ['## Heap diff', '', `\`${mdEscape(d.base.file)}\` → \`${mdEscape(d.snapshot.file)}\`: in-use heap ${formatBytes(d.total_inuse_bytes_delta, true)}`, ''];
  out.push('| in-use Δ | ± noise | objects Δ | site |', '|---:|---:|---:|---|');
  for (const r of d.sites.slice(0, limit)) out.push(`| ${formatBytes(r.inuse_bytes_delta, true)}${r.significant ? ' *' : ''} | ${formatBytes(r.noise_sd_bytes)} | ${formatCount(r.inuse_objects_delta, true)} | \`${mdEscape(r.site)}\` |`);
  out.push('', '| object size | objects Δ | in-use Δ |', '|---:|---:|---:|');
  for (const s of d.sizes.slice(0, limit)) out.push(`| ${s.bytes === null ? '(none)' : formatBytes(s.bytes)} | ${formatCount(s.inuse_objects_delta, true)} | ${formatBytes(s.inuse_bytes_delta, true)} |`);
  return `${out.join('\n')}\n`;
}
