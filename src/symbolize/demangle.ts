// Demangling entry point: Itanium C++ (`_Z…`), Rust legacy (`_ZN…17h<hash>E`)
// and Rust v0 (`_R…`). Modes follow pprof's -symbolize=demangle=…:
// 'simple' (default: no parameters, no template arguments), 'templates'
// (keep template arguments), 'full' (everything), 'none'.

import { demangleItanium } from './demangle-itanium.ts';
import { demangleRustLegacy, demangleRustV0 } from './demangle-rust.ts';

const RUST_LEGACY_TAIL = /17h[0-9a-f]{16}E(\.|$)/;

export type DemangleMode = 'simple' | 'templates' | 'full' | 'none';

/** Demangles `name` per mode; returns it unchanged when it is not mangled or not understood. */
export function demangle(name: string, mode: DemangleMode = 'full'): string {
  if (mode === 'none') return name;
  let full: string | null = null;
  // Rust v0, possibly with a leading underscore from the platform or a suffix after '.'.
  if (name.startsWith('_R') || name.startsWith('__R')) {
    full = demangleRustV0(name, mode === 'simple');
  } else if (name.startsWith('_Z') || name.startsWith('__Z')) {
    // The cheap check first: most C++ names have no Rust hash.
    full = name.includes('17h') && RUST_LEGACY_TAIL.test(name) ? demangleRustLegacy(name) : null;
    if (full === null) {
      if (mode === 'full') full = demangleItanium(name);
      else {
        // pprof's simplified displays drop parameters (also of enclosing functions): do not even parse them.
        const n = demangleItanium(name, true, mode === 'simple');
        return n === null ? name : mode === 'simple' ? stripTemplates(n) : n;
      }
    }
  }
  // Rust: `<T as Trait>` paths are not template arguments; v0 generics were dropped while parsing.
  return full ?? name;
}

function stripTemplates(s: string): string {
  if (s.indexOf('<') < 0) return s;
  let out = '';
  let depth = 0;
  let keepFrom = 0; // start of the current run of kept characters
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 60 /* < */) {
      // operator<, operator<<, operator<=: not a template bracket.
      if (depth === 0 && isOperatorLess(s, i)) continue;
      if (depth === 0) out += s.slice(keepFrom, i);
      depth++;
    } else if (c === 62 /* > */ && depth > 0) {
      if (--depth === 0) keepFrom = i + 1;
    }
  }
  return depth === 0 ? out + s.slice(keepFrom) : out;
}

/** True when the '<' at i belongs to operator<, operator<< or operator<=. */
function isOperatorLess(s: string, i: number): boolean {
  let j = i;
  while (j > 0 && s[j - 1] === '<') j--;
  return i - j <= 1 && j >= 8 && s.startsWith('operator', j - 8);
}
