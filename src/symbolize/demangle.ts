// Demangling entry point: Itanium C++ (`_Z…`), Rust legacy (`_ZN…17h<hash>E`)
// and Rust v0 (`_R…`). Modes follow pprof's -symbolize=demangle=…:
// 'simple' (default: no parameters, no template arguments), 'templates'
// (keep template arguments), 'full' (everything), 'none'.

import { demangleItanium } from './demangle-itanium.ts';
import { demangleRustLegacy, demangleRustV0 } from './demangle-rust.ts';

export type DemangleMode = 'simple' | 'templates' | 'full' | 'none';

/** Demangles `name` per mode; returns it unchanged when it is not mangled or not understood. */
export function demangle(name: string, mode: DemangleMode = 'full'): string {
  if (mode === 'none') return name;
  let full: string | null = null;
  let rust = false;
  // Rust v0, possibly with a leading underscore from the platform or a suffix after '.'.
  if (name.startsWith('_R') || name.startsWith('__R')) {
    full = demangleRustV0(name, mode !== 'full');
    rust = full !== null;
  } else if (name.startsWith('_Z') || name.startsWith('__Z')) {
    full = demangleRustLegacy(name);
    rust = full !== null;
    if (full === null) full = demangleItanium(name);
  }
  if (full === null) return name;
  if (mode === 'full' || rust) return mode === 'simple' && rust ? stripTemplates(full) : full;
  return simplify(full, mode === 'simple');
}

/**
 * Drops the parameter list (and trailing qualifiers) of a demangled C++ name,
 * and with `noTemplates` its template arguments, the way pprof's simplified
 * display does.
 */
export function simplify(full: string, noTemplates: boolean): string {
  let s = dropParams(full);
  if (noTemplates) s = stripTemplates(s);
  // A leading return type ("int foo<int>") belongs to template functions only.
  return s;
}

function dropParams(s: string): string {
  // Find the '(' that opens the outermost parameter list: the last top-level '(' group.
  let depth = 0;
  let angle = 0;
  for (let i = s.length - 1; i >= 0; i--) {
    const c = s[i];
    if (c === ')') depth++;
    else if (c === '(') {
      depth--;
      if (depth === 0 && angle === 0) {
        // Skip "operator()" itself.
        if (s.slice(Math.max(0, i - 8), i) === 'operator' && s[i + 1] === ')') continue;
        return s.slice(0, i);
      }
    } else if (depth === 0 && c === '>') angle++;
    else if (depth === 0 && c === '<') angle--;
  }
  return s;
}

function stripTemplates(s: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '<') {
      // operator<, operator<<, operator<=: not a template bracket.
      if (depth === 0 && /operator<*=?$/.test(s.slice(0, i + 1))) { out += c; continue; }
      depth++;
    } else if (c === '>' && depth > 0) depth--;
    else if (depth === 0) out += c;
  }
  return out;
}
