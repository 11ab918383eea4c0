// The demangler against c++filt (binutils) on real symbol tables: C++ from
// /usr/bin/node and Rust (legacy and v0) from the Rust test program.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { demangle } from '../../src/symbolize/demangle.ts';
import { cachedBuild, run, TESTDATA } from './build.ts';
import { normalizeName } from './oracle.ts';

function mangledSymbols(bin: string, prefix: RegExp, every = 1): string[] {
  const names = run('nm', ['--defined-only', bin]).split('\n').map((l) => l.slice(l.lastIndexOf(' ') + 1)).filter((n) => prefix.test(n));
  const uniq = [...new Set(names)].sort();
  return uniq.filter((_, i) => i % every === 0);
}

// c++filt runs with DMGL_VERBOSE, which spells std::string & co. out in full; addr2line and
// pprof do not. Fold both sides to the short spelling before comparing.
function unverbose(s: string): string {
  return s
    .replaceAll('std::basic_string<char, std::char_traits<char>, std::allocator<char> >', 'std::string')
    .replaceAll('std::basic_ostream<char, std::char_traits<char> >', 'std::ostream')
    .replaceAll('std::basic_istream<char, std::char_traits<char> >', 'std::istream')
    .replaceAll('std::basic_iostream<char, std::char_traits<char> >', 'std::iostream');
}

function agreement(syms: string[], norm: (s: string) => string): { rate: number; bad: string[] } {
  const want = run('c++filt', [], { input: syms.join('\n') + '\n' }).split('\n');
  const bad: string[] = [];
  syms.forEach((s, i) => {
    const got = norm(demangle(s, 'full'));
    if (got !== norm(want[i])) bad.push(`${s}\n  c++filt: ${want[i]}\n  ours:    ${got}`);
  });
  return { rate: 1 - bad.length / syms.length, bad };
}

test('C++: agrees with c++filt on symbols of /usr/bin/node', { skip: !existsSync('/usr/bin/node') && 'no node' }, () => {
  const syms = mangledSymbols('/usr/bin/node', /^_Z/, 8);
  assert.ok(syms.length > 5000);
  const { rate, bad } = agreement(syms, unverbose);
  // Known gaps (each < 0.1%): c++filt's own ">>" spelling in some nested templates, generic
  // lambdas with explicit template parameters, and `&(fn(args))` for template function pointers.
  assert.ok(rate >= 0.99, `${(rate * 100).toFixed(2)}%\n${bad.slice(0, 10).join('\n')}`);
});

test('Rust: agrees with c++filt on legacy and v0 symbols (without hashes)', () => {
  const src = join(TESTDATA, 'rustprog');
  const dir = cachedBuild('demangle-rust', src, (out) => run('rustc', ['-g', '-O', '-o', join(out, 'rustprog'), join(src, 'main.rs')]));
  const syms = mangledSymbols(join(dir, 'rustprog'), /^(_R|_ZN.*17h[0-9a-f]{16}E)/);
  assert.ok(syms.some((s) => s.startsWith('_R')) && syms.some((s) => s.startsWith('_ZN')), 'both manglings present');
  // We print rustc-demangle's short form: no crate disambiguators, no legacy hash.
  const { rate, bad } = agreement(syms, (s) => normalizeName(s.replace(/\[[0-9a-f]{16}\]/g, '')));
  assert.ok(rate >= 0.99, `${(rate * 100).toFixed(2)}%\n${bad.slice(0, 10).join('\n')}`);
});

test('display modes follow pprof: simple drops parameters and template arguments', () => {
  const sym = '_ZNK2v88internal8compiler9Operator1INS0_17ExternalArrayTypeENS1_9OpEqualToIS3_EENS1_6OpHashIS3_EEE14PrintParameterERSoNS1_8Operator14PrintVerbosityE';
  assert.equal(demangle(sym, 'simple'), 'v8::internal::compiler::Operator1::PrintParameter');
  assert.equal(
    demangle(sym, 'templates'),
    'v8::internal::compiler::Operator1<v8::internal::ExternalArrayType, v8::internal::compiler::OpEqualTo<v8::internal::ExternalArrayType>, v8::internal::compiler::OpHash<v8::internal::ExternalArrayType> >::PrintParameter',
  );
  assert.equal(demangle(sym, 'none'), sym);
  assert.equal(demangle('_ZN2v88internal4HeapltERKS1_', 'simple'), 'v8::internal::Heap::operator<');
  assert.equal(demangle('_ZZN4node6ReportEvENKUlvE_clEv', 'simple'), 'node::Report::{lambda()#1}::operator()');
  assert.equal(demangle('_ZZN4node2fsL5MKDirERKN2v820FunctionCallbackInfoINS1_5ValueEEEE20error_and_abort_args_0', 'simple'), 'node::fs::MKDir::error_and_abort_args');
  assert.equal(demangle('_ZN2v88internal4Heap7CollectEv.cold', 'simple'), 'v8::internal::Heap::Collect [clone .cold]');
  assert.equal(demangle('_ZN44_$LT$main..Circle$u20$as$u20$main..Shape$GT$4area17h44c793aa552ae66bE', 'simple'), '<main::Circle as main::Shape>::area');
  assert.equal(demangle('_RINvNtCs1234_4core3ptr13drop_in_placeNtCs5678_5alloc6StringEB4_', 'simple'), 'core::ptr::drop_in_place');
  assert.equal(demangle('_RINvNtCs1234_4core3ptr13drop_in_placeNtCs5678_5alloc6StringEB4_', 'templates'), 'core::ptr::drop_in_place::<alloc::String>');
  assert.equal(demangle('main', 'simple'), 'main');
  assert.equal(demangle('_Znot_mangled', 'full'), '_Znot_mangled');
});
