// Line reading and small parsing helpers with the semantics of the Go code
// the legacy formats were defined by (bufio.Scanner, strconv).

import { InputError } from '../errors.ts';

/**
 * A line cursor like Go's bufio.Scanner over ScanLines: lines split on
 * '\n' with one trailing '\r' dropped; a last line without '\n' counts;
 * after scan() returns false, text() is ''.
 */
export class LineScanner {
  private readonly lines: string[];
  private i = -1;
  constructor(text: string) {
    const lines = text.split('\n');
    if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    this.lines = lines.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  }
  scan(): boolean {
    if (this.i < this.lines.length) this.i++;
    return this.i < this.lines.length;
  }
  text(): string {
    return this.i >= 0 && this.i < this.lines.length ? this.lines[this.i] : '';
  }
  /** 1-based number of the current line, for messages. */
  lineNumber(): number {
    return this.i + 1;
  }
}

/** Go's strings.TrimSpace for ASCII whitespace. */
export function trimSpace(s: string): string {
  return s.replace(/^[\t\n\v\f\r ]+|[\t\n\v\f\r ]+$/g, '');
}

export function isSpaceOrComment(line: string): boolean {
  const t = trimSpace(line);
  return t.length === 0 || t[0] === '#';
}

const MEMORY_MAP_SENTINELS = ['--- Memory map: ---', 'MAPPED_LIBRARIES:'];

export function isMemoryMapSentinel(line: string): boolean {
  return MEMORY_MAP_SENTINELS.some((s) => line.includes(s));
}

const U64_MAX = (1n << 64n) - 1n;

/** strconv.ParseUint(s, 0, 64): decimal, 0x hex, 0 octal, 0b binary; null when invalid. */
export function parseUint64(s: string): bigint | null {
  let digits = s;
  let radix = 10;
  if (/^0[xX]/.test(s)) {
    digits = s.slice(2);
    radix = 16;
  } else if (/^0[bB]/.test(s)) {
    digits = s.slice(2);
    radix = 2;
  } else if (/^0[oO]/.test(s)) {
    digits = s.slice(2);
    radix = 8;
  } else if (s.length > 1 && s[0] === '0') {
    digits = s.slice(1);
    radix = 8;
  }
  digits = digits.replaceAll('_', '');
  const re = radix === 16 ? /^[0-9a-fA-F]+$/ : radix === 8 ? /^[0-7]+$/ : radix === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!re.test(digits)) return null;
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : radix === 2 ? '0b' : '';
  const v = BigInt(prefix + digits);
  return v > U64_MAX ? null : v;
}

/** strconv.ParseInt(s, base, 64) as a number; null when invalid or out of int64. */
export function parseInt64(s: string, base: 0 | 10 = 10): number | null {
  const neg = s.startsWith('-');
  const body = neg || s.startsWith('+') ? s.slice(1) : s;
  let v: bigint | null;
  if (base === 10) v = /^[0-9]+$/.test(body) ? BigInt(body) : null;
  else v = parseUint64(body);
  if (v === null) return null;
  if (v > (neg ? 1n << 63n : (1n << 63n) - 1n)) return null;
  return Number(neg ? -v : v);
}

/** All `0x…` numbers in a string as addresses; throws when one exceeds 64 bits. */
export function parseHexAddresses(s: string, source: string, line: string): bigint[] {
  const out: bigint[] = [];
  for (const m of s.matchAll(/0x[0-9a-f]+/g)) {
    const v = parseUint64(m[0]);
    if (v === null) throw malformed(source, `address ${m[0]} does not fit in 64 bits`, line);
    out.push(v);
  }
  return out;
}

/** An InputError quoting the offending line, kept short. */
export function malformed(source: string, problem: string, line?: string): InputError {
  if (line === undefined) return new InputError(source, `malformed legacy profile: ${problem}`);
  const quoted = line.length > 60 ? `${line.slice(0, 57)}...` : line;
  return new InputError(source, `malformed legacy profile: ${problem}: "${quoted}"`);
}

/** Go's int64(float64) conversion for the values pprof computes: truncation toward zero. */
export function truncInt(x: number): number {
  return Math.trunc(x);
}
