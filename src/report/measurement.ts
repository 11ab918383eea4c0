// Units, scaling and number text exactly as pprof prints them
// (internal/measurement of go1.19's vendored pprof), including Go's fmt
// rounding: `%.2f` and `%.2g` round the exact binary value half to even,
// where JavaScript's toFixed/toPrecision round ties away from zero.

interface Unit {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly factor: number;
}

interface UnitType {
  readonly units: readonly Unit[];
  readonly defaultUnit: Unit;
}

const UNIT_TYPES: readonly UnitType[] = [
  {
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: 1 },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 },
    ],
    defaultUnit: { name: 's', aliases: [], factor: 1e9 },
  },
  {
    units: [
      { name: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
      { name: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
      { name: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
      { name: 'GCU', aliases: ['gcu'], factor: 1 },
      { name: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
      { name: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
      { name: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
      { name: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
      { name: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
    ],
    defaultUnit: { name: 'GCU', aliases: [], factor: 1 },
  },
];

function sniffUnit(ut: UnitType, unit: string): Unit | null {
  let u = unit.toLowerCase();
  // Go's len() counts bytes: "μs" is 3 bytes long.
  if (Buffer.byteLength(u) > 2 && u.endsWith('s')) u = u.slice(0, -1);
  for (const x of ut.units) if (x.aliases.includes(u)) return x;
  return null;
}

function autoScale(ut: UnitType, value: number): [number, string] | null {
  let f = 0;
  let name = '';
  for (const u of ut.units) {
    if (u.factor >= f && value / u.factor >= 1) {
      f = u.factor;
      name = u.name;
    }
  }
  return f === 0 ? null : [value / f, name];
}

/**
 * measurement.Scale: converts `value` from `fromUnit` to `toUnit`
 * ('minimum'/'auto' pick a readable unit). Returns the scaled value and the
 * unit to print ('' for counts).
 */
export function scale(value: number, fromUnit: string, toUnit: string): [number, string] {
  if (value < 0) {
    const [v, u] = scale(-value, fromUnit, toUnit);
    return [-v, u];
  }
  for (const ut of UNIT_TYPES) {
    const from = sniffUnit(ut, fromUnit);
    if (from === null) continue;
    const v = value * from.factor;
    if (toUnit === 'minimum' || toUnit === 'auto') {
      const a = autoScale(ut, v);
      if (a !== null) return a;
      return [v / ut.defaultUnit.factor, ut.defaultUnit.name];
    }
    const to = sniffUnit(ut, toUnit);
    if (to === null) return [v / ut.defaultUnit.factor, ut.defaultUnit.name];
    return [v / to.factor, to.name];
  }
  switch (toUnit) {
    case 'count':
    case 'sample':
    case 'unit':
    case 'minimum':
    case 'auto':
      return [value, ''];
    default:
      return [value, toUnit];
  }
}

/** measurement.ScaledLabel: `%.2f` with a trailing `.00` trimmed, plus unit. */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const [v, u] = scale(value, fromUnit, toUnit);
  let s = goFixed(v, 2);
  if (s.endsWith('.00')) s = s.slice(0, -3);
  if (s === '0' || s === '-0') return '0';
  return s + u;
}

/** measurement.Label: auto-scaled. */
export function label(value: number, unit: string): string {
  return scaledLabel(value, unit, 'auto');
}

/** measurement.Percentage. */
export function percentage(value: number, total: number): string {
  let ratio = 0;
  if (total !== 0) ratio = Math.abs(value / total) * 100;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return padLeft(goFixed(ratio, 2), 5) + '%';
  return padLeft(goG(ratio, 2), 5) + '%';
}

export function padLeft(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? s : ' '.repeat(width - n) + s;
}

export function padRight(s: string, width: number): string {
  const n = [...s].length;
  return n >= width ? s : s + ' '.repeat(width - n);
}

// ---------------------------------------------------------------------------
// Go fmt number formatting.

/**
 * The exact decimal expansion of |x| (finite, < 1e21) as integer digits and
 * fraction digits. toFixed(100) is exact to 100 places, which is far beyond
 * any tie a report value can produce.
 */
function exactDecimal(x: number): { int: string; frac: string } {
  const s = Math.abs(x).toFixed(100);
  const dot = s.indexOf('.');
  return { int: s.slice(0, dot), frac: s.slice(dot + 1).replace(/0+$/, '') };
}

/** Adds one unit in the last place of a digit string; returns [digits, carried]. */
function incrementDigits(d: string): [string, boolean] {
  const a = d.split('');
  let i = a.length - 1;
  while (i >= 0) {
    if (a[i] === '9') {
      a[i] = '0';
      i--;
    } else {
      a[i] = String.fromCharCode(a[i].charCodeAt(0) + 1);
      return [a.join(''), false];
    }
  }
  return ['1' + a.join(''), true];
}

/** Rounds a digit string to `keep` digits, half to even on the exact tail. */
function roundDigits(digits: string, keep: number): [string, boolean] {
  if (digits.length <= keep) return [digits.padEnd(keep, '0'), false];
  const head = digits.slice(0, keep);
  const tail = digits.slice(keep);
  const first = tail.charCodeAt(0) - 48;
  let up: boolean;
  if (first > 5) up = true;
  else if (first < 5) up = false;
  else if (/[1-9]/.test(tail.slice(1))) up = true;
  else up = keep > 0 && (head.charCodeAt(keep - 1) - 48) % 2 === 1;
  if (!up) return [head, false];
  if (keep === 0) return ['1', true];
  return incrementDigits(head);
}

/** Go's `%.<prec>f`. */
export function goFixed(x: number, prec: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  const neg = x < 0 || Object.is(x, -0);
  // Fast path: away from a decimal tie, toFixed is exactly Go's rounding.
  // Below 2^36 the product carries its fraction to about 1e-5, so a margin
  // of 1e-4 around .5 cannot hide a tie.
  const ax = Math.abs(x);
  const t = ax * 10 ** prec;
  if (t < 2 ** 36) {
    const frac = t - Math.floor(t);
    if (Math.abs(frac - 0.5) > 1e-4) return (neg ? '-' : '') + ax.toFixed(prec);
  }
  if (Math.abs(x) >= 1e21) return (neg ? '-' : '') + BigInt(Math.round(Math.abs(x))).toString() + (prec > 0 ? '.' + '0'.repeat(prec) : '');
  const { int, frac } = exactDecimal(x);
  const all = int + frac;
  const [r, carried] = roundDigits(all, int.length + prec);
  const intLen = int.length + (carried ? 1 : 0);
  let intPart = r.slice(0, intLen).replace(/^0+(?=\d)/, '');
  if (intPart === '') intPart = '0';
  const fracPart = r.slice(intLen);
  return (neg ? '-' : '') + intPart + (prec > 0 ? '.' + fracPart : '');
}

/** Go's `%.<prec>g` (no `#` flag: trailing zeros dropped). */
export function goG(x: number, prec: number): string {
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : x < 0 ? '-Inf' : 'NaN';
  const neg = x < 0 || Object.is(x, -0);
  const sign = neg ? '-' : '';
  if (x === 0) return sign + '0';
  if (prec === 0) prec = 1;
  let digits: string;
  let dp: number; // decimal point position relative to digits
  if (Math.abs(x) >= 1e21) {
    // Large: exponential text from JS is exact enough for our needs.
    const [m, e] = Math.abs(x).toExponential(20).split('e');
    digits = m.replace('.', '');
    dp = Number(e) + 1;
  } else {
    const { int, frac } = exactDecimal(x);
    const all = (int === '0' ? '' : int) + frac;
    const lead = all.search(/[1-9]/);
    digits = all.slice(lead);
    dp = (int === '0' ? 0 : int.length) - lead;
  }
  const [r, carried] = roundDigits(digits, prec);
  if (carried) dp++;
  const nd = r.replace(/0+$/, '').length;
  const d = r.slice(0, nd);
  let eprec = prec;
  if (eprec > nd && nd >= dp) eprec = nd;
  const exp = dp - 1;
  if (exp < -4 || exp >= eprec) {
    const mant = d.length > 1 ? d[0] + '.' + d.slice(1) : d;
    const ae = Math.abs(exp);
    return sign + mant + 'e' + (exp < 0 ? '-' : '+') + (ae < 10 ? '0' : '') + ae;
  }
  // %f with max(prec - dp, 0) decimals, where prec = nd when prec > dp.
  const p = prec > dp ? nd : prec;
  const decimals = Math.max(p - dp, 0);
  let intPart: string;
  let fracPart: string;
  if (dp <= 0) {
    intPart = '0';
    fracPart = '0'.repeat(-dp) + d;
  } else {
    intPart = d.slice(0, dp).padEnd(dp, '0');
    fracPart = d.slice(dp);
  }
  fracPart = fracPart.padEnd(decimals, '0').slice(0, decimals);
  return sign + intPart + (decimals > 0 ? '.' + fracPart : '');
}
