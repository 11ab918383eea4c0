// Runs addr2line and llvm-symbolizer on a list of addresses and puts their
// answers and ours in one shape: per address, frames innermost first as
// "function file:line", with the oracles' cosmetic differences normalized.

import { ElfFile, SHT_SYMTAB } from '../../src/symbolize/elf.ts';
import { ObjectSymbolizer } from '../../src/symbolize/object.ts';
import { demangle } from '../../src/symbolize/demangle.ts';
import { run } from './build.ts';

/** `n` addresses spread over the sized function symbols of `.text` (where profiles land). */
export function sampleAddresses(path: string, n: number): number[] {
  const elf = ElfFile.open(path);
  try {
    const text = elf.section('.text');
    if (!text) return [];
    const symSec = elf.sections.find((s) => s.type === SHT_SYMTAB)!;
    const data = elf.rawData(symSec);
    const dv = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const ent = elf.is64 ? 24 : 16;
    const ranges: [number, number][] = [];
    for (let o = ent; o + ent <= data.length; o += ent) {
      const info = elf.is64 ? data[o + 4] : data[o + 12];
      if ((info & 0xf) !== 2) continue;
      const value = elf.is64 ? dv.getUint32(o + 8, true) + dv.getUint32(o + 12, true) * 2 ** 32 : dv.getUint32(o + 4, true);
      const size = elf.is64 ? dv.getUint32(o + 16, true) : dv.getUint32(o + 8, true);
      if (size > 0 && value >= text.addr && value < text.addr + text.size) ranges.push([value, size]);
    }
    ranges.sort((a, b) => a[0] - b[0]);
    let total = 0;
    for (const [, s] of ranges) total += s;
    const step = Math.max(1, total / n);
    const out: number[] = [];
    let pos = 0;
    let acc = 0;
    for (const [v, s] of ranges) {
      while (pos < acc + s && out.length < n) {
        out.push(v + Math.floor(pos - acc));
        pos += step;
      }
      acc += s;
    }
    return out;
  } finally {
    elf.close();
  }
}

export function normalizeName(s: string): string {
  return s
    .replace(/\[[0-9a-f]{16}\]/g, '') // Rust v0 crate disambiguators (c++filt prints them)
    .replace(/::h[0-9a-f]{16}$/, ''); // Rust legacy hash (c++filt keeps it)
}

function frame(func: string, file: string, line: string): string {
  return `${normalizeName(func)} ${file || '??'}:${line === '0' || line === '' ? '?' : line}`;
}

/** Parses GNU-style output (-a, -f, -i): address line, then function/location pairs. */
function parseGnu(out: string): Map<number, string[]> {
  const res = new Map<number, string[]>();
  const lines = out.split('\n');
  let cur: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (/^0x[0-9a-f]+$/.test(l)) {
      cur = [];
      res.set(parseInt(l, 16), cur);
      continue;
    }
    if (l === '') continue;
    const loc = (lines[++i] ?? '').replace(/ \(discriminator \d+\)$/, '');
    const m = /^(.*):(\d+|\?)$/.exec(loc);
    if (l === '??' && (!m || m[1] === '??')) continue; // nothing known
    cur.push(frame(l, m ? m[1] : loc, m ? m[2] : '?'));
  }
  return res;
}

export function addr2line(bin: string, addrs: number[]): Map<number, string[]> {
  return parseGnu(run('addr2line', ['-f', '-i', '-C', '-a', '-e', bin], { input: addrs.map((a) => '0x' + a.toString(16)).join('\n') + '\n' }));
}

export function llvmSymbolizer(bin: string, addrs: number[]): Map<number, string[]> {
  return parseGnu(run('llvm-symbolizer', ['--obj=' + bin, '--output-style=GNU', '-f', '-i', '-C', '-a'], { input: addrs.map((a) => '0x' + a.toString(16)).join('\n') + '\n' }));
}

export function ours(bin: string, addrs: number[]): Map<number, string[]> {
  const obj = ObjectSymbolizer.open(bin);
  try {
    const res = new Map<number, string[]>();
    for (const a of addrs) res.set(a, obj.frames(a).map((f) => frame(demangle(f.systemName || f.func, 'full'), f.file, String(f.line))));
    return res;
  } finally {
    obj.close();
  }
}

export interface Agreement {
  total: number;
  agree: number;
  /** Disagreements by the kind a classifier assigns. */
  kinds: Map<string, { count: number; example: string }>;
}

export function compare(
  addrs: number[],
  mine: Map<number, string[]>,
  theirs: Map<number, string[]>,
  classify: (mine: string[], theirs: string[]) => string,
): Agreement {
  const kinds = new Map<string, { count: number; example: string }>();
  let agree = 0;
  for (const a of addrs) {
    const m = mine.get(a) ?? [];
    const t = theirs.get(a) ?? [];
    if (JSON.stringify(m) === JSON.stringify(t)) { agree++; continue; }
    const k = classify(m, t);
    const e = kinds.get(k) ?? { count: 0, example: `0x${a.toString(16)}: ours ${JSON.stringify(m)} theirs ${JSON.stringify(t)}` };
    e.count++;
    kinds.set(k, e);
  }
  return { total: addrs.length, agree, kinds };
}

export function describe(a: Agreement): string {
  const lines = [`${a.agree}/${a.total} agree`];
  for (const [k, v] of a.kinds) lines.push(`  ${k}: ${v.count} e.g. ${v.example}`);
  return lines.join('\n');
}
