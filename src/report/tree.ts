// -tree and -peek: each node with its callers above and callees below
// (printTree). -peek keeps only nodes whose name matches the symbol regex.

import { formatValue, selectOutputUnit, trimmedGraph, type ReportContext } from './context.ts';
import { ReportError } from './errors.ts';
import { sortEdges } from './graph.ts';
import { reportLabels } from './labels.ts';
import { padLeft, percentage } from './measurement.ts';

const SEPARATOR = '----------------------------------------------------------+-------------';
const LEGEND = '      flat  flat%   sum%        cum   cum%   calls calls% + context \t \t ';

export function printTree(ctx: ReportContext): string {
  const { g, names, origCount, droppedNodes } = trimmedGraph(ctx);
  selectOutputUnit(ctx, g);
  const out: string[] = [reportLabels(ctx, g, origCount, droppedNodes, 0, false).join('\n') + '\n'];
  out.push(SEPARATOR + '\n', LEGEND + '\n');
  const rx = ctx.opts.symbol;
  const total = ctx.total;
  let flatSum = 0;
  let matched = 0;
  for (const n of g.nodes) {
    const name = names.name(n);
    const flat = g.flatValue(n);
    const cum = g.cumValue(n);
    if (rx !== null && !matchRegex(rx, name)) continue;
    matched++;
    out.push(SEPARATOR + '\n');
    const E = g.edges;
    for (const e of sortEdges(g, g.inEdges(n), names)) {
      const inline = E.inline[e] ? ' (inline)' : '';
      out.push(`${padLeft(formatValue(ctx, E.weight[e]), 50)} ${percentage(E.weight[e], cum)} |   ${names.name(E.src[e])}${inline}\n`);
    }
    flatSum += flat;
    out.push(
      `${padLeft(formatValue(ctx, flat), 10)} ${percentage(flat, total)} ${percentage(flatSum, total)} ${padLeft(formatValue(ctx, cum), 10)} ${percentage(cum, total)}                | ${name}\n`,
    );
    for (const e of sortEdges(g, g.outEdges(n), names)) {
      const inline = E.inline[e] ? ' (inline)' : '';
      out.push(`${padLeft(formatValue(ctx, E.weight[e]), 50)} ${percentage(E.weight[e], cum)} |   ${names.name(E.dest[e])}${inline}\n`);
    }
  }
  if (g.nodes.length > 0) out.push(SEPARATOR + '\n');
  if (rx !== null && matched === 0) throw new ReportError(`no matches found for regexp: ${rx.source}`);
  return out.join('');
}

/** Go's regexp MatchString: unanchored search; a global/sticky regex must not keep state. */
export function matchRegex(rx: RegExp, s: string): boolean {
  rx.lastIndex = 0;
  return rx.test(s);
}
