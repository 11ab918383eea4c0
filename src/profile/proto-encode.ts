// Encodes the columnar model as profile.proto bytes that `go tool pprof`
// (and any other pprof reader) loads. The string table is rebuilt from the
// names the tables hold; ids are written back as the tables carry them.
//
// Speed in a fresh process: a CLI run encodes one profile and exits, so the
// loops below run mostly before V8 has optimized them, and what counts is
// how many operations, allocations and native calls they make. Hence: each
// table has its own small function writing into the buffer through a local
// position (one call per field at most); sizes are checked once per
// message; float64 columns are read as int32 when they fit (no heap number
// per element); addresses are written from their two 32-bit halves (no
// BigInt); the labels of a label set are encoded once and copied per
// sample; and an all-ASCII string table, the usual case, is written in
// batches joined into one string each, a native call per batch.

import { Buffer } from 'node:buffer';
import type { LabelSet, Profile, ValueType } from './model.ts';

const utf8 = new TextEncoder();

/** Whether typed arrays are little-endian here: then a uint64 is [low word, high word]. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// Tags (field number << 3 | wire type) of the fields written here.
const TAG_VARINT_1 = 0x08;
const TAG_VARINT_2 = 0x10;
const TAG_VARINT_3 = 0x18;
const TAG_VARINT_4 = 0x20;
const TAG_VARINT_5 = 0x28;
const TAG_LEN_1 = 0x0a;
const TAG_LEN_2 = 0x12;
const TAG_LEN_4 = 0x22;
const TAG_LEN_5 = 0x2a;
const TAG_LEN_6 = 0x32;

/**
 * Writes `v` as a protobuf int64 at `pos` and returns the position after
 * it: a non-negative integer below 2^53 as is, a negative one as its 64-bit
 * two's complement (10 bytes). Values below 2^31, nearly all of them, are
 * written here rather than through putUvarint: in code V8 has not
 * optimized yet, every call counts.
 */
function putInt64(buf: Uint8Array, pos: number, v: number): number {
  if (v >= 0 && v < 0x80000000) {
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    return pos;
  }
  if (v >= 0) return putUvarint(buf, pos, v);
  let u = BigInt.asUintN(64, BigInt(Math.trunc(v)));
  while (u >= 0x80n) {
    buf[pos++] = Number(u & 0x7fn) | 0x80;
    u >>= 7n;
  }
  buf[pos++] = Number(u);
  return pos;
}

/**
 * Writes a varint field: the one-byte `tag`, then `v` as putInt64 does.
 * Returns the position after it. The common case is repeated here, not
 * delegated, so that a field costs one call.
 */
function putField(buf: Uint8Array, pos: number, tag: number, v: number): number {
  buf[pos++] = tag;
  if (v >= 0 && v < 0x80000000) {
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    return pos;
  }
  return putInt64(buf, pos, v);
}

/** Writes a non-negative integer below 2^53 as a varint at `pos`; returns the position after it. */
function putUvarint(buf: Uint8Array, pos: number, v: number): number {
  if (v < 0x80000000) {
    // Small values (almost all of them) take the bit-operation path.
    while (v >= 0x80) {
      buf[pos++] = (v & 0x7f) | 0x80;
      v >>>= 7;
    }
    buf[pos++] = v;
    return pos;
  }
  while (v >= 0x80) {
    buf[pos++] = (v % 0x80) | 0x80;
    v = Math.floor(v / 0x80);
  }
  buf[pos++] = v;
  return pos;
}

/** Writes a varint field: the one-byte `tag`, then the uint64 with 32-bit halves `lo` and `hi`. Returns the position after it. */
function putUvarint64(buf: Uint8Array, pos: number, tag: number, lo: number, hi: number): number {
  buf[pos++] = tag;
  while (hi !== 0) {
    buf[pos++] = (lo & 0x7f) | 0x80;
    lo = ((lo >>> 7) | (hi << 25)) >>> 0;
    hi >>>= 7;
  }
  return putUvarint(buf, pos, lo);
}

/**
 * The column as an Int32Array when every value is an int32 (ids, line
 * numbers, and most sample values are), else the column itself. Reading a
 * Float64Array element in code V8 has not optimized yet allocates a heap
 * number; an Int32Array element is a small integer. Converting and checking
 * are three native calls, whatever the length.
 */
function int32Column(a: Float64Array): Int32Array | Float64Array {
  const i32 = new Int32Array(a);
  const back = new Float64Array(i32);
  const same = Buffer.compare(
    new Uint8Array(back.buffer), new Uint8Array(a.buffer, a.byteOffset, a.byteLength),
  ) === 0;
  return same ? i32 : a;
}

/** Bytes the varint of a non-negative integer takes. */
function uvarintSize(v: number): number {
  let k = 1;
  for (; v >= 0x80; v = Math.floor(v / 0x80)) k++;
  return k;
}

/**
 * Ends a nested message whose body runs from `lenPos + 1` to `end`, with
 * one byte reserved at `lenPos` for its length: writes the length and, when
 * it needs more bytes, moves the body up. Returns the new end. The buffer
 * needs room for 4 more bytes past `end`. (The table writers store a
 * length below 128 themselves and call this only for longer messages.)
 */
function endMessage(buf: Uint8Array, lenPos: number, end: number): number {
  const len = end - lenPos - 1;
  if (len < 0x80) {
    buf[lenPos] = len;
    return end;
  }
  const k = uvarintSize(len);
  buf.copyWithin(lenPos + k, lenPos + 1, end);
  putUvarint(buf, lenPos, len);
  return end + k - 1;
}

/** An append-only byte buffer; the table writers keep the position in a local and store it back. */
class ProtoWriter {
  buf: Uint8Array;
  pos = 0;

  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(capacity, 64));
  }

  /** Makes room for `n` more bytes after `pos`; returns the (possibly new) buffer. */
  ensure(pos: number, n: number): Uint8Array {
    if (pos + n <= this.buf.length) return this.buf;
    return this.resize(pos, Math.max(this.buf.length * 2, pos + n));
  }

  /** Makes room for exactly `n` more bytes after `pos` when there is less: for the last large write. */
  reserve(pos: number, n: number): Uint8Array {
    if (pos + n <= this.buf.length) return this.buf;
    return this.resize(pos, pos + n);
  }

  private resize(pos: number, size: number): Uint8Array {
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, pos));
    this.buf = b;
    return b;
  }

  /** Starts a nested message: its tag and a one-byte length placeholder. Returns the placeholder's position. */
  beginMessage(field: number): number {
    const buf = this.ensure(this.pos, 6);
    const lenPos = putUvarint(buf, this.pos, field * 8 + 2);
    this.pos = lenPos + 1;
    return lenPos;
  }

  /** Ends the nested message begun at `lenPos` (see endMessage). */
  endMessage(lenPos: number): void {
    const buf = this.ensure(this.pos, 4);
    this.pos = endMessage(buf, lenPos, this.pos);
  }

  /** A varint field, omitted when zero as proto3 does. */
  varintField(field: number, v: number): void {
    if (v === 0) return;
    const buf = this.ensure(this.pos, 12);
    this.pos = putInt64(buf, putUvarint(buf, this.pos, field * 8), v);
  }

  /** A uint64 field from a bigint, omitted when zero. */
  bigField(field: number, v: bigint): void {
    if (v === 0n) return;
    const buf = this.ensure(this.pos, 12);
    let pos = putUvarint(buf, this.pos, field * 8);
    let u = BigInt.asUintN(64, v);
    while (u >= 0x80n) {
      buf[pos++] = Number(u & 0x7fn) | 0x80;
      u >>= 7n;
    }
    buf[pos++] = Number(u);
    this.pos = pos;
  }

  /** A length-delimited UTF-8 string. */
  stringField(field: number, s: string): void {
    // UTF-8 needs at most 3 bytes per UTF-16 unit: reserve a length prefix
    // for that bound, then shift the bytes down when the real length needs fewer.
    const maxLen = s.length * 3;
    const k = uvarintSize(maxLen);
    const buf = this.ensure(this.pos, 5 + k + maxLen);
    let pos = putUvarint(buf, this.pos, field * 8 + 2);
    const start = pos + k;
    const { written } = utf8.encodeInto(s, buf.subarray(start, start + maxLen));
    const need = uvarintSize(written);
    if (need < k) buf.copyWithin(pos + need, start, start + written);
    pos = putUvarint(buf, pos, written);
    this.pos = pos + written;
  }

  /** A ValueType message. */
  valueType(field: number, vt: ValueType, st: StringTable): void {
    const lenPos = this.beginMessage(field);
    this.varintField(1, st.id(vt.type));
    this.varintField(2, st.id(vt.unit));
    this.endMessage(lenPos);
  }
}

/** The string table in order of first use; index 0 is "". */
class StringTable {
  readonly list: string[] = [''];
  /** String → index; hot loops look up here first and call add only for a new string. */
  readonly index = new Map<string, number>([['', 0]]);

  id(s: string): number {
    const i = this.index.get(s);
    return i !== undefined ? i : this.add(s);
  }

  /** Appends a string not in the table yet; returns its index. */
  add(s: string): number {
    const i = this.list.length;
    this.list.push(s);
    this.index.set(s, i);
    return i;
  }
}

/** Serializes `p` as an uncompressed profile.proto message. */
export function encodeProfile(p: Profile): Uint8Array {
  const w = new ProtoWriter(estimateSize(p));
  const st = new StringTable();
  for (const t of p.sampleTypes) w.valueType(1, t, st);
  writeSamples(w, p, st);
  writeMappings(w, p, st);
  writeLocations(w, p);
  writeFunctions(w, p, st);

  // Strings referenced by the remaining scalar fields must be interned
  // before the table is written.
  const dropFrames = p.dropFrames ? st.id(p.dropFrames) : 0;
  const keepFrames = p.keepFrames ? st.id(p.keepFrames) : 0;
  const comments = p.comments.map((c) => st.id(c));
  const defaultSampleType = p.defaultSampleType ? st.id(p.defaultSampleType) : 0;
  const docUrl = p.docUrl ? st.id(p.docUrl) : 0;
  if (p.periodType) {
    st.id(p.periodType.type);
    st.id(p.periodType.unit);
  }

  if (!writeAsciiStrings(w, st.list)) for (const s of st.list) w.stringField(6, s);
  w.varintField(7, dropFrames);
  w.varintField(8, keepFrames);
  w.bigField(9, p.timeNanos);
  w.bigField(10, p.durationNanos);
  if (p.periodType) w.valueType(11, p.periodType, st);
  w.varintField(12, p.period);
  for (const c of comments) {
    const buf = w.ensure(w.pos, 6);
    w.pos = putUvarint(buf, putUvarint(buf, w.pos, 13 * 8), c);
  }
  w.varintField(14, defaultSampleType);
  w.varintField(15, docUrl);
  // The buffer is sized to fit (see estimateSize and writeAsciiStrings):
  // a view, not a copy of megabytes.
  return w.buf.length - w.pos <= w.pos >> 3 ? w.buf.subarray(0, w.pos) : w.buf.slice(0, w.pos);
}

/** A typical upper bound of the encoded size without the string table, so the buffer rarely grows. */
function estimateSize(p: Profile): number {
  const s = p.samples;
  return 4096 + s.length * (12 + 11 * p.sampleTypes.length) + s.stack.length * 4 +
    p.locations.length * 24 + p.locations.lineFunction.length * 16 + p.functions.length * 24;
}

/** Writes the samples: stacks as location ids, values, labels. */
function writeSamples(w: ProtoWriter, p: Profile, st: StringTable): void {
  const { samples, locations } = p;
  const { stackStart, stack, labelSet } = samples;
  const locIds = int32Column(locations.id);
  const values = int32Column(samples.values);
  const nTypes = p.sampleTypes.length;
  // The encoded labels of each label set, made when a sample first uses the
  // set so strings are interned in the same order as sample by sample.
  const labelBytes: Array<Uint8Array | undefined> = [];
  let buf = w.buf;
  let pos = w.pos;
  for (let i = 0; i < samples.length; i++) {
    const s0 = stackStart[i];
    const s1 = stackStart[i + 1];
    const set = labelSet[i];
    const labels = labelBytes[set] ??= encodeLabels(p.labelSets[set], st);
    // Room for the tags and lengths, 10 bytes a number, the labels, and endMessage's 4.
    const need = 24 + 10 * (s1 - s0 + nTypes) + labels.length;
    if (pos + need > buf.length) buf = w.ensure(pos, need);
    buf[pos++] = TAG_LEN_2;
    const lenPos = pos++;
    // Repeated int64 fields: packed when more than two, as Go's encoders do.
    if (s1 - s0 > 2) {
      buf[pos++] = TAG_LEN_1;
      const lp = pos++;
      for (let k = s0; k < s1; k++) pos = putInt64(buf, pos, locIds[stack[k]]);
      if (pos - lp <= 0x80) buf[lp] = pos - lp - 1;
      else pos = endMessage(buf, lp, pos);
    } else {
      for (let k = s0; k < s1; k++) pos = putField(buf, pos, TAG_VARINT_1, locIds[stack[k]]);
    }
    const v0 = i * nTypes;
    if (nTypes > 2) {
      buf[pos++] = TAG_LEN_2;
      const lp = pos++;
      for (let t = 0; t < nTypes; t++) pos = putInt64(buf, pos, values[v0 + t]);
      if (pos - lp <= 0x80) buf[lp] = pos - lp - 1;
      else pos = endMessage(buf, lp, pos);
    } else {
      for (let t = 0; t < nTypes; t++) pos = putField(buf, pos, TAG_VARINT_2, values[v0 + t]);
    }
    if (labels.length !== 0) {
      buf.set(labels, pos);
      pos += labels.length;
    }
    if (pos - lenPos <= 0x80) buf[lenPos] = pos - lenPos - 1;
    else pos = endMessage(buf, lenPos, pos);
  }
  w.pos = pos;
}

/** The Label messages (field 3 of Sample) of one label set, interning their strings. */
function encodeLabels(set: LabelSet, st: StringTable): Uint8Array {
  const w = new ProtoWriter(64);
  for (const [k, v] of set.str) {
    const lenPos = w.beginMessage(3);
    w.varintField(1, st.id(k));
    w.varintField(2, st.id(v));
    w.endMessage(lenPos);
  }
  for (const n of set.num) {
    const lenPos = w.beginMessage(3);
    w.varintField(1, st.id(n.key));
    w.varintField(3, n.value);
    if (n.unit) w.varintField(4, st.id(n.unit));
    w.endMessage(lenPos);
  }
  return w.buf.slice(0, w.pos);
}

function writeMappings(w: ProtoWriter, p: Profile, st: StringTable): void {
  for (const mp of p.mappings) {
    const lenPos = w.beginMessage(3);
    w.varintField(1, mp.id);
    w.bigField(2, mp.start);
    w.bigField(3, mp.limit);
    w.bigField(4, mp.offset);
    w.varintField(5, st.id(mp.file));
    w.varintField(6, st.id(mp.buildId));
    w.varintField(7, mp.hasFunctions ? 1 : 0);
    w.varintField(8, mp.hasFilenames ? 1 : 0);
    w.varintField(9, mp.hasLineNumbers ? 1 : 0);
    w.varintField(10, mp.hasInlineFrames ? 1 : 0);
    w.endMessage(lenPos);
  }
}

/** Writes the locations with their lines; zero fields are left out. */
function writeLocations(w: ProtoWriter, p: Profile): void {
  const loc = p.locations;
  const { mapping, address, isFolded, lineStart, lineFunction } = loc;
  const id = int32Column(loc.id);
  const lineNumber = int32Column(loc.lineNumber);
  const lineColumn = int32Column(loc.lineColumn);
  const fnIds = int32Column(p.functions.id);
  const mapIds = p.mappings.map((m) => m.id);
  // The addresses as 32-bit halves: written without a BigInt per location.
  const words = LITTLE_ENDIAN ? new Uint32Array(address.buffer, address.byteOffset, address.length * 2) : null;
  let buf = w.buf;
  let pos = w.pos;
  for (let i = 0; i < loc.length; i++) {
    const l0 = lineStart[i];
    const l1 = lineStart[i + 1];
    // Room for the id, mapping id, address and folded flag, 36 bytes a line, and endMessage's 4.
    const need = 48 + 36 * (l1 - l0);
    if (pos + need > buf.length) buf = w.ensure(pos, need);
    buf[pos++] = TAG_LEN_4;
    const lenPos = pos++;
    const locId = id[i];
    if (locId !== 0) pos = putField(buf, pos, TAG_VARINT_1, locId);
    const mi = mapping[i];
    if (mi >= 0 && mapIds[mi] !== 0) pos = putField(buf, pos, TAG_VARINT_2, mapIds[mi]);
    if (words !== null) {
      const lo = words[2 * i];
      const hi = words[2 * i + 1];
      if (hi !== 0) pos = putUvarint64(buf, pos, TAG_VARINT_3, lo, hi);
      else if (lo !== 0) pos = putField(buf, pos, TAG_VARINT_3, lo);
    } else if (address[i] !== 0n) {
      const a = address[i];
      pos = putUvarint64(buf, pos, TAG_VARINT_3, Number(a & 0xffffffffn), Number(a >> 32n));
    }
    for (let k = l0; k < l1; k++) {
      buf[pos++] = TAG_LEN_4;
      const lp = pos++;
      const fid = fnIds[lineFunction[k]];
      if (fid !== 0) pos = putField(buf, pos, TAG_VARINT_1, fid);
      const line = lineNumber[k];
      if (line !== 0) pos = putField(buf, pos, TAG_VARINT_2, line);
      const col = lineColumn[k];
      if (col !== 0) pos = putField(buf, pos, TAG_VARINT_3, col);
      if (pos - lp <= 0x80) buf[lp] = pos - lp - 1;
      else pos = endMessage(buf, lp, pos);
    }
    if (isFolded[i] !== 0) pos = putField(buf, pos, TAG_VARINT_5, isFolded[i]);
    if (pos - lenPos <= 0x80) buf[lenPos] = pos - lenPos - 1;
    else pos = endMessage(buf, lenPos, pos);
  }
  w.pos = pos;
}

/** Writes the functions, interning their names in table order (name, system name, file name). */
function writeFunctions(w: ProtoWriter, p: Profile, st: StringTable): void {
  const fn = p.functions;
  const { name, systemName, filename } = fn;
  const id = int32Column(fn.id);
  const startLine = int32Column(fn.startLine);
  let buf = w.buf;
  let pos = w.pos;
  // Neighbouring functions mostly share a file, and many have a system name
  // equal to the name: compare before looking the string up.
  let prevFile: string | undefined;
  let prevFileId = 0;
  const index = st.index;
  for (let i = 0; i < fn.length; i++) {
    const nm = name[i];
    const nameId = index.get(nm) ?? st.add(nm);
    const sys = systemName[i];
    const sysId = sys === nm ? nameId : index.get(sys) ?? st.add(sys);
    const file = filename[i];
    if (file !== prevFile) {
      prevFile = file;
      prevFileId = index.get(file) ?? st.add(file);
    }
    // Five fields of at most 11 bytes, the tag and length, and endMessage's 4.
    if (pos + 64 > buf.length) buf = w.ensure(pos, 64);
    buf[pos++] = TAG_LEN_5;
    const lenPos = pos++;
    if (id[i] !== 0) pos = putField(buf, pos, TAG_VARINT_1, id[i]);
    if (nameId !== 0) pos = putField(buf, pos, TAG_VARINT_2, nameId);
    if (sysId !== 0) pos = putField(buf, pos, TAG_VARINT_3, sysId);
    if (prevFileId !== 0) pos = putField(buf, pos, TAG_VARINT_4, prevFileId);
    if (startLine[i] !== 0) pos = putField(buf, pos, TAG_VARINT_5, startLine[i]);
    if (pos - lenPos <= 0x80) buf[lenPos] = pos - lenPos - 1;
    else pos = endMessage(buf, lenPos, pos);
  }
  w.pos = pos;
}

/**
 * Writes the string table when every string is ASCII, the usual case, and
 * returns true; otherwise returns false and the caller writes the table
 * over again from the same position. An ASCII string is its own Latin-1
 * encoding, one byte per character: a batch of strings, each after its tag
 * and length (also written as Latin-1 characters), is joined into one
 * string and written by one native call. Whether the strings are ASCII is
 * counted, not scanned for in JS: the batch's characters of 0x80 and above
 * (two bytes each in UTF-8) must all be in the lengths.
 * Measured on 26k strings, cold: a write per string, 8 ms; one join of the
 * whole table, 8 ms; batches of 256, 4 ms.
 */
function writeAsciiStrings(w: ProtoWriter, list: readonly string[]): boolean {
  let size = 0;
  for (let i = 0; i < list.length; i++) {
    const len = list[i].length;
    if (len >= HEADER_CACHE_SIZE) return false; // long strings are rare: the general path takes them
    size += len + (len < 0x80 ? 2 : 3);
  }
  // The table is nearly the last thing written: room for it and the few scalar fields after it.
  const buf = w.reserve(w.pos, size + 256);
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  let pos = w.pos;
  const parts: string[] = [];
  for (let i0 = 0; i0 < list.length; i0 += STRING_BATCH) {
    const i1 = Math.min(i0 + STRING_BATCH, list.length);
    parts.length = 0;
    let headerHigh = 0;
    for (let i = i0; i < i1; i++) {
      const s = list[i];
      const len = s.length;
      parts.push(headerCache[len] ??= stringHeader(len), s);
      if (len >= 0x80) headerHigh++; // a two-byte length: its first byte is 0x80 or above
    }
    const text = parts.join('');
    if (Buffer.byteLength(text, 'utf8') - text.length !== headerHigh) return false;
    pos += b.write(text, pos, text.length, 'latin1');
  }
  w.pos = pos;
  return true;
}

/** Strings joined per native write in writeAsciiStrings. */
const STRING_BATCH = 256;

/** String tables' tags and lengths as Latin-1 strings, by string length: few distinct lengths repeat. */
const HEADER_CACHE_SIZE = 1 << 14;
const headerCache: Array<string | undefined> = [];

/** The tag and length of a string of `len` bytes (below 2^14) as Latin-1 characters. */
function stringHeader(len: number): string {
  return len < 0x80
    ? String.fromCharCode(TAG_LEN_6, len)
    : String.fromCharCode(TAG_LEN_6, (len & 0x7f) | 0x80, len >>> 7);
}
