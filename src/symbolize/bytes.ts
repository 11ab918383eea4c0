// Little-endian byte cursor for object-file tables. Addresses that can pass
// 2^53 are read as numbers anyway: user-space code addresses on the 64-bit
// platforms we read stay below 2^47, and numbers keep the hot loops fast.

const utf8 = new TextDecoder('utf-8', { fatal: false });

export class ByteReader {
  readonly buf: Uint8Array;
  readonly view: DataView;
  pos: number;
  constructor(buf: Uint8Array, pos = 0) {
    this.buf = buf;
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
    this.pos = pos;
  }
  get length(): number {
    return this.buf.length;
  }
  eof(): boolean {
    return this.pos >= this.buf.length;
  }
  u8(): number {
    return this.buf[this.pos++];
  }
  i8(): number {
    return (this.buf[this.pos++] << 24) >> 24;
  }
  u16(): number {
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
  i32(): number {
    const v = this.view.getInt32(this.pos, true);
    this.pos += 4;
    return v;
  }
  u64(): number {
    const lo = this.view.getUint32(this.pos, true);
    const hi = this.view.getUint32(this.pos + 4, true);
    this.pos += 8;
    // Small values stay small integers: arithmetic would make every one a heap number in cold code.
    return hi === 0 ? lo : hi * 4294967296 + lo;
  }
  /** Unsigned value of `size` bytes (1, 2, 4 or 8). */
  uN(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 4: return this.u32();
      case 8: return this.u64();
      default: throw new RangeError(`bad field size ${size}`);
    }
  }
  uleb(): number {
    let result = 0;
    let mul = 1;
    for (;;) {
      const b = this.buf[this.pos++];
      if (b === undefined) throw new RangeError('truncated LEB128');
      result += (b & 0x7f) * mul;
      if ((b & 0x80) === 0) return result;
      mul *= 128;
    }
  }
  sleb(): number {
    let result = 0;
    let mul = 1;
    let b: number;
    do {
      b = this.buf[this.pos++];
      if (b === undefined) throw new RangeError('truncated LEB128');
      result += (b & 0x7f) * mul;
      mul *= 128;
    } while (b & 0x80);
    if (b & 0x40) result -= mul;
    return result;
  }
  /** NUL-terminated string at the cursor. */
  cstr(): string {
    const s = cstringAt(this.buf, this.pos);
    const end = this.buf.indexOf(0, this.pos);
    this.pos = end < 0 ? this.buf.length : end + 1;
    return s;
  }
  skip(n: number): void {
    this.pos += n;
  }
}

type Utf8Slice = (this: Uint8Array, start: number, end: number) => string;
// Buffer's binding works on any Uint8Array; absent on runtimes without it (then TextDecoder).
const nativeUtf8Slice = (Buffer.prototype as unknown as { utf8Slice?: Utf8Slice }).utf8Slice;

/** NUL-terminated string starting at `off`. */
export function cstringAt(buf: Uint8Array, off: number): string {
  if (off < 0 || off >= buf.length) return '';
  // Uint8Array's indexOf: Buffer's goes through a JavaScript wrapper, costly for short names.
  let end = Uint8Array.prototype.indexOf.call(buf, 0, off);
  if (end < 0) end = buf.length;
  // Node's native UTF-8 slicing, called directly: Buffer#toString checks its arguments in
  // JavaScript first, a cost per name when 15k names are read once each.
  if (nativeUtf8Slice !== undefined) return nativeUtf8Slice.call(buf, off, end);
  if (end - off < 64) {
    let ascii = true;
    for (let i = off; i < end; i++) if (buf[i] >= 0x80) { ascii = false; break; }
    if (ascii) return String.fromCharCode.apply(null, buf.subarray(off, end) as unknown as number[]);
  }
  return utf8.decode(buf.subarray(off, end));
}

/** Largest i in [0, n) with key(i) <= x, or -1. `key` must be non-decreasing. */
export function upperIndex(n: number, x: number, key: (i: number) => number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (key(mid) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
