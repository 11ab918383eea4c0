// Byte-for-byte comparison with go1.19's `go tool pprof` on real Go
// profiles (fixtures/), for every case of cases.txt. The expected outputs
// in golden/ are written by gen-report-golden.sh, never by hand.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseProfileData } from '../../src/profile/load.ts';
import { generateReport, ReportError } from '../../src/report/report.ts';
import { mergeLikePprof, optionsFromFlags } from './pprof-flags.ts';

const here = new URL('.', import.meta.url).pathname;
const fixtures = join(here, 'fixtures');
process.env.TZ = 'UTC';
// pprof resolves -list sources against the working directory.
process.chdir(fixtures);

const cases = readFileSync(join(here, 'cases.txt'), 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '' && !l.startsWith('#'))
  .map((l) => {
    const [name, prof, flags] = l.split('|').map((s) => s.trim());
    return { name, prof, flags: flags.split(/\s+/).filter(Boolean) };
  });

const profiles = new Map<string, ReturnType<typeof parseProfileData>>();
function load(name: string) {
  let p = profiles.get(name);
  if (!p) {
    p = mergeLikePprof(parseProfileData(readFileSync(join(fixtures, name)), name));
    profiles.set(name, p);
  }
  return p;
}

for (const c of cases) {
  test(`${c.name}: go tool pprof ${c.flags.join(' ')} ${c.prof}`, () => {
    const p = load(c.prof);
    const opts = optionsFromFlags(p, c.flags);
    const goldenPath = join(here, 'golden', c.name + '.txt');
    if (!existsSync(goldenPath)) {
      assert.throws(() => generateReport(p, opts), ReportError);
      return;
    }
    const want = readFileSync(goldenPath, 'utf8');
    const got = generateReport(p, opts);
    assert.equal(got, want);
  });
}
