// The header lines of a report: pprof's ProfileLabels (File, Build ID,
// comments, Type, Time, Duration) and reportLabels (active filters,
// "Showing nodes accounting for", "Dropped ...", "Showing top ...").

import { formatValue, type ReportContext } from './context.ts';
import { baseName, goInt64, type Graph } from './graph.ts';
import { label, percentage, scale } from './measurement.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Go's time.Format("Jan 2, 2006 at 3:04pm (MST)") in the process's zone
 * (go1.19's pprof layout; the golden files are made with TZ=UTC).
 */
export function formatProfileTime(nanos: bigint): string {
  const ms = Number(nanos / 1000000n);
  const d = new Date(ms);
  const tz = process.env.TZ;
  const utc = tz === undefined || tz === '' || tz === 'UTC' || tz === 'Etc/UTC' || tz === 'UTC0';
  const month = utc ? d.getUTCMonth() : d.getMonth();
  const day = utc ? d.getUTCDate() : d.getDate();
  const year = utc ? d.getUTCFullYear() : d.getFullYear();
  const h24 = utc ? d.getUTCHours() : d.getHours();
  const min = utc ? d.getUTCMinutes() : d.getMinutes();
  let h12 = h24 % 12;
  if (h12 === 0) h12 = 12;
  const ampm = h24 >= 12 ? 'pm' : 'am';
  let zone = 'UTC';
  if (!utc) {
    const part = new Intl.DateTimeFormat('en-US', { timeZoneName: 'short' }).formatToParts(d).find((x) => x.type === 'timeZoneName');
    zone = part?.value ?? 'UTC';
  }
  return `${MONTHS[month]} ${day}, ${year} at ${h12}:${String(min).padStart(2, '0')}${ampm} (${zone})`;
}

/** ProfileLabels. */
export function profileLabels(ctx: ReportContext): string[] {
  const p = ctx.p;
  const out: string[] = [];
  if (p.mappings.length > 0) {
    const m = p.mappings[0];
    if (m.file !== '') out.push('File: ' + baseName(m.file));
    if (m.buildId !== '') out.push('Build ID: ' + m.buildId);
  }
  for (const c of p.comments) if (!c.startsWith('#')) out.push(c);
  if (ctx.sampleType !== '') out.push('Type: ' + ctx.sampleType);
  if (p.timeNanos !== 0n) out.push('Time: ' + formatProfileTime(p.timeNanos));
  if (p.durationNanos !== 0n) {
    const dur = Number(p.durationNanos);
    const duration = label(dur, 'nanoseconds');
    const [totalNanos, totalUnit] = scale(ctx.total, ctx.sampleUnit, 'nanoseconds');
    let ratio = '';
    if (totalUnit === 'ns' && totalNanos !== 0) ratio = '(' + percentage(goInt64(totalNanos), dur) + ')';
    out.push(`Duration: ${duration}, Total samples = ${formatValue(ctx, ctx.total)} ${ratio}`);
  }
  return out;
}

function genLabel(d: number, n: string, l: string, f: string): string {
  return `Dropped ${d} ${d > 1 ? n + 's' : n} (${l} <= ${f})`;
}

/** reportLabels. */
export function reportLabels(
  ctx: ReportContext,
  g: Graph,
  origCount: number,
  droppedNodes: number,
  droppedEdges: number,
  fullHeaders: boolean,
): string[] {
  const o = ctx.opts;
  const nodeCount = g.nodes.length;
  const out: string[] = [];
  if (o.profileLabels && o.profileLabels.length > 0) out.push(...o.profileLabels);
  else if (fullHeaders || !o.compactLabels) out.push(...profileLabels(ctx));
  let flatSum = 0;
  for (const n of g.nodes) flatSum += g.flatValue(n);
  if (o.activeFilters && o.activeFilters.length > 0) {
    out.push('Active filters:');
    for (let s of o.activeFilters) {
      if (Buffer.byteLength(s) > 80) s = truncBytes(s, 80) + '…';
      out.push('   ' + s);
    }
  }
  out.push(
    `Showing nodes accounting for ${formatValue(ctx, flatSum)}, ${percentage(flatSum, ctx.total).trim()} of ${formatValue(ctx, ctx.total)} total`,
  );
  if (ctx.total !== 0) {
    if (droppedNodes > 0) {
      out.push(genLabel(droppedNodes, 'node', 'cum', formatValue(ctx, Math.abs(goInt64(ctx.total * ctx.nodeFraction)))));
    }
    if (droppedEdges > 0) {
      out.push(genLabel(droppedEdges, 'edge', 'freq', formatValue(ctx, Math.abs(goInt64(ctx.total * ctx.edgeFraction)))));
    }
    if (nodeCount > 0 && nodeCount < origCount) out.push(`Showing top ${nodeCount} nodes out of ${origCount}`);
  }
  if (fullHeaders) out.push('\nSee https://git.io/JfYMW for how to read the graph');
  return out;
}

/** s[:n] in Go bytes (may split a UTF-8 sequence, as Go does; we keep whole characters). */
function truncBytes(s: string, n: number): string {
  const b = Buffer.from(s);
  return b.subarray(0, n).toString('utf8').replace(/\uFFFD$/, '');
}
