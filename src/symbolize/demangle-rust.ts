// Rust symbol demangling: legacy (`_ZN…17h<16 hex>E`) and v0 (`_R…`, RFC
// 2603). Output matches rustc-demangle's alternate form (no hashes, no
// crate disambiguators), which is also what c++filt prints.

const LEGACY_ESCAPES: Record<string, string> = {
  SP: '@', BP: '*', RF: '&', LT: '<', GT: '>', LP: '(', RP: ')', C: ',',
};

/** Demangles a legacy Rust symbol, or returns null when `s` is not one. */
export function demangleRustLegacy(s: string): string | null {
  let i = s.startsWith('__ZN') ? 4 : s.startsWith('_ZN') ? 3 : -1;
  if (i < 0) return null;
  const parts: string[] = [];
  while (i < s.length && s[i] !== 'E') {
    let j = i;
    while (j < s.length && s[j] >= '0' && s[j] <= '9') j++;
    if (j === i) return null;
    const len = Number(s.slice(i, j));
    if (j + len > s.length) return null;
    parts.push(s.slice(j, j + len));
    i = j + len;
  }
  if (s[i] !== 'E' || parts.length < 2) return null;
  const rest = s.slice(i + 1);
  if (rest !== '' && !rest.startsWith('.')) return null;
  const last = parts[parts.length - 1];
  if (!/^h[0-9a-f]{16}$/.test(last)) return null;
  parts.pop();
  return parts.map(unescapeLegacy).join('::');
}

function unescapeLegacy(p: string): string {
  if (p.startsWith('_$')) p = p.slice(1);
  let out = '';
  for (let i = 0; i < p.length; ) {
    if (p[i] === '$') {
      const end = p.indexOf('$', i + 1);
      if (end < 0) { out += p.slice(i); break; }
      const code = p.slice(i + 1, end);
      if (LEGACY_ESCAPES[code] !== undefined) out += LEGACY_ESCAPES[code];
      else if (/^u[0-9a-f]+$/.test(code)) out += String.fromCodePoint(parseInt(code.slice(1), 16));
      else out += p.slice(i, end + 1);
      i = end + 1;
    } else if (p.startsWith('..', i)) {
      out += '::';
      i += 2;
    } else {
      out += p[i++];
    }
  }
  return out;
}

const BASIC: Record<string, string> = {
  a: 'i8', b: 'bool', c: 'char', d: 'f64', e: 'str', f: 'f32', h: 'u8', i: 'isize', j: 'usize', l: 'i32', m: 'u32',
  n: 'i128', o: 'u128', s: 'i16', t: 'u16', u: '()', v: '...', x: 'i64', y: 'u64', z: '!', p: '_',
};

class V0Parser {
  pos: number;
  depth = 0;
  constructor(readonly s: string, start: number, readonly noGenerics: boolean) {
    this.pos = start;
  }
  peek(): string {
    return this.s[this.pos] ?? '';
  }
  eat(c: string): boolean {
    if (this.s[this.pos] === c) { this.pos++; return true; }
    return false;
  }
  fail(): never {
    throw new Error('bad v0 symbol');
  }
  base62(): number {
    if (this.eat('_')) return 0;
    let x = 0;
    for (;;) {
      const c = this.s[this.pos++];
      if (c === undefined) this.fail();
      if (c === '_') return x + 1;
      const d = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'a' && c <= 'z' ? c.charCodeAt(0) - 87 : c >= 'A' && c <= 'Z' ? c.charCodeAt(0) - 29 : -1;
      if (d < 0) this.fail();
      x = x * 62 + d;
    }
  }
  disambiguator(): number {
    return this.eat('s') ? this.base62() + 1 : 0;
  }
  decimal(): number {
    const st = this.pos;
    if (this.peek() === '0') { this.pos++; return 0; }
    while (this.peek() >= '0' && this.peek() <= '9') this.pos++;
    if (st === this.pos) this.fail();
    return Number(this.s.slice(st, this.pos));
  }
  ident(): string {
    const puny = this.eat('u');
    const len = this.decimal();
    // The '_' separator is only present before non-empty names.
    if (len > 0) this.eat('_');
    const id = this.s.slice(this.pos, this.pos + len);
    if (id.length !== len) this.fail();
    this.pos += len;
    return puny ? `punycode{${id}}` : id;
  }
  backref<T>(f: () => T): T {
    const target = this.base62();
    if (target >= this.pos - 1) this.fail();
    const save = this.pos;
    this.pos = target + this.start0;
    const r = f();
    this.pos = save;
    return r;
  }
  start0 = 0;
  boundDepth = 0;
  lifetime(i: number): string {
    if (i === 0) return "'_";
    const d = this.boundDepth - i;
    return d >= 0 && d < 26 ? `'${String.fromCharCode(97 + d)}` : `'_${d}`;
  }
  /** Parses an optional binder `G<n>`; returns the for<…> prefix. */
  binder(): string {
    if (!this.eat('G')) return '';
    const n = this.base62() + 1;
    const names: string[] = [];
    for (let i = 0; i < n; i++) { this.boundDepth++; names.push(this.lifetime(1)); }
    return `for<${names.join(', ')}> `;
  }
  guard(): void {
    if (++this.depth > 300) this.fail();
  }

  path(inValue: boolean): string {
    this.guard();
    try {
      const c = this.s[this.pos++];
      switch (c) {
        case 'C': { this.disambiguator(); return this.ident(); }
        case 'M': { this.disambiguator(); this.path(false); return `<${this.type()}>`; }
        case 'X': { this.disambiguator(); this.path(false); const t = this.type(); return `<${t} as ${this.path(false)}>`; }
        case 'Y': { const t = this.type(); return `<${t} as ${this.path(false)}>`; }
        case 'N': {
          const ns = this.s[this.pos++];
          const inner = this.path(inValue);
          const dis = this.disambiguator();
          const name = this.ident();
          if (ns >= 'A' && ns <= 'Z') {
            const kind = ns === 'C' ? 'closure' : ns === 'S' ? 'shim' : ns;
            return `${inner}::{${kind}${name ? ':' + name : ''}#${dis}}`;
          }
          return name ? `${inner}::${name}` : inner;
        }
        case 'I': {
          const p = this.path(inValue);
          const args: string[] = [];
          while (!this.eat('E')) args.push(this.genericArg());
          if (this.noGenerics) return p;
          return `${p}${inValue ? '::' : ''}<${args.join(', ')}>`;
        }
        case 'B': return this.backref(() => this.path(inValue));
        default: this.fail();
      }
    } finally {
      this.depth--;
    }
  }
  genericArg(): string {
    if (this.eat('L')) return this.lifetime(this.base62());
    if (this.eat('K')) return this.constant();
    return this.type();
  }
  lifetimeOpt(): string {
    if (this.eat('L')) { const n = this.base62(); return n === 0 ? '' : `${this.lifetime(n)} `; }
    return '';
  }
  type(): string {
    this.guard();
    try {
      const c = this.peek();
      if (BASIC[c] !== undefined) { this.pos++; return BASIC[c]; }
      this.pos++;
      switch (c) {
        case 'R': { const l = this.lifetimeOpt(); return `&${l}${this.type()}`; }
        case 'Q': { const l = this.lifetimeOpt(); return `&${l}mut ${this.type()}`; }
        case 'P': return `*const ${this.type()}`;
        case 'O': return `*mut ${this.type()}`;
        case 'A': { const t = this.type(); return `[${t}; ${this.constant()}]`; }
        case 'S': return `[${this.type()}]`;
        case 'T': { const ts: string[] = []; while (!this.eat('E')) ts.push(this.type()); return ts.length === 1 ? `(${ts[0]},)` : `(${ts.join(', ')})`; }
        case 'F': return this.fnSig();
        case 'D': {
          const save = this.boundDepth;
          const forLt = this.binder();
          const traits: string[] = [];
          while (!this.eat('E')) {
            let t = this.path(false);
            const binds: string[] = [];
            while (this.eat('p')) { const n = this.ident(); binds.push(`${n} = ${this.type()}`); }
            if (binds.length) t = t.endsWith('>') ? `${t.slice(0, -1)}, ${binds.join(', ')}>` : `${t}<${binds.join(', ')}>`;
            traits.push(t);
          }
          this.boundDepth = save;
          this.eat('L') && this.base62();
          return `dyn ${forLt}${traits.join(' + ')}`;
        }
        case 'B': return this.backref(() => this.type());
        default:
          this.pos--;
          return this.path(false);
      }
    } finally {
      this.depth--;
    }
  }
  fnSig(): string {
    const save = this.boundDepth;
    let pre = this.binder();
    if (this.eat('U')) pre += 'unsafe ';
    if (this.eat('K')) pre += `extern "${this.eat('C') ? 'C' : this.ident().replace(/_/g, '-')}" `;
    const args: string[] = [];
    while (!this.eat('E')) args.push(this.type());
    const ret = this.type();
    this.boundDepth = save;
    return `${pre}fn(${args.join(', ')})${ret === '()' ? '' : ' -> ' + ret}`;
  }
  constant(): string {
    if (this.eat('p')) return '_';
    if (this.eat('B')) return this.backref(() => this.constant());
    const ty = this.s[this.pos++];
    const neg = this.eat('n');
    const st = this.pos;
    while (this.peek() !== '_' && this.pos < this.s.length) this.pos++;
    const hex = this.s.slice(st, this.pos);
    this.eat('_');
    const v = hex === '' ? 0n : BigInt('0x' + hex);
    if (ty === 'b') return v ? 'true' : 'false';
    if (ty === 'c') return `'${String.fromCodePoint(Number(v))}'`;
    return `${neg ? '-' : ''}${v}`;
  }
}


/** Demangles a Rust v0 symbol, or returns null. `noGenerics` drops generic arguments of the path. */
export function demangleRustV0(s: string, noGenerics = false): string | null {
  const start = s.startsWith('__R') ? 3 : s.startsWith('_R') ? 2 : -1;
  if (start < 0) return null;
  const p = new V0Parser(s, start, noGenerics);
  p.start0 = start;
  try {
    if (p.peek() >= '0' && p.peek() <= '9') p.decimal();
    return p.path(true);
  } catch {
    return null;
  }
}
