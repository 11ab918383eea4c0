// The simple-mode scanner of Itanium C++ names.
//
// pprof's default display ('simple') shows only the outermost qualified
// name, without template arguments or parameters. Most names of a C++
// binary are nested names (`_ZN…E`) whose template arguments are ordinary
// types, so this scanner reads them without building nodes or strings for
// the arguments: it only counts the substitution candidates and template
// parameters the parser would record, to check `S<n>_` and `T<n>_`
// references the same way, and writes the name as the parser's
// drop-template-text mode followed by stripTemplates() would. Anything
// else (local names at the top, special names, conversion operators,
// malformed input…) makes it give up, and the parser takes the name from
// the start: whenever the scanner answers, the parser would have given the
// same text. (Checked when written on the ~210k C++ and Rust symbols of
// node, libstdc++, LLVM, clang, ICU and others in all three modes, and on
// ~3M mutations of them, references shifted to their limits included.)
//
// It runs once per distinct name in a fresh process, mostly before V8 has
// optimized it, where every operation and call counts: plain functions
// over (string, index) return the index after what they read (-1: give
// up), state lives in module variables rather than object fields, the
// common cases (source names, builtin types) are read inline rather than
// through a call, and little is allocated besides the output text.

import {
  BUILTIN, BUILTIN_D, OPS, OPERATOR_NAMES, SUBST_FULL, SUBST_SPECIAL,
  baseName, demangleItanium, isAnonymousNamespace, stripTemplates, withCloneSuffixes,
} from './demangle-itanium.ts';

/** Char codes of the one-letter builtin types (BUILTIN's keys), and of the `D?` ones. */
const IS_BUILTIN = new Uint8Array(128);
for (const k of Object.keys(BUILTIN)) IS_BUILTIN[k.charCodeAt(0)] = 1;
const IS_BUILTIN_D = new Uint8Array(128);
for (const k of Object.keys(BUILTIN_D)) IS_BUILTIN_D[k.charCodeAt(0)] = 1;
/** Char codes of the `S?` abbreviations other than St (Sa, Sb, Ss, Si, So, Sd). */
const IS_SUBST_SPECIAL = new Uint8Array(128);
for (const k of Object.keys(SUBST_SPECIAL)) if (k !== 't') IS_SUBST_SPECIAL[k.charCodeAt(0)] = 1;

/**
 * Nesting the scanner follows before it leaves a name to the parser. Every
 * recursion passes through a function that counts a level (types,
 * template-argument lists, expressions, local names), and a level is at
 * most two of the parser's guarded frames: the parser's own limit (400) is
 * never what decides a name the scanner answers, and the stack stays far
 * from overflowing.
 */
const SCAN_DEPTH = 100;

/** How many substitution candidates the parser would have recorded so far. */
let scanSubs = 0;
/** Length of the template-argument list `T<n>_` refers to (the parser's `tparams.length`). */
let scanTparams = 0;
let scanDepth = 0;
/** Set when a constructor or destructor took its name from the enclosing name (baseName()). */
let scanUsedBaseName = false;
// Out-values: the end of what a text-returning function read; the number of arguments
// skipTemplateArgs() read; whether the name skipName() read ends in template arguments
// (the parser's isTemplate).
let scanEnd = 0;
let scanArgCount = 0;
let scanLastTemplate = false;

/**
 * pprof's 'simple' display of an Itanium symbol: the outermost qualified
 * name without template arguments (nor parameters), then clone suffixes
 * and the symbol version; null when it is not understood. Equal to
 * stripTemplates(demangleItanium(sym, true, true)). `sym` starts with _Z or __Z.
 */
export function demangleItaniumSimple(sym: string): string | null {
  let s = sym;
  const at = s.indexOf('@');
  if (at > 0) s = s.slice(0, at);
  if (s.charCodeAt(1) === 95 /* _ */) s = s.slice(1); // __Z
  scanSubs = 0;
  scanTparams = 0;
  scanDepth = 0;
  scanUsedBaseName = false;
  let out = s.charCodeAt(2) === 78 /* N */ ? scanNestedName(s) : scanUnscopedName(s);
  if (out !== null) {
    // The parameters are not read: on to a clone suffix, if any.
    const dot = s.indexOf('.', scanEnd);
    if (dot >= 0) {
      out = withCloneSuffixes(s, dot, out);
      if (out === null) return null;
    }
    if (at > 0) out += sym.slice(at); // the symbol version
    // The scanner writes nothing for template arguments where the parser writes `<>` and
    // stripTemplates() removes it; the same result unless other text has angle brackets (or
    // a `<>` follows "operator", see scanNestedName()).
    if (out.indexOf('<') < 0 && !(scanUsedBaseName && out.indexOf('>') >= 0)) return out;
  }
  const n = demangleItanium(sym, true, true);
  return n === null ? null : stripTemplates(n);
}

/** True when `piece` ends with "operator": stripTemplates() would keep a `<` after it. */
function endsWithOperatorWord(piece: string): boolean {
  return piece.length >= 8 && piece.charCodeAt(piece.length - 1) === 114 /* r */ && piece.endsWith('operator');
}

/**
 * An unscoped outermost name: [St] <unqualified-name> [<template-args>]. (Z:
 * local names, T/G: special names, other S: substitutions; all left to the parser.)
 */
function scanUnscopedName(s: string): string | null {
  const c = s.charCodeAt(2);
  if (c === 90 /* Z */ || c === 84 /* T */ || c === 71 /* G */) return null;
  let i = 2;
  if (c === 83 /* S */) {
    if (s.charCodeAt(3) !== 116 /* t */) return null;
    i = 4;
  }
  const u = unqualifiedText(s, i, '');
  if (u === null) return null;
  i = scanEnd;
  if (s.charCodeAt(i) === 73 /* I */) {
    if (endsWithOperatorWord(u)) return null;
    scanSubs++; // the template's name
    scanEnd = skipTemplateArgs(s, i);
    if (scanEnd < 0) return null;
  }
  return c === 83 ? 'std::' + u : u;
}

/** The outermost <nested-name> `_ZN…E` as text, without template arguments; scanEnd after it. */
function scanNestedName(s: string): string | null {
  let i = 3;
  let c = s.charCodeAt(i);
  if (c === 114 /* r */ || c === 86 /* V */ || c === 75 /* K */ || c === 82 /* R */ || c === 79 /* O */) {
    // cv- and ref-qualifiers (not printed).
    i = skipQualifiers(s, i);
    c = s.charCodeAt(i);
  }
  let prefix = '';
  let piece = ''; // the last component's text
  for (let first = true; ; first = false) {
    if (c >= 48 && c <= 57) {
      // <source-name>, the usual component.
      let len = c - 48;
      c = s.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        len = len * 10 + (c - 48);
        c = s.charCodeAt(++i);
      }
      const end = i + len;
      if (len === 0 || end > s.length) return null;
      piece = c === 95 /* _ */ && isAnonymousNamespace(s, i, len) ? '(anonymous namespace)' : s.slice(i, end);
      i = end;
      c = s.charCodeAt(i);
      if (c === 66 /* B */) {
        const tagged = withAbiTags(s, i, piece);
        if (tagged === null) return null;
        piece = tagged;
        i = scanEnd;
        c = s.charCodeAt(i);
      }
      prefix = prefix === '' ? piece : prefix + '::' + piece;
      if (c !== 69 /* E */) scanSubs++;
    } else if (c === 69 /* E */) {
      scanEnd = i + 1;
      return prefix;
    } else if (c === 73 /* I */) {
      // Template arguments, not printed. (stripTemplates() keeps a `<` that follows "operator".)
      if (first || endsWithOperatorWord(piece)) return null;
      i = skipTemplateArgs(s, i);
      if (i < 0) return null;
      scanTparams = scanArgCount;
      piece = '';
      c = s.charCodeAt(i);
      if (c !== 69 /* E */) scanSubs++;
    } else if (first && c === 83 /* S */) {
      // std:: names: St <unqualified-name>, or Sa, Sb, Ss, Si, So, Sd.
      const d = s.charCodeAt(i + 1);
      if (d === 116 /* t */) {
        const u = unqualifiedText(s, i + 2, '');
        if (u === null) return null;
        piece = u;
        prefix = 'std::' + u;
        i = scanEnd;
        c = s.charCodeAt(i);
        if (c !== 69 /* E */) scanSubs++;
        continue;
      }
      // (S_, S<n>_: nothing precedes the outermost name to refer to.)
      if (IS_SUBST_SPECIAL[d] !== 1) return null;
      const code = s[i + 1];
      i += 2;
      c = s.charCodeAt(i);
      // Before a constructor or destructor, the parser writes std::string & co. in their
      // full template form (which this does not strip): left to it.
      if ((c === 67 /* C */ || c === 68 /* D */) && SUBST_FULL[code] !== undefined) return null;
      piece = prefix = SUBST_SPECIAL[code]; // (a substitution is not a new candidate)
    } else {
      // Constructors, destructors, operators, internal-linkage names. (M, T, Dt
      // prefixes and everything else make unqualifiedText give up.)
      const u = unqualifiedText(s, i, prefix);
      if (u === null) return null;
      piece = u;
      prefix = prefix === '' ? u : prefix + '::' + u;
      i = scanEnd;
      c = s.charCodeAt(i);
      if (c !== 69 /* E */) scanSubs++;
    }
  }
}

/**
 * After a nested name's cv- and ref-qualifiers at s[i], in the one order
 * the parser accepts: [r] [V] [K] [R | O].
 */
function skipQualifiers(s: string, i: number): number {
  // Each step adds 0 or 1 rather than branching: optimized code has then seen every
  // step run, and does not deoptimize on the first rare qualifier.
  i += s.charCodeAt(i) === 114 /* r */ ? 1 : 0;
  i += s.charCodeAt(i) === 86 /* V */ ? 1 : 0;
  i += s.charCodeAt(i) === 75 /* K */ ? 1 : 0;
  const c = s.charCodeAt(i);
  return i + (c === 82 /* R */ || c === 79 /* O */ ? 1 : 0);
}

/**
 * <unqualified-name> at s[i] as text, scanEnd after it: a source name, C1–C5 /
 * D0–D5 (named after `enclosing`, the qualified name they belong to), an
 * `L` internal-linkage name or an operator, with ABI tags. (CI inheriting
 * constructors, DC structured bindings, U lambdas and unnamed types, and
 * cv/li/v operators are left to the parser.)
 */
function unqualifiedText(s: string, i: number, enclosing: string): string | null {
  const c = s.charCodeAt(i);
  let text: string;
  if ((c >= 48 && c <= 57) || c === 76 /* L */) {
    const start = c === 76 ? i + 1 : i;
    const end = skipSourceName(s, start);
    if (end < 0) return null;
    text = sourceNameText(s, start, end);
    i = end;
    if (c === 76 && s.charCodeAt(i) === 95 /* _ */) {
      i = skipDiscriminator(s, i);
      if (i < 0) return null;
    }
  } else if (c === 67 /* C */ || c === 68 /* D */) {
    const d = s.charCodeAt(i + 1);
    if (d < (c === 67 ? 49 : 48) || d > 53) return null;
    i += 2;
    text = c === 67 ? baseName(enclosing) : '~' + baseName(enclosing);
    scanUsedBaseName = true;
  } else {
    const op = OPERATOR_NAMES.get(s.slice(i, i + 2));
    if (op === undefined) return null;
    i += 2;
    text = op;
  }
  if (s.charCodeAt(i) === 66 /* B */) return withAbiTags(s, i, text);
  scanEnd = i;
  return text;
}

/** `text` with the ABI tags (B<source-name>…) at s[i] appended; scanEnd after them. */
function withAbiTags(s: string, i: number, text: string): string | null {
  while (s.charCodeAt(i) === 66 /* B */) {
    const end = skipSourceName(s, i + 1);
    if (end < 0) return null;
    text += `[abi:${sourceNameText(s, i + 1, end)}]`;
    i = end;
  }
  scanEnd = i;
  return text;
}

/** The index after the digits at s[i] (i itself when there are none). */
function skipDigits(s: string, i: number): number {
  let c = s.charCodeAt(i);
  while (c >= 48 && c <= 57) c = s.charCodeAt(++i);
  return i;
}

/** <source-name> (length, identifier) at s[i]: the index after it, or -1. */
function skipSourceName(s: string, i: number): number {
  let c = s.charCodeAt(i);
  if (c < 48 || c > 57) return -1;
  let len = 0;
  do {
    len = len * 10 + (c - 48);
    c = s.charCodeAt(++i);
  } while (c >= 48 && c <= 57);
  const end = i + len;
  return len === 0 || end > s.length ? -1 : end;
}

/** Text of the <source-name> s[start, end) (as skipSourceName() found it): its identifier. */
function sourceNameText(s: string, start: number, end: number): string {
  const i = skipDigits(s, start);
  return isAnonymousNamespace(s, i, end - i) ? '(anonymous namespace)' : s.slice(i, end);
}


/** The parser's discriminator(): `_<digit>`, `__<number>_`, or a lone `_`, at s[i] === '_'. */
function skipDiscriminator(s: string, i: number): number {
  let c = s.charCodeAt(++i);
  if (c >= 48 && c <= 57) return i + 1;
  if (c !== 95 /* _ */) return i;
  c = s.charCodeAt(++i);
  if (c < 48 || c > 57) return -1;
  i = skipDigits(s, i);
  return s.charCodeAt(i) === 95 ? i + 1 : -1;
}

/** <seq-id> `_` at s[i] (after the S or T): the index after it, or -1 unless the id is below `limit`. */
function skipSeqId(s: string, i: number, limit: number): number {
  let c = s.charCodeAt(i);
  if (c === 95 /* _ */) return limit > 0 ? i + 1 : -1;
  let v = 0;
  for (;;) {
    if (c >= 48 && c <= 57) v = v * 36 + (c - 48);
    else if (c >= 65 && c <= 90) v = v * 36 + (c - 55);
    else return c === 95 && v + 1 < limit ? i + 1 : -1;
    c = s.charCodeAt(++i);
  }
}

/**
 * <template-args> at s[i] === 'I', or an argument pack's J…E: the index
 * after them, or -1; their number in scanArgCount.
 */
function skipTemplateArgs(s: string, i: number): number {
  if (++scanDepth > SCAN_DEPTH) return -1;
  i++;
  let n = 0;
  for (let c = s.charCodeAt(i); c !== 69 /* E */; c = s.charCodeAt(i)) {
    if (IS_BUILTIN[c] === 1) i++; // the most common argument, read without a call
    else if (c === 76 /* L */) i = skipExprPrimary(s, i);
    else if (c === 74 /* J */) i = skipTemplateArgs(s, i); // an argument pack: one argument
    else if (c === 88 /* X */) {
      i = skipExpression(s, i + 1);
      i = i >= 0 && s.charCodeAt(i) === 69 /* E */ ? i + 1 : -1;
    } else i = skipType(s, i);
    if (i < 0) return -1;
    n++;
  }
  scanDepth--;
  scanArgCount = n;
  return i + 1;
}

/** <expr-primary> at `L`: <type> <value> E, or L_Z <encoding> E (LZ… is left to the parser). */
function skipExprPrimary(s: string, i: number): number {
  const d = s.charCodeAt(i + 1);
  if (d === 95 /* _ */ && s.charCodeAt(i + 2) === 90 /* Z */) {
    i = skipEncoding(s, i + 3);
    return i >= 0 && s.charCodeAt(i) === 69 /* E */ ? i + 1 : -1;
  }
  if (d === 90 /* Z */) return -1;
  i = skipType(s, i + 1);
  if (i < 0) return -1;
  const e = s.indexOf('E', i);
  return e < 0 ? -1 : e + 1;
}

/**
 * The operands of each operator code as expression() reads them through
 * OPS (st, at, cl and pt, which it reads otherwise, are left to the parser).
 */
const EXPR_ARITY = new Map<string, number>();
for (const [code, [, arity]] of Object.entries(OPS)) if (code !== 'st' && code !== 'at' && code !== 'cl' && code !== 'pt') EXPR_ARITY.set(code, arity);

/**
 * <expression>, the kinds template arguments use most: literals and
 * external names, template parameters, names, `sr` qualified names and
 * operators. Unlike types, none of these records a candidate of its own.
 */
function skipExpression(s: string, i: number): number {
  if (++scanDepth > SCAN_DEPTH) return -1;
  const c = s.charCodeAt(i);
  if (c === 76 /* L */) i = skipExprPrimary(s, i);
  else if (c === 84 /* T */) i = skipSeqId(s, i + 1, scanTparams);
  else if ((c >= 48 && c <= 57) || (c === 115 /* s */ && s.charCodeAt(i + 1) === 114 /* r */)) {
    if (c === 115) i = skipType(s, i + 2);
    if (i >= 0) i = skipUnqualified(s, i);
    if (i >= 0 && s.charCodeAt(i) === 73 /* I */) i = skipTemplateArgs(s, i);
  } else {
    const arity = EXPR_ARITY.get(s.slice(i, i + 2));
    if (arity === undefined) return -1;
    i += 2;
    for (let k = 0; k < arity && i >= 0; k++) i = skipExpression(s, i);
  }
  scanDepth--;
  return i;
}

/**
 * An <encoding> inside a name (of a local name, or an external name in a
 * template argument), as the parser's encoding(false) reads it: a name,
 * then types up to `E`, `.` or the end; its template parameters end with it.
 */
function skipEncoding(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 84 /* T */ || c === 71 /* G */) return -1; // special names
  const saveTparams = scanTparams;
  i = skipName(s, i);
  if (i < 0) return -1;
  const isTemplate = scanLastTemplate;
  let types = 0;
  for (let d = s.charCodeAt(i); i < s.length && d !== 69 /* E */ && d !== 46 /* . */; d = s.charCodeAt(i)) {
    i = skipType(s, i);
    if (i < 0) return -1;
    types++;
  }
  // A template function's first type is its return type (unless it is a constructor, destructor
  // or conversion, which this does not tell apart): the parser then needs a parameter after it.
  if (isTemplate && types === 1) return -1;
  scanTparams = saveTparams;
  return i;
}

/** A <name> without text, as the parser's name() reads it (which sets tparams, as this does scanTparams). */
function skipName(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === 78 /* N */) return skipNestedName(s, i);
  if (c === 90 /* Z */) {
    if (++scanDepth > SCAN_DEPTH) return -1;
    i = skipLocalName(s, i);
    scanDepth--;
    return i;
  }
  if (c === 83 /* S */ && s.charCodeAt(i + 1) !== 116 /* t */) {
    // A substitution is a name only with template arguments (and is no new candidate).
    i = skipSubstitution(s, i);
    if (i < 0 || s.charCodeAt(i) !== 73 /* I */) return -1;
  } else {
    i = skipUnqualified(s, c === 83 ? i + 2 : i);
    if (i < 0) return -1;
    if (s.charCodeAt(i) !== 73 /* I */) {
      scanLastTemplate = false;
      return i;
    }
    scanSubs++; // the template's name
  }
  i = skipTemplateArgs(s, i);
  scanTparams = scanArgCount;
  scanLastTemplate = true;
  return i;
}

/** Z <encoding> E <entity> [<discriminator>]: a local name, at its `Z`. */
function skipLocalName(s: string, i: number): number {
  i = skipEncoding(s, i + 1);
  if (i < 0 || s.charCodeAt(i) !== 69 /* E */) return -1;
  let c = s.charCodeAt(++i);
  if (c === 115 /* s: string literal */) {
    scanLastTemplate = false;
    return s.charCodeAt(i + 1) === 95 /* _ */ ? skipDiscriminator(s, i + 1) : i + 1;
  }
  if (c === 100 /* d: default argument, d [<number>] _ */) {
    c = s.charCodeAt(++i);
    if (c !== 95) {
      if (c < 48 || c > 57) return -1;
      i = skipDigits(s, i);
      if (s.charCodeAt(i) !== 95) return -1;
    }
    i++;
  }
  i = skipName(s, i);
  return i >= 0 && s.charCodeAt(i) === 95 /* _ */ ? skipDiscriminator(s, i) : i;
}

/** <type> at s[i], counting the candidates the parser's type1() records: the index after it, or -1. */
function skipType(s: string, i: number): number {
  let c = s.charCodeAt(i);
  if (IS_BUILTIN[c] === 1) return i + 1; // not a candidate
  // Pointers, references, cv-qualifiers (r?V?K? in that order, one at a time) and
  // _Complex/_Imaginary around the type: each makes a candidate once the type inside is read.
  let wrappers = 0;
  for (;;) {
    if (c === 80 /* P */ || c === 82 /* R */ || c === 79 /* O */ || c === 67 /* C */ || c === 71 /* G */) i++;
    else if (c === 114 /* r */ || c === 86 /* V */ || c === 75 /* K */) i = skipCvQualifiers(s, i);
    else break;
    wrappers++;
    c = s.charCodeAt(i);
  }
  scanDepth += wrappers + 1;
  if (scanDepth > SCAN_DEPTH) return -1;
  let j: number;
  let candidates = 1;
  if (c === 78 /* N */) {
    // A nested name; its template parameters end with it.
    const save = scanTparams;
    j = skipNestedName(s, i);
    scanTparams = save;
  } else if (c === 90 /* Z */ || (c >= 48 && c <= 57) || (c === 83 /* S */ && s.charCodeAt(i + 1) === 116 /* t */)) {
    // Another name.
    const save = scanTparams;
    j = skipName(s, i);
    scanTparams = save;
  } else if (c === 83 /* S */) {
    // A substitution is a candidate already; with template arguments it makes a new one.
    j = skipSubstitution(s, i);
    if (j >= 0 && s.charCodeAt(j) === 73 /* I */) j = skipTemplateArgs(s, j);
    else candidates = 0;
  } else if (c === 84 /* T */) {
    // A template parameter (a candidate), maybe with arguments (another).
    j = skipSeqId(s, i + 1, scanTparams);
    if (j >= 0 && s.charCodeAt(j) === 73 /* I */) {
      scanSubs++;
      j = skipTemplateArgs(s, j);
    }
  } else if (IS_BUILTIN[c] === 1) {
    j = i + 1;
    candidates = 0;
  } else {
    j = skipOtherType(s, i, c);
    candidates = 0; // (counted there)
  }
  scanDepth -= wrappers + 1;
  if (j < 0) return -1;
  scanSubs += candidates + wrappers;
  return j;
}

/** The parser's cvQualifiers(): [r] [V] [K] at s[i]. */
function skipCvQualifiers(s: string, i: number): number {
  if (s.charCodeAt(i) === 114 /* r */) i++;
  if (s.charCodeAt(i) === 86 /* V */) i++;
  if (s.charCodeAt(i) === 75 /* K */) i++;
  return i;
}

/** The rarer types: function, array and member pointer types, pack expansions, D… builtins, vendor types. */
function skipOtherType(s: string, i: number, c: number): number {
  let j: number;
  switch (c) {
    case 70: /* F */
      j = skipFunctionType(s, i);
      break;
    case 68: { /* D */
      const d = s.charCodeAt(i + 1);
      if (IS_BUILTIN_D[d] === 1) return i + 2; // not a candidate
      if (d === 112 /* p: pack expansion */) j = skipType(s, i + 2);
      else if (d === 120 /* x */ || d === 111 /* o: noexcept function type */) j = skipFunctionType(s, i + 2);
      else return -1;
      break;
    }
    case 65: /* A: array with a numeric dimension (an expression is left to the parser) */
      j = skipDigits(s, i + 1);
      j = s.charCodeAt(j) === 95 /* _ */ ? skipType(s, j + 1) : -1;
      break;
    case 77: /* M: pointer to member */
      j = skipType(s, i + 1);
      if (j >= 0) j = skipType(s, j);
      break;
    case 117: /* u: vendor type */
      j = skipSourceName(s, i + 1);
      break;
    default:
      return -1;
  }
  if (j >= 0) scanSubs++;
  return j;
}

/** A <nested-name> without text, at its `N`; sets scanLastTemplate and, after template arguments, scanTparams. */
function skipNestedName(s: string, i: number): number {
  let c = s.charCodeAt(++i);
  if (c === 114 /* r */ || c === 86 /* V */ || c === 75 /* K */ || c === 82 /* R */ || c === 79 /* O */) {
    i = skipQualifiers(s, i);
    c = s.charCodeAt(i);
  }
  let isTemplate = false;
  for (let first = true; ; first = false) {
    if (c >= 48 && c <= 57) {
      // <source-name>, the usual component.
      i = skipSourceName(s, i);
      if (i < 0) return -1;
      c = s.charCodeAt(i);
      while (c === 66 /* B: ABI tag */) {
        i = skipSourceName(s, i + 1);
        if (i < 0) return -1;
        c = s.charCodeAt(i);
      }
      isTemplate = false;
    } else if (c === 69 /* E */) {
      scanLastTemplate = isTemplate;
      return i + 1;
    } else if (c === 73 /* I */) {
      if (first) return -1;
      i = skipTemplateArgs(s, i);
      if (i < 0) return -1;
      scanTparams = scanArgCount;
      isTemplate = true;
      c = s.charCodeAt(i);
    } else if (first && c === 83 /* S */) {
      isTemplate = false;
      if (s.charCodeAt(i + 1) !== 116 /* t */) {
        i = skipSubstitution(s, i);
        if (i < 0) return -1;
        c = s.charCodeAt(i);
        continue; // not a new candidate
      }
      i = skipUnqualified(s, i + 2);
      if (i < 0) return -1;
      c = s.charCodeAt(i);
    } else if (first && c === 84 /* T */) {
      isTemplate = false;
      i = skipSeqId(s, i + 1, scanTparams);
      if (i < 0) return -1;
      scanSubs++; // always a candidate
      c = s.charCodeAt(i);
      continue;
    } else {
      isTemplate = false;
      i = skipUnqualified(s, i);
      if (i < 0) return -1;
      c = s.charCodeAt(i);
    }
    if (c !== 69 /* E */) scanSubs++;
  }
}

/**
 * <unqualified-name> without its text: what unqualifiedText() accepts, and
 * Ut unnamed types and Ul lambdas (whose parameter types are read here).
 */
function skipUnqualified(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) i = skipSourceName(s, i);
  else if (c === 67 /* C */ || c === 68 /* D */) {
    const d = s.charCodeAt(i + 1);
    if (d < (c === 67 ? 49 : 48) || d > 53) return -1;
    i += 2;
  } else if (c === 76 /* L */) {
    i = skipSourceName(s, i + 1);
    if (i >= 0 && s.charCodeAt(i) === 95 /* _ */) i = skipDiscriminator(s, i);
  } else if (c === 85 /* U */) {
    i = skipUnnamedType(s, i);
  } else {
    if (!OPERATOR_NAMES.has(s.slice(i, i + 2))) return -1;
    i += 2;
  }
  while (i >= 0 && s.charCodeAt(i) === 66 /* B */) i = skipSourceName(s, i + 1);
  return i;
}

/** Ut [<number>] _ or Ul <parameter types> E [<number>] _, at the `U`. */
function skipUnnamedType(s: string, i: number): number {
  const kind = s.charCodeAt(i + 1);
  i += 2;
  if (kind === 108 /* l */) {
    // A generic lambda's template parameters are its `auto` parameters: the parser allows 16.
    const save = scanTparams;
    scanTparams = 16;
    for (let c = s.charCodeAt(i); c !== 69 /* E */; c = s.charCodeAt(i)) {
      if (c === 84 /* T */) {
        const d = s.charCodeAt(i + 1);
        if (d === 121 /* y */ || d === 110 /* n */ || d === 116 /* t */ || d === 112 /* p */) return -1;
      }
      i = skipType(s, i);
      if (i < 0) return -1;
    }
    scanTparams = save;
    i++;
  } else if (kind !== 116 /* t */) return -1;
  // The number: _ alone, or digits and _.
  let c = s.charCodeAt(i);
  if (c !== 95 /* _ */) {
    if (c < 48 || c > 57) return -1;
    i = skipDigits(s, i);
    c = s.charCodeAt(i);
  }
  return c === 95 ? i + 1 : -1;
}

/** S_, S<seq-id>_ or Sa/Sb/Ss/Si/So/Sd at s[i]; checks the reference like the parser. */
function skipSubstitution(s: string, i: number): number {
  const c = s.charCodeAt(++i);
  if (IS_SUBST_SPECIAL[c] === 1) return i + 1;
  return skipSeqId(s, i, scanSubs);
}

/** F [Y] <return type> <parameter types> [R|O] E at s[i]. */
function skipFunctionType(s: string, i: number): number {
  if (s.charCodeAt(i) !== 70 /* F */) return -1;
  if (s.charCodeAt(++i) === 89 /* Y */) i++;
  i = skipType(s, i);
  for (;;) {
    if (i < 0) return -1;
    const c = s.charCodeAt(i);
    if (c === 69 /* E */) return i + 1;
    if ((c === 82 /* R */ || c === 79 /* O */) && s.charCodeAt(i + 1) === 69) return i + 2;
    i = skipType(s, i);
  }
}

