// -dot: the call graph in Graphviz DOT (internal/graph/dotgraph.go):
// legend box, one box per node sized by flat value and coloured by cum,
// nodelets for labels and `bytes` tags, edges sorted by weight.

import { formatValue, selectOutputUnit, trimmedGraph, type ReportContext } from './context.ts';
import { baseName, byteCompare, MAX_NODELETS, nameComponents, sortEdges, type Graph, type Tag } from './graph.ts';
import { reportLabels } from './labels.ts';
import { label, percentage, scale } from './measurement.ts';

export function printDot(ctx: ReportContext): string {
  const { g, names, origCount, droppedNodes, droppedEdges } = trimmedGraph(ctx);
  selectOutputUnit(ctx, g);
  const labels = reportLabels(ctx, g, origCount, droppedNodes, droppedEdges, true);
  const p = ctx.p;
  let title = ctx.opts.title ?? '';
  if (ctx.opts.title === undefined && p.mappings.length > 0 && p.mappings[0].file !== '') title = baseName(p.mappings[0].file);
  const total = ctx.total;
  const fmt = (v: number) => formatValue(ctx, v);
  const out: string[] = [];
  out.push(`digraph "${title !== '' ? title : 'unnamed'}" {\n`);
  out.push(`node [style=filled fillcolor="#f8f8f8"]\n`);
  if (labels.length > 0) {
    let s = `subgraph cluster_L { "${escapeForDot(labels[0])}" [shape=box fontsize=16`;
    s += ` label="${labels.map(escapeForDot).join('\\l')}\\l"`;
    if (title !== '') s += ` tooltip="${title}"`;
    s += '] }\n';
    out.push(s);
  }
  if (g.nodes.length === 0) {
    out.push('}\n');
    return out.join('');
  }
  const nodeId = new Map<number, number>();
  let maxFlat = Math.abs(g.flatValue(g.nodes[0]));
  g.nodes.forEach((n, i) => {
    nodeId.set(n, i + 1);
    maxFlat = Math.max(maxFlat, Math.abs(g.flatValue(n)));
  });
  const hasNodelets = new Map<number, boolean>();
  const edges: number[] = [];
  const E = g.edges;
  for (const n of g.nodes) {
    out.push(nodeLine(ctx, g, n, nodeId.get(n)!, maxFlat, names.name(n)));
    const nl = nodelets(ctx, g, n, nodeId.get(n)!);
    out.push(nl);
    hasNodelets.set(n, nl !== '');
    for (const e of g.outEdges(n)) edges.push(e);
  }
  for (const e of sortEdges(g, edges, names)) {
    const wv = g.weightValue(e);
    const w = fmt(wv);
    let attr = `label=" ${w}${E.inline[e] ? '\\n (inline)' : ''}"`;
    if (total !== 0) {
      const weight = 1 + Math.min(Math.abs(Math.trunc((wv * 100) / total)), 100);
      if (weight > 1) attr += ` weight=${weight}`;
      const width = 1 + Math.min(Math.abs(Math.trunc((wv * 5) / total)), 5);
      if (width > 1) attr += ` penwidth=${width}`;
      attr += ` color="${dotColor(wv / Math.abs(total), false)}"`;
    }
    const src = E.src[e];
    const dest = E.dest[e];
    const arrow = E.residual[e] ? '...' : '->';
    const tooltip = `"${escapeForDot(names.name(src))} ${arrow} ${escapeForDot(names.name(dest))} (${w})"`;
    attr += ` tooltip=${tooltip} labeltooltip=${tooltip}`;
    if (E.residual[e]) attr += ' style="dotted"';
    if (hasNodelets.get(src)) attr += ' minlen=2';
    out.push(`N${nodeId.get(src) ?? 0} -> N${nodeId.get(dest) ?? 0} [${attr}]\n`);
  }
  out.push('}\n');
  return out.join('');

  function nodeLine(ctx: ReportContext, g: Graph, n: number, id: number, maxFlat: number, printable: string): string {
    const flat = g.flatValue(n);
    const cum = g.cumValue(n);
    let lbl = multilinePrintableName(g, n);
    const flatValue = fmt(flat);
    if (flat !== 0) lbl += `${flatValue} (${percentage(flat, total).trim()})`;
    else lbl += '0';
    let cumValue = flatValue;
    if (cum !== flat) {
      lbl += flat !== 0 ? '\\n' : ' ';
      cumValue = fmt(cum);
      lbl += `of ${cumValue} (${percentage(cum, total).trim()})`;
    }
    let fontSize = 8;
    if (maxFlat !== 0 && flat !== 0 && Math.abs(flat) <= maxFlat) fontSize += Math.ceil(16 * Math.sqrt(Math.abs(flat) / maxFlat));
    const score = g.cumValue(n) / Math.abs(total);
    return `N${id} [label="${lbl}" id="node${id}" fontsize=${fontSize} shape=box tooltip="${escapeForDot(printable)} (${cumValue})" color="${dotColor(score, false)}" fillcolor="${dotColor(score, true)}"]\n`;
  }
}

function nodelets(ctx: ReportContext, g: Graph, n: number, id: number): string {
  const t = g.tags?.[n];
  if (!t) return '';
  const fmt = (v: number) => formatValue(ctx, v);
  let s = '';
  const flatTags = g.outEdges(n).length > 0;
  let ts = sortTags([...t.labelTags.values()], flatTags);
  if (ts.length > MAX_NODELETS) ts = ts.slice(0, MAX_NODELETS);
  ts.forEach((tag, i) => {
    const w = flatTags ? tagFlat(tag) : tagCum(tag);
    if (w === 0) return;
    const weight = fmt(w);
    s += `N${id}_${i} [label = "${tag.name}" id="N${id}_${i}" fontsize=8 shape=box3d tooltip="${weight}"]\n`;
    s += `N${id} -> N${id}_${i} [label=" ${weight}" weight=100 tooltip="${weight}" labeltooltip="${weight}"]\n`;
    const nts = t.numericTags.get(tag.name);
    if (nts && nts.size > 0) s += numericNodelets(ctx, [...nts.values()], flatTags, `N${id}_${i}`);
  });
  const nts = t.numericTags.get('');
  if (nts && nts.size > 0) s += numericNodelets(ctx, [...nts.values()], flatTags, `N${id}`);
  return s;
}

function numericNodelets(ctx: ReportContext, nts: Tag[], flatTags: boolean, source: string): string {
  let s = '';
  collapsedTags(nts, MAX_NODELETS, flatTags).forEach((t, j) => {
    let w = tagCum(t);
    let attr = ' style="dotted"';
    if (flatTags || tagFlat(t) === tagCum(t)) {
      w = tagFlat(t);
      attr = '';
    }
    if (w !== 0) {
      const weight = formatValue(ctx, w);
      s += `N${source}_${j} [label = "${t.name}" id="N${source}_${j}" fontsize=8 shape=box3d tooltip="${weight}"]\n`;
      s += `${source} -> N${source}_${j} [label=" ${weight}" weight=100 tooltip="${weight}" labeltooltip="${weight}"${attr}]\n`;
    }
  });
  return s;
}

const tagFlat = (t: Tag) => (t.flatDiv === 0 ? t.flat : Math.trunc(t.flat / t.flatDiv));
const tagCum = (t: Tag) => (t.cumDiv === 0 ? t.cum : Math.trunc(t.cum / t.cumDiv));

function sortTags(ts: Tag[], flat: boolean): Tag[] {
  return ts.sort((a, b) => {
    if (!flat && a.cum !== b.cum) {
      const x = Math.abs(a.cum);
      const y = Math.abs(b.cum);
      if (x !== y) return y - x;
    }
    if (a.flat !== b.flat) {
      const x = Math.abs(a.flat);
      const y = Math.abs(b.flat);
      if (x !== y) return y - x;
    }
    return byteCompare(a.name, b.name);
  });
}

function collapsedTags(ts: Tag[], count: number, flatTags: boolean): Tag[] {
  ts = sortTags(ts, flatTags);
  if (ts.length <= count) return ts;
  const groups: Tag[][] = ts.slice(0, count).map((t) => [t]);
  for (const t of ts.slice(count)) {
    let gi = 0;
    let d = tagDistance(t, groups[0][0]);
    for (let i = 1; i < count; i++) {
      const nd = tagDistance(t, groups[i][0]);
      if (nd < d) {
        gi = i;
        d = nd;
      }
    }
    groups[gi].push(t);
  }
  const nts: Tag[] = groups.map((grp) => {
    const [name, flat, cum] = tagGroupLabel(grp);
    return { name, unit: '', value: 0, flat, flatDiv: 0, cum, cumDiv: 0 };
  });
  return sortTags(nts, flatTags);
}

function tagDistance(t: Tag, u: Tag): number {
  const [v] = scale(u.value, u.unit, t.unit);
  return v < t.value ? t.value - v : v - t.value;
}

function tagGroupLabel(g: Tag[]): [string, number, number] {
  if (g.length === 1) {
    const t = g[0];
    return [label(t.value, t.unit), tagFlat(t), tagCum(t)];
  }
  let min = g[0];
  let max = g[0];
  let df = min.flatDiv;
  let f = min.flat;
  let dc = min.cumDiv;
  let c = min.cum;
  for (const t of g.slice(1)) {
    const [v1] = scale(t.value, t.unit, min.unit);
    if (Math.trunc(v1) < min.value) min = t;
    const [v2] = scale(t.value, t.unit, max.unit);
    if (Math.trunc(v2) > max.value) max = t;
    f += t.flat;
    df += t.flatDiv;
    c += t.cum;
    dc += t.cumDiv;
  }
  if (df !== 0) f = Math.trunc(f / df);
  if (dc !== 0) c = Math.trunc(c / dc);
  return [label(min.value, min.unit) + '..' + label(max.value, max.unit), f, c];
}

/** dotColor: grey for 0, red for positive, green for negative scores. */
export function dotColor(score: number, isBackground: boolean): string {
  const shift = 0.7;
  let saturation = isBackground ? 0.1 : 1.0;
  const value = isBackground ? 0.93 : 0.7;
  score = Math.max(-1, Math.min(1, score));
  if (Math.abs(score) < 0.2) saturation *= Math.abs(score) / 0.2;
  if (score > 0) score = Math.pow(score, 1 - shift);
  if (score < 0) score = -Math.pow(-score, 1 - shift);
  let r: number;
  let g: number;
  if (score < 0) {
    g = value;
    r = value * (1 + saturation * score);
  } else {
    r = value;
    g = value * (1 - saturation * score);
  }
  const b = value * (1 - saturation);
  const hex = (x: number) => (Math.trunc(x * 255) & 0xff).toString(16).padStart(2, '0');
  return `#${hex(r)}${hex(g)}${hex(b)}`;
}

const javaRegExp = /^(?:[a-z]\w*\.)*([A-Z][\w$]*\.(?:<init>|[a-z][\w$]*(?:\$\d+)?))(?:(?:\()|$)/;
const goRegExp = /^(?:[\w\-.]+\/)+(.+)/;
const goVerRegExp = /^(.*?)\/v(?:[2-9]|[1-9][0-9]+)([./].*)$/;
const cppRegExp = /^(?:[_a-zA-Z]\w*::)+(_*[A-Z]\w*::~?[_a-zA-Z]\w*(?:<.*>)?)/;
const cppAnonymousPrefixRegExp = /^\(anonymous namespace\)::/;

/** graph.ShortenFunctionName. */
export function shortenFunctionName(f: string): string {
  f = f.replace(cppAnonymousPrefixRegExp, '');
  f = f.replace(goVerRegExp, '$1$2');
  for (const re of [goRegExp, javaRegExp, cppRegExp]) {
    const m = re.exec(f);
    if (m && m.length >= 2) return m.slice(1).map((x) => x ?? '').join('');
  }
  return f;
}

function multilinePrintableName(g: Graph, n: number): string {
  const ix = g.ix;
  let name = escapeForDot(shortenFunctionName(ix.name[n]));
  name = name.split('::').join('\\n');
  name = name.split('[...]').join('[…]');
  name = name.split('.').join('\\n');
  const file = ix.file[n] !== '' ? baseName(ix.file[n]) : '';
  return nameComponents(ix, n, file, name).join('\\n') + '\\n';
}

/** escapeForDot: backslashes and quotes escaped, newlines left-justified. */
export function escapeForDot(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\l');
}
