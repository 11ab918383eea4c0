// A minimal protobuf wire-format reader over a byte array. It decodes
// varints into a (lo, hi) pair of uint32 so 64-bit values never go through
// BigInt on the hot path; callers combine the halves as they need (signed
// int64 as a float64, uint64 address into a BigUint64Array).

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

export class ProtoError extends Error {}

export class ProtoReader {
  readonly buf: Uint8Array;
  pos: number;
  end: number;
  /** Low and high 32 bits of the last varint read by readVarint64. */
  lo = 0;
  hi = 0;

  constructor(buf: Uint8Array, start = 0, end = buf.length) {
    this.buf = buf;
    this.pos = start;
    this.end = end;
  }

  /** Reads a varint known to fit in 32 bits (tags, lengths, indices). */
  readVarint32(): number {
    const buf = this.buf;
    let pos = this.pos;
    if (pos >= this.end) throw new ProtoError(`unexpected end of data at byte ${pos}`);
    let b = buf[pos++];
    if (b < 0x80) {
      this.pos = pos;
      return b;
    }
    let result = b & 0x7f;
    let shift = 7;
    for (;;) {
      if (pos >= this.end) throw new ProtoError(`unexpected end of data in varint at byte ${pos}`);
      b = buf[pos++];
      if (shift < 28) {
        result |= (b & 0x7f) << shift;
      } else if (shift === 28) {
        result = (result >>> 0) + (b & 0x0f) * 0x10000000;
        if ((b & 0x70) !== 0) {
          // Wider than 32 bits: finish the varint, then refuse.
          while (b & 0x80) {
            if (pos >= this.end) throw new ProtoError('unexpected end of data in varint');
            b = buf[pos++];
          }
          this.pos = pos;
          throw new ProtoError(`value too large at byte ${pos}`);
        }
      } else {
        if ((b & 0x7f) !== 0) throw new ProtoError(`value too large at byte ${pos}`);
        if (shift > 63) throw new ProtoError(`malformed varint at byte ${pos}`);
      }
      if (b < 0x80) break;
      shift += 7;
    }
    this.pos = pos;
    return result >>> 0;
  }

  /** Reads a full 64-bit varint into this.lo / this.hi. */
  readVarint64(): void {
    const buf = this.buf;
    let pos = this.pos;
    const end = this.end;
    let lo = 0;
    let hi = 0;
    let b: number;
    let i = 0;
    // bytes 0..3: bits 0..27
    for (; i < 4; i++) {
      if (pos >= end) throw new ProtoError(`unexpected end of data in varint at byte ${pos}`);
      b = buf[pos++];
      lo |= (b & 0x7f) << (i * 7);
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = 0;
        this.pos = pos;
        return;
      }
    }
    // byte 4: bits 28..34
    if (pos >= end) throw new ProtoError(`unexpected end of data in varint at byte ${pos}`);
    b = buf[pos++];
    lo |= (b & 0x0f) << 28;
    hi = (b & 0x7f) >> 4;
    if (b >= 0x80) {
      for (i = 0; i < 5; i++) {
        if (pos >= end) throw new ProtoError(`unexpected end of data in varint at byte ${pos}`);
        b = buf[pos++];
        hi |= (b & 0x7f) << (i * 7 + 3);
        if (b < 0x80) break;
      }
      if (b! >= 0x80) throw new ProtoError(`malformed varint at byte ${pos}`);
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = pos;
  }

  /** Reads a varint as a signed int64 (two's complement), as a float64. */
  readInt64(): number {
    this.readVarint64();
    // Below 2^32 the low half is the value: no float arithmetic (and no heap number in unoptimized code).
    return this.hi === 0 ? this.lo : (this.hi | 0) * 4294967296 + this.lo;
  }

  /** Reads a varint as an unsigned int64, as a float64 (exact below 2^53). */
  readUint64(): number {
    this.readVarint64();
    return this.hi === 0 ? this.lo : this.hi * 4294967296 + this.lo;
  }

  readBigUint64(): bigint {
    this.readVarint64();
    return (BigInt(this.hi) << 32n) | BigInt(this.lo);
  }

  /** Reads a length prefix and returns the [start, end) of the payload. */
  readLength(): number {
    const len = this.readVarint32();
    const start = this.pos;
    if (len > this.end - start) {
      throw new ProtoError(`length ${len} at byte ${start} runs past the end of the data`);
    }
    this.pos = start + len;
    return len;
  }

  skip(wireType: number): void {
    switch (wireType) {
      case WIRE_VARINT:
        this.readVarint64();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.readLength();
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      default:
        throw new ProtoError(`invalid wire type ${wireType} at byte ${this.pos}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) throw new ProtoError(`unexpected end of data at byte ${this.pos}`);
    this.pos += n;
  }
}
