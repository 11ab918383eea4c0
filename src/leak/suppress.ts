// Suppression files: one regular expression per line naming sites a team
// has judged bounded; `#` starts a comment. Suppressed candidates are
// reported apart, never dropped.

import { InputError } from '../profile/errors.ts';

export interface SuppressRule {
  pattern: string;
  re: RegExp;
}

export function parseSuppressions(text: string, source: string): SuppressRule[] {
  const out: SuppressRule[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    try {
      out.push({ pattern: line, re: new RegExp(line) });
    } catch (err) {
      throw new InputError(`${source}:${i + 1}`, `bad regular expression "${line}": ${(err as Error).message}`);
    }
  });
  return out;
}

/** The first rule matching any of the site's names, or null. */
export function matchSuppression(rules: readonly SuppressRule[], names: readonly string[]): SuppressRule | null {
  for (const r of rules) if (names.some((n) => r.re.test(n))) return r;
  return null;
}
