// Small robust statistics for short series (tens of points): no
// dependencies, no allocation beyond one scratch array per call.

export function median(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return NaN;
  const a = Float64Array.from(xs).sort();
  return n % 2 ? a[(n - 1) >> 1] : (a[n / 2 - 1] + a[n / 2]) / 2;
}

/**
 * Theil–Sen slope: the median of the slopes of all pairs (i < j) whose x
 * differ and that `samePart(i, j)` allows (pairs across a process restart
 * say nothing about growth). One outlier moves it little, unlike least
 * squares. O(n²) pairs: fine for the tens to low hundreds of snapshots a
 * series holds.
 */
export function theilSen(x: ArrayLike<number>, y: ArrayLike<number>, samePart: (i: number, j: number) => boolean = () => true): number {
  const n = x.length;
  const slopes: number[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = x[j] - x[i];
      if (dx !== 0 && samePart(i, j)) slopes.push((y[j] - y[i]) / dx);
    }
  }
  return slopes.length ? median(slopes) : 0;
}

/** Kendall's tau-a of y against its order: +1 strictly rising, −1 falling, ~0 no trend. */
export function kendallTau(y: ArrayLike<number>, samePart: (i: number, j: number) => boolean = () => true): number {
  let s = 0;
  let pairs = 0;
  for (let i = 0; i < y.length; i++) {
    for (let j = i + 1; j < y.length; j++) {
      if (!samePart(i, j)) continue;
      pairs++;
      s += Math.sign(y[j] - y[i]);
    }
  }
  return pairs ? s / pairs : 0;
}

/** Standard normal CDF (Abramowitz–Stegun 7.1.26; error < 1.5e-7). */
export function normalCdf(z: number): number {
  if (!Number.isFinite(z)) return z > 0 ? 1 : 0;
  const t = 1 / (1 + 0.3275911 * Math.abs(z) / Math.SQRT2);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-(z * z) / 2);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}
