// Decodes profile.proto bytes straight into the columnar model.
//
// One pass records where each top-level field lies; the string table is
// decoded first because every other message refers into it; then functions,
// mappings, locations and finally samples, which are written into growing
// typed arrays without creating an object per sample. Ids are translated to
// dense indices, and every reference is checked so a dangling id becomes a
// one-line error rather than an undefined deep in a report.

import { InputError } from './errors.ts';
import {
  EMPTY_LABEL_SET,
  type LabelSet,
  type Mapping,
  type NumLabel,
  type Profile,
  type ValueType,
} from './model.ts';
import { ProtoError, ProtoReader, WIRE_LEN, WIRE_VARINT } from './proto-reader.ts';
import { growF64, growU32 } from './typed-arrays.ts';

// Field numbers of perftools.profiles.Profile.
const F_SAMPLE_TYPE = 1;
const F_SAMPLE = 2;
const F_MAPPING = 3;
const F_LOCATION = 4;
const F_FUNCTION = 5;
const F_STRING_TABLE = 6;
const F_DROP_FRAMES = 7;
const F_KEEP_FRAMES = 8;
const F_TIME_NANOS = 9;
const F_DURATION_NANOS = 10;
const F_PERIOD_TYPE = 11;
const F_PERIOD = 12;
const F_COMMENT = 13;
const F_DEFAULT_SAMPLE_TYPE = 14;
const F_DOC_URL = 15;

const utf8 = new TextDecoder('utf-8');

/** Translates proto ids (uint64, usually 1..n) to dense indices. */
class IdIndex {
  /** Dense id → index table (-1 for absent), or null when ids are too sparse. */
  readonly dense: Int32Array | null = null;
  private sparse: Map<number, number> | null = null;

  constructor(ids: Float64Array, n: number, what: string, source: string) {
    let max = 0;
    for (let i = 0; i < n; i++) if (ids[i] > max) max = ids[i];
    if (max <= n * 4 + 16) {
      const d = new Int32Array(max + 1).fill(-1);
      for (let i = 0; i < n; i++) {
        const id = ids[i];
        if (id === 0) throw new InputError(source, `${what} with id 0`);
        if (d[id] !== -1) throw new InputError(source, `duplicate ${what} id ${id}`);
        d[id] = i;
      }
      this.dense = d;
    } else {
      const m = new Map<number, number>();
      for (let i = 0; i < n; i++) {
        const id = ids[i];
        if (id === 0) throw new InputError(source, `${what} with id 0`);
        if (m.has(id)) throw new InputError(source, `duplicate ${what} id ${id}`);
        m.set(id, i);
      }
      this.sparse = m;
    }
  }

  get(id: number): number {
    if (this.dense) return id < this.dense.length ? this.dense[id] : -1;
    return this.sparse!.get(id) ?? -1;
  }
}


/** Where each occurrence of one repeated top-level field lies: [starts[i], ends[i]). */
class FieldSpans {
  starts = new Uint32Array(64);
  ends = new Uint32Array(64);
  length = 0;

  push(start: number, end: number): void {
    if (this.length === this.starts.length) {
      this.starts = growU32(this.starts, this.length + 1);
      this.ends = growU32(this.ends, this.length + 1);
    }
    this.starts[this.length] = start;
    this.ends[this.length++] = end;
  }
}
function spans(): FieldSpans {
  return new FieldSpans();
}

/**
 * Decodes an uncompressed profile.proto message. Throws InputError naming
 * `source` on any malformed or inconsistent input.
 */
export function decodeProfile(bytes: Uint8Array, source: string): Profile {
  try {
    return decode(bytes, source);
  } catch (err) {
    if (err instanceof ProtoError) throw new InputError(source, `corrupt profile: ${err.message}`);
    if (err instanceof RangeError) throw new InputError(source, `corrupt profile: ${err.message}`);
    throw err;
  }
}

function decode(buf: Uint8Array, source: string): Profile {
  const r = new ProtoReader(buf);
  const sampleTypeSp = spans();
  const sampleSp = spans();
  const mappingSp = spans();
  const locationSp = spans();
  const functionSp = spans();
  const stringSp = spans();
  let periodTypeStart = -1;
  let periodTypeEnd = -1;
  const dropFrames: number[] = [];
  const keepFrames: number[] = [];
  const comments: number[] = [];
  let defaultSampleType = 0;
  let docUrl = 0;
  let timeNanos = 0n;
  let durationNanos = 0n;
  let period = 0;

  const pushSpan = (s: FieldSpans) => {
    const len = r.readLength();
    s.push(r.pos - len, r.pos);
  };

  while (r.pos < r.end) {
    const tag = r.readVarint32();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === 0) throw new ProtoError(`invalid field number 0 at byte ${r.pos}`);
    if (wire === WIRE_LEN) {
      switch (field) {
        case F_SAMPLE_TYPE: pushSpan(sampleTypeSp); continue;
        case F_SAMPLE: pushSpan(sampleSp); continue;
        case F_MAPPING: pushSpan(mappingSp); continue;
        case F_LOCATION: pushSpan(locationSp); continue;
        case F_FUNCTION: pushSpan(functionSp); continue;
        case F_STRING_TABLE: pushSpan(stringSp); continue;
        case F_PERIOD_TYPE: {
          const len = r.readLength();
          periodTypeStart = r.pos - len;
          periodTypeEnd = r.pos;
          continue;
        }
        case F_COMMENT: readPackedInto(r, comments); continue;
        default: r.skip(wire); continue;
      }
    }
    if (wire === WIRE_VARINT) {
      switch (field) {
        case F_DROP_FRAMES: dropFrames.push(r.readVarint32()); continue;
        case F_KEEP_FRAMES: keepFrames.push(r.readVarint32()); continue;
        case F_TIME_NANOS: r.readVarint64(); timeNanos = BigInt.asIntN(64, (BigInt(r.hi) << 32n) | BigInt(r.lo)); continue;
        case F_DURATION_NANOS: r.readVarint64(); durationNanos = BigInt.asIntN(64, (BigInt(r.hi) << 32n) | BigInt(r.lo)); continue;
        case F_PERIOD: period = r.readInt64(); continue;
        case F_COMMENT: comments.push(r.readVarint32()); continue;
        case F_DEFAULT_SAMPLE_TYPE: defaultSampleType = r.readVarint32(); continue;
        case F_DOC_URL: docUrl = r.readVarint32(); continue;
        default: r.skip(wire); continue;
      }
    }
    r.skip(wire);
  }

  // String table.
  const nStrings = stringSp.length;
  const strings = new Array<string>(nStrings);
  for (let i = 0; i < nStrings; i++) strings[i] = utf8.decode(buf.subarray(stringSp.starts[i], stringSp.ends[i]));
  if (nStrings === 0) {
    // A profile with no strings at all: pprof tolerates only a truly empty message.
    if (buf.length !== 0 && (sampleSp.length || functionSp.length || sampleTypeSp.length)) {
      throw new InputError(source, 'corrupt profile: string table is empty');
    }
    strings.push('');
  } else if (strings[0] !== '') {
    throw new InputError(source, 'corrupt profile: string table does not start with ""');
  }
  const str = (idx: number, what: string): string => {
    if (idx >= strings.length) throw new InputError(source, `corrupt profile: ${what} refers to string ${idx}, table has ${strings.length}`);
    return strings[idx];
  };

  // One reader per section, repositioned per message: no allocation per message.
  const vr = new ProtoReader(buf);
  const readValueType = (start: number, end: number): ValueType => {
    vr.pos = start;
    vr.end = end;
    let type = 0;
    let unit = 0;
    while (vr.pos < vr.end) {
      const tag = vr.readVarint32();
      if (tag === (1 << 3)) type = vr.readVarint32();
      else if (tag === (2 << 3)) unit = vr.readVarint32();
      else vr.skip(tag & 7);
    }
    return { type: str(type, 'sample type'), unit: str(unit, 'sample type') };
  };

  const sampleTypes: ValueType[] = [];
  for (let i = 0; i < sampleTypeSp.length; i++) sampleTypes.push(readValueType(sampleTypeSp.starts[i], sampleTypeSp.ends[i]));
  const periodType = periodTypeStart >= 0 ? readValueType(periodTypeStart, periodTypeEnd) : null;

  // Functions.
  const nFn = functionSp.length;
  const fnId = new Float64Array(nFn);
  const fnName = new Array<string>(nFn);
  const fnSys = new Array<string>(nFn);
  const fnFile = new Array<string>(nFn);
  const fnStart = new Float64Array(nFn);
  const fr = new ProtoReader(buf);
  for (let i = 0; i < nFn; i++) {
    fr.pos = functionSp.starts[i];
    fr.end = functionSp.ends[i];
    let id = 0, name = 0, sys = 0, file = 0, startLine = 0;
    while (fr.pos < fr.end) {
      const tag = fr.readVarint32();
      switch (tag) {
        case (1 << 3): id = fr.readUint64(); break;
        case (2 << 3): name = fr.readVarint32(); break;
        case (3 << 3): sys = fr.readVarint32(); break;
        case (4 << 3): file = fr.readVarint32(); break;
        case (5 << 3): startLine = fr.readInt64(); break;
        default: fr.skip(tag & 7);
      }
    }
    fnId[i] = id;
    fnName[i] = str(name, 'function name');
    fnSys[i] = str(sys, 'function system name');
    fnFile[i] = str(file, 'function file name');
    fnStart[i] = startLine;
  }
  const fnIndex = new IdIndex(fnId, nFn, 'function', source);

  // Mappings.
  const mappings: Mapping[] = [];
  const mr = new ProtoReader(buf);
  for (let i = 0; i < mappingSp.length; i++) {
    mr.pos = mappingSp.starts[i];
    mr.end = mappingSp.ends[i];
    let id = 0, file = 0, buildId = 0;
    let start = 0n, limit = 0n, offset = 0n;
    let hasFunctions = false, hasFilenames = false, hasLineNumbers = false, hasInlineFrames = false;
    while (mr.pos < mr.end) {
      const tag = mr.readVarint32();
      switch (tag) {
        case (1 << 3): id = mr.readUint64(); break;
        case (2 << 3): start = mr.readBigUint64(); break;
        case (3 << 3): limit = mr.readBigUint64(); break;
        case (4 << 3): offset = mr.readBigUint64(); break;
        case (5 << 3): file = mr.readVarint32(); break;
        case (6 << 3): buildId = mr.readVarint32(); break;
        case (7 << 3): hasFunctions = mr.readVarint32() !== 0; break;
        case (8 << 3): hasFilenames = mr.readVarint32() !== 0; break;
        case (9 << 3): hasLineNumbers = mr.readVarint32() !== 0; break;
        case (10 << 3): hasInlineFrames = mr.readVarint32() !== 0; break;
        default: mr.skip(tag & 7);
      }
    }
    mappings.push({
      id, start, limit, offset,
      file: str(file, 'mapping file'), buildId: str(buildId, 'mapping build id'),
      hasFunctions, hasFilenames, hasLineNumbers, hasInlineFrames,
    });
  }
  const mapIds = Float64Array.from(mappings, (m) => m.id);
  const mapIndex = new IdIndex(mapIds, mappings.length, 'mapping', source);

  // Locations and their lines.
  const nLoc = locationSp.length;
  const locId = new Float64Array(nLoc);
  const locMapping = new Int32Array(nLoc);
  const locAddress = new BigUint64Array(nLoc);
  const addrWords = new Uint32Array(locAddress.buffer);
  const locFolded = new Uint8Array(nLoc);
  const lineStart = new Uint32Array(nLoc + 1);
  let lineFn = new Uint32Array(Math.max(16, nLoc * 2));
  let lineNo = new Float64Array(Math.max(16, nLoc * 2));
  let lineCol = new Float64Array(Math.max(16, nLoc * 2));
  let nLines = 0;
  const lr = new ProtoReader(buf);
  const sub = new ProtoReader(buf);
  for (let i = 0; i < nLoc; i++) {
    lr.pos = locationSp.starts[i];
    lr.end = locationSp.ends[i];
    let mappingId = 0;
    lineStart[i] = nLines;
    while (lr.pos < lr.end) {
      const tag = lr.readVarint32();
      switch (tag) {
        case (1 << 3): locId[i] = lr.readUint64(); break;
        case (2 << 3): mappingId = lr.readUint64(); break;
        case (3 << 3): lr.readVarint64(); addrWords[2 * i] = lr.lo; addrWords[2 * i + 1] = lr.hi; break;
        case (4 << 3) | WIRE_LEN: {
          const len = lr.readLength();
          const le = lr.pos;
          sub.pos = le - len;
          sub.end = le;
          let fid = 0, line = 0, col = 0;
          while (sub.pos < sub.end) {
            const t = sub.readVarint32();
            if (t === (1 << 3)) fid = sub.readUint64();
            else if (t === (2 << 3)) line = sub.readInt64();
            else if (t === (3 << 3)) col = sub.readInt64();
            else sub.skip(t & 7);
          }
          const fi = fid === 0 ? -1 : fnIndex.get(fid);
          if (fi < 0) throw new InputError(source, `corrupt profile: location ${locId[i] || '#' + i} refers to missing function id ${fid}`);
          if (nLines >= lineFn.length) {
            lineFn = growU32(lineFn, nLines + 1);
            lineNo = growF64(lineNo, nLines + 1);
            lineCol = growF64(lineCol, nLines + 1);
          }
          lineFn[nLines] = fi;
          lineNo[nLines] = line;
          lineCol[nLines] = col;
          nLines++;
          break;
        }
        case (5 << 3): locFolded[i] = lr.readVarint32() !== 0 ? 1 : 0; break;
        default: lr.skip(tag & 7);
      }
    }
    if (mappingId === 0) {
      locMapping[i] = -1;
    } else {
      const mi = mapIndex.get(mappingId);
      if (mi < 0) throw new InputError(source, `corrupt profile: location ${locId[i]} refers to missing mapping id ${mappingId}`);
      locMapping[i] = mi;
    }
  }
  lineStart[nLoc] = nLines;
  const locIndex = new IdIndex(locId, nLoc, 'location', source);

  // Samples.
  const nSamples = sampleSp.length;
  const nTypes = sampleTypes.length;
  const stackStart = new Uint32Array(nSamples + 1);
  let stack = new Uint32Array(Math.max(16, nSamples * 16));
  let stackLen = 0;
  const values = new Float64Array(nSamples * nTypes);
  const labelSetOf = new Uint32Array(nSamples);
  const labelSets: LabelSet[] = [EMPTY_LABEL_SET];
  // Label messages repeat byte for byte across samples (same key/value string
  // indices), so the raw bytes of a sample's labels identify its set: a hash
  // of the spans finds candidate sets, a byte comparison against the spans
  // that first made each set confirms. Nothing is allocated per sample.
  const labelSpans: number[] = [];
  const setByHash = new Map<number, number>();
  const nextSameHash: number[] = [0];
  const setSpans: number[][] = [[]];
  const locDense = locIndex.dense;
  const sr = new ProtoReader(buf);
  for (let i = 0; i < nSamples; i++) {
    const sEnd = sampleSp.ends[i];
    sr.pos = sampleSp.starts[i];
    sr.end = sEnd;
    stackStart[i] = stackLen;
    let nValues = 0;
    const vBase = i * nTypes;
    let nLabelSpans = 0;
    while (sr.pos < sEnd) {
      const tag = sr.readVarint32();
      const field = tag >>> 3;
      const wire = tag & 7;
      if (field === 1) {
        if (wire === WIRE_LEN) {
          const len = sr.readLength();
          const pend = sr.pos;
          let pos = pend - len;
          if (stackLen + len > stack.length) stack = growU32(stack, stackLen + len);
          while (pos < pend) {
            // Ids below 2^28 (up to four bytes) are the common case: decode them inline.
            const at = pos;
            let id = buf[pos++];
            if (id >= 0x80) {
              id &= 0x7f;
              for (let shift = 7; ; shift += 7) {
                if (pos >= pend || shift > 21) {
                  // Longer (or truncated): the general reader decides.
                  sr.pos = at;
                  sr.end = pend;
                  id = sr.readUint64();
                  pos = sr.pos;
                  sr.end = sEnd;
                  break;
                }
                const c = buf[pos++];
                id |= (c & 0x7f) << shift;
                if (c < 0x80) break;
              }
            }
            const li = locDense !== null ? (id < locDense.length ? locDense[id] : -1) : locIndex.get(id);
            if (li < 0) throw new InputError(source, `corrupt profile: sample ${i} refers to missing location id ${id}`);
            stack[stackLen++] = li;
          }
          sr.pos = pend;
        } else if (wire === WIRE_VARINT) {
          const id = sr.readUint64();
          const li = locIndex.get(id);
          if (li < 0) throw new InputError(source, `corrupt profile: sample ${i} refers to missing location id ${id}`);
          if (stackLen >= stack.length) stack = growU32(stack, stackLen + 1);
          stack[stackLen++] = li;
        } else sr.skip(wire);
      } else if (field === 2) {
        if (wire === WIRE_LEN) {
          const len = sr.readLength();
          const pend = sr.pos;
          let pos = pend - len;
          while (pos < pend) {
            // Same inline fast path as the location ids; negative or huge values take the general reader.
            const at = pos;
            let v = buf[pos++];
            if (v >= 0x80) {
              v &= 0x7f;
              for (let shift = 7; ; shift += 7) {
                if (pos >= pend || shift > 21) {
                  sr.pos = at;
                  sr.end = pend;
                  v = sr.readInt64();
                  pos = sr.pos;
                  sr.end = sEnd;
                  break;
                }
                const c = buf[pos++];
                v |= (c & 0x7f) << shift;
                if (c < 0x80) break;
              }
            }
            if (nValues < nTypes) values[vBase + nValues] = v;
            nValues++;
          }
          sr.pos = pend;
        } else if (wire === WIRE_VARINT) {
          const v = sr.readInt64();
          if (nValues < nTypes) values[vBase + nValues] = v;
          nValues++;
        } else sr.skip(wire);
      } else if (field === 3 && wire === WIRE_LEN) {
        const len = sr.readLength();
        labelSpans[nLabelSpans++] = sr.pos - len;
        labelSpans[nLabelSpans++] = sr.pos;
      } else {
        sr.skip(wire);
      }
    }
    if (nValues !== nTypes) {
      throw new InputError(source, `corrupt profile: sample ${i} has ${nValues} values, expected ${nTypes}`);
    }
    if (nLabelSpans > 0) {
      const h = hashSpans(buf, labelSpans, nLabelSpans);
      const first = setByHash.get(h);
      let set = first ?? 0;
      while (set !== 0 && !sameSpans(buf, labelSpans, nLabelSpans, setSpans[set])) set = nextSameHash[set];
      if (set === 0) {
        set = labelSets.length;
        const mine = labelSpans.slice(0, nLabelSpans);
        labelSets.push(readLabels(buf, mine, str));
        setSpans.push(mine);
        nextSameHash.push(first ?? 0);
        setByHash.set(h, set);
      }
      labelSetOf[i] = set;
    }
  }
  stackStart[nSamples] = stackLen;

  return {
    sampleTypes,
    defaultSampleType: str(defaultSampleType, 'default sample type'),
    samples: {
      length: nSamples,
      stackStart,
      // Copy only when the spare capacity is worth giving back.
      stack: stackLen >= stack.length * 0.75 ? stack.subarray(0, stackLen) : stack.slice(0, stackLen),
      values,
      labelSet: labelSetOf,
    },
    labelSets,
    locations: {
      length: nLoc,
      id: locId,
      mapping: locMapping,
      address: locAddress,
      isFolded: locFolded,
      lineStart,
      lineFunction: lineFn.slice(0, nLines),
      lineNumber: lineNo.slice(0, nLines),
      lineColumn: lineCol.slice(0, nLines),
    },
    functions: { length: nFn, id: fnId, name: fnName, systemName: fnSys, filename: fnFile, startLine: fnStart },
    mappings,
    dropFrames: dropFrames.map((s) => str(s, 'drop_frames')).join(''),
    keepFrames: keepFrames.map((s) => str(s, 'keep_frames')).join(''),
    timeNanos,
    durationNanos,
    periodType,
    period,
    comments: comments.map((s) => str(s, 'comment')),
    docUrl: str(docUrl, 'doc_url'),
  };
}

function readPackedInto(r: ProtoReader, out: number[]): void {
  const len = r.readLength();
  const end = r.pos;
  const sub = new ProtoReader(r.buf, end - len, end);
  while (sub.pos < sub.end) out.push(sub.readVarint32());
}

/** FNV-1a over the label messages' bytes, with a separator mixed in after each message. */
function hashSpans(buf: Uint8Array, spans: number[], n: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < n; k += 2) {
    for (let p = spans[k], e = spans[k + 1]; p < e; p++) h = Math.imul(h ^ buf[p], 0x01000193);
    h = Math.imul(h ^ 0x100, 0x01000193);
  }
  // 30 bits: stays a small integer in V8, so the map lookup allocates nothing.
  return h & 0x3fffffff;
}

/** True when two lists of label message spans hold the same messages byte for byte. */
function sameSpans(buf: Uint8Array, a: number[], n: number, b: number[]): boolean {
  if (n !== b.length) return false;
  for (let k = 0; k < n; k += 2) {
    const len = a[k + 1] - a[k];
    if (b[k + 1] - b[k] !== len) return false;
    for (let p = a[k], q = b[k], e = a[k] + len; p < e; p++, q++) if (buf[p] !== buf[q]) return false;
  }
  return true;
}

function readLabels(buf: Uint8Array, spans: number[], str: (i: number, what: string) => string): LabelSet {
  const strs: Array<[string, string]> = [];
  const nums: NumLabel[] = [];
  for (let k = 0; k < spans.length; k += 2) {
    const lr = new ProtoReader(buf, spans[k], spans[k + 1]);
    let key = 0, s = 0, unit = 0;
    let num = 0;
    let hasNum = false;
    while (lr.pos < lr.end) {
      const tag = lr.readVarint32();
      switch (tag) {
        case (1 << 3): key = lr.readVarint32(); break;
        case (2 << 3): s = lr.readVarint32(); break;
        case (3 << 3): num = lr.readInt64(); hasNum = true; break;
        case (4 << 3): unit = lr.readVarint32(); break;
        default: lr.skip(tag & 7);
      }
    }
    // pprof: a label with a string value is a string label, else numeric.
    if (s !== 0) strs.push([str(key, 'label key'), str(s, 'label value')]);
    else if (hasNum && (num !== 0 || unit !== 0)) nums.push({ key: str(key, 'label key'), value: num, unit: str(unit, 'label unit') });
    else if (unit !== 0) nums.push({ key: str(key, 'label key'), value: 0, unit: str(unit, 'label unit') });
    // A label with neither a string nor a number carries nothing; pprof drops it too.
  }
  return { str: strs, num: nums };
}
