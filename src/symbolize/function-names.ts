// pprof's last symbolization step, applied to every function whose display
// name is still its system name: demangle it, or, when it already looks
// like demangled C++ (`ns::Class<T>::f(int)`), simplify it the way the
// chosen demangle mode would (drop parameters and template arguments).
// go tool pprof runs this on every profile unless -symbolize=none, so
// reports must too to print the same names.

import type { Profile } from '../profile/model.ts';
import { demangle, type DemangleMode } from './demangle.ts';

/** Returns `p` with simplified function names; `p` itself when nothing changes. */
export function simplifyFunctionNames(p: Profile, mode: DemangleMode, force: boolean): Profile {
  const F = p.functions;
  let names: string[] | null = null;
  for (let i = 0; i < F.length; i++) {
    const sys = F.systemName[i];
    let name = F.name[i];
    // -symbolize=force drops earlier demangling so the mode chosen now applies.
    if (force && name !== '' && sys !== '') name = sys;
    if (name !== sys) continue;
    const simplified = simplifyName(sys, mode);
    if (simplified !== F.name[i]) {
      names ??= F.name.slice();
      names[i] = simplified;
    }
  }
  if (names === null) return p;
  return { ...p, functions: { ...F, name: names } };
}

function simplifyName(sys: string, mode: DemangleMode): string {
  const d = demangle(sys, mode);
  if (d !== sys) return d;
  if (mode === 'none' || mode === 'full' || !looksLikeDemangledCPlusPlus(sys)) return sys;
  let name = removeMatching(sys, '(', ')');
  if (mode === 'simple') name = removeMatching(name, '<', '>');
  return name;
}

function looksLikeDemangledCPlusPlus(name: string): boolean {
  // One pass over the characters (this runs for every plain C name of a binary): any of `<>[]`
  // or a `::`, but not Java's `class.<init>`.
  let found = false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 60 /* < */) {
      if (i > 0 && name.charCodeAt(i - 1) === 46 /* . */) return false;
      found = true;
    } else if (c === 62 /* > */ || c === 91 /* [ */ || c === 93 /* ] */) found = true;
    else if (c === 58 /* : */ && name.charCodeAt(i + 1) === 58) found = true;
  }
  return found;
}

/** Removes nested `open … close` spans; gives up (returns the input) on a stray `close`. */
function removeMatching(name: string, open: string, close: string): string {
  let depth = 0;
  let first = 0;
  let out = name;
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (c === open) {
      if (++depth === 1) first = i;
    } else if (c === close) {
      depth--;
      if (depth < 0) return out;
      if (depth === 0) {
        out = out.slice(0, first) + out.slice(i + 1);
        i = first - 1;
      }
    }
  }
  return out;
}
