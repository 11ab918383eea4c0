// The body of snapshot records in a store segment.
//
// Consecutive snapshots of one target and type repeat nearly everything:
// the same strings, functions, locations and stacks, and mostly the same
// values. A segment therefore keeps one growing dictionary (strings,
// mappings, functions, locations, label sets, stacks) and each snapshot
// record carries only the entries it adds, then its samples as
// (stack id, label set id, values), sorted, with each value stored as the
// difference from the same (stack, label set) in the previous snapshot.
// Writer and reader replay the same state, record by record.

import { EMPTY_LABEL_SET, type LabelSet, type Mapping, type NumLabel, type Profile, type ValueType } from '../profile/model.ts';
import { ByteReader, ByteWriter } from './bytes.ts';

interface FunctionEntry {
  name: number;
  system: number;
  file: number;
  startLine: number;
}

interface LocationEntry {
  mapping: number; // dictionary mapping index, -1 for none
  address: bigint;
  folded: boolean;
  fns: number[];
  lines: number[];
  cols: number[];
}

interface LabelSetEntry {
  str: Array<[number, number]>;
  num: Array<[number, number, number]>; // key sid, value, unit sid
}

/** Index of `key` in `list`, appending `make()` the first time the key is seen. */
function internByKey<T>(index: Map<string, number>, list: T[], key: string, make: () => T): number {
  let i = index.get(key);
  if (i === undefined) {
    i = list.length;
    list.push(make());
    index.set(key, i);
  }
  return i;
}

/** Dictionary and previous-sample state shared by a segment's writer and reader. */
export class SegmentState {
  strings: string[] = [''];
  private stringIndex = new Map<string, number>([['', 0]]);
  mappings: Mapping[] = [];
  private mappingIndex = new Map<string, number>();
  functions: FunctionEntry[] = [];
  private functionIndex = new Map<string, number>();
  locations: LocationEntry[] = [];
  private locationIndex = new Map<string, number>();
  labelSets: LabelSetEntry[] = [{ str: [], num: [] }];
  private labelSetIndex = new Map<string, number>([['[[],[]]', 0]]);
  stacks: Uint32Array[] = [];
  private stackIndex = new Map<number, number[]>();

  // Previous snapshot's samples, sorted by (stack, labelSet).
  prevStack = new Uint32Array(0);
  prevLabel = new Uint32Array(0);
  prevValues = new Float64Array(0);
  prevTypes = '';

  /** Count of dictionary entries of each kind (for "what is new" in a record). */
  sizes(): number[] {
    return [this.strings.length, this.mappings.length, this.functions.length, this.locations.length, this.labelSets.length, this.stacks.length];
  }

  internString(s: string): number {
    return internByKey(this.stringIndex, this.strings, s, () => s);
  }

  addStringDecoded(s: string): void {
    this.stringIndex.set(s, this.strings.length);
    this.strings.push(s);
  }

  internMapping(m: Mapping): number {
    const key = `${m.start}:${m.limit}:${m.offset}:${m.file}:${m.buildId}:${+m.hasFunctions}${+m.hasFilenames}${+m.hasLineNumbers}${+m.hasInlineFrames}`;
    return internByKey(this.mappingIndex, this.mappings, key, () => ({ ...m, id: this.mappings.length + 1 }));
  }

  internFunction(f: FunctionEntry): number {
    return internByKey(this.functionIndex, this.functions, `${f.name}:${f.system}:${f.file}:${f.startLine}`, () => f);
  }

  internLocation(l: LocationEntry): number {
    let key = `${l.mapping}:${l.address}:${+l.folded}`;
    for (let k = 0; k < l.fns.length; k++) key += `|${l.fns[k]}:${l.lines[k]}:${l.cols[k]}`;
    return internByKey(this.locationIndex, this.locations, key, () => l);
  }

  internLabelSet(e: LabelSetEntry): number {
    const key = JSON.stringify([e.str, e.num]);
    let i = this.labelSetIndex.get(key);
    if (i === undefined) {
      i = this.labelSets.length;
      this.labelSets.push(e);
      this.labelSetIndex.set(key, i);
    }
    return i;
  }

  internStack(lids: Uint32Array): number {
    let h = 2166136261;
    for (let k = 0; k < lids.length; k++) h = Math.imul(h ^ lids[k], 16777619) >>> 0;
    let bucket = this.stackIndex.get(h);
    if (bucket === undefined) {
      bucket = [];
      this.stackIndex.set(h, bucket);
    }
    for (const id of bucket) {
      const s = this.stacks[id];
      if (s.length === lids.length && s.every((v, k) => v === lids[k])) return id;
    }
    const id = this.stacks.length;
    this.stacks.push(lids);
    bucket.push(id);
    return id;
  }
}

export interface SnapshotMeta {
  /** Collection time, ms since the epoch. */
  timeMs: number;
  /** URL the snapshot was fetched from. */
  url: string;
}

const FLAG_FLOAT_VALUES = 1;

/**
 * Encodes `p` against `state` (which it extends). Returns the record body.
 * If the write of that record fails, the caller must discard `state`.
 */
export function encodeSnapshot(state: SegmentState, p: Profile, meta: SnapshotMeta): Uint8Array {
  const before = state.sizes();
  const s = (x: string): number => state.internString(x);

  // Header strings first so they are part of this record's new strings.
  const urlId = s(meta.url);
  const types = p.sampleTypes.map((t) => [s(t.type), s(t.unit)] as const);
  const defType = s(p.defaultSampleType);
  const period = p.periodType ? [s(p.periodType.type), s(p.periodType.unit)] : null;
  const drop = s(p.dropFrames);
  const keep = s(p.keepFrames);
  const comments = p.comments.map(s);
  const doc = s(p.docUrl);

  // Dictionary: map this profile's tables onto the segment's.
  const mapIds = p.mappings.map((m) => {
    s(m.file);
    s(m.buildId);
    return state.internMapping(m);
  });
  const fnIds = new Uint32Array(p.functions.length);
  for (let i = 0; i < p.functions.length; i++) {
    fnIds[i] = state.internFunction({
      name: s(p.functions.name[i]),
      system: s(p.functions.systemName[i]),
      file: s(p.functions.filename[i]),
      startLine: p.functions.startLine[i],
    });
  }
  const L = p.locations;
  const locIds = new Uint32Array(L.length);
  for (let i = 0; i < L.length; i++) {
    const fns: number[] = [];
    const lines: number[] = [];
    const cols: number[] = [];
    for (let k = L.lineStart[i]; k < L.lineStart[i + 1]; k++) {
      fns.push(fnIds[L.lineFunction[k]]);
      lines.push(L.lineNumber[k]);
      cols.push(L.lineColumn[k]);
    }
    locIds[i] = state.internLocation({
      mapping: L.mapping[i] >= 0 ? mapIds[L.mapping[i]] : -1,
      address: L.address[i],
      folded: L.isFolded[i] !== 0,
      fns,
      lines,
      cols,
    });
  }
  const labelIds = p.labelSets.map((ls) => labelSetEntryOf(state, ls)).map((e) => state.internLabelSet(e));

  const S = p.samples;
  const n = S.length;
  const nv = p.sampleTypes.length;
  const stackIds = new Uint32Array(n);
  const labels = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const lids = new Uint32Array(S.stackStart[i + 1] - S.stackStart[i]);
    for (let k = 0; k < lids.length; k++) lids[k] = locIds[S.stack[S.stackStart[i] + k]];
    stackIds[i] = state.internStack(lids);
    labels[i] = labelIds[S.labelSet[i]];
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => stackIds[a] - stackIds[b] || labels[a] - labels[b] || a - b);

  let floats = false;
  for (let i = 0; i < S.values.length && !floats; i++) {
    const v = S.values[i];
    if (!Number.isInteger(v) || Math.abs(v) > 2 ** 50) floats = true;
  }

  const w = new ByteWriter();
  w.u8(floats ? FLAG_FLOAT_VALUES : 0);
  w.uvarint(meta.timeMs);
  w.uvarint(urlId);
  // New dictionary entries.
  const after = state.sizes();
  w.uvarint(after[0] - before[0]);
  const enc = new TextEncoder();
  for (let i = before[0]; i < after[0]; i++) w.bytes(enc.encode(state.strings[i]));
  w.uvarint(after[1] - before[1]);
  for (let i = before[1]; i < after[1]; i++) {
    const m = state.mappings[i];
    w.biguvarint(m.start);
    w.biguvarint(m.limit);
    w.biguvarint(m.offset);
    w.uvarint(s(m.file));
    w.uvarint(s(m.buildId));
    w.u8(+m.hasFunctions | (+m.hasFilenames << 1) | (+m.hasLineNumbers << 2) | (+m.hasInlineFrames << 3));
  }
  w.uvarint(after[2] - before[2]);
  for (let i = before[2]; i < after[2]; i++) {
    const f = state.functions[i];
    w.uvarint(f.name);
    w.uvarint(f.system);
    w.uvarint(f.file);
    w.svarint(f.startLine);
  }
  w.uvarint(after[3] - before[3]);
  let prevAddr = 0n;
  for (let i = before[3]; i < after[3]; i++) {
    const l = state.locations[i];
    w.uvarint(l.mapping + 1);
    // Addresses of consecutive new locations are close: store the signed delta.
    const d = l.address - prevAddr;
    w.biguvarint(d >= 0n ? d * 2n : -d * 2n - 1n);
    prevAddr = l.address;
    w.u8(l.folded ? 1 : 0);
    w.uvarint(l.fns.length);
    for (let k = 0; k < l.fns.length; k++) {
      w.uvarint(l.fns[k]);
      w.svarint(l.lines[k]);
      w.svarint(l.cols[k]);
    }
  }
  w.uvarint(after[4] - before[4]);
  for (let i = before[4]; i < after[4]; i++) {
    const e = state.labelSets[i];
    w.uvarint(e.str.length);
    for (const [k, v] of e.str) {
      w.uvarint(k);
      w.uvarint(v);
    }
    w.uvarint(e.num.length);
    for (const [k, v, u] of e.num) {
      w.uvarint(k);
      w.f64(v);
      w.uvarint(u);
    }
  }
  w.uvarint(after[5] - before[5]);
  for (let i = before[5]; i < after[5]; i++) {
    const st = state.stacks[i];
    w.uvarint(st.length);
    let prev = 0;
    for (let k = 0; k < st.length; k++) {
      w.svarint(st[k] - prev);
      prev = st[k];
    }
  }
  // Header.
  w.uvarint(types.length);
  for (const [t, u] of types) {
    w.uvarint(t);
    w.uvarint(u);
  }
  w.uvarint(defType);
  if (period) {
    w.u8(1);
    w.uvarint(period[0]);
    w.uvarint(period[1]);
  } else w.u8(0);
  w.f64(p.period);
  w.biguvarint(p.timeNanos < 0n ? 0n : p.timeNanos);
  w.biguvarint(p.durationNanos < 0n ? 0n : p.durationNanos);
  w.uvarint(drop);
  w.uvarint(keep);
  w.uvarint(comments.length);
  for (const c of comments) w.uvarint(c);
  w.uvarint(doc);

  // Samples, values as deltas from the previous snapshot's matching sample.
  const typesKey = types.map((t) => `${t[0]}/${t[1]}`).join(',');
  const usePrev = typesKey === state.prevTypes && !floats;
  const nextStack = new Uint32Array(n);
  const nextLabel = new Uint32Array(n);
  const nextValues = new Float64Array(n * nv);
  w.uvarint(n);
  let j = 0;
  let prevStackId = 0;
  for (let r = 0; r < n; r++) {
    const i = order[r];
    const st = stackIds[i];
    const lb = labels[i];
    w.uvarint(st - prevStackId);
    prevStackId = st;
    w.uvarint(lb);
    let match = -1;
    if (usePrev) {
      while (j < state.prevStack.length && (state.prevStack[j] < st || (state.prevStack[j] === st && state.prevLabel[j] < lb))) j++;
      if (j < state.prevStack.length && state.prevStack[j] === st && state.prevLabel[j] === lb) match = j++;
    }
    for (let t = 0; t < nv; t++) {
      const v = S.values[i * nv + t];
      nextValues[r * nv + t] = v;
      if (floats) w.f64(v);
      else w.svarint(match >= 0 ? v - state.prevValues[match * nv + t] : v);
    }
    nextStack[r] = st;
    nextLabel[r] = lb;
  }
  state.prevStack = nextStack;
  state.prevLabel = nextLabel;
  state.prevValues = nextValues;
  state.prevTypes = floats ? '' : typesKey;
  return w.finish();
}

function labelSetEntryOf(state: SegmentState, ls: LabelSet): LabelSetEntry {
  return {
    str: ls.str.map(([k, v]) => [state.internString(k), state.internString(v)]),
    num: ls.num.map((nl) => [state.internString(nl.key), nl.value, state.internString(nl.unit)]),
  };
}

/** Decodes a record body written by encodeSnapshot, extending `state` the same way. */
export function decodeSnapshot(state: SegmentState, body: Uint8Array): { meta: SnapshotMeta; profile: Profile } {
  const r = new ByteReader(body);
  const floats = (r.u8() & FLAG_FLOAT_VALUES) !== 0;
  const timeMs = r.uvarint();
  const urlId = r.uvarint();
  const dec = new TextDecoder();
  for (let i = r.uvarint(); i > 0; i--) state.addStringDecoded(dec.decode(r.bytes()));
  const str = (id: number): string => {
    const v = state.strings[id];
    if (v === undefined) throw new RangeError(`string ${id} not in dictionary`);
    return v;
  };
  for (let i = r.uvarint(); i > 0; i--) {
    const start = r.biguvarint();
    const limit = r.biguvarint();
    const offset = r.biguvarint();
    const file = str(r.uvarint());
    const buildId = str(r.uvarint());
    const f = r.u8();
    state.internMapping({
      id: 0, start, limit, offset, file, buildId,
      hasFunctions: (f & 1) !== 0, hasFilenames: (f & 2) !== 0, hasLineNumbers: (f & 4) !== 0, hasInlineFrames: (f & 8) !== 0,
    });
  }
  for (let i = r.uvarint(); i > 0; i--) {
    state.internFunction({ name: r.uvarint(), system: r.uvarint(), file: r.uvarint(), startLine: r.svarint() });
  }
  let prevAddr = 0n;
  for (let i = r.uvarint(); i > 0; i--) {
    const mapping = r.uvarint() - 1;
    const z = r.biguvarint();
    const address = prevAddr + (z % 2n === 0n ? z / 2n : -(z + 1n) / 2n);
    prevAddr = address;
    const folded = r.u8() === 1;
    const fns: number[] = [];
    const lines: number[] = [];
    const cols: number[] = [];
    for (let k = r.uvarint(); k > 0; k--) {
      fns.push(r.uvarint());
      lines.push(r.svarint());
      cols.push(r.svarint());
    }
    state.internLocation({ mapping, address, folded, fns, lines, cols });
  }
  for (let i = r.uvarint(); i > 0; i--) {
    const e: LabelSetEntry = { str: [], num: [] };
    for (let k = r.uvarint(); k > 0; k--) e.str.push([r.uvarint(), r.uvarint()]);
    for (let k = r.uvarint(); k > 0; k--) e.num.push([r.uvarint(), r.f64(), r.uvarint()]);
    state.internLabelSet(e);
  }
  for (let i = r.uvarint(); i > 0; i--) {
    const len = r.uvarint();
    const st = new Uint32Array(len);
    let prev = 0;
    for (let k = 0; k < len; k++) {
      prev += r.svarint();
      st[k] = prev;
    }
    state.internStack(st);
  }
  const types: ValueType[] = [];
  const typeIds: Array<[number, number]> = [];
  for (let i = r.uvarint(); i > 0; i--) {
    const t = r.uvarint();
    const u = r.uvarint();
    typeIds.push([t, u]);
    types.push({ type: str(t), unit: str(u) });
  }
  const defaultSampleType = str(r.uvarint());
  const periodType = r.u8() === 1 ? { type: str(r.uvarint()), unit: str(r.uvarint()) } : null;
  const period = r.f64();
  const timeNanos = r.biguvarint();
  const durationNanos = r.biguvarint();
  const dropFrames = str(r.uvarint());
  const keepFrames = str(r.uvarint());
  const comments: string[] = [];
  for (let i = r.uvarint(); i > 0; i--) comments.push(str(r.uvarint()));
  const docUrl = str(r.uvarint());

  const typesKey = typeIds.map((t) => `${t[0]}/${t[1]}`).join(',');
  const usePrev = typesKey === state.prevTypes && !floats;
  const nv = types.length;
  const n = r.uvarint();
  const stackIds = new Uint32Array(n);
  const labels = new Uint32Array(n);
  const values = new Float64Array(n * nv);
  let j = 0;
  let st = 0;
  for (let s = 0; s < n; s++) {
    st += r.uvarint();
    const lb = r.uvarint();
    if (st >= state.stacks.length || lb >= state.labelSets.length) throw new RangeError('sample refers to an unknown stack');
    let match = -1;
    if (usePrev) {
      while (j < state.prevStack.length && (state.prevStack[j] < st || (state.prevStack[j] === st && state.prevLabel[j] < lb))) j++;
      if (j < state.prevStack.length && state.prevStack[j] === st && state.prevLabel[j] === lb) match = j++;
    }
    for (let t = 0; t < nv; t++) {
      values[s * nv + t] = floats ? r.f64() : match >= 0 ? state.prevValues[match * nv + t] + r.svarint() : r.svarint();
    }
    stackIds[s] = st;
    labels[s] = lb;
  }
  state.prevStack = stackIds;
  state.prevLabel = labels;
  state.prevValues = values;
  state.prevTypes = floats ? '' : typesKey;

  const profile = buildProfile(state, stackIds, labels, values, {
    sampleTypes: types, defaultSampleType, periodType, period, timeNanos, durationNanos,
    dropFrames, keepFrames, comments, docUrl,
  });
  return { meta: { timeMs, url: str(urlId) }, profile };
}

type Header = Omit<Profile, 'samples' | 'labelSets' | 'locations' | 'functions' | 'mappings'>;

/** A standalone Profile holding only the dictionary entries its samples use. */
function buildProfile(state: SegmentState, stackIds: Uint32Array, labels: Uint32Array, values: Float64Array, h: Header): Profile {
  const n = stackIds.length;
  // Dense remap arrays (dictionary index → this profile's index), -1 = unused.
  const locMap = new Int32Array(state.locations.length).fill(-1);
  const fnMap = new Int32Array(state.functions.length).fill(-1);
  const mapMap = new Int32Array(state.mappings.length).fill(-1);
  const labelMap = new Int32Array(state.labelSets.length).fill(-1);
  labelMap[0] = 0;
  const usedLocs: number[] = [];
  let stackLen = 0;
  for (let i = 0; i < n; i++) stackLen += state.stacks[stackIds[i]].length;
  const stackStart = new Uint32Array(n + 1);
  const stack = new Uint32Array(stackLen);
  const labelSet = new Uint32Array(n);
  const labelSets: LabelSet[] = [EMPTY_LABEL_SET];
  let pos = 0;
  for (let i = 0; i < n; i++) {
    stackStart[i] = pos;
    const st = state.stacks[stackIds[i]];
    for (let k = 0; k < st.length; k++) {
      const lid = st[k];
      let li = locMap[lid];
      if (li < 0) {
        li = usedLocs.length;
        usedLocs.push(lid);
        locMap[lid] = li;
      }
      stack[pos++] = li;
    }
    let ls = labelMap[labels[i]];
    if (ls < 0) {
      ls = labelSets.length;
      const e = state.labelSets[labels[i]];
      labelSets.push({
        str: e.str.map(([k, v]) => [state.strings[k], state.strings[v]] as const),
        num: e.num.map(([k, v, u]): NumLabel => ({ key: state.strings[k], value: v, unit: state.strings[u] })),
      });
      labelMap[labels[i]] = ls;
    }
    labelSet[i] = ls;
  }
  stackStart[n] = pos;

  const mappings: Mapping[] = [];
  const fnOrder: number[] = [];
  let nLines = 0;
  for (const lid of usedLocs) {
    const l = state.locations[lid];
    nLines += l.fns.length;
    if (l.mapping >= 0 && mapMap[l.mapping] < 0) {
      mapMap[l.mapping] = mappings.length;
      mappings.push({ ...state.mappings[l.mapping], id: mappings.length + 1 });
    }
    for (const f of l.fns) {
      if (fnMap[f] < 0) {
        fnMap[f] = fnOrder.length;
        fnOrder.push(f);
      }
    }
  }
  const nl = usedLocs.length;
  const locations = {
    length: nl,
    id: new Float64Array(nl),
    mapping: new Int32Array(nl),
    address: new BigUint64Array(nl),
    isFolded: new Uint8Array(nl),
    lineStart: new Uint32Array(nl + 1),
    lineFunction: new Uint32Array(nLines),
    lineNumber: new Float64Array(nLines),
    lineColumn: new Float64Array(nLines),
  };
  let lp = 0;
  for (let i = 0; i < nl; i++) {
    const l = state.locations[usedLocs[i]];
    locations.id[i] = i + 1;
    locations.mapping[i] = l.mapping >= 0 ? mapMap[l.mapping] : -1;
    locations.address[i] = l.address;
    locations.isFolded[i] = l.folded ? 1 : 0;
    locations.lineStart[i] = lp;
    for (let k = 0; k < l.fns.length; k++) {
      locations.lineFunction[lp] = fnMap[l.fns[k]];
      locations.lineNumber[lp] = l.lines[k];
      locations.lineColumn[lp] = l.cols[k];
      lp++;
    }
  }
  locations.lineStart[nl] = lp;
  const nf = fnOrder.length;
  const functions = {
    length: nf,
    id: Float64Array.from({ length: nf }, (_, i) => i + 1),
    name: fnOrder.map((f) => state.strings[state.functions[f].name]),
    systemName: fnOrder.map((f) => state.strings[state.functions[f].system]),
    filename: fnOrder.map((f) => state.strings[state.functions[f].file]),
    startLine: Float64Array.from(fnOrder, (f) => state.functions[f].startLine),
  };
  return {
    ...h,
    samples: { length: n, stackStart, stack, values, labelSet },
    labelSets,
    locations,
    functions,
    mappings,
  };
}

/**
 * Goroutine dumps (debug=2 text), compactly: a dump is mostly the same
 * few stacks repeated for thousands of goroutines, so each goroutine is
 * stored as (id delta, header-rest string id, body string id) against the
 * segment's string dictionary. The split is a partition of the text, so it
 * round-trips byte for byte.
 */
const DUMP_RAW = 1;

export function encodeDump(state: SegmentState, url: string, text: Uint8Array): Uint8Array {
  const before = state.strings.length;
  const s = new TextDecoder().decode(text);
  const urlId = state.internString(url);
  if (!Buffer.from(s, 'utf8').equals(text)) {
    // Not valid UTF-8: keep the bytes as they are.
    const w = new ByteWriter();
    w.u8(DUMP_RAW);
    w.uvarint(urlId);
    w.uvarint(state.strings.length - before);
    for (let i = before; i < state.strings.length; i++) w.bytes(new TextEncoder().encode(state.strings[i]));
    w.bytes(text);
    return w.finish();
  }
  const starts: number[] = [];
  const re = /(^|\n)goroutine (\d+) /g;
  for (let m; (m = re.exec(s)); ) starts.push(m.index + m[1].length);
  const prefix = state.internString(s.slice(0, starts.length ? starts[0] : s.length));
  const ids: number[] = [];
  const heads: number[] = [];
  const bodies: number[] = [];
  for (let k = 0; k < starts.length; k++) {
    const block = s.slice(starts[k], k + 1 < starts.length ? starts[k + 1] : s.length);
    const m = /^goroutine (\d+)/.exec(block)!;
    const rest = block.slice(m[0].length);
    const nl = rest.indexOf('\n');
    const cut = nl < 0 ? rest.length : nl + 1;
    ids.push(Number(m[1]));
    heads.push(state.internString(rest.slice(0, cut)));
    bodies.push(state.internString(rest.slice(cut)));
  }
  const w = new ByteWriter();
  w.u8(0);
  w.uvarint(urlId);
  const enc = new TextEncoder();
  w.uvarint(state.strings.length - before);
  for (let i = before; i < state.strings.length; i++) w.bytes(enc.encode(state.strings[i]));
  w.uvarint(prefix);
  w.uvarint(ids.length);
  let prev = 0;
  for (let k = 0; k < ids.length; k++) {
    w.svarint(ids[k] - prev);
    prev = ids[k];
    w.uvarint(heads[k]);
    w.uvarint(bodies[k]);
  }
  return w.finish();
}

export function decodeDump(state: SegmentState, body: Uint8Array): { url: string; text: Uint8Array } {
  const r = new ByteReader(body);
  const flags = r.u8();
  const urlId = r.uvarint();
  const dec = new TextDecoder();
  for (let i = r.uvarint(); i > 0; i--) state.addStringDecoded(dec.decode(r.bytes()));
  const str = (id: number): string => {
    const v = state.strings[id];
    if (v === undefined) throw new RangeError(`string ${id} not in dictionary`);
    return v;
  };
  if (flags === DUMP_RAW) return { url: str(urlId), text: r.bytes().slice() };
  const parts: string[] = [str(r.uvarint())];
  let id = 0;
  for (let n = r.uvarint(); n > 0; n--) {
    id += r.svarint();
    parts.push(`goroutine ${id}`, str(r.uvarint()), str(r.uvarint()));
  }
  return { url: str(urlId), text: new TextEncoder().encode(parts.join('')) };
}
