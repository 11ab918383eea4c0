// The address index over ELF symbols (no DWARF), on shapes real binaries
// have: same-address aliases of different sizes and a sized local function
// nested in a larger one. addr2line and llvm-symbolizer agree on the
// aliases, and inside the nested symbol (llvm-symbolizer's answer is the
// oracle there: addr2line's depends on the order of the queries, as bfd
// caches the last function found). After the nested symbol ends they part:
// llvm-symbolizer names nothing, addr2line the nearest symbol below even
// though it has ended; we name the enclosing function, whose range covers it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cachedBuild, run, TESTDATA } from './build.ts';
import { addr2line, llvmSymbolizer } from './oracle.ts';
import { ObjectSymbolizer } from '../../src/symbolize/object.ts';

const src = join(TESTDATA, 'aliases');
const dir = cachedBuild('symbol-table', src, (out) => {
  run('gcc', ['-nostdlib', '-no-pie', '-o', join(out, 'aliases'), join(src, 'aliases.s')]);
});
const bin = join(dir, 'aliases');

function symbolAddress(name: string): number {
  const line = run('nm', [bin]).split('\n').find((l) => l.endsWith(` ${name}`));
  assert.ok(line, `nm lists ${name}`);
  return parseInt(line.split(' ')[0], 16);
}

function ourNames(addrs: number[]): string[] {
  const obj = ObjectSymbolizer.open(bin);
  try {
    return addrs.map((a) => obj.frames(a).map((f) => f.func).join(' > ') || '??');
  } finally {
    obj.close();
  }
}

function toolNames(m: Map<number, string[]>, addrs: number[]): string[] {
  // Each frame is "function file:line"; only the function is known without DWARF.
  return addrs.map((a) => (m.get(a) ?? []).map((f) => f.split(' ')[0]).join(' > ') || '??');
}

test('same-address aliases: the larger symbol names the code, as addr2line and llvm-symbolizer do', () => {
  const work = symbolAddress('work');
  assert.equal(symbolAddress('work_short'), work);
  const addrs = [work, work + 8, work + 15, work + 16, work + 30];
  const ours = ourNames(addrs);
  assert.deepEqual(toolNames(addr2line(bin, addrs), addrs), ours);
  assert.deepEqual(toolNames(llvmSymbolizer(bin, addrs), addrs), ours);
  assert.deepEqual(ours, ['work', 'work', 'work', 'work', 'work']);
  // The same with the smaller alias first in the symbol table.
  const pair = symbolAddress('pair');
  assert.equal(symbolAddress('pair_short'), pair);
  const pairAddrs = [pair, pair + 4, pair + 12];
  const pairOurs = ourNames(pairAddrs);
  assert.deepEqual(toolNames(addr2line(bin, pairAddrs), pairAddrs), pairOurs);
  assert.deepEqual(toolNames(llvmSymbolizer(bin, pairAddrs), pairAddrs), pairOurs);
  assert.deepEqual(pairOurs, ['pair', 'pair', 'pair']);
});

test('a nested local function names its own bytes; the enclosing function names the bytes after it', () => {
  const inner = symbolAddress('inner');
  const inside = [inner, inner + 7];
  assert.deepEqual(ourNames(inside), toolNames(llvmSymbolizer(bin, inside), inside));
  assert.deepEqual(ourNames(inside), ['inner', 'inner']);
  const after = [inner + 8, inner + 20];
  assert.deepEqual(toolNames(llvmSymbolizer(bin, after), after), ['??', '??'], 'llvm-symbolizer names no symbol there');
  // nm -S: work's range covers these addresses.
  const [start, size] = run('nm', ['-S', bin]).split('\n').find((l) => l.endsWith(' work'))!.split(' ').map((x) => parseInt(x, 16));
  for (const a of after) assert.ok(a >= start && a < start + size);
  assert.deepEqual(ourNames(after), ['work', 'work']);
  // Past the end of every symbol: the next symbol, or nothing.
  const other = symbolAddress('other');
  assert.deepEqual(ourNames([other + 15, other + 16]), ['other', '_start']);
});
