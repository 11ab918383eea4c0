// Command-line flags with Go's rules, because users type pprof's spelling:
// `-http=:8080`, `-top`, `--seconds 30`, `-trim=false`. No npm parser
// handles these as typed (see the design notes), so the table below is ours.
//
// Rules: one or two dashes; `-name=value` or `-name value` for non-booleans;
// a boolean takes a value only with `=` (pprof's stringToBool spellings);
// flags and positional arguments may be interleaved; `--` ends the flags; a
// lone `-` is positional (stdin).

import { UsageError } from '../profile/errors.ts';

export type FlagType = 'bool' | 'string' | 'number' | 'list';

export interface FlagSpec {
  name: string;
  type: FlagType;
  default?: boolean | string | number | string[];
  help: string;
  /** Other spellings, e.g. `o` for `output`. */
  aliases?: string[];
  /** Placeholder for the value in usage text. */
  arg?: string;
}

export interface ParsedFlags {
  values: Record<string, unknown>;
  positional: string[];
  /** Canonical names of the flags the user gave, in order of first appearance. */
  given: Set<string>;
  /** Flags in the order given, with their raw values (for options that depend on order). */
  order: Array<{ name: string; value: unknown }>;
}

const TRUE = new Set(['', 't', 'true', 'y', 'yes', '1']);
const FALSE = new Set(['f', 'false', 'n', 'no', '0']);

export function parseBool(name: string, raw: string): boolean {
  const v = raw.toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  throw new UsageError(`invalid boolean value "${raw}" for -${name}`);
}

export function parseFlags(args: readonly string[], specs: readonly FlagSpec[]): ParsedFlags {
  const byName = new Map<string, FlagSpec>();
  for (const s of specs) {
    byName.set(s.name, s);
    for (const a of s.aliases ?? []) byName.set(a, s);
  }
  const values: Record<string, unknown> = {};
  for (const s of specs) {
    if (s.type === 'list') values[s.name] = Array.isArray(s.default) ? [...s.default] : [];
    else if (s.default !== undefined) values[s.name] = s.default;
    else values[s.name] = s.type === 'bool' ? false : s.type === 'number' ? 0 : '';
  }
  const positional: string[] = [];
  const given = new Set<string>();
  const order: ParsedFlags['order'] = [];

  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    if (arg.length < 2 || arg[0] !== '-') {
      positional.push(arg);
      continue;
    }
    const body = arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
    const eq = body.indexOf('=');
    const name = eq >= 0 ? body.slice(0, eq) : body;
    const spec = byName.get(name);
    if (!spec) {
      throw new UsageError(`unknown flag -${name}`, 'Run with -h for the list of flags.');
    }
    let value: unknown;
    if (spec.type === 'bool') {
      value = eq >= 0 ? parseBool(name, body.slice(eq + 1)) : true;
    } else {
      let raw: string;
      if (eq >= 0) raw = body.slice(eq + 1);
      else {
        if (i + 1 >= args.length) throw new UsageError(`flag -${name} needs a value`, `Usage: -${spec.name}=${spec.arg ?? 'value'}`);
        raw = args[++i];
      }
      if (spec.type === 'number') {
        const n = Number(raw);
        if (raw.trim() === '' || !Number.isFinite(n)) throw new UsageError(`invalid value "${raw}" for -${name}: want a number`);
        value = n;
      } else {
        value = raw;
      }
    }
    if (spec.type === 'list') (values[spec.name] as string[]).push(value as string);
    else values[spec.name] = value;
    given.add(spec.name);
    order.push({ name: spec.name, value });
  }
  return { values, positional, given, order };
}

/** Usage text: one line per flag, aligned. */
export function formatUsage(title: string, specs: readonly FlagSpec[]): string {
  const rows = specs.map((s) => {
    const left = `  -${s.name}${s.type === 'bool' ? '' : `=${s.arg ?? (s.type === 'number' ? 'N' : 'value')}`}`;
    const def = s.default !== undefined && s.default !== '' && s.default !== false && !(Array.isArray(s.default) && s.default.length === 0)
      ? ` (default ${Array.isArray(s.default) ? s.default.join(',') : String(s.default)})`
      : '';
    return [left, `${s.help}${def}`];
  });
  const width = Math.min(34, Math.max(...rows.map((r) => r[0].length)) + 2);
  const lines = rows.map(([l, r]) => (l.length + 2 > width ? `${l}\n${' '.repeat(width)}${r}` : `${l.padEnd(width)}${r}`));
  return `${title}\n\nFlags:\n${lines.join('\n')}\n`;
}

/** The value of a flag that takes one of a few words; a usage error otherwise. */
export function oneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): T {
  const v = String(value);
  if ((allowed as readonly string[]).includes(v)) return v as T;
  const words = allowed.filter((a) => a !== '');
  const list = words.length > 1 ? `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}` : words[0];
  throw new UsageError(`--${name}=${v}: want ${list}`);
}
