// google/pprof's Profile.String(): the debugging dump that `-raw` prints
// (after the driver's pruning, which is not done here) and that pprof's own
// tests keep as `.string` golden files. Reproduced byte for byte, including
// Go's `%.4v` of the duration (which cuts the duration's text to four
// characters) and the sorted label lists.

import type { Profile } from './model.ts';

function hex(v: bigint | number): string {
  return `0x${v.toString(16)}`;
}

function padLeft(s: string, width: number): string {
  return s.length >= width ? s : ' '.repeat(width - s.length) + s;
}

/** Go's fmtFrac: the fraction digits of v/10^prec without trailing zeros, and the integer part. */
function fmtFrac(v: bigint, prec: number): [string, bigint] {
  let digits = '';
  let print = false;
  for (let i = 0; i < prec; i++) {
    const digit = v % 10n;
    print = print || digit !== 0n;
    if (print) digits = digit.toString() + digits;
    v /= 10n;
  }
  return [print ? `.${digits}` : '', v];
}

/** Go's time.Duration.String(). */
export function goDurationString(d: bigint): string {
  const neg = d < 0n;
  let u = neg ? -d : d;
  let out: string;
  if (u < 1000000000n) {
    if (u === 0n) return '0s';
    let unit: string;
    let prec: number;
    if (u < 1000n) {
      unit = 'ns';
      prec = 0;
    } else if (u < 1000000n) {
      unit = 'µs';
      prec = 3;
    } else {
      unit = 'ms';
      prec = 6;
    }
    const [frac, int] = fmtFrac(u, prec);
    out = `${int}${frac}${unit}`;
  } else {
    const [frac, secs] = fmtFrac(u, 9);
    u = secs;
    out = `${u % 60n}${frac}s`;
    u /= 60n;
    if (u > 0n) {
      out = `${u % 60n}m${out}`;
      u /= 60n;
      if (u > 0n) out = `${u}h${out}`;
    }
  }
  return neg ? `-${out}` : out;
}

/** Go's `time.Unix(0, ns).String()` in UTC (the oracle runs with TZ=UTC). */
export function goTimeString(ns: bigint): string {
  const second = 1000000000n;
  let secs = ns / second;
  let frac = ns % second;
  if (frac < 0n) {
    secs -= 1n;
    frac += second;
  }
  const d = new Date(Number(secs) * 1000);
  const p2 = (n: number): string => String(n).padStart(2, '0');
  const fracText = frac === 0n ? '' : `.${frac.toString().padStart(9, '0')}`.replace(/0+$/, '');
  const year = d.getUTCFullYear();
  const yearText = year < 0 ? `-${String(-year).padStart(4, '0')}` : String(year).padStart(4, '0');
  return (
    `${yearText}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ` +
    `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}${fracText} +0000 UTC`
  );
}

/** Go's `%v` of a []string: `[a b c]`. */
function goList(items: readonly string[]): string {
  return `[${items.join(' ')}]`;
}

function labelLines(p: Profile, set: number): string[] {
  const ls = p.labelSets[set];
  const out: string[] = [];
  const header = '                ';
  if (ls.str.length > 0) {
    const byKey = new Map<string, string[]>();
    for (const [k, v] of ls.str) {
      const vs = byKey.get(k);
      if (vs) vs.push(v);
      else byKey.set(k, [v]);
    }
    const parts = [...byKey].map(([k, vs]) => `${k}:${goList(vs)}`).sort(compareGo);
    out.push(header + parts.join(' '));
  }
  if (ls.num.length > 0) {
    const byKey = new Map<string, { values: number[]; units: string[] }>();
    for (const n of ls.num) {
      let e = byKey.get(n.key);
      if (!e) byKey.set(n.key, (e = { values: [], units: [] }));
      e.values.push(n.value);
      e.units.push(n.unit);
    }
    const parts = [...byKey].map(([k, { values, units }]) => {
      // pprof's decoder keeps only the units that are present, in order, padded
      // with '' to the number of values; any unit at all makes them print.
      const present = units.filter((u) => u !== '');
      const vs =
        present.length > 0 ? values.map((v, i) => `${v} ${present[i] ?? ''}`) : values.map(String);
      return `${k}:${goList(vs)}`;
    });
    out.push(header + parts.sort(compareGo).join(' '));
  }
  return out;
}

/** Byte-wise string order, as Go's sort.Strings. */
function compareGo(a: string, b: string): number {
  const ba = Buffer.from(a);
  const bb = Buffer.from(b);
  return Buffer.compare(ba, bb);
}

/**
 * Which pprof's String() to reproduce: the one in go1.19 (the `-raw`
 * oracle) or google/pprof's current one, which adds a `Doc:` line and a
 * column after each line number (its test `.string` files use it).
 */
export type StringLayout = 'go1.19' | 'latest';

/** The text google/pprof's `(*Profile).String()` returns for this profile. */
export function profileToString(p: Profile, layout: StringLayout = 'go1.19'): string {
  const latest = layout === 'latest';
  const ss: string[] = [];
  for (const c of p.comments) ss.push(`Comment: ${c}`);
  if (latest && p.docUrl !== '') ss.push(`Doc: ${p.docUrl}`);
  if (p.periodType !== null) ss.push(`PeriodType: ${p.periodType.type} ${p.periodType.unit}`);
  ss.push(`Period: ${p.period}`);
  if (p.timeNanos !== 0n) ss.push(`Time: ${goTimeString(p.timeNanos)}`);
  if (p.durationNanos !== 0n) ss.push(`Duration: ${[...goDurationString(p.durationNanos)].slice(0, 4).join('')}`);

  ss.push('Samples:');
  ss.push(
    p.sampleTypes
      .map((t) => `${t.type}/${t.unit}${t.type === p.defaultSampleType ? '[dflt]' : ''} `)
      .join('')
      .trim(),
  );
  const nv = p.sampleTypes.length;
  const s = p.samples;
  const locs = p.locations;
  for (let i = 0; i < s.length; i++) {
    let sv = '';
    for (let t = 0; t < nv; t++) sv += ` ${padLeft(String(s.values[i * nv + t]), 10)}`;
    sv += ': ';
    for (let k = s.stackStart[i]; k < s.stackStart[i + 1]; k++) sv += `${locs.id[s.stack[k]]} `;
    ss.push(sv);
    ss.push(...labelLines(p, s.labelSet[i]));
  }

  ss.push('Locations');
  const fns = p.functions;
  for (let i = 0; i < locs.length; i++) {
    let locStr = `${padLeft(String(locs.id[i]), 6)}: ${hex(locs.address[i])} `;
    const m = locs.mapping[i];
    if (m >= 0) locStr += `M=${p.mappings[m].id} `;
    if (locs.isFolded[i]) locStr += '[F] ';
    const from = locs.lineStart[i];
    const to = locs.lineStart[i + 1];
    if (from === to) ss.push(locStr);
    for (let k = from; k < to; k++) {
      const f = locs.lineFunction[k];
      const pos = latest ? `${locs.lineNumber[k]}:${locs.lineColumn[k]}` : `${locs.lineNumber[k]}`;
      let ln = `${fns.name[f]} ${fns.filename[f]}:${pos} s=${fns.startLine[f]}`;
      if (fns.name[f] !== fns.systemName[f]) ln += `(${fns.systemName[f]})`;
      ss.push(locStr + ln);
      locStr = '             ';
    }
  }

  ss.push('Mappings');
  for (const m of p.mappings) {
    let bits = '';
    if (m.hasFunctions) bits += '[FN]';
    if (m.hasFilenames) bits += '[FL]';
    if (m.hasLineNumbers) bits += '[LN]';
    if (m.hasInlineFrames) bits += '[IN]';
    ss.push(`${m.id}: ${hex(m.start)}/${hex(m.limit)}/${hex(m.offset)} ${m.file} ${m.buildId} ${bits}`);
  }
  return `${ss.join('\n')}\n`;
}
