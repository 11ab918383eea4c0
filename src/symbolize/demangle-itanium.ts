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

const BUILTIN: Record<string, string> = {
  v: 'void', w: 'wchar_t', b: 'bool', c: 'char', a: 'signed char', h: 'unsigned char', s: 'short',
  t: 'unsigned short', i: 'int', j: 'unsigned int', l: 'long', m: 'unsigned long', x: 'long long',
  y: 'unsigned long long', n: '__int128', o: 'unsigned __int128', f: 'float', d: 'double', e: 'long double',
  g: '__float128', z: '...',
};
const BUILTIN_D: Record<string, string> = {
  d: 'decimal64', e: 'decimal128', f: 'decimal32', h: 'half', i: 'char32_t', s: 'char16_t', u: 'char8_t',
  a: 'auto', c: 'decltype(auto)', n: 'decltype(nullptr)',
};

// Operator codes: [name, arity].
const OPS: Record<string, [string, number]> = {
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
const OPERATOR_NAMES = new Map<string, string>();
for (const [code, [t]] of Object.entries(OPS)) OPERATOR_NAMES.set(code, /^[a-z]/.test(t) ? `operator ${t.trim()}` : `operator${t}`);

const SUBST_SPECIAL: Record<string, string> = {
  t: 'std', a: 'std::allocator', b: 'std::basic_string', s: 'std::string', i: 'std::istream',
  o: 'std::ostream', d: 'std::iostream',
};
const SUBST_FULL: Record<string, string> = {
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

function baseName(enclosing: string): string {
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

// ---------------------------------------------------------------------------
// The simple-mode scanner.
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

/** True when the identifier s[i, i+len) is `_GLOBAL_[._$]N…`, GCC's anonymous namespace. */
function isAnonymousNamespace(s: string, i: number, len: number): boolean {
  if (len < 10 || !s.startsWith('_GLOBAL_', i)) return false;
  const c = s.charCodeAt(i + 8);
  return (c === 46 /* . */ || c === 95 /* _ */ || c === 36 /* $ */) && s.charCodeAt(i + 9) === 78 /* N */;
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
      // <source-name>, the usual component (read here rather than in skipUnqualified()).
      let len = c - 48;
      c = s.charCodeAt(++i);
      while (c >= 48 && c <= 57) {
        len = len * 10 + (c - 48);
        c = s.charCodeAt(++i);
      }
      i += len;
      if (len === 0 || i > s.length) return -1;
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
  let c = s.charCodeAt(++i);
  if (IS_SUBST_SPECIAL[c] === 1) return i + 1;
  // The <seq-id> (as in skipSeqId(), which this saves a call to): _ is 0, else base 36 plus 1.
  if (c === 95 /* _ */) return scanSubs > 0 ? i + 1 : -1;
  let v = 0;
  for (;;) {
    if (c >= 48 && c <= 57) v = v * 36 + (c - 48);
    else if (c >= 65 && c <= 90) v = v * 36 + (c - 55);
    else return c === 95 && v + 1 < scanSubs ? i + 1 : -1;
    c = s.charCodeAt(++i);
  }
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
function withCloneSuffixes(s: string, i: number, out: string): string | null {
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
