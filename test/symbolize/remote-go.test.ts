// Remote symbolization against a real Go program: fetch its heap profile
// over HTTP, strip the names, and ask its /debug/pprof/symbol endpoint.
// The endpoint answers with runtime.FuncForPC, i.e. the innermost function
// at each address, which must be the first line the runtime itself wrote.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { parseProfileData } from '../../src/profile/load.ts';
import { symbolizeProfile } from '../../src/symbolize/symbolizer.ts';
import { cachedBuild, goEnv, run, TESTDATA } from './build.ts';
import { locationLines, stripNames } from './strip.ts';

const src = join(TESTDATA, 'symserver');
const dir = cachedBuild('remote-go', src, (out) => {
  run('go', ['build', '-trimpath', '-o', join(out, 'symserver'), '.'], { cwd: src, env: goEnv() });
});

test('remote: names from a live Go program equal the innermost frames the runtime wrote', async () => {
  const child = spawn(join(dir, 'symserver'), [], { stdio: ['pipe', 'pipe', 'inherit'] });
  try {
    const addr = await new Promise<string>((resolve, reject) => {
      createInterface({ input: child.stdout! }).once('line', resolve);
      child.once('error', reject);
    });
    const url = `http://${addr}/debug/pprof/heap`;
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const original = parseProfileData(new Uint8Array(await res.arrayBuffer()), url);
    // The binary path in the mapping is hidden from the local symbolizer: remote must do the work.
    const { profile, warnings } = await symbolizeProfile(stripNames(original), { mode: 'remote', sourceUrl: url });
    assert.deepEqual(warnings, []);
    let compared = 0;
    for (let i = 0; i < original.locations.length; i++) {
      const want = locationLines(original, i);
      if (!want.length) continue;
      const got = locationLines(profile, i);
      assert.equal(got.length, 1, 'one name per address');
      assert.equal(got[0].split(' ')[0], want[0].split(' ')[0], `0x${original.locations.address[i].toString(16)}`);
      compared++;
    }
    assert.ok(compared >= 10, `${compared} locations`);
    const names = new Set<string>();
    for (let i = 0; i < profile.locations.length; i++) for (const l of locationLines(profile, i)) names.add(l.split(' ')[0]);
    assert.ok(names.has('main.grow'), 'the inlined allocation site is named');
  } finally {
    child.stdin!.end();
    child.kill();
  }
});
