// Decodes profile.proto bytes straight into the columnar model.
//
// One pass records where each top-level field lies; the string table is
// decoded first because every other message refers into it; then functions,
// mappings, locations and finally samples, which are written into growing
// typed arrays without creating an object per sample. Ids are translated to
// dense indices, and every reference is checked so a dangling id becomes a
// one-line error rather than an undefined deep in a report.
//
// Speed in a fresh process: a CLI run decodes one profile and exits, so these
// loops run mostly before V8 has optimized them, and what counts is how many
// operations, calls and allocations they make. Each table has its own small
// function: one big function takes V8 long to optimize, and its optimized
// code is thrown away as soon as the loop of the next table meets types it
// has not seen yet. The common fields (tags, lengths, ids, values and
// addresses) are read in place rather than through a call per varint;
// anything unusual or malformed goes through ProtoReader, which also words
// the errors, so bad input fails exactly as it would without the fast path.
// Ids written as 1..n in order, as Go and our encoder write them, need no
// lookup table.

import { Buffer } from 'node:buffer';
import { InputError } from './errors.ts';
import {
  EMPTY_LABEL_SET,
  type FunctionTable,
  type LabelSet,
  type LocationTable,
  type Mapping,
  type NumLabel,
  type Profile,
  type SampleTable,
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
  /**
   * n when the ids are exactly 1..n in table order, as Go and our encoder
   * write them: id k is index k-1 and no table is built. Else -1.
   */
  readonly sequential: number = -1;
  /** Dense id → index table (-1 for absent), or null when sequential or too sparse. */
  readonly dense: Int32Array | null = null;
  private sparse: Map<number, number> | null = null;

  /** `sequential`: the caller already knows the ids are 1..n in order (saves a pass over them). */
  constructor(ids: Float64Array, n: number, what: string, source: string, sequential = false) {
    let max = 0;
    if (!sequential) {
      sequential = true;
      for (let i = 0; i < n; i++) {
        const id = ids[i];
        if (id > max) max = id;
        if (id !== i + 1) sequential = false;
      }
    }
    if (sequential) {
      this.sequential = n;
    } else if (max <= n * 4 + 16) {
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

  /** The index of `id`, or -1 when no entry has it. */
  get(id: number): number {
    if (this.sequential >= 0) return id >= 1 && id <= this.sequential ? id - 1 : -1;
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
    if (this.length === this.starts.length) this.grow();
    this.starts[this.length] = start;
    this.ends[this.length++] = end;
  }

  grow(): void {
    this.starts = growU32(this.starts, this.length + 1);
    this.ends = growU32(this.ends, this.length + 1);
  }
}

/** What the top-level pass finds: the spans of the tables and the scalar fields. */
class TopLevel {
  readonly sampleTypes = new FieldSpans();
  readonly samples = new FieldSpans();
  readonly mappings = new FieldSpans();
  readonly locations = new FieldSpans();
  readonly functions = new FieldSpans();
  readonly strings = new FieldSpans();
  periodTypeStart = -1;
  periodTypeEnd = -1;
  readonly dropFrames: number[] = [];
  readonly keepFrames: number[] = [];
  readonly comments: number[] = [];
  defaultSampleType = 0;
  docUrl = 0;
  timeNanos = 0n;
  durationNanos = 0n;
  period = 0;

  /** The spans of the repeated message fields, by field number (1-6). */
  readonly tables: readonly FieldSpans[] = [
    new FieldSpans(), this.sampleTypes, this.samples, this.mappings, this.locations, this.functions, this.strings,
  ];
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
  const top = scanTopLevel(buf);
  const strings = decodeStrings(buf, top.strings);
  if (strings.length === 0) {
    // A profile with no strings at all: pprof tolerates only a truly empty message.
    if (buf.length !== 0 && (top.samples.length || top.functions.length || top.sampleTypes.length)) {
      throw new InputError(source, 'corrupt profile: string table is empty');
    }
    strings.push('');
  } else if (strings[0] !== '') {
    throw new InputError(source, 'corrupt profile: string table does not start with ""');
  }
  const str = (idx: number, what: string): string => stringAt(strings, idx, what, source);

  const vr = new ProtoReader(buf);
  const sampleTypes: ValueType[] = [];
  for (let i = 0; i < top.sampleTypes.length; i++) {
    sampleTypes.push(decodeValueType(vr, top.sampleTypes.starts[i], top.sampleTypes.ends[i], strings, source));
  }
  const periodType = top.periodTypeStart >= 0 ? decodeValueType(vr, top.periodTypeStart, top.periodTypeEnd, strings, source) : null;

  const { functions, sequentialIds: seqFunctions } = decodeFunctions(buf, top.functions, strings, source);
  const fnIndex = new IdIndex(functions.id, functions.length, 'function', source, seqFunctions);
  const mappings = decodeMappings(buf, top.mappings, strings, source);
  const mapIndex = new IdIndex(Float64Array.from(mappings, (m) => m.id), mappings.length, 'mapping', source);
  const { locations, sequentialIds: seqLocations } = decodeLocations(buf, top.locations, fnIndex, mapIndex, source);
  const locIndex = new IdIndex(locations.id, locations.length, 'location', source, seqLocations);
  const labelSets: LabelSet[] = [EMPTY_LABEL_SET];
  const samples = decodeSamples(buf, top.samples, sampleTypes.length, locIndex, labelSets, strings, source);

  return {
    sampleTypes,
    defaultSampleType: str(top.defaultSampleType, 'default sample type'),
    samples,
    labelSets,
    locations,
    functions,
    mappings,
    dropFrames: top.dropFrames.map((s) => str(s, 'drop_frames')).join(''),
    keepFrames: top.keepFrames.map((s) => str(s, 'keep_frames')).join(''),
    timeNanos: top.timeNanos,
    durationNanos: top.durationNanos,
    periodType,
    period: top.period,
    comments: top.comments.map((s) => str(s, 'comment')),
    docUrl: str(top.docUrl, 'doc_url'),
  };
}

/** The string at `idx`, or a one-line error naming what referred to it. */
function stringAt(strings: readonly string[], idx: number, what: string, source: string): string {
  if (idx >= strings.length) throw new InputError(source, `corrupt profile: ${what} refers to string ${idx}, table has ${strings.length}`);
  return strings[idx];
}

/** One pass over the top-level fields: spans of the repeated messages, values of the scalars. */
function scanTopLevel(buf: Uint8Array): TopLevel {
  const top = new TopLevel();
  const tables = top.tables;
  const r = new ProtoReader(buf);
  const end = buf.length;
  let pos = 0;
  while (pos < end) {
    // The tables (fields 1-6, tags 0x0a-0x32) are nearly all of a profile:
    // their spans are recorded inline, lengths below 2^28 read in place.
    // Anything else, or anything malformed, takes the general path below.
    const tag = buf[pos];
    if ((tag & 7) === WIRE_LEN && tag >= 0x0a && tag <= 0x32) {
      let p = pos + 1;
      let len = 0;
      let shift = 0;
      let b = 0;
      do {
        b = buf[p++];
        len |= (b & 0x7f) << shift;
        shift += 7;
      } while (b >= 0x80 && shift < 28);
      if (b < 0x80 && len <= end - p) {
        const spans = tables[tag >>> 3];
        if (spans.length === spans.starts.length) spans.grow();
        spans.starts[spans.length] = p;
        spans.ends[spans.length++] = p + len;
        pos = p + len;
        continue;
      }
    }
    r.pos = pos;
    const t = r.readVarint32();
    const field = t >>> 3;
    const wire = t & 7;
    if (field === 0) throw new ProtoError(`invalid field number 0 at byte ${r.pos}`);
    if (wire === WIRE_LEN && field <= F_STRING_TABLE) {
      const len = r.readLength();
      tables[field].push(r.pos - len, r.pos);
    } else {
      scanScalar(r, top, field, wire);
    }
    pos = r.pos;
  }
  return top;
}

/** Reads one top-level field that is not a table: the scalars, period_type and comments. */
function scanScalar(r: ProtoReader, top: TopLevel, field: number, wire: number): void {
  if (wire === WIRE_LEN) {
    switch (field) {
      case F_PERIOD_TYPE: {
        const len = r.readLength();
        top.periodTypeStart = r.pos - len;
        top.periodTypeEnd = r.pos;
        return;
      }
      case F_COMMENT: readPackedInto(r, top.comments); return;
      default: r.skip(wire); return;
    }
  }
  if (wire === WIRE_VARINT) {
    switch (field) {
      case F_DROP_FRAMES: top.dropFrames.push(r.readVarint32()); return;
      case F_KEEP_FRAMES: top.keepFrames.push(r.readVarint32()); return;
      case F_TIME_NANOS: r.readVarint64(); top.timeNanos = BigInt.asIntN(64, (BigInt(r.hi) << 32n) | BigInt(r.lo)); return;
      case F_DURATION_NANOS: r.readVarint64(); top.durationNanos = BigInt.asIntN(64, (BigInt(r.hi) << 32n) | BigInt(r.lo)); return;
      case F_PERIOD: top.period = r.readInt64(); return;
      case F_COMMENT: top.comments.push(r.readVarint32()); return;
      case F_DEFAULT_SAMPLE_TYPE: top.defaultSampleType = r.readVarint32(); return;
      case F_DOC_URL: top.docUrl = r.readVarint32(); return;
      default: r.skip(wire); return;
    }
  }
  r.skip(wire);
}

/** The string table. */
function decodeStrings(buf: Uint8Array, sp: FieldSpans): string[] {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  return asciiStrings(b, sp) ?? utf8Strings(b, sp);
}

/**
 * The string table when every string is ASCII (as symbol and file names
 * nearly always are), else null. One Latin-1 decode of the whole table and
 * a substring per string replace a UTF-8 decode per string. Whether all
 * strings are ASCII is counted, not scanned for in JS: the table's bytes of
 * 0x80 and above (each one two bytes once re-encoded as UTF-8) must all lie
 * in the tags and lengths between the strings.
 */
function asciiStrings(b: Buffer, sp: FieldSpans): string[] | null {
  const n = sp.length;
  if (n === 0) return [];
  const { starts, ends } = sp;
  // Only a table written in one piece: the gap before each string holds
  // just its tag and length (at most 6 bytes).
  let gapHigh = 0;
  for (let i = 1; i < n; i++) {
    const g0 = ends[i - 1];
    const g1 = starts[i];
    if (g1 - g0 === 2) continue; // a tag and a one-byte length: both below 0x80
    if (g1 - g0 > 6) return null;
    for (let p = g0; p < g1; p++) if (b[p] >= 0x80) gapHigh++;
  }
  const first = starts[0];
  const all = b.toString('latin1', first, ends[n - 1]);
  if (Buffer.byteLength(all, 'utf8') - all.length !== gapHigh) return null;
  const strings = new Array<string>(n);
  for (let i = 0; i < n; i++) strings[i] = all.substring(starts[i] - first, ends[i] - first);
  return strings;
}

/**
 * The string table decoded string by string. Buffer's UTF-8 decoding gives
 * the same strings as TextDecoder, replacement characters included, without
 * a subarray per string; only TextDecoder drops a leading byte order mark,
 * so a string starting like one takes TextDecoder.
 */
function utf8Strings(b: Buffer, sp: FieldSpans): string[] {
  const n = sp.length;
  const strings = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const s = sp.starts[i];
    const e = sp.ends[i];
    strings[i] = b[s] === 0xef ? utf8.decode(b.subarray(s, e)) : b.toString('utf8', s, e);
  }
  return strings;
}

function decodeValueType(r: ProtoReader, start: number, end: number, strings: readonly string[], source: string): ValueType {
  r.pos = start;
  r.end = end;
  let type = 0;
  let unit = 0;
  while (r.pos < r.end) {
    const tag = r.readVarint32();
    if (tag === (1 << 3)) type = r.readVarint32();
    else if (tag === (2 << 3)) unit = r.readVarint32();
    else r.skip(tag & 7);
  }
  return { type: stringAt(strings, type, 'sample type', source), unit: stringAt(strings, unit, 'sample type', source) };
}

/** The function table, and whether its ids are 1..n in order. */
function decodeFunctions(
  buf: Uint8Array, sp: FieldSpans, strings: readonly string[], source: string,
): { functions: FunctionTable; sequentialIds: boolean } {
  const n = sp.length;
  const nStrings = strings.length;
  const fnId = new Float64Array(n);
  const fnName = new Array<string>(n);
  const fnSys = new Array<string>(n);
  const fnFile = new Array<string>(n);
  const fnStart = new Float64Array(n);
  let sequentialIds = true;
  const r = new ProtoReader(buf);
  const { starts, ends } = sp;
  for (let i = 0; i < n; i++) {
    let pos = starts[i];
    const end = ends[i];
    let id = 0, name = 0, sys = 0, file = 0, startLine = 0;
    while (pos < end) {
      const tag = buf[pos];
      if ((tag & 7) === WIRE_VARINT && tag >= (1 << 3) && tag <= (5 << 3)) {
        // All five fields are varints; values below 2^28 are read in place.
        let p = pos + 1;
        let v = 0;
        let shift = 0;
        let b = 0;
        do {
          b = buf[p++];
          v |= (b & 0x7f) << shift;
          shift += 7;
        } while (b >= 0x80 && shift < 28);
        if (b < 0x80 && p <= end) {
          pos = p;
          switch (tag >>> 3) {
            case 1: id = v; break;
            case 2: name = v; break;
            case 3: sys = v; break;
            case 4: file = v; break;
            default: startLine = v;
          }
          continue;
        }
      }
      r.pos = pos;
      r.end = end;
      const t = r.readVarint32();
      switch (t) {
        case (1 << 3): id = r.readUint64(); break;
        case (2 << 3): name = r.readVarint32(); break;
        case (3 << 3): sys = r.readVarint32(); break;
        case (4 << 3): file = r.readVarint32(); break;
        case (5 << 3): startLine = r.readInt64(); break;
        default: r.skip(t & 7);
      }
      pos = r.pos;
    }
    fnId[i] = id;
    if (id !== i + 1) sequentialIds = false;
    fnName[i] = name < nStrings ? strings[name] : stringAt(strings, name, 'function name', source);
    fnSys[i] = sys < nStrings ? strings[sys] : stringAt(strings, sys, 'function system name', source);
    fnFile[i] = file < nStrings ? strings[file] : stringAt(strings, file, 'function file name', source);
    fnStart[i] = startLine;
  }
  const functions: FunctionTable = { length: n, id: fnId, name: fnName, systemName: fnSys, filename: fnFile, startLine: fnStart };
  return { functions, sequentialIds };
}

function decodeMappings(buf: Uint8Array, sp: FieldSpans, strings: readonly string[], source: string): Mapping[] {
  const mappings: Mapping[] = [];
  const r = new ProtoReader(buf);
  for (let i = 0; i < sp.length; i++) {
    r.pos = sp.starts[i];
    r.end = sp.ends[i];
    let id = 0, file = 0, buildId = 0;
    let start = 0n, limit = 0n, offset = 0n;
    let hasFunctions = false, hasFilenames = false, hasLineNumbers = false, hasInlineFrames = false;
    while (r.pos < r.end) {
      const tag = r.readVarint32();
      switch (tag) {
        case (1 << 3): id = r.readUint64(); break;
        case (2 << 3): start = r.readBigUint64(); break;
        case (3 << 3): limit = r.readBigUint64(); break;
        case (4 << 3): offset = r.readBigUint64(); break;
        case (5 << 3): file = r.readVarint32(); break;
        case (6 << 3): buildId = r.readVarint32(); break;
        case (7 << 3): hasFunctions = r.readVarint32() !== 0; break;
        case (8 << 3): hasFilenames = r.readVarint32() !== 0; break;
        case (9 << 3): hasLineNumbers = r.readVarint32() !== 0; break;
        case (10 << 3): hasInlineFrames = r.readVarint32() !== 0; break;
        default: r.skip(tag & 7);
      }
    }
    mappings.push({
      id, start, limit, offset,
      file: stringAt(strings, file, 'mapping file', source), buildId: stringAt(strings, buildId, 'mapping build id', source),
      hasFunctions, hasFilenames, hasLineNumbers, hasInlineFrames,
    });
  }
  return mappings;
}

/**
 * Locations and their lines (CSR), function and mapping ids translated to
 * indices; and whether the location ids are 1..n in order.
 */
function decodeLocations(
  buf: Uint8Array, sp: FieldSpans, fnIndex: IdIndex, mapIndex: IdIndex, source: string,
): { locations: LocationTable; sequentialIds: boolean } {
  const nLoc = sp.length;
  const locId = new Float64Array(nLoc);
  const locMapping = new Int32Array(nLoc);
  const locAddress = new BigUint64Array(nLoc);
  const addrWords = new Uint32Array(locAddress.buffer);
  const locFolded = new Uint8Array(nLoc);
  const lineStart = new Uint32Array(nLoc + 1);
  const lines = new LineColumns(buf, nLoc * 2, fnIndex, source);
  const seqMappings = mapIndex.sequential;
  let sequentialIds = true;
  const r = new ProtoReader(buf);
  const { starts, ends } = sp;
  for (let i = 0; i < nLoc; i++) {
    let pos = starts[i];
    const end = ends[i];
    let id = 0;
    let mappingId = 0;
    lineStart[i] = lines.length;
    while (pos < end) {
      const tag = buf[pos];
      if (tag === (1 << 3) || tag === (2 << 3) || tag === (3 << 3)) {
        // id, mapping_id and address: a varint read in place, as two 32-bit halves.
        let p = pos + 1;
        let lo = 0;
        let hi = 0;
        let shift = 0;
        let b = 0;
        do {
          b = buf[p++];
          if (shift < 28) lo |= (b & 0x7f) << shift;
          else if (shift === 28) {
            lo |= b << 28;
            hi = (b & 0x7f) >>> 4;
          } else hi |= (b & 0x7f) << (shift - 32);
          shift += 7;
        } while (b >= 0x80 && shift < 70);
        if (b < 0x80 && p <= end) {
          if (tag === (3 << 3)) {
            addrWords[2 * i] = lo;
            addrWords[2 * i + 1] = hi;
          } else {
            const v = hi === 0 ? lo >>> 0 : (hi >>> 0) * 4294967296 + (lo >>> 0);
            if (tag === (1 << 3)) id = v;
            else mappingId = v;
          }
          pos = p;
          continue;
        }
      }
      r.pos = pos;
      r.end = end;
      const t = r.readVarint32();
      switch (t) {
        case (1 << 3): id = r.readUint64(); break;
        case (2 << 3): mappingId = r.readUint64(); break;
        case (3 << 3): r.readVarint64(); addrWords[2 * i] = r.lo; addrWords[2 * i + 1] = r.hi; break;
        case (4 << 3) | WIRE_LEN: {
          const len = r.readLength();
          lines.add(r.pos - len, r.pos, id || '#' + i);
          break;
        }
        case (5 << 3): locFolded[i] = r.readVarint32() !== 0 ? 1 : 0; break;
        default: r.skip(t & 7);
      }
      pos = r.pos;
    }
    locId[i] = id;
    if (id !== i + 1) sequentialIds = false;
    if (mappingId === 0) {
      locMapping[i] = -1;
    } else {
      const mi = mappingId <= seqMappings ? mappingId - 1 : mapIndex.get(mappingId);
      if (mi < 0) throw new InputError(source, `corrupt profile: location ${id} refers to missing mapping id ${mappingId}`);
      locMapping[i] = mi;
    }
  }
  lineStart[nLoc] = lines.length;
  const locations: LocationTable = {
    length: nLoc,
    id: locId,
    mapping: locMapping,
    address: locAddress,
    isFolded: locFolded,
    lineStart,
    lineFunction: lines.fn.slice(0, lines.length),
    lineNumber: lines.line.slice(0, lines.length),
    lineColumn: lines.column.slice(0, lines.length),
  };
  return { locations, sequentialIds };
}

/** The growing Line columns of the location table. */
class LineColumns {
  fn: Uint32Array<ArrayBuffer>;
  line: Float64Array<ArrayBuffer>;
  column: Float64Array<ArrayBuffer>;
  length = 0;
  private readonly r: ProtoReader;
  private readonly seqFunctions: number;

  constructor(
    private readonly buf: Uint8Array,
    capacity: number,
    private readonly fnIndex: IdIndex,
    private readonly source: string,
  ) {
    this.fn = new Uint32Array(Math.max(16, capacity));
    this.line = new Float64Array(Math.max(16, capacity));
    this.column = new Float64Array(Math.max(16, capacity));
    this.r = new ProtoReader(buf);
    this.seqFunctions = fnIndex.sequential;
  }

  /** Appends the Line message in [start, end); `loc` names its location in errors. */
  add(start: number, end: number, loc: number | string): void {
    const buf = this.buf;
    let fid = 0, line = 0, col = 0;
    let pos = start;
    while (pos < end) {
      const tag = buf[pos];
      if (tag === (1 << 3) || tag === (2 << 3) || tag === (3 << 3)) {
        // All three fields are varints; values below 2^28 are read in place.
        let p = pos + 1;
        let v = 0;
        let shift = 0;
        let b = 0;
        do {
          b = buf[p++];
          v |= (b & 0x7f) << shift;
          shift += 7;
        } while (b >= 0x80 && shift < 28);
        if (b < 0x80 && p <= end) {
          if (tag === (1 << 3)) fid = v;
          else if (tag === (2 << 3)) line = v;
          else col = v;
          pos = p;
          continue;
        }
      }
      const r = this.r;
      r.pos = pos;
      r.end = end;
      const t = r.readVarint32();
      if (t === (1 << 3)) fid = r.readUint64();
      else if (t === (2 << 3)) line = r.readInt64();
      else if (t === (3 << 3)) col = r.readInt64();
      else r.skip(t & 7);
      pos = r.pos;
    }
    const fi = fid === 0 ? -1 : fid <= this.seqFunctions ? fid - 1 : this.fnIndex.get(fid);
    if (fi < 0) throw new InputError(this.source, `corrupt profile: location ${loc} refers to missing function id ${fid}`);
    const n = this.length;
    if (n >= this.fn.length) {
      this.fn = growU32(this.fn, n + 1);
      this.line = growF64(this.line, n + 1);
      this.column = growF64(this.column, n + 1);
    }
    this.fn[n] = fi;
    this.line[n] = line;
    this.column[n] = col;
    this.length = n + 1;
  }
}

/** Samples: stacks as location indices (CSR), values row-major, label sets shared. Appends new sets to `labelSets`. */
function decodeSamples(
  buf: Uint8Array, sp: FieldSpans, nTypes: number, locIndex: IdIndex,
  labelSets: LabelSet[], strings: readonly string[], source: string,
): SampleTable {
  const nSamples = sp.length;
  const stackStart = new Uint32Array(nSamples + 1);
  let stack = new Uint32Array(Math.max(16, nSamples * 16));
  let stackLen = 0;
  const values = new Float64Array(nSamples * nTypes);
  const labelSetOf = new Uint32Array(nSamples);
  const labels = new LabelSetIndex(buf, labelSets, strings, source);
  const labelSpans: number[] = [];
  const seqLocations = locIndex.sequential;
  const sr = new ProtoReader(buf);
  const { starts, ends } = sp;
  for (let i = 0; i < nSamples; i++) {
    const sEnd = ends[i];
    let pos = starts[i];
    stackStart[i] = stackLen;
    let nValues = 0;
    const vBase = i * nTypes;
    let nLabelSpans = 0;
    while (pos < sEnd) {
      const tag = buf[pos];
      if (tag === (1 << 3) || tag === (2 << 3)) {
        // Stacks of one or two locations and one or two values are written
        // unpacked, as single varints: those below 2^28 are read in place.
        let p = pos + 1;
        let v = 0;
        let shift = 0;
        let b = 0;
        do {
          b = buf[p++];
          v |= (b & 0x7f) << shift;
          shift += 7;
        } while (b >= 0x80 && shift < 28);
        if (b < 0x80 && p <= sEnd) {
          pos = p;
          if (tag === (2 << 3)) {
            if (nValues < nTypes) values[vBase + nValues] = v;
            nValues++;
            continue;
          }
          const li = v <= seqLocations ? v - 1 : locIndex.get(v);
          if (li < 0) throw new InputError(source, `corrupt profile: sample ${i} refers to missing location id ${v}`);
          if (stackLen >= stack.length) stack = growU32(stack, stackLen + 1);
          stack[stackLen++] = li;
          continue;
        }
      }
      sr.pos = pos;
      sr.end = sEnd;
      const t = sr.readVarint32();
      const field = t >>> 3;
      const wire = t & 7;
      if (field === 1) {
        if (wire === WIRE_LEN) {
          const len = sr.readLength();
          if (stackLen + len > stack.length) stack = growU32(stack, stackLen + len);
          stackLen = readPackedLocations(sr, sr.pos - len, sr.pos, sEnd, locIndex, stack, stackLen, i, source);
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
          nValues = readPackedValues(sr, sr.pos - len, sr.pos, sEnd, values, vBase, nValues, nTypes);
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
      pos = sr.pos;
    }
    if (nValues !== nTypes) {
      throw new InputError(source, `corrupt profile: sample ${i} has ${nValues} values, expected ${nTypes}`);
    }
    if (nLabelSpans > 0) labelSetOf[i] = labels.setOf(labelSpans, nLabelSpans);
  }
  stackStart[nSamples] = stackLen;
  return {
    length: nSamples,
    stackStart,
    // Copy only when the spare capacity is worth giving back.
    stack: stackLen >= stack.length * 0.75 ? stack.subarray(0, stackLen) : stack.slice(0, stackLen),
    values,
    labelSet: labelSetOf,
  };
}

/**
 * Appends the packed location ids in [start, pend) as indices; returns the
 * new stack length. `sr` is the sample's reader (ending at `sEnd`), borrowed
 * for the rare long ids. The caller made room for one index per byte.
 */
function readPackedLocations(
  sr: ProtoReader, start: number, pend: number, sEnd: number, locIndex: IdIndex,
  stack: Uint32Array, stackLen: number, sample: number, source: string,
): number {
  const buf = sr.buf;
  const locDense = locIndex.dense;
  const seqLocations = locIndex.sequential;
  let pos = start;
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
    const li = id <= seqLocations ? id - 1 : locDense !== null ? (id < locDense.length ? locDense[id] : -1) : locIndex.get(id);
    if (li < 0) throw new InputError(source, `corrupt profile: sample ${sample} refers to missing location id ${id}`);
    stack[stackLen++] = li;
  }
  sr.pos = pend;
  return stackLen;
}

/**
 * Stores the packed values in [start, pend) from `values[vBase + nValues]`
 * on, keeping at most `nTypes`; returns the new count of values seen.
 */
function readPackedValues(
  sr: ProtoReader, start: number, pend: number, sEnd: number,
  values: Float64Array, vBase: number, nValues: number, nTypes: number,
): number {
  const buf = sr.buf;
  let pos = start;
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
  return nValues;
}

/**
 * De-duplicates the label sets of samples. Label messages repeat byte for
 * byte across samples (same key/value string indices), so the raw bytes of
 * a sample's labels identify its set: a hash of the spans finds candidate
 * sets, a byte comparison against the spans that first made each set
 * confirms. Nothing is allocated per sample.
 */
class LabelSetIndex {
  private readonly setByHash = new Map<number, number>();
  private readonly nextSameHash: number[] = [0];
  private readonly setSpans: number[][] = [[]];

  constructor(
    private readonly buf: Uint8Array,
    private readonly sets: LabelSet[],
    private readonly strings: readonly string[],
    private readonly source: string,
  ) {}

  /** The index of the set made of the label messages at spans[0 .. n-1] (start, end pairs). */
  setOf(spans: number[], n: number): number {
    const buf = this.buf;
    const h = hashSpans(buf, spans, n);
    const first = this.setByHash.get(h);
    let set = first ?? 0;
    while (set !== 0 && !sameSpans(buf, spans, n, this.setSpans[set])) set = this.nextSameHash[set];
    if (set === 0) {
      set = this.sets.length;
      const mine = spans.slice(0, n);
      this.sets.push(readLabels(buf, mine, this.strings, this.source));
      this.setSpans.push(mine);
      this.nextSameHash.push(first ?? 0);
      this.setByHash.set(h, set);
    }
    return set;
  }
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

function readLabels(buf: Uint8Array, spans: number[], strings: readonly string[], source: string): LabelSet {
  const str = (i: number, what: string): string => stringAt(strings, i, what, source);
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
