// -top / -text: pprof's TextItems and printText.

import { formatValue, selectOutputUnit, trimmedGraph, type ReportContext } from './context.ts';
import { reportLabels } from './labels.ts';
import { padLeft, percentage } from './measurement.ts';

export interface TextItem {
  name: string;
  /** '', '(inline)' or '(partial-inline)'. */
  inlineLabel: string;
  flat: number;
  cum: number;
  flatFormat: string;
  cumFormat: string;
}

/** The rows of -top and the header lines above them. */
export function textItems(ctx: ReportContext): { items: TextItem[]; labels: string[] } {
  const { g, names, origCount, droppedNodes } = trimmedGraph(ctx);
  selectOutputUnit(ctx, g);
  const labels = reportLabels(ctx, g, origCount, droppedNodes, 0, false);
  const items: TextItem[] = [];
  for (const n of g.nodes) {
    let inline = false;
    let noinline = false;
    for (const e of g.inEdges(n)) {
      if (g.edges.inline[e]) inline = true;
      else noinline = true;
    }
    const flat = g.flatValue(n);
    const cum = g.cumValue(n);
    items.push({
      name: names.name(n),
      inlineLabel: inline ? (noinline ? '(partial-inline)' : '(inline)') : '',
      flat,
      cum,
      flatFormat: formatValue(ctx, flat),
      cumFormat: formatValue(ctx, cum),
    });
  }
  return { items, labels };
}

export function printText(ctx: ReportContext): string {
  const { items, labels } = textItems(ctx);
  const out: string[] = [labels.join('\n') + '\n'];
  out.push(`${padLeft('flat', 10)} ${padLeft('flat', 5)}% ${padLeft('sum', 5)}% ${padLeft('cum', 10)} ${padLeft('cum', 5)}%\n`);
  let flatSum = 0;
  const total = ctx.total;
  for (const it of items) {
    flatSum += it.flat;
    const inl = it.inlineLabel !== '' ? ' ' + it.inlineLabel : '';
    out.push(
      `${padLeft(it.flatFormat, 10)} ${percentage(it.flat, total)} ${percentage(flatSum, total)} ${padLeft(it.cumFormat, 10)} ${percentage(it.cum, total)}  ${it.name}${inl}\n`,
    );
  }
  return out.join('');
}
