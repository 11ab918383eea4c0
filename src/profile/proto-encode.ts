// Encodes the columnar model as profile.proto bytes that `go tool pprof`
// (and any other pprof reader) loads. The string table is rebuilt from the
// names the tables hold; ids are written back as the tables carry them.

import type { Profile, ValueType } from './model.ts';

const utf8 = new TextEncoder();

/** An append-only protobuf writer with varint helpers. */
class ProtoWriter {
  buf = new Uint8Array(1 << 16);
  pos = 0;

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.buf.subarray(0, this.pos));
    this.buf = b;
  }

  /** Unsigned varint of a non-negative integer below 2^53. */
  uvarint(v: number): void {
    this.ensure(10);
    if (v < 0x80000000) {
      // Small values (almost all of them) take the bit-operation path.
      while (v >= 0x80) {
        this.buf[this.pos++] = (v & 0x7f) | 0x80;
        v >>>= 7;
      }
      this.buf[this.pos++] = v;
      return;
    }
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  /** int64 as protobuf does it: two's complement, 10 bytes when negative. */
  int64(v: number): void {
    if (v >= 0) {
      this.uvarint(v);
      return;
    }
    this.bigUvarint(BigInt.asUintN(64, BigInt(Math.trunc(v))));
  }

  bigUvarint(v: bigint): void {
    this.ensure(10);
    while (v >= 0x80n) {
      this.buf[this.pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.buf[this.pos++] = Number(v);
  }

  tag(field: number, wire: number): void {
    this.uvarint(field * 8 + wire);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.uvarint(data.length);
    this.ensure(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  /**
   * Writes a nested message produced by `body` with its length prefix. The
   * body is written in place after a one-byte length guess and moved when
   * the length needs more bytes, so nested messages cost no allocation.
   */
  message(field: number, body: (w: ProtoWriter) => void): void {
    const lenPos = this.begin(field);
    body(this);
    this.end(lenPos);
  }

  /**
   * Starts a nested message in place; returns the mark `end` needs. Hot
   * loops use begin/end rather than `message` to avoid a closure per message.
   */
  begin(field: number): number {
    this.tag(field, 2);
    this.ensure(1);
    return this.pos++;
  }

  /** Ends the nested message started at `lenPos`, writing its length prefix. */
  end(lenPos: number): void {
    const len = this.pos - lenPos - 1;
    if (len < 0x80) {
      this.buf[lenPos] = len;
      return;
    }
    let k = 1;
    for (let v = len; v >= 0x80; v = Math.floor(v / 0x80)) k++;
    this.ensure(k - 1);
    this.buf.copyWithin(lenPos + k, lenPos + 1, this.pos);
    const end = this.pos + k - 1;
    this.pos = lenPos;
    this.uvarint(len);
    this.pos = end;
  }

  /** A length-delimited UTF-8 string, encoded in place (no temporary array per string). */
  stringField(field: number, s: string): void {
    this.tag(field, 2);
    // UTF-8 needs at most 3 bytes per UTF-16 unit; guess the length prefix
    // from that bound and shift when the real length needs fewer bytes.
    const maxLen = s.length * 3;
    let k = 1;
    for (let v = maxLen; v >= 0x80; v = Math.floor(v / 0x80)) k++;
    this.ensure(k + maxLen);
    const start = this.pos + k;
    const { written } = utf8.encodeInto(s, this.buf.subarray(start, start + maxLen));
    let need = 1;
    for (let v = written; v >= 0x80; v = Math.floor(v / 0x80)) need++;
    if (need < k) this.buf.copyWithin(this.pos + need, start, start + written);
    this.uvarint(written);
    this.pos += written;
  }

  /** A varint field, omitted when zero as proto3 does. */
  varintField(field: number, v: number): void {
    if (v === 0) return;
    this.tag(field, 0);
    this.int64(v);
  }

  /** A uint64 varint field from a bigint; addresses below 2^53 skip BigInt arithmetic. */
  addressField(field: number, v: bigint): void {
    if (v === 0n) return;
    if (v > 0n && v <= 0x1fffffffffffffn) {
      this.tag(field, 0);
      this.uvarint(Number(v));
      return;
    }
    this.bigField(field, v);
  }

  bigField(field: number, v: bigint): void {
    if (v === 0n) return;
    this.tag(field, 0);
    this.bigUvarint(BigInt.asUintN(64, v));
  }

  /** Repeated int64: packed when more than two, as Go's encoders do. */
  repeatedInt64(field: number, values: ArrayLike<number>, start: number, end: number): void {
    const n = end - start;
    if (n === 0) return;
    if (n <= 2) {
      for (let i = start; i < end; i++) {
        this.tag(field, 0);
        this.int64(values[i]);
      }
      return;
    }
    const mark = this.begin(field);
    for (let i = start; i < end; i++) this.int64(values[i]);
    this.end(mark);
  }
}

class StringTable {
  readonly list: string[] = [''];
  private readonly index = new Map<string, number>([['', 0]]);
  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.list.length;
      this.list.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

/** Serializes `p` as an uncompressed profile.proto message. */
export function encodeProfile(p: Profile): Uint8Array {
  const w = new ProtoWriter();
  const st = new StringTable();
  const valueType = (field: number, vt: ValueType) => {
    const mark = w.begin(field);
    w.varintField(1, st.id(vt.type));
    w.varintField(2, st.id(vt.unit));
    w.end(mark);
  };

  for (const t of p.sampleTypes) valueType(1, t);

  const { samples, locations: loc, functions: fn } = p;
  const nTypes = p.sampleTypes.length;
  const locIds = loc.id;
  const ids = new Float64Array(64);
  for (let i = 0; i < samples.length; i++) {
    const sm = w.begin(2);
    const s0 = samples.stackStart[i];
    const s1 = samples.stackStart[i + 1];
    const stackIds = s1 - s0 <= ids.length ? ids : new Float64Array(s1 - s0);
    for (let k = s0; k < s1; k++) stackIds[k - s0] = locIds[samples.stack[k]];
    w.repeatedInt64(1, stackIds, 0, s1 - s0);
    w.repeatedInt64(2, samples.values, i * nTypes, (i + 1) * nTypes);
    const set = p.labelSets[samples.labelSet[i]];
    for (const [k, v] of set.str) {
      const lm = w.begin(3);
      w.varintField(1, st.id(k));
      w.varintField(2, st.id(v));
      w.end(lm);
    }
    for (const n of set.num) {
      const lm = w.begin(3);
      w.varintField(1, st.id(n.key));
      w.varintField(3, n.value);
      if (n.unit) w.varintField(4, st.id(n.unit));
      w.end(lm);
    }
    w.end(sm);
  }

  for (const mp of p.mappings) {
    w.message(3, (m) => {
      m.varintField(1, mp.id);
      m.bigField(2, mp.start);
      m.bigField(3, mp.limit);
      m.bigField(4, mp.offset);
      m.varintField(5, st.id(mp.file));
      m.varintField(6, st.id(mp.buildId));
      m.varintField(7, mp.hasFunctions ? 1 : 0);
      m.varintField(8, mp.hasFilenames ? 1 : 0);
      m.varintField(9, mp.hasLineNumbers ? 1 : 0);
      m.varintField(10, mp.hasInlineFrames ? 1 : 0);
    });
  }

  for (let i = 0; i < loc.length; i++) {
    const lm = w.begin(4);
    w.varintField(1, loc.id[i]);
    const mi = loc.mapping[i];
    if (mi >= 0) w.varintField(2, p.mappings[mi].id);
    w.addressField(3, loc.address[i]);
    for (let k = loc.lineStart[i]; k < loc.lineStart[i + 1]; k++) {
      const ln = w.begin(4);
      w.varintField(1, fn.id[loc.lineFunction[k]]);
      w.varintField(2, loc.lineNumber[k]);
      w.varintField(3, loc.lineColumn[k]);
      w.end(ln);
    }
    w.varintField(5, loc.isFolded[i]);
    w.end(lm);
  }

  for (let i = 0; i < fn.length; i++) {
    const fm = w.begin(5);
    w.varintField(1, fn.id[i]);
    w.varintField(2, st.id(fn.name[i]));
    w.varintField(3, st.id(fn.systemName[i]));
    w.varintField(4, st.id(fn.filename[i]));
    w.varintField(5, fn.startLine[i]);
    w.end(fm);
  }

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

  for (const s of st.list) w.stringField(6, s);
  w.varintField(7, dropFrames);
  w.varintField(8, keepFrames);
  w.bigField(9, p.timeNanos);
  w.bigField(10, p.durationNanos);
  if (p.periodType) valueType(11, p.periodType);
  w.varintField(12, p.period);
  for (const c of comments) {
    w.tag(13, 0);
    w.uvarint(c);
  }
  w.varintField(14, defaultSampleType);
  w.varintField(15, docUrl);
  return w.buf.slice(0, w.pos);
}
