// Growable typed-array columns for code that appends samples one at a time
// (decoders, builders, merges): amortized doubling, then one final slice.

export function growF64(a: Float64Array<ArrayBuffer>, need: number): Float64Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

export function growU32(a: Uint32Array<ArrayBuffer>, need: number): Uint32Array<ArrayBuffer> {
  if (need <= a.length) return a;
  const b = new Uint32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * A 64-bit column as float64 numbers (exact below 2^53), without the BigInt
 * each element read of a BigUint64Array allocates.
 */
export function u64ToNumbers(a: BigUint64Array): Float64Array {
  const out = new Float64Array(a.length);
  if (!littleEndian) {
    for (let i = 0; i < a.length; i++) out[i] = Number(a[i]);
    return out;
  }
  const w = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  for (let i = 0; i < a.length; i++) out[i] = w[2 * i] + w[2 * i + 1] * 4294967296;
  return out;
}
