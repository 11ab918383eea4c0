// Human-readable values for labels the server writes (dot graphs, text).
// The browser has its own copy of this logic: web/ cannot import src/.

export function formatValue(v: number, unit: string): string {
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  const fix = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)).replace(/\.?0+$/, '');
  if (unit === 'bytes') {
    const units = ['B', 'kB', 'MB', 'GB', 'TB'];
    let x = a;
    let i = 0;
    while (x >= 1024 && i < units.length - 1) {
      x /= 1024;
      i++;
    }
    return `${sign}${fix(x)}${units[i]}`;
  }
  if (unit === 'nanoseconds') {
    if (a >= 1e9) return `${sign}${fix(a / 1e9)}s`;
    if (a >= 1e6) return `${sign}${fix(a / 1e6)}ms`;
    if (a >= 1e3) return `${sign}${fix(a / 1e3)}us`;
    return `${sign}${fix(a)}ns`;
  }
  return `${sign}${a >= 1e6 ? fix(a / 1e6) + 'M' : a >= 1e4 ? fix(a / 1e3) + 'k' : fix(a)}`;
}
