// -traces: every sample's stack, leaf first, with its labels (printTraces).
// Output can be hundreds of megabytes, so it is produced in chunks; the
// text of each location's frames is built once and reused.

import { formatValue, type ReportContext } from './context.ts';
import { buildNodeIndex, NodeNames } from './graph.ts';
import { profileLabels } from './labels.ts';
import { label, padLeft } from './measurement.ts';

const SEPARATOR = '-----------+-------------------------------------------------------';
const BLANK_VALUE = ' '.repeat(10);
const CHUNK = 1 << 20;

export function writeTraces(ctx: ReportContext, write: (chunk: string) => void): void {
  const p = ctx.p;
  const o = ctx.opts;
  // graph.CreateNodes with default options: the profile as aggregated, no
  // object names, no file trimming.
  const ix = buildNodeIndex(p, { granularity: o.granularity, noInlines: o.noInlines, objNames: false });
  const names = new NodeNames(ix);
  const S = p.samples;
  const nt = p.sampleTypes.length;
  const labelText = new Map<number, string>();
  const labelsOf = (lsi: number): string => {
    let t = labelText.get(lsi);
    if (t !== undefined) return t;
    const ls = p.labelSets[lsi];
    const strByKey = new Map<string, string[]>();
    for (const [k, v] of ls.str) {
      const a = strByKey.get(k);
      if (a) a.push(v);
      else strByKey.set(k, [v]);
    }
    const strLines = [...strByKey].map(([k, vs]) => `${padLeft(k, 10)}:  ${vs.join(' ')}\n`).sort();
    const numByKey = new Map<string, string[]>();
    for (const nl of ls.num) {
      const unit = ctx.numLabelUnits.get(nl.key) ?? nl.key;
      const v = label(nl.value, unit);
      const a = numByKey.get(nl.key);
      if (a) a.push(v);
      else numByKey.set(nl.key, [v]);
    }
    const numLines = [...numByKey].map(([k, vs]) => `${padLeft(k, 10)}:  ${vs.join(' ')}\n`).sort();
    t = strLines.join('') + numLines.join('');
    labelText.set(lsi, t);
    return t;
  };
  // Per location: its frame lines after the value column ("   name (inline)\n"...).
  const locText: (string[] | undefined)[] = new Array(p.locations.length);
  const framesOf = (loc: number): string[] => {
    let t = locText[loc];
    if (t) return t;
    t = [];
    const la = ix.locStart[loc];
    const lb = ix.locStart[loc + 1];
    for (let k = la; k < lb; k++) t.push(`   ${names.name(ix.locNodes[k])}${k !== lb - 1 ? ' (inline)' : ''}\n`);
    locText[loc] = t;
    return t;
  };

  let buf = profileLabels(ctx).join('\n') + '\n';
  for (let s = 0; s < S.length; s++) {
    const a = S.stackStart[s];
    const b = S.stackStart[s + 1];
    if (a === b) continue;
    let text = SEPARATOR + '\n' + labelsOf(S.labelSet[s]);
    let v = S.values[s * nt + o.sampleIndex];
    const d = o.mean ? S.values[s * nt] : 0;
    if (d !== 0) v = Math.trunc(v / d);
    let first = true;
    for (let i = a; i < b; i++) {
      for (const line of framesOf(S.stack[i])) {
        if (first) {
          text += padLeft(formatValue(ctx, v), 10) + line;
          first = false;
        } else text += BLANK_VALUE + line;
      }
    }
    buf += text;
    if (buf.length >= CHUNK) {
      write(buf);
      buf = '';
    }
  }
  write(buf + SEPARATOR + '\n');
}
