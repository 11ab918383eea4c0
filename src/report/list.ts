// -list=RE: annotated source of every function matching RE (pprof's
// printSource): per function and file, the lines from the function start
// (or 5 before the first sampled line) to 5 after the last sampled line.

import { formatValue, graphSetup, type ReportContext } from './context.ts';
import { ReportError } from './errors.ts';
import { sortNodes, type Graph } from './graph.ts';
import { padLeft, percentage } from './measurement.ts';
import { SourceReader } from './source-path.ts';
import { matchRegex } from './tree.ts';

const MARGIN = 5;

export function printList(ctx: ReportContext): string {
  const o = ctx.opts;
  const rx = o.symbol;
  if (rx === null) throw new ReportError('-list needs a regexp');
  const { ix, names, build } = graphSetup(ctx, false);
  const g = build(null);

  const functions: number[] = [];
  const functionNodes = new Map<string, number[]>();
  for (const n of g.nodes) {
    const name = ix.name[n];
    if (!matchRegex(rx, name)) continue;
    const list = functionNodes.get(name);
    if (list) list.push(n);
    else {
      functions.push(n);
      functionNodes.set(name, [n]);
    }
  }
  sortNodes(g, names, 'name', functions);
  if (functionNodes.size === 0) throw new ReportError(`no matches found for regexp: ${rx.source}`);

  const sourcePath = o.sourcePath !== '' ? o.sourcePath : process.cwd();
  const reader = new SourceReader(sourcePath, o.trimPath);
  const val = (v: number) => (v === 0 ? '.' : formatValue(ctx, v));
  const out: string[] = [`Total: ${formatValue(ctx, ctx.total)}\n`];
  for (const fn of functions) {
    const name = ix.name[fn];
    const sourceFiles: number[] = [];
    const fileNodes = new Map<string, number[]>();
    for (const n of functionNodes.get(name)!) {
      const file = ix.file[n];
      if (file === '') continue;
      const list = fileNodes.get(file);
      if (list) list.push(n);
      else {
        sourceFiles.push(n);
        fileNodes.set(file, [n]);
      }
    }
    if (sourceFiles.length === 0) {
      out.push(`No source information for ${name}\n`);
      continue;
    }
    sortNodes(g, names, 'file', sourceFiles);
    for (const fl of sourceFiles) {
      const filename = ix.file[fl];
      const fns = fileNodes.get(filename)!;
      let flatSum = 0;
      let cumSum = 0;
      for (const n of fns) {
        flatSum += g.flat[n];
        cumSum += g.cum[n];
      }
      const lines = sourceLines(g, filename, reader, fns);
      out.push(`ROUTINE ======================== ${name} in ${filename}\n`);
      out.push(`${padLeft(formatValue(ctx, flatSum), 10)} ${padLeft(formatValue(ctx, cumSum), 10)} (flat, cum) ${percentage(cumSum, ctx.total)} of Total\n`);
      const err = reader.fileError(filename);
      if (err !== undefined) {
        out.push(` Error: ${err}\n`);
        continue;
      }
      for (const l of lines) out.push(`${padLeft(val(l.flat), 10)} ${padLeft(val(l.cum), 10)} ${padLeft(String(l.lineno), 6)}:${l.text}\n`);
    }
  }
  return out.join('');
}

interface SourceLine {
  lineno: number;
  text: string;
  flat: number;
  cum: number;
}

/** getSourceFromFile. */
function sourceLines(g: Graph, file: string, reader: SourceReader, fns: number[]): SourceLine[] {
  const ix = g.ix;
  const byLine = new Map<number, [number, number]>();
  const f0 = fns[0];
  let start = ix.startLine[f0] !== 0 ? ix.startLine[f0] : ix.lineno[f0] - MARGIN;
  let end = ix.lineno[f0] + MARGIN;
  for (const n of fns) {
    const lineno = ix.lineno[n];
    let nodeStart = ix.startLine[n];
    if (nodeStart === 0) nodeStart = lineno - MARGIN;
    const nodeEnd = lineno + MARGIN;
    if (nodeStart < start) start = nodeStart;
    else if (nodeEnd > end) end = nodeEnd;
    const s = byLine.get(lineno) ?? [0, 0];
    s[0] += g.flat[n];
    s[1] += g.cum[n];
    byLine.set(lineno, s);
  }
  if (start < 1) start = 1;
  const out: SourceLine[] = [];
  for (let lineno = start; lineno <= end; lineno++) {
    const text = reader.line(file, lineno);
    if (text === undefined) break;
    const s = byLine.get(lineno) ?? [0, 0];
    out.push({ lineno, text: text.replace(/\n+$/, ''), flat: s[0], cum: s[1] });
  }
  return out;
}
