// A minimal stand-in for the driver, for the report tests only: turns the
// go tool pprof flags used in cases.txt into ReportOptions (no filtering,
// merging or diffing: the fixtures are already what those steps produce).

import type { Profile } from '../../src/profile/model.ts';
import { sampleTypeIndex } from '../../src/profile/model.ts';
import { defaultReportOptions, type ReportOptions } from '../../src/report/options.ts';

export function optionsFromFlags(p: Profile, flags: string[]): ReportOptions {
  const o: ReportOptions = { ...defaultReportOptions, nodeCount: -1, sampleIndex: sampleTypeIndex(p, '') };
  for (const f of flags) {
    const m = /^-+([a-z_]+)(?:=(.*))?$/.exec(f);
    if (!m) throw new Error(`bad flag ${f}`);
    const [, name, value = 'true'] = m;
    switch (name) {
      case 'top':
      case 'text':
        o.format = 'text';
        break;
      case 'traces':
      case 'tags':
      case 'tree':
      case 'dot':
      case 'comments':
        o.format = name;
        break;
      case 'peek':
      case 'list':
        o.format = name;
        o.symbol = new RegExp(value);
        break;
      case 'sample_index':
        o.sampleIndex = sampleTypeIndex(p, value);
        break;
      case 'mean':
      case 'compact_labels':
        o[name === 'mean' ? 'mean' : 'compactLabels'] = value === 'true';
        break;
      case 'call_tree':
        o.callTree = value === 'true';
        break;
      case 'drop_negative':
        o.dropNegative = value === 'true';
        break;
      case 'noinlines':
        o.noInlines = value === 'true';
        break;
      case 'cum':
      case 'flat':
        o.sort = name;
        break;
      case 'functions':
      case 'filefunctions':
      case 'files':
      case 'lines':
      case 'addresses':
        o.granularity = name;
        break;
      case 'nodecount':
        o.nodeCount = Number(value);
        break;
      case 'nodefraction':
        o.nodeFraction = Number(value);
        break;
      case 'edgefraction':
        o.edgeFraction = Number(value);
        break;
      case 'trim':
        o.trim = value === 'true';
        break;
      case 'unit':
        o.unit = value;
        break;
      case 'divide_by':
        o.divideBy = Number(value);
        break;
      case 'source_path':
        o.sourcePath = value;
        break;
      case 'trim_path':
        o.trimPath = value;
        break;
      default:
        throw new Error(`flag not supported by the test driver: ${f}`);
    }
  }
  return o;
}

/**
 * What go1.19's driver does to every input, even a single one
 * (combineProfiles → profile.Merge): samples with the same stack and
 * labels become one, in first-seen order, and all-zero samples go. The
 * real driver owns this; the tests need it to read the fixtures as pprof does.
 */
export function mergeLikePprof(p: Profile): Profile {
  const S = p.samples;
  const nt = p.sampleTypes.length;
  const keyOf = (s: number) => {
    const ls = p.labelSets[S.labelSet[s]];
    const str = ls.str.map(([k, v]) => `${k}=${v}`).sort().join(',');
    const num = ls.num.map((n) => `${n.key}=${n.value}${n.unit}`).sort().join(',');
    return S.stack.subarray(S.stackStart[s], S.stackStart[s + 1]).join(' ') + '|' + str + '|' + num;
  };
  const index = new Map<string, number>();
  const order: number[] = [];
  const sums: number[][] = [];
  for (let s = 0; s < S.length; s++) {
    const k = keyOf(s);
    let i = index.get(k);
    if (i === undefined) {
      i = order.length;
      index.set(k, i);
      order.push(s);
      sums.push(new Array(nt).fill(0));
    }
    for (let t = 0; t < nt; t++) sums[i][t] += S.values[s * nt + t];
  }
  const keep = order.map((s, i) => ({ s, v: sums[i] })).filter((x) => x.v.some((v) => v !== 0));
  const stackStart = new Uint32Array(keep.length + 1);
  const stack: number[] = [];
  const values = new Float64Array(keep.length * nt);
  const labelSet = new Uint32Array(keep.length);
  keep.forEach(({ s, v }, i) => {
    stackStart[i] = stack.length;
    stack.push(...S.stack.subarray(S.stackStart[s], S.stackStart[s + 1]));
    values.set(v, i * nt);
    labelSet[i] = S.labelSet[s];
  });
  stackStart[keep.length] = stack.length;
  return { ...p, samples: { length: keep.length, stackStart, stack: Uint32Array.from(stack), values, labelSet } };
}
