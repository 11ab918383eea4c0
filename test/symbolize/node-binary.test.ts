// /usr/bin/node (99 MB, C++, .symtab with ~100k functions and a little
// DWARF): names for addresses across the binary must match addr2line -f -i -C.
// go tool pprof names none of them; binutils takes seconds.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, realpathSync } from 'node:fs';
import { addr2line, compare, describe, ours, sampleAddresses } from './oracle.ts';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import { symbolizeProfile } from '../../src/symbolize/symbolizer.ts';
import { locationLines } from './strip.ts';

const NODE = '/usr/bin/node';
const skip = !existsSync(NODE) ? 'no /usr/bin/node' : false;

test('/usr/bin/node: function names, files and lines agree with addr2line', { skip }, () => {
  const path = realpathSync(NODE);
  const addrs = sampleAddresses(path, 2000);
  const a = compare(addrs, ours(path, addrs), addr2line(path, addrs), (m, t) => {
    // Identical-code folding and the demangler: see demangle.test.ts for the demangler's own check.
    if (m.length === t.length && m.every((x, i) => x.slice(x.lastIndexOf(' ')) === t[i].slice(t[i].lastIndexOf(' ')))) return 'name';
    return 'unexplained';
  });
  assert.ok(a.agree / a.total >= 0.99, describe(a));
  assert.equal(a.kinds.get('unexplained'), undefined, describe(a));
});

test('/usr/bin/node: a profile of its addresses gets simplified C++ names, like pprof', { skip }, async () => {
  const path = realpathSync(NODE);
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const m = b.addMapping({ start: 0x400000n, limit: 0x8000000n, offset: 0n, file: path });
  const addrs = sampleAddresses(path, 300);
  for (const a of addrs) b.addSample([b.addLocation(BigInt(a), [], m)], [1]);
  const { profile } = await symbolizeProfile(b.build(), {});
  let named = 0;
  for (let i = 0; i < profile.locations.length; i++) {
    const lines = locationLines(profile, i);
    if (lines.length) named++;
    for (const l of lines) {
      const fn = l.slice(0, l.lastIndexOf(' '));
      assert.ok(!fn.startsWith('_Z'), `demangled: ${fn}`);
      // Default display drops parameter lists (pprof's simplified names).
      assert.ok(!/\)( const)?$/.test(fn) || fn.endsWith('operator()'), `no parameters: ${fn}`);
    }
  }
  assert.equal(named, profile.locations.length);
});
