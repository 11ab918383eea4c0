// Value formatting for the browser (the server has its own: web/ cannot import src/).

export function formatValue(v: number, unit: string): string {
  const a = Math.abs(v);
  const sign = v < 0 ? '-' : '';
  const fix = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)).replace(/\.0+$|(\.\d*?)0+$/, '$1');
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

export function percent(v: number, of: number): string {
  if (!of) return '';
  return `${((100 * v) / of).toFixed(2)}%`;
}

/** Go package of a function name: `net/http.(*conn).serve` → `net/http`. */
export function packageOf(name: string): string {
  const slash = name.lastIndexOf('/', name.indexOf('(') >= 0 ? name.indexOf('(') : name.length);
  const dot = name.indexOf('.', slash + 1);
  return dot >= 0 ? name.slice(0, dot) : name;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
