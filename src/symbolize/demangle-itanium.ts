// Itanium C++ ABI demangler (the `_Z…` names of GCC and Clang), written for
// symbolizing profiles: it covers what real binaries contain (nested and
// local names, templates, substitutions, function/array/member pointers,
// lambdas, ABI tags, special names, common template-argument expressions)
// and formats like binutils' c++filt. Anything it does not understand makes
// it return null, so the caller shows the mangled name rather than a wrong one.

type Node =
  | { k: 'name'; s: string }
  | { k: 'qual'; inner: Node; q: string }
  | { k: 'ptr'; inner: Node; op: string }
  | { k: 'fn'; ret: Node | null; params: Node[]; cv: string; ref: string }
  | { k: 'arr'; inner: Node; dim: string }
  | { k: 'pm'; cls: Node; member: Node }
  | { k: 'pack'; items: Node[] }
  | { k: 'vendor'; inner: Node; q: string };

export const BUILTIN: Record<string, string> = {
  v: 'void', w: 'wchar_t', b: 'bool', c: 'char', a: 'signed char', h: 'unsigned char', s: 'short',
  t: 'unsigned short', i: 'int', j: 'unsigned int', l: 'long', m: 'unsigned long', x: 'long long',
  y: 'unsigned long long', n: '__int128', o: 'unsigned __int128', f: 'float', d: 'double', e: 'long double',
  g: '__float128', z: '...',
};
export const BUILTIN_D: Record<string, string> = {
  d: 'decimal64', e: 'decimal128', f: 'decimal32', h: 'half', i: 'char32_t', s: 'char16_t', u: 'char8_t',
  a: 'auto', c: 'decltype(auto)', n: 'decltype(nullptr)',
};

// Operator codes: [name, arity].
export const OPS: Record<string, [string, number]> = {
  nw: ['new', 1], na: ['new[]', 1], dl: ['delete', 1], da: ['delete[]', 1], ps: ['+', 1], ng: ['-', 1],
  ad: ['&', 1], de: ['*', 1], co: ['~', 1], pl: ['+', 2], mi: ['-', 2], ml: ['*', 2], dv: ['/', 2],
  rm: ['%', 2], an: ['&', 2], or: ['|', 2], eo: ['^', 2], aS: ['=', 2], pL: ['+=', 2], mI: ['-=', 2],
  mL: ['*=', 2], dV: ['/=', 2], rM: ['%=', 2], aN: ['&=', 2], oR: ['|=', 2], eO: ['^=', 2], ls: ['<<', 2],
  rs: ['>>', 2], lS: ['<<=', 2], rS: ['>>=', 2], eq: ['==', 2], ne: ['!=', 2], lt: ['<', 2], gt: ['>', 2],
  le: ['<=', 2], ge: ['>=', 2], ss: ['<=>', 2], nt: ['!', 1], aa: ['&&', 2], oo: ['||', 2], pp: ['++', 1],
  mm: ['--', 1], cm: [',', 2], pm: ['->*', 2], pt: ['->', 2], cl: ['()', 2], ix: ['[]', 2], qu: ['?', 3],
  st: ['sizeof ', 1], sz: ['sizeof ', 1], at: ['alignof ', 1], az: ['alignof ', 1], aw: ['co_await', 1],
};

/** Display text of each operator code, as in `operator+` or `operator new`. */
export const OPERATOR_NAMES = new Map<string, string>();
for (const [code, [t]] of Object.entries(OPS)) OPERATOR_NAMES.set(code, /^[a-z]/.test(t) ? `operator ${t.trim()}` : `operator${t}`);

export const SUBST_SPECIAL: Record<string, string> = {
  t: 'std', a: 'std::allocator', b: 'std::basic_string', s: 'std::string', i: 'std::istream',
  o: 'std::ostream', d: 'std::iostream',
};
export const SUBST_FULL: Record<string, string> = {
  s: 'std::basic_string<char, std::char_traits<char>, std::allocator<char> >',
  i: 'std::basic_istream<char, std::char_traits<char> >',
  o: 'std::basic_ostream<char, std::char_traits<char> >',
  d: 'std::basic_iostream<char, std::char_traits<char> >',
};

class Fail extends Error {}

function name(s: string): Node {
  return { k: 'name', s };
}

/** Text of a type with `decl` as its declarator (what sits where a variable name would). */
function str(t: Node, decl = ''): string {
  switch (t.k) {
    case 'name':
      return decl === '' ? t.s : hugsName(decl) ? t.s + decl : `${t.s} ${decl}`;
    case 'qual':
      if (t.inner.k === 'fn') return str({ ...t.inner, cv: t.inner.cv + t.q }, decl);
      return str(t.inner, t.q + decl);
    case 'vendor':
      return str(t.inner, t.q + decl);
    case 'ptr':
      return str(t.inner, t.op + decl);
    case 'fn': {
      const ret = t.ret ? str(t.ret) : '';
      const params = paramList(t.params);
      const d = decl === '' ? '' : `(${decl.trim()})`;
      return `${ret}${ret ? ' ' : ''}${d}(${params})${t.cv}${t.ref}`;
    }
    case 'arr':
      return decl === '' ? `${str(t.inner)} [${t.dim}]` : `${str(t.inner)} (${decl.trim()}) [${t.dim}]`;
    case 'pm':
      return str(t.member, `${str(t.cls)}::*${decl}`);
    case 'pack': {
      let out = '';
      for (let i = 0; i < t.items.length; i++) out += i === 0 ? str(t.items[i]) : ', ' + str(t.items[i]);
      return out;
    }
  }
}

/** A declarator written right after the type's name, without a space: `*…`, `&…`, or one starting with (JavaScript) white space. */
function hugsName(decl: string): boolean {
  const c = decl.charCodeAt(0);
  return c === 42 /* * */ || c === 38 /* & */ || c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && isOtherJsSpace(c));
}

/** The white space of /\s/ above U+00FF-and-ASCII: U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000, U+FEFF. */
function isOtherJsSpace(c: number): boolean {
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Parameter types joined by ", ", without empty ones; `()` for (void) and an empty pack. */
function paramList(ps: Node[]): string {
  if (ps.length === 1 && ps[0].k === 'name' && ps[0].s === 'void') return '';
  if (ps.length === 1 && ps[0].k === 'pack' && ps[0].items.length === 0) return '';
  let out = '';
  for (let i = 0; i < ps.length; i++) {
    const x = str(ps[i]);
    if (x !== '') out = out === '' ? x : out + ', ' + x;
  }
  return out;
}

/** `<…>` with the arguments (an empty pack writes nothing); `> >` rather than `>>`, as c++filt does. */
function templateArgs(args: Node[]): string {
  let s = '';
  let first = true;
  for (let i = 0; i < args.length; i++) {
    const x = str(args[i]);
    if (x === '' && args[i].k === 'pack') continue;
    s = first ? x : s + ', ' + x;
    first = false;
  }
  return `<${s}${s.endsWith('>') ? ' ' : ''}>`;
}

interface EncodedName {
  text: string;
  /** The name ends in template arguments: a function so named mangles its return type. */
  isTemplate: boolean;
  cv: string;
  ref: string;
  /** ctor/dtor/conversion: no return type even for templates. */
  noReturn: boolean;
}

class Parser {
  pos = 0;
  subs: Node[] = [];
  tparams: Node[] = [];
  depth = 0;
  /** Stop after the outermost name: its parameters (and return type) are not printed, so not parsed. */
  nameOnly = false;
  /**
   * pprof's simplest display drops template arguments: they are still parsed
   * (to find where the name goes on) but not printed, which saves building
   * their text. `<>` keeps the brackets for the caller's template stripping.
   */
  dropTemplateText = false;
  constructor(readonly s: string) {}

  targsText(args: Node[]): string {
    return this.dropTemplateText ? '<>' : templateArgs(args);
  }

  peek(o = 0): string {
    return this.s[this.pos + o] ?? '';
  }
  eat(c: string): boolean {
    // Most calls probe for something that is not there: the first character decides those.
    const p = this.pos;
    if (this.s[p] !== c[0] || (c.length > 1 && !this.s.startsWith(c, p))) return false;
    this.pos = p + c.length;
    return true;
  }
  need(c: string): void {
    if (!this.eat(c)) throw new Fail();
  }
  number(): number {
    const s = this.s;
    const neg = s.charCodeAt(this.pos) === 110; /* n */
    if (neg) this.pos++;
    const st = this.pos;
    let v = 0;
    for (let c = s.charCodeAt(this.pos); c >= 48 && c <= 57; c = s.charCodeAt(++this.pos)) v = v * 10 + (c - 48);
    if (st === this.pos) throw new Fail();
    return neg ? -v : v;
  }
  seqId(): number {
    // base 36, uppercase; "_" alone = 0, otherwise value + 1.
    if (this.eat('_')) return 0;
    let v = 0;
    for (;;) {
      const c = this.s[this.pos++];
      if (c === '_') return v + 1;
      if (c >= '0' && c <= '9') v = v * 36 + (c.charCodeAt(0) - 48);
      else if (c >= 'A' && c <= 'Z') v = v * 36 + (c.charCodeAt(0) - 55);
      else throw new Fail();
    }
  }
  guard(): void {
    if (++this.depth > 400) throw new Fail();
  }

  // <encoding>
  /** Parses an encoding; `nameOnly` gives just the (qualified) name, as template arguments print it. */
  encoding(top: boolean, withReturn = true, nameOnly = false): string {
    const c = this.peek();
    const c1 = this.peek(1);
    if (c === 'T' || (c === 'G' && (c1 === 'V' || c1 === 'R' || c1 === 'T'))) return this.specialName();
    const saveT = this.tparams;
    const n = this.name();
    if (top && this.nameOnly) return n.text;
    if (this.pos >= this.s.length || this.peek() === 'E' || this.peek() === '.') {
      if (!top) this.tparams = saveT;
      return n.text;
    }
    // Function: return type only for templates (not ctors/dtors/conversions).
    let ret: Node | null = null;
    if (n.isTemplate && !n.noReturn) ret = this.type();
    const params: Node[] = [];
    while (this.pos < this.s.length && this.peek() !== 'E' && this.peek() !== '.') params.push(this.type());
    if (params.length === 0) throw new Fail();
    if (!top) this.tparams = saveT;
    if (nameOnly) return n.text;
    return `${ret && withReturn ? str(ret) + ' ' : ''}${n.text}(${paramList(params)})${n.cv}${n.ref}`;
  }

  specialName(): string {
    if (this.eat('TV')) return `vtable for ${str(this.type())}`;
    if (this.eat('TT')) return `VTT for ${str(this.type())}`;
    if (this.eat('TI')) return `typeinfo for ${str(this.type())}`;
    if (this.eat('TS')) return `typeinfo name for ${str(this.type())}`;
    if (this.eat('Th')) { this.number(); this.need('_'); return `non-virtual thunk to ${this.encoding(false)}`; }
    if (this.eat('Tv')) { this.number(); this.need('_'); this.number(); this.need('_'); return `virtual thunk to ${this.encoding(false)}`; }
    if (this.eat('Tc')) {
      for (let i = 0; i < 2; i++) {
        if (this.eat('h')) { this.number(); this.need('_'); } else { this.need('v'); this.number(); this.need('_'); this.number(); this.need('_'); }
      }
      return `covariant return thunk to ${this.encoding(false)}`;
    }
    if (this.eat('TH')) return `TLS init function for ${this.name().text}`;
    if (this.eat('TW')) return `TLS wrapper function for ${this.name().text}`;
    if (this.eat('GV')) return `guard variable for ${this.name().text}`;
    if (this.eat('GR')) {
      const n = this.name().text;
      let id = 0;
      if (!this.eat('_')) id = this.seqId();
      return `reference temporary #${id} for ${n}`;
    }
    if (this.eat('GTt')) return `transaction clone for ${this.encoding(false)}`;
    throw new Fail();
  }

  // <name>
  name(): EncodedName {
    this.guard();
    try {
      const c = this.peek();
      if (c === 'N') return this.nestedName();
      if (c === 'Z') return this.localName();
      let text: string;
      if (c === 'S' && this.peek(1) !== 't') {
        const sub = this.substitution();
        text = str(sub);
        if (this.peek() !== 'I') throw new Fail(); // a bare substitution is not a name
      } else {
        const std = this.eat('St');
        const u = this.unqualifiedName('');
        text = (std ? 'std::' : '') + u.text;
        if (this.peek() === 'I') this.subs.push(name(text));
        if (this.peek() !== 'I') return { text, isTemplate: false, cv: '', ref: '', noReturn: u.noReturn };
      }
      const args = this.templateArgs();
      this.tparams = args;
      return { text: text + this.targsText(args), isTemplate: true, cv: '', ref: '', noReturn: false };
    } finally {
      this.depth--;
    }
  }

  cvQualifiers(): string {
    let q = '';
    if (this.eat('r')) q += ' restrict';
    if (this.eat('V')) q += ' volatile';
    if (this.eat('K')) q += ' const';
    return q;
  }

  nestedName(): EncodedName {
    this.need('N');
    const cv = this.cvQualifiers();
    let ref = '';
    if (this.eat('R')) ref = ' &';
    else if (this.eat('O')) ref = ' &&';
    let prefix = '';
    let isTemplate = false;
    let noReturn = false;
    for (let first = true; ; first = false) {
      if (this.eat('E')) break;
      const c = this.peek();
      let piece: string;
      if (c === 'I') {
        if (first) throw new Fail();
        const args = this.templateArgs();
        this.tparams = args;
        prefix += this.targsText(args);
        isTemplate = true;
        if (this.peek() !== 'E') this.subs.push(name(prefix));
        continue;
      }
      isTemplate = false;
      if (c === 'S' && first) {
        if (this.eat('St')) {
          const u = this.unqualifiedName('');
          piece = 'std::' + u.text;
          noReturn = u.noReturn;
          prefix = piece;
          if (this.peek() !== 'E') this.subs.push(name(prefix));
          continue;
        }
        const code = this.peek(1);
        piece = str(this.substitution());
        // Before a constructor/destructor, std::string & co. print their full template form.
        const next = this.peek();
        if ((next === 'C' || next === 'D') && SUBST_FULL[code] && piece === SUBST_SPECIAL[code]) piece = SUBST_FULL[code];
        prefix = piece;
        continue;
      }
      if (c === 'T' && first) {
        prefix = str(this.templateParam());
        this.subs.push(name(prefix));
        continue;
      }
      if ((c === 'D' && (this.peek(1) === 't' || this.peek(1) === 'T')) && first) {
        prefix = str(this.type());
        continue;
      }
      if (c === 'M') { this.pos++; continue; } // data-member prefix (lambda in initializer)
      const u = this.unqualifiedName(prefix);
      noReturn = u.noReturn;
      prefix = prefix ? `${prefix}::${u.text}` : u.text;
      if (this.peek() !== 'E') this.subs.push(name(prefix));
    }
    return { text: prefix, isTemplate, cv, ref, noReturn };
  }

  localName(): EncodedName {
    this.need('Z');
    const enc = this.encoding(false, false, this.nameOnly);
    this.need('E');
    if (this.eat('s')) {
      this.discriminator();
      return { text: `${enc}::string literal`, isTemplate: false, cv: '', ref: '', noReturn: false };
    }
    let defaultArg = '';
    if (this.eat('d')) {
      const n = this.peek() === '_' ? 0 : this.number() + 1;
      this.need('_');
      defaultArg = `{default arg#${n + 1}}::`;
    }
    const n = this.name();
    this.discriminator();
    return { text: `${enc}::${defaultArg}${n.text}`, isTemplate: n.isTemplate, cv: n.cv, ref: n.ref, noReturn: n.noReturn };
  }

  discriminator(): void {
    if (this.peek() !== '_') return;
    this.pos++;
    if (this.eat('_')) { this.number(); this.need('_'); } else if (this.peek() >= '0' && this.peek() <= '9') this.pos++;
  }

  unqualifiedName(enclosing: string): { text: string; noReturn: boolean } {
    const c = this.peek();
    let text: string;
    let noReturn = false;
    const c1 = this.peek(1);
    if (c >= '0' && c <= '9') text = this.sourceName();
    else if (c === 'C' && ((c1 >= '1' && c1 <= '5') || c1 === 'I')) {
      this.pos++;
      if (this.eat('I')) { this.pos++; this.type(); } else this.pos++;
      text = baseName(enclosing);
      noReturn = true;
    } else if (c === 'D' && c1 >= '0' && c1 <= '5') {
      this.pos += 2;
      text = '~' + baseName(enclosing);
      noReturn = true;
    } else if (c === 'U') {
      text = this.unnamedType();
    } else if (c === 'L') {
      this.pos++;
      text = this.sourceName();
      this.discriminator();
    } else if (c === 'D' && this.peek(1) === 'C') {
      this.pos += 2;
      const parts: string[] = [];
      while (!this.eat('E')) parts.push(this.sourceName());
      text = `[${parts.join(', ')}]`;
    } else {
      const op = this.operatorName();
      text = op.text;
      noReturn = op.conversion;
    }
    while (this.peek() === 'B') {
      this.pos++;
      text += `[abi:${this.sourceName()}]`;
    }
    return { text, noReturn };
  }

  unnamedType(): string {
    if (this.eat('Ut')) {
      const n = this.peek() === '_' ? 1 : this.number() + 2;
      this.need('_');
      return `{unnamed type#${n}}`;
    }
    if (this.eat('Ul')) {
      const params: Node[] = [];
      // A generic lambda's template parameters are its `auto` parameters.
      const save = this.tparams;
      this.tparams = Array.from({ length: 16 }, (_, i) => name(`auto:${i + 1}`));
      try {
        while (!this.eat('E')) {
          const c1 = this.peek(1);
          if (this.peek() === 'T' && (c1 === 'y' || c1 === 'n' || c1 === 't' || c1 === 'p')) throw new Fail(); // explicit template lambda params
          params.push(this.type());
        }
      } finally {
        this.tparams = save;
      }
      const n = this.peek() === '_' ? 1 : this.number() + 2;
      this.need('_');
      return `{lambda(${paramList(params)})#${n}}`;
    }
    throw new Fail();
  }

  sourceName(): string {
    const len = this.number();
    const start = this.pos;
    if (len <= 0 || start + len > this.s.length) throw new Fail();
    this.pos += len;
    return isAnonymousNamespace(this.s, start, len) ? '(anonymous namespace)' : this.s.slice(start, this.pos);
  }

  operatorName(): { text: string; conversion: boolean } {
    const code = this.s.slice(this.pos, this.pos + 2);
    if (code === 'cv') {
      this.pos += 2;
      return { text: `operator ${str(this.type())}`, conversion: true };
    }
    if (code === 'li') {
      this.pos += 2;
      return { text: `operator"" ${this.sourceName()}`, conversion: false };
    }
    if (code[0] === 'v' && code[1] >= '0' && code[1] <= '9') {
      this.pos += 2;
      return { text: `operator ${this.sourceName()}`, conversion: false };
    }
    const text = OPERATOR_NAMES.get(code);
    if (text === undefined) throw new Fail();
    this.pos += 2;
    return { text, conversion: false };
  }

  substitution(): Node {
    this.need('S');
    const c = this.peek();
    if (SUBST_SPECIAL[c] !== undefined && c !== '_' && !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'Z')) {
      this.pos++;
      // After a template-args list, the short std:: names expand (c++filt does this too).
      return name(SUBST_SPECIAL[c]);
    }
    const id = this.seqId();
    const n = this.subs[id];
    if (!n) throw new Fail();
    return n;
  }

  templateParam(): Node {
    this.need('T');
    const id = this.seqId();
    const t = this.tparams[id];
    if (!t) throw new Fail();
    return t;
  }

  templateArgs(): Node[] {
    this.need('I');
    const args: Node[] = [];
    while (!this.eat('E')) args.push(this.templateArg());
    return args;
  }

  templateArg(): Node {
    const c = this.peek();
    if (c === 'L') return name(this.exprPrimary());
    if (c === 'X') {
      this.pos++;
      const e = this.expression();
      this.need('E');
      return name(e);
    }
    if (c === 'J') {
      this.pos++;
      const items: Node[] = [];
      while (!this.eat('E')) items.push(this.templateArg());
      return { k: 'pack', items };
    }
    return this.type();
  }

  exprPrimary(): string {
    this.need('L');
    if (this.eat('_Z')) {
      const e = this.encoding(false, false, true);
      this.need('E');
      return e;
    }
    if (this.peek() === 'Z') {
      const e = this.encoding(false);
      this.need('E');
      return e;
    }
    const t = this.type();
    const ts = str(t);
    const st = this.pos;
    while (this.peek() !== 'E' && this.pos < this.s.length) this.pos++;
    let v = this.s.slice(st, this.pos);
    this.need('E');
    if (v.startsWith('n')) v = '-' + v.slice(1);
    if (ts === 'bool') return v === '0' ? 'false' : v === '1' ? 'true' : `(bool)${v}`;
    if (ts === 'int') return v;
    if (ts === 'unsigned int') return v + 'u';
    if (ts === 'long') return v + 'l';
    if (ts === 'unsigned long') return v + 'ul';
    if (ts === 'long long') return v + 'll';
    if (ts === 'unsigned long long') return v + 'ull';
    if (ts === 'decltype(nullptr)' && v === '0') return 'nullptr';
    return `(${ts})${v}`;
  }

  /** Set by expression(): the last expression was a name (printed without parentheses as an operand, like c++filt). */
  nameLike = false;

  /** An operand: parenthesized unless it is a name. */
  subexpr(): string {
    const e = this.expression();
    return this.nameLike ? e : `(${e})`;
  }

  expression(): string {
    this.guard();
    let named = false;
    try {
      const c = this.peek();
      if (c === 'L') return this.exprPrimary();
      if (c === 'T') return str(this.templateParam());
      if (this.eat('fp')) {
        this.cvQualifiers();
        const n = this.peek() === '_' ? 1 : this.number() + 2;
        this.need('_');
        named = true;
        return `{parm#${n}}`;
      }
      if (this.eat('sr')) {
        const t = str(this.type());
        const u = this.unqualifiedName('').text;
        const args = this.peek() === 'I' ? this.targsText(this.templateArgs()) : '';
        named = true;
        return `${t}::${u}${args}`;
      }
      if (this.eat('st')) return `sizeof (${str(this.type())})`;
      if (this.eat('at')) return `alignof (${str(this.type())})`;
      if (this.eat('sZ')) return `sizeof...(${this.expression()})`;
      if (this.eat('sp')) return `${this.expression()}...`;
      if (this.eat('cv')) {
        const t = str(this.type());
        if (this.eat('_')) {
          const es: string[] = [];
          while (!this.eat('E')) es.push(this.expression());
          return `(${t})(${es.join(', ')})`;
        }
        return `(${t})(${this.expression()})`;
      }
      if (this.eat('cl')) {
        const f = this.expression();
        const es: string[] = [];
        while (!this.eat('E')) es.push(this.expression());
        return `${f}(${es.join(', ')})`;
      }
      if (this.eat('dt')) { const a = this.expression(); return `${a}.${this.unqualifiedName('').text}`; }
      if (this.eat('pt')) { const a = this.expression(); return `${a}->${this.unqualifiedName('').text}`; }
      if (c >= '0' && c <= '9') {
        const n = this.unqualifiedName('').text;
        const r = this.peek() === 'I' ? n + this.targsText(this.templateArgs()) : n;
        named = true;
        return r;
      }
      const code = this.s.slice(this.pos, this.pos + 2);
      const op = OPS[code];
      if (!op) throw new Fail();
      this.pos += 2;
      const [sym, arity] = op;
      if (arity === 1) {
        const e = this.expression();
        const r = code === 'ad' && /^[\w:~<>, ]+$/.test(e.replaceAll('(anonymous namespace)', '')) ? `&${e}` : `${sym}${this.nameLike ? e : `(${e})`}`;
        return r;
      }
      if (arity === 2) {
        const a = this.subexpr();
        const b = this.subexpr();
        return `${a}${sym}${b}`;
      }
      const a = this.subexpr(), b = this.subexpr(), d = this.subexpr();
      return `${a}?${b}:${d}`;
    } finally {
      this.depth--;
      this.nameLike = named;
    }
  }

  type(): Node {
    this.guard();
    try {
      return this.type1();
    } finally {
      this.depth--;
    }
  }

  private type1(): Node {
    const c = this.peek();
    if (BUILTIN[c] !== undefined) { this.pos++; return name(BUILTIN[c]); }
    if (c === 'u') {
      this.pos++;
      const t = name(this.sourceName());
      this.subs.push(t);
      return t;
    }
    if (c === 'D' && BUILTIN_D[this.peek(1)] !== undefined) { this.pos += 2; return name(BUILTIN_D[this.s[this.pos - 1]]); }
    if (c === 'r' || c === 'V' || c === 'K') {
      const q = this.cvQualifiers();
      const inner = this.type();
      const qualify = (x: Node): Node => (x.k === 'qual' && x.q.endsWith(q) ? x : { k: 'qual', inner: x, q });
      const t: Node = inner.k === 'pack' ? { k: 'pack', items: inner.items.map(qualify) } : qualify(inner);
      this.subs.push(t);
      return t;
    }
    if (c === 'P' || c === 'R' || c === 'O') {
      this.pos++;
      const inner = this.type();
      const op = c === 'P' ? '*' : c === 'R' ? '&' : '&&';
      const t: Node = inner.k === 'pack' ? { k: 'pack', items: inner.items.map((x) => pointer(x, op)) } : pointer(inner, op);
      this.subs.push(t);
      return t;
    }
    if (c === 'C' || c === 'G') {
      this.pos++;
      const inner = this.type();
      const t: Node = { k: 'vendor', inner, q: c === 'C' ? ' _Complex' : ' _Imaginary' };
      this.subs.push(t);
      return t;
    }
    if (c === 'F' || (c === 'D' && (this.peek(1) === 'x' || this.peek(1) === 'o' || this.peek(1) === 'O' || this.peek(1) === 'w'))) {
      let except = '';
      if (this.eat('Dx')) except = ' noexcept';
      else if (this.eat('Do')) except = ' noexcept';
      else if (this.eat('DO')) { const e = this.expression(); this.need('E'); except = ` noexcept(${e})`; }
      else if (this.eat('Dw')) { while (!this.eat('E')) this.type(); }
      this.need('F');
      this.eat('Y');
      const ret = this.type();
      const params: Node[] = [];
      let ref = '';
      for (;;) {
        if (this.eat('E')) break;
        if (this.peek() === 'R' && this.peek(1) === 'E') { this.pos += 2; ref = ' &'; break; }
        if (this.peek() === 'O' && this.peek(1) === 'E') { this.pos += 2; ref = ' &&'; break; }
        params.push(this.type());
      }
      const t: Node = { k: 'fn', ret, params, cv: except, ref };
      this.subs.push(t);
      return t;
    }
    if (c === 'A') {
      this.pos++;
      let dim = '';
      if (this.peek() >= '0' && this.peek() <= '9') dim = String(this.number());
      else if (this.peek() !== '_') dim = this.expression();
      this.need('_');
      const t: Node = { k: 'arr', inner: this.type(), dim };
      this.subs.push(t);
      return t;
    }
    if (c === 'M') {
      this.pos++;
      const cls = this.type();
      let member = this.type();
      // Member function qualifiers come as a qualified function type.
      if (member.k === 'qual' && member.inner.k === 'fn') member = { ...member.inner, cv: member.inner.cv + member.q };
      const t: Node = { k: 'pm', cls, member };
      this.subs.push(t);
      return t;
    }
    if (c === 'T') {
      const tp = this.templateParam();
      this.subs.push(tp);
      if (this.peek() === 'I') {
        const t = name(str(tp) + this.targsText(this.templateArgs()));
        this.subs.push(t);
        return t;
      }
      return tp;
    }
    if (c === 'D' && (this.peek(1) === 't' || this.peek(1) === 'T')) {
      this.pos += 2;
      const e = this.expression();
      this.need('E');
      const t = name(`decltype (${e})`);
      this.subs.push(t);
      return t;
    }
    if (c === 'D' && this.peek(1) === 'p') {
      this.pos += 2;
      const inner = this.type();
      const t: Node = inner.k === 'pack' ? inner : name(str(inner) + '...');
      this.subs.push(t);
      return t;
    }
    if (c === 'D' && this.peek(1) === 'v') {
      this.pos += 2;
      const n = this.number();
      this.need('_');
      const inner = this.type();
      const t = name(`${str(inner)} __vector(${n})`);
      this.subs.push(t);
      return t;
    }
    if (c === 'D' && this.peek(1) === 'F') {
      this.pos += 2;
      const n = this.number();
      this.need('_');
      return name(`_Float${n}`);
    }
    if (c === 'S') {
      if (this.peek(1) === 't') {
        const save = this.tparams;
        const n = this.name();
        this.tparams = save;
        const t = name(n.text);
        this.subs.push(t);
        return t;
      }
      const sub = this.substitution();
      if (this.peek() === 'I') {
        const t = name(str(sub) + this.targsText(this.templateArgs()));
        this.subs.push(t);
        return t;
      }
      return sub;
    }
    if (c === 'N' || c === 'Z' || (c >= '0' && c <= '9')) {
      const save = this.tparams;
      const n = this.name();
      this.tparams = save;
      const t = name(n.text);
      this.subs.push(t);
      return t;
    }
    throw new Fail();
  }
}

/** Pointer or reference to `inner`, with C++ reference collapsing. */
function pointer(inner: Node, op: string): Node {
  if (op !== '*' && inner.k === 'ptr' && inner.op !== '*') {
    return { k: 'ptr', inner: inner.inner, op: op === '&&' && inner.op === '&&' ? '&&' : '&' };
  }
  return { k: 'ptr', inner, op };
}

export function baseName(enclosing: string): string {
  // The constructor's name is the class name without template arguments.
  let s = enclosing;
  if (s.endsWith('>')) {
    let depth = 0;
    for (let i = s.length - 1; i >= 0; i--) {
      if (s[i] === '>') depth++;
      else if (s[i] === '<' && --depth === 0) { s = s.slice(0, i); break; }
    }
  }
  let depth = 0;
  for (let i = s.length - 1; i > 0; i--) {
    const c = s[i];
    if (c === '>' || c === ')') depth++;
    else if (c === '<' || c === '(') depth--;
    else if (depth === 0 && c === ':' && s[i - 1] === ':') return s.slice(i + 1);
  }
  return s;
}

/** True when the identifier s[i, i+len) is `_GLOBAL_[._$]N…`, GCC's anonymous namespace. */
export function isAnonymousNamespace(s: string, i: number, len: number): boolean {
  if (len < 10 || !s.startsWith('_GLOBAL_', i)) return false;
  const c = s.charCodeAt(i + 8);
  return (c === 46 /* . */ || c === 95 /* _ */ || c === 36 /* $ */) && s.charCodeAt(i + 9) === 78 /* N */;
}

/**
 * Fast path of the name-only displays for the most common shape, `_ZN`
 * [cv] <source-name>+ `E` (about half of a C++ binary's functions): no
 * substitutions, templates or operators, so the qualified name is the
 * identifiers joined by `::`. Returns null for anything else. (It skips
 * any run of K, V, r, R, O where the parser accepts only [r][V][K][R|O];
 * the simple-mode scanner gives such names up to it so they keep their
 * display.)
 */
function plainNestedName(s: string): { name: string; end: number } | null {
  if (!s.startsWith('_ZN')) return null;
  let i = 3;
  for (let c = s[i]; c === 'K' || c === 'V' || c === 'r' || c === 'R' || c === 'O'; c = s[++i]);
  let out = '';
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 69 /* E */) return out === '' ? null : { name: out, end: i + 1 };
    if (c < 48 || c > 57) return null;
    let n = 0;
    while (i < s.length && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) n = n * 10 + s.charCodeAt(i++) - 48;
    if (n === 0 || i + n > s.length) return null;
    if (out !== '') out += '::';
    out += isAnonymousNamespace(s, i, n) ? '(anonymous namespace)' : s.slice(i, i + n);
    i += n;
  }
}

/**
 * Demangles an Itanium C++ symbol; null when it is not one or uses an
 * unsupported construct. `nameOnly` returns just the qualified name (no
 * parameters, return type or cv-qualifiers) and skips parsing the rest.
 */
export function demangleItanium(sym: string, nameOnly = false, dropTemplateText = false): string | null {
  let s = sym;
  let version = '';
  const at = s.indexOf('@');
  if (at > 0) { version = s.slice(at); s = s.slice(0, at); }
  if (s.startsWith('__Z')) s = s.slice(1);
  if (!s.startsWith('_Z')) return null;
  let out: string;
  let end: number;
  const plain = nameOnly ? plainNestedName(s) : null;
  if (plain !== null) {
    out = plain.name;
    end = plain.end;
  } else {
    const p = new Parser(s);
    p.pos = 2;
    p.nameOnly = nameOnly;
    p.dropTemplateText = nameOnly && dropTemplateText;
    try {
      out = p.encoding(true);
    } catch (e) {
      if (e instanceof Fail || e instanceof RangeError || e instanceof TypeError) return null;
      throw e;
    }
    end = p.pos;
  }
  if (nameOnly) {
    // The parameters are not printed (nor parsed): on to a clone suffix, if any.
    const dot = s.indexOf('.', end);
    if (dot < 0) return out + version;
    end = dot;
  }
  const r = withCloneSuffixes(s, end, out);
  return r === null ? null : r + version;
}

/** One clone suffix (.constprop.0, .isra.0, .cold, .part.1 …), matched where lastIndex says. */
const CLONE_SUFFIX = /\.[a-zA-Z_]*(?:\.[0-9]+)*/y;

/**
 * `out` followed by the clone suffixes that make up the rest of `s` from
 * index `i`; null when something else follows.
 */
export function withCloneSuffixes(s: string, i: number, out: string): string | null {
  while (i < s.length && s.charCodeAt(i) === 46 /* . */) {
    CLONE_SUFFIX.lastIndex = i;
    CLONE_SUFFIX.test(s); // matches at least the '.'
    const end = CLONE_SUFFIX.lastIndex;
    if (end === i + 1) break;
    out += ` [clone ${s.slice(i, end)}]`;
    i = end;
  }
  return i === s.length ? out : null;
}

/**
 * Removes template arguments (`<…>`, nested) from a demangled name, as
 * pprof's simple display does; `operator<` and the like are kept.
 */
export function stripTemplates(s: string): string {
  let i = s.indexOf('<');
  if (i < 0) return s;
  let out = '';
  let keepFrom = 0; // start of the current run of kept characters
  while (i >= 0) {
    // operator<, operator<<, operator<=: not a template bracket. (A '>' outside brackets is kept too.)
    if (isOperatorLess(s, i)) {
      i = s.indexOf('<', i + 1);
      continue;
    }
    out += s.slice(keepFrom, i);
    let depth = 1;
    let j = i + 1;
    for (; j < s.length && depth > 0; j++) {
      const c = s.charCodeAt(j);
      if (c === 60 /* < */) depth++;
      else if (c === 62 /* > */) depth--;
    }
    if (depth > 0) return out; // unbalanced: drop the rest
    keepFrom = j;
    i = s.indexOf('<', j);
  }
  return out + s.slice(keepFrom);
}

/** True when the '<' at i belongs to operator<, operator<< or operator<=. */
function isOperatorLess(s: string, i: number): boolean {
  let j = i;
  while (j > 0 && s[j - 1] === '<') j--;
  return i - j <= 1 && j >= 8 && s.startsWith('operator', j - 8);
}
