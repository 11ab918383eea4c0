// C (gcc -g -O2: inlining, DWARF 5) and Rust binaries: our names, files,
// lines and inline chains against addr2line -f -i -C and llvm-symbolizer on
// thousands of addresses inside functions. 99% must agree; every kind of
// disagreement we accept is named and explained in `explain` below.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { cachedBuild, run, TESTDATA } from './build.ts';
import { addr2line, compare, describe, llvmSymbolizer, ours, sampleAddresses, type Agreement } from './oracle.ts';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import { symbolizeProfile } from '../../src/symbolize/symbolizer.ts';
import { ElfFile, PT_LOAD } from '../../src/symbolize/elf.ts';
import { locationLines } from './strip.ts';

const csrc = join(TESTDATA, 'cprog');
const rsrc = join(TESTDATA, 'rustprog');
const cdir = cachedBuild('native-c', csrc, (out) => {
  const srcs = [join(csrc, 'main.c'), join(csrc, 'sortdemo.c')];
  run('gcc', ['-g', '-O2', '-o', join(out, 'cprog-pie'), ...srcs]);
  run('gcc', ['-g', '-O2', '-no-pie', '-fno-pie', '-o', join(out, 'cprog-nopie'), ...srcs]);
  run('gcc', ['-g', '-O2', '-gz=zlib', '-o', join(out, 'cprog-zlib'), ...srcs]);
  run('gcc', ['-g', '-O2', '-gz=zlib-gnu', '-o', join(out, 'cprog-zdebug'), ...srcs]);
  run('objcopy', ['--compress-debug-sections=zstd', join(out, 'cprog-pie'), join(out, 'cprog-zstd')]);
  // Debug info split off: the binary keeps a .gnu_debuglink to cprog-pie.debug next to it.
  run('objcopy', ['--only-keep-debug', join(out, 'cprog-pie'), join(out, 'cprog-pie.debug')]);
  run('objcopy', ['--strip-debug', '--add-gnu-debuglink=' + join(out, 'cprog-pie.debug'), join(out, 'cprog-pie'), join(out, 'cprog-split')]);
  // Fully stripped, but every function exported: only .dynsym is left.
  run('gcc', ['-g', '-O2', '-rdynamic', '-o', join(out, 'cprog-dynsym'), ...srcs]);
  run('strip', ['--strip-all', join(out, 'cprog-dynsym')]);
  run('gcc', ['-m32', '-g', '-O2', '-nostdlib', '-ffreestanding', '-static', '-fno-pie', '-no-pie', '-o', join(out, 'free32'), join(csrc, 'free32.c')]);
});
const rdir = cachedBuild('native-rust', rsrc, (out) => {
  run('rustc', ['-g', '-O', '-o', join(out, 'rustprog'), join(rsrc, 'main.rs')]);
  // LLVM's DWARF 5: string offsets (strx), address table (addrx), rnglistx.
  run('rustc', ['-g', '-O', '-C', 'dwarf-version=5', '-o', join(out, 'rustprog-dwarf5'), join(rsrc, 'main.rs')]);
});

/**
 * Accepted disagreements:
 * - 'alias': identical code folded under several symbol names (Rust/C++ ICF);
 *   both tools name the same code, with different aliases.
 */
function explain(mine: string[], theirs: string[]): string {
  const loc = (f: string) => f.slice(f.lastIndexOf(' ') + 1);
  if (mine.length === theirs.length && mine.every((m, i) => loc(m) === loc(theirs[i]))) return 'alias';
  return 'unexplained';
}


function check(a: Agreement, label: string, minAddrs = 100): void {
  const msg = `${label}: ${describe(a)}`;
  assert.ok(a.total >= minAddrs, `${label}: only ${a.total} addresses`);
  assert.ok(a.agree / a.total >= 0.99, msg);
  assert.equal(a.kinds.get('unexplained'), undefined, msg);
}

for (const bin of ['cprog-pie', 'cprog-nopie', 'free32']) {
  test(`${bin}: same frames as addr2line and llvm-symbolizer`, () => {
    const path = join(cdir, bin);
    const addrs = sampleAddresses(path, 1500);
    const mine = ours(path, addrs);
    const min = bin === 'free32' ? 50 : 400; // free32 has two small functions
    check(compare(addrs, mine, addr2line(path, addrs), explain), `${bin} vs addr2line`, min);
    check(compare(addrs, mine, llvmSymbolizer(path, addrs), explain), `${bin} vs llvm-symbolizer`, min);
    // The programs inline: make sure chains were compared, not just leaf names.
    const inner = bin === 'free32' ? 'sq' : 'clamp_add';
    assert.ok([...mine.values()].some((f) => f.length >= 2 && f[0].startsWith(inner)), 'inline chains present');
  });
}

// Compressed debug sections: same code as cprog-pie (only the debug sections differ), so the
// answers must equal the oracles' on the uncompressed build. (binutils 2.40 no longer reads
// .zdebug_*, and llvm-symbolizer 14 has no zstd, so they cannot be asked directly.)
for (const bin of ['cprog-zlib', 'cprog-zdebug', 'cprog-zstd']) {
  test(`${bin}: compressed DWARF gives the uncompressed build's frames`, () => {
    const plain = join(cdir, 'cprog-pie');
    const addrs = sampleAddresses(plain, 1500);
    const mine = ours(join(cdir, bin), addrs);
    assert.deepEqual(mine, ours(plain, addrs));
    check(compare(addrs, mine, addr2line(plain, addrs), explain), `${bin} vs addr2line on cprog-pie`, 400);
  });
}

test('rustprog: same frames as addr2line; same files and lines as llvm-symbolizer', () => {
  const path = join(rdir, 'rustprog');
  const addrs = sampleAddresses(path, 3000);
  const mine = ours(path, addrs);
  check(compare(addrs, mine, addr2line(path, addrs), explain), 'rustprog vs addr2line');
  // llvm-symbolizer 14 leaves Rust legacy escapes ($LT$ ...) in names; compare positions only.
  const posOnly = (m: Map<number, string[]>) => new Map([...m].map(([a, fs]) => [a, fs.map((f) => f.slice(f.lastIndexOf(' ') + 1))]));
  check(compare(addrs, posOnly(mine), posOnly(llvmSymbolizer(path, addrs)), () => 'unexplained'), 'rustprog vs llvm-symbolizer (positions)');
  assert.ok([...mine.values()].some((f) => f.some((x) => x.startsWith('<main::Circle as main::Shape>::area'))));
});

test('rustprog built with DWARF 5 (strx, addrx, rnglistx): same files, lines and inline depth as llvm-symbolizer', () => {
  const path = join(rdir, 'rustprog-dwarf5');
  const elf = ElfFile.open(path);
  assert.ok(elf.section('.debug_str_offsets') && elf.section('.debug_addr') && elf.section('.debug_rnglists'), 'DWARF 5 tables present');
  elf.close();
  const addrs = sampleAddresses(path, 3000);
  const mine = ours(path, addrs);
  // binutils 2.40 mis-resolves LLVM's DWARF 5 here (drops inline frames, odd paths); llvm-symbolizer is the oracle.
  const posOnly = (m: Map<number, string[]>) => new Map([...m].map(([a, fs]) => [a, fs.map((f) => f.slice(f.lastIndexOf(' ') + 1))]));
  check(compare(addrs, posOnly(mine), posOnly(llvmSymbolizer(path, addrs)), () => 'unexplained'), 'rustprog-dwarf5 vs llvm-symbolizer (positions)', 1000);
  for (const fs of mine.values()) for (const f of fs) assert.ok(!f.startsWith('_ZN') && !f.startsWith('_R'), `demangled: ${f}`);
});

test('a native profile with PIE mappings (start, limit, file offset) symbolizes like addr2line', async () => {
  const path = join(cdir, 'cprog-pie');
  const elf = ElfFile.open(path);
  const text = elf.segments.find((s) => s.type === PT_LOAD && (s.flags & 1))!;
  elf.close();
  // As /proc/self/maps shows it: the executable segment mapped at a page-aligned base, its file offset.
  const base = 0x555555554000;
  const start = base + text.vaddr;
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const m = b.addMapping({ start: BigInt(start), limit: BigInt(start + text.memsz), offset: BigInt(text.offset), file: path });
  const addrs = sampleAddresses(path, 200);
  for (const a of addrs) b.addSample([b.addLocation(BigInt(base + a), [], m)], [1]);
  const { profile, warnings } = await symbolizeProfile(b.build(), { mode: 'local', demangle: 'full' });
  assert.deepEqual(warnings, []);
  const want = addr2line(path, addrs);
  let same = 0;
  addrs.forEach((a, i) => {
    const got = locationLines(profile, i).map((l) => l.replace(/:0$/, ':?').replace(/^(\S+) :/, '$1 ??:'));
    if (JSON.stringify(got) === JSON.stringify(want.get(a))) same++;
  });
  assert.ok(same / addrs.length >= 0.99, `${same}/${addrs.length}`);
  assert.equal(profile.mappings[0].hasInlineFrames, true);
});

test('debug info split off with .gnu_debuglink is found next to the binary', async () => {
  const split = join(cdir, 'cprog-split');
  const plain = join(cdir, 'cprog-pie');
  const addrs = sampleAddresses(plain, 300);
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const m = b.addMapping({ start: 0n, limit: 0n, offset: 0n, file: split });
  for (const a of addrs) b.addSample([b.addLocation(BigInt(a), [], m)], [1]);
  const { profile } = await symbolizeProfile(b.build(), { mode: 'local' });
  const want = ours(plain, addrs);
  let same = 0;
  addrs.forEach((a, i) => {
    const got = locationLines(profile, i).map((l) => l.replace(/:0$/, ':?').replace(/^(\S+) :/, '$1 ??:'));
    if (JSON.stringify(got) === JSON.stringify(want.get(a))) same++;
  });
  assert.equal(same, addrs.length);
  assert.ok([...want.values()].some((f) => f.length > 1), 'inline frames came from the debug file');
});

test('damaged debug sections never throw: the symbol table still names functions', async () => {
  const { copyFileSync, openSync, writeSync, closeSync, mkdtempSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const plain = join(cdir, 'cprog-pie');
  const bad = join(mkdtempSync(join(tmpdir(), 'pprof-plus-damaged-')), 'cprog');
  copyFileSync(plain, bad);
  const elf = ElfFile.open(plain);
  const fd = openSync(bad, 'r+');
  let seed = 12345;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (const name of ['.debug_info', '.debug_line', '.debug_abbrev', '.debug_rnglists', '.debug_str_offsets']) {
    const s = elf.section(name);
    if (!s) continue;
    const junk = Buffer.alloc(Math.min(s.size, 4096));
    for (let i = 0; i < junk.length; i++) junk[i] = Math.floor(rand() * 256);
    writeSync(fd, junk, 0, junk.length, s.offset + Math.floor(rand() * Math.max(1, s.size - junk.length)));
  }
  closeSync(fd);
  elf.close();
  const addrs = sampleAddresses(plain, 300);
  const mine = ours(bad, addrs);
  const named = [...mine.values()].filter((f) => f.length > 0 && !f[0].startsWith('??')).length;
  assert.ok(named / addrs.length > 0.9, `${named}/${addrs.length} still named`);
});

test('a fully stripped binary is named from .dynsym', () => {
  const path = join(cdir, 'cprog-dynsym');
  const elf = ElfFile.open(path);
  assert.equal(elf.section('.symtab'), undefined);
  assert.equal(elf.section('.debug_info'), undefined);
  elf.close();
  const nm = run('nm', ['-D', '--defined-only', path]).split('\n').find((l) => / T work$/.test(l))!;
  const work = parseInt(nm.split(' ')[0], 16);
  const frames = ours(path, [work, work + 8]);
  assert.deepEqual(frames.get(work), ['work ??:?']);
  assert.deepEqual(frames.get(work + 8), ['work ??:?']);
});

test('GNU build IDs read from the note match readelf', () => {
  const path = join(cdir, 'cprog-pie');
  const want = /Build ID: ([0-9a-f]+)/.exec(run('readelf', ['-n', path]))![1];
  const elf = ElfFile.open(path);
  assert.equal(elf.buildId(), want);
  elf.close();
});
