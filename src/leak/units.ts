// Human-readable numbers for leak reports: IEC byte sizes and durations.

export function formatBytes(n: number, signed = false): string {
  const sign = n < 0 ? '-' : signed ? '+' : '';
  let v = Math.abs(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 || v >= 100 ? 0 : v >= 10 ? 1 : 2;
  return `${sign}${v.toFixed(digits).replace(/\.0+$|(\.\d*[1-9])0+$/, '$1')} ${units[u]}`;
}

export function formatCount(n: number, signed = false): string {
  const sign = n < 0 ? '-' : signed ? '+' : '';
  const v = Math.abs(n);
  if (v >= 1e6) return `${sign}${(v / 1e6).toFixed(1)}M`;
  if (v >= 1e4) return `${sign}${(v / 1e3).toFixed(1)}k`;
  return `${sign}${Math.round(v)}`;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return 'never';
  const s = ms / 1000;
  if (s < 90) return `${Math.round(s)}s`;
  const m = s / 60;
  if (m < 90) return `${Math.round(m)}m`;
  const h = m / 60;
  if (h < 48) return `${Math.floor(h)}h${String(Math.round(m % 60)).padStart(2, '0')}m`;
  return `${(h / 24).toFixed(1)}d`;
}

/** Parses `2GiB`, `512MB`, `1.5g`, `1073741824`. MB/GB are taken as powers of 1024, as memory limits are. */
export function parseSize(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b?)\s*$/i.exec(s);
  if (!m) return null;
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 }[m[2].toLowerCase() as ''];
  return Math.round(Number(m[1]) * mult);
}

const BARS = '▁▂▃▄▅▆▇█';

/** A sparkline of a series scaled between its minimum and maximum. */
export function sparkline(ys: readonly number[]): string {
  if (ys.length === 0) return '';
  let lo = Infinity;
  let hi = -Infinity;
  for (const y of ys) {
    lo = Math.min(lo, y);
    hi = Math.max(hi, y);
  }
  return ys.map((y) => BARS[hi > lo ? Math.round(((y - lo) / (hi - lo)) * (BARS.length - 1)) : 0]).join('');
}
