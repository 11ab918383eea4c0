// Demangling entry point: Itanium C++ (`_Z…`), Rust legacy (`_ZN…17h<hash>E`)
// and Rust v0 (`_R…`). Modes follow pprof's -symbolize=demangle=…:
// 'simple' (default: no parameters, no template arguments), 'templates'
// (keep template arguments), 'full' (everything), 'none'.

import { demangleItanium } from './demangle-itanium.ts';
import { demangleItaniumSimple } from './demangle-itanium-simple.ts';
import { demangleRustLegacy, demangleRustV0 } from './demangle-rust.ts';

const RUST_LEGACY_TAIL = /17h[0-9a-f]{16}E(\.|$)/;

export type DemangleMode = 'simple' | 'templates' | 'full' | 'none';

/** Demangles `name` per mode; returns it unchanged when it is not mangled or not understood. */
export function demangle(name: string, mode: DemangleMode = 'full'): string {
  // Every mangling handled here starts with _Z, __Z, _R or __R.
  if (mode === 'none' || name.charCodeAt(0) !== 95 /* _ */) return name;
  let c = name.charCodeAt(1);
  if (c === 95 /* _ */) c = name.charCodeAt(2);
  // Rust v0, possibly with a suffix after '.'; its generics are dropped while parsing.
  if (c === 82 /* R */) return demangleRustV0(name, mode === 'simple') ?? name;
  if (c !== 90 /* Z */) return name;
  // Rust legacy names are Itanium ones ending in a hash; the cheap check first. (`<T as Trait>`
  // in them is not a template argument.)
  if (name.includes('17h') && RUST_LEGACY_TAIL.test(name)) {
    const rust = demangleRustLegacy(name);
    if (rust !== null) return rust;
  }
  // pprof's simplified displays drop parameters (also of enclosing functions): they are not even parsed.
  const cxx = mode === 'simple' ? demangleItaniumSimple(name) : mode === 'templates' ? demangleItanium(name, true) : demangleItanium(name);
  return cxx ?? name;
}
