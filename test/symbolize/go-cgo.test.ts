// cgo: external linking puts C code before runtime.text, so the pclntab's
// PCs are not relative to .text. Go frames must still equal what the runtime
// wrote (with and without -ldflags=-s -w, and as a stripped PIE whose
// pclntab has no section of its own), and C code in the same binary
// is named from its DWARF like llvm-symbolizer names it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProfileData } from '../../src/profile/load.ts';
import { ElfFile } from '../../src/symbolize/elf.ts';
import { SymbolTable } from '../../src/symbolize/elf-symbols.ts';
import { symbolizeProfile } from '../../src/symbolize/symbolizer.ts';
import { cachedBuild, goEnv, run, TESTDATA } from './build.ts';
import { llvmSymbolizer, ours } from './oracle.ts';
import { locationLines, stripNames } from './strip.ts';

const src = join(TESTDATA, 'cgoprog');
const env = { ...goEnv(), CGO_ENABLED: '1' };
const bins = cachedBuild('go-cgo', src, (out) => {
  run('go', ['build', '-trimpath', '-o', join(out, 'cgoprog'), '.'], { cwd: src, env });
  run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', join(out, 'cgoprog-stripped'), '.'], { cwd: src, env });
  // External-link PIE: the pclntab has no section of its own (folded into .data.rel.ro) and
  // runtime.firstmoduledata's pointers exist only as RELATIVE relocations.
  run('go', ['build', '-trimpath', '-buildmode=pie', '-ldflags=-s -w', '-o', join(out, 'cgoprog-pie-stripped'), '.'], { cwd: src, env });
});
const work = mkdtempSync(join(tmpdir(), 'pprof-plus-go-cgo-'));

test('the cgo binary really has C code before runtime.text', () => {
  const elf = ElfFile.open(join(bins, 'cgoprog'));
  const syms = SymbolTable.fromElf(elf)!;
  const text = elf.section('.text')!.addr;
  elf.close();
  const runtimeText = syms.lookup(text + 0x100)?.name;
  assert.notEqual(runtimeText, 'runtime.text', 'some C function sits at the start of .text');
});

for (const b of ['cgoprog', 'cgoprog-stripped', 'cgoprog-pie-stripped']) {
  test(`${b}: Go frames of a cgo program's CPU profile equal the runtime's`, async () => {
    const exe = join(work, b);
    copyFileSync(join(bins, b), exe);
    if (b.includes('pie')) {
      const elf = ElfFile.open(exe);
      assert.equal(elf.section('.gopclntab') ?? elf.section('.data.rel.ro.gopclntab'), undefined, 'pclntab folded into .data.rel.ro');
      elf.close();
    }
    const out = join(work, b + '-out');
    mkdirSync(out);
    run(exe, [out]);
    const path = join(out, 'cpu.pb.gz');
    const original = parseProfileData(readFileSync(path), path);
    const { profile, warnings } = await symbolizeProfile(stripNames(original), { mode: 'local' });
    assert.deepEqual(warnings, []);
    let compared = 0;
    for (let i = 0; i < original.locations.length; i++) {
      const want = locationLines(original, i);
      if (!want.length) continue;
      assert.deepEqual(locationLines(profile, i), want, `location 0x${original.locations.address[i].toString(16)}`);
      compared++;
    }
    assert.ok(compared >= 15, `${compared} locations`);
  });
}

// Not addr2line: binutils 2.40 names the file of these rows main.cgo2.c (DWARF 5 file 0) where the
// line program says file 1, main.go (the cgo preamble, via #line); llvm-symbolizer and we follow the table.
test('C code inside the cgo binary: same frames as llvm-symbolizer', () => {
  const path = join(bins, 'cgoprog');
  const elf = ElfFile.open(path);
  const syms = SymbolTable.fromElf(elf)!;
  elf.close();
  // Walk the C function `spin` (with `mix` inlined into it).
  const nmLine = run('nm', ['-S', path]).split('\n').find((l) => / T spin$/.test(l))!;
  const [start, size] = nmLine.split(' ').map((x) => parseInt(x, 16));
  assert.equal(syms.lookup(start)?.name, 'spin');
  const addrs: number[] = [];
  for (let a = start; a < start + size; a++) addrs.push(a);
  const mine = ours(path, addrs);
  const theirs = llvmSymbolizer(path, addrs);
  for (const a of addrs) assert.deepEqual(mine.get(a), theirs.get(a), `0x${a.toString(16)}`);
  assert.ok([...mine.values()].some((f) => f.length === 2 && f[0].startsWith('mix ')), 'inlined C frames');
});
