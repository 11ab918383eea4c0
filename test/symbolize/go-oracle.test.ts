// The Go runtime as oracle: a Go program writes CPU, heap and allocs
// profiles (the runtime names every frame, inlined ones included); we strip
// the names, symbolize against the binary (with and without -ldflags=-s -w,
// as a stripped PIE, and stripped for 386) and require exactly what the
// runtime wrote, for every location.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseProfileData } from '../../src/profile/load.ts';
import type { Profile } from '../../src/profile/model.ts';
import { ElfFile } from '../../src/symbolize/elf.ts';
import { symbolizeProfile } from '../../src/symbolize/symbolizer.ts';
import { runSymbolize } from '../../src/cli/cmd-symbolize.ts';
import { cachedBuild, goEnv, run, TESTDATA } from './build.ts';
import { locationLines, stripNames } from './strip.ts';
import { Writable } from 'node:stream';

const src = join(TESTDATA, 'goprog');
const bins = cachedBuild('go-oracle', src, (out) => {
  run('go', ['build', '-trimpath', '-o', join(out, 'goprog'), '.'], { cwd: src, env: goEnv() });
  run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', join(out, 'goprog-stripped'), '.'], { cwd: src, env: goEnv() });
  // Position-independent and stripped: loaded at a random base, pclntab in .data.rel.ro.gopclntab.
  run('go', ['build', '-trimpath', '-buildmode=pie', '-ldflags=-s -w', '-o', join(out, 'goprog-pie-stripped'), '.'], { cwd: src, env: goEnv() });
  // 32-bit: ELF32, 4-byte pointers in the pclntab header and moduledata.
  run('go', ['build', '-trimpath', '-ldflags=-s -w', '-o', join(out, 'goprog-386-stripped'), '.'], { cwd: src, env: { ...goEnv(), GOARCH: '386' } });
});

// Each binary writes its own profiles (addresses are the binary's own).
const work = mkdtempSync(join(tmpdir(), 'pprof-plus-go-oracle-'));
const profiles = new Map<string, Profile>();
for (const b of ['goprog', 'goprog-stripped', 'goprog-pie-stripped', 'goprog-386-stripped']) {
  const exe = join(work, b);
  copyFileSync(join(bins, b), exe);
  const out = join(work, b + '-out');
  mkdirSync(out, { recursive: true });
  run(exe, [out]);
  for (const kind of ['cpu', 'heap', 'allocs']) {
    const path = join(out, `${kind}.pb.gz`);
    profiles.set(`${b}/${kind}`, parseProfileData(readFileSync(path), path));
  }
}

for (const [name, original] of profiles) {
  test(`${name}: symbolizing the stripped profile gives exactly the runtime's frames`, async () => {
    const { profile, warnings } = await symbolizeProfile(stripNames(original), { mode: 'local' });
    assert.deepEqual(warnings, []);
    let compared = 0, inlined = 0;
    for (let i = 0; i < original.locations.length; i++) {
      const want = locationLines(original, i);
      if (want.length === 0) continue; // the runtime could not name it either
      assert.deepEqual(locationLines(profile, i), want, `location ${i} at 0x${original.locations.address[i].toString(16)}`);
      compared++;
      if (want.length > 1) inlined++;
    }
    assert.ok(compared >= 20, `compared ${compared} locations`);
    if (!name.endsWith('cpu')) assert.ok(inlined > 0, 'the profile exercises inlined frames');
    const m = profile.mappings[0];
    assert.equal(m.hasFunctions && m.hasLineNumbers && m.hasInlineFrames, true);
  });
}

test('go tool pprof-style debug/gosym mistake is not made: inlined callee keeps its own name', async () => {
  const original = profiles.get('goprog-stripped/allocs')!;
  const { profile } = await symbolizeProfile(stripNames(original), {});
  const names = new Set<string>();
  for (let i = 0; i < profile.locations.length; i++) for (const l of locationLines(profile, i)) names.add(l.split(' ')[0]);
  assert.ok(names.has('main.makeBuf'), 'inlined main.makeBuf is named');
  assert.ok(names.has('main.allocSmall'));
});

function sink(): Writable & { text: string } {
  const w = new Writable({ write(chunk, _e, cb) { w.text += chunk.toString(); cb(); } }) as Writable & { text: string };
  w.text = '';
  return w;
}

test('pprof-plus symbolize IN -o OUT writes a symbolized profile', async () => {
  const original = profiles.get('goprog/heap')!;
  const { encodeProfileGzip } = await import('../../src/profile/load.ts');
  const { writeFileSync } = await import('node:fs');
  const inPath = join(work, 'stripped-heap.pb.gz');
  writeFileSync(inPath, encodeProfileGzip(stripNames(original)));
  const stderr = sink();
  const code = await runSymbolize([inPath, '-o', 'sym-heap.pb.gz'], { stdout: sink(), stderr, env: {}, cwd: work, isTTY: false });
  assert.equal(code, 0, stderr.text);
  const out = parseProfileData(readFileSync(join(work, 'sym-heap.pb.gz')), 'out');
  for (let i = 0; i < original.locations.length; i++) {
    const want = locationLines(original, i);
    if (want.length) assert.deepEqual(locationLines(out, i), want);
  }
  assert.match(stderr.text, /locations symbolized/);
});

test('a binary whose build ID differs from the mapping is reported and not used', async () => {
  const original = profiles.get('goprog/heap')!;
  const stripped = stripNames(original);
  // Go 1.19's runtime records no build ID for its own mapping; agents record the Go one.
  // Point the mapping at the other build (-s -w changes the Go build ID).
  const elf = ElfFile.open(join(work, 'goprog'));
  const buildId = elf.buildId();
  elf.close();
  assert.notEqual(buildId, '');
  const wrong = { ...stripped, mappings: stripped.mappings.map((m, i) => (i === 0 ? { ...m, file: join(work, 'goprog-stripped'), buildId } : m)) };
  const { profile, warnings } = await symbolizeProfile(wrong, { mode: 'local', binaryPath: join(work, 'nowhere') });
  assert.ok(warnings.some((w) => /build ID .* does not match/.test(w)), warnings.join('\n'));
  assert.equal(locationLines(profile, 0).length, 0);
});

test('PPROF_BINARY_PATH finds the binary by base name when the mapping path is gone', async () => {
  const original = profiles.get('goprog/allocs')!;
  const stripped = stripNames(original);
  const moved = { ...stripped, mappings: stripped.mappings.map((m, i) => (i === 0 ? { ...m, file: '/no/such/dir/goprog' } : m)) };
  const { profile } = await symbolizeProfile(moved, { mode: 'local', binaryPath: `/nonexistent:${work}` });
  let same = 0;
  for (let i = 0; i < original.locations.length; i++) {
    const want = locationLines(original, i);
    if (want.length) { assert.deepEqual(locationLines(profile, i), want); same++; }
  }
  assert.ok(same > 20);
});
