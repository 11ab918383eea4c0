// profileToString against Go itself: `go tool pprof -raw` output and Go's
// own time/duration formatting (goldens from testdata/legacy/generate.sh).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLegacyText } from '../../src/profile/legacy/index.ts';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import { goDurationString, goTimeString, profileToString } from '../../src/profile/to-string.ts';
import { repoRoot } from '../helpers/paths.ts';

const dir = join(repoRoot, 'testdata/legacy');

for (const name of ['block', 'mutex']) {
  test(`${name}.debug1.txt read as go tool pprof reads it prints its -raw output`, () => {
    const file = join(dir, 'allprofiles/out', `${name}.debug1.txt`);
    const p = parseLegacyText(readFileSync(file), file, { goComments: false });
    assert.ok(p);
    assert.equal(profileToString(p), readFileSync(`${file}.raw`, 'utf8'));
  });
}

const table = readFileSync(join(dir, 'gofmt/out.txt'), 'utf8')
  .trimEnd()
  .split('\n')
  .map((l) => l.split('\t'));

test('times print as Go prints time.Unix(0, ns) in UTC', () => {
  for (const [ns, time] of table) assert.equal(goTimeString(BigInt(ns)), time, ns);
});

test('durations print as Go prints them, and %.4v cuts them to four characters', () => {
  for (const [ns, , cut, full] of table) {
    assert.equal(goDurationString(BigInt(ns)), full, ns);
    const b = new ProfileBuilder({ sampleTypes: [{ type: 'x', unit: 'count' }], durationNanos: BigInt(ns) });
    const line = profileToString(b.build()).split('\n').find((l) => l.startsWith('Duration: '));
    assert.equal(line, ns === '0' ? undefined : `Duration: ${cut}`, ns);
  }
});

test('labels print sorted, grouped by key, with units only when present', () => {
  const b = new ProfileBuilder({
    sampleTypes: [{ type: 'inuse_space', unit: 'bytes' }],
    defaultSampleType: 'inuse_space',
    comments: ['hello'],
    docUrl: 'https://example.com/doc',
    timeNanos: 1700000000123000000n,
  });
  const fn = b.addFunction('main.f', 'main.f', 'f.go', 3);
  const loc = b.addLocation(0x1234n, [{ fn, line: 7, column: 2 }]);
  const ls = b.addLabelSet(
    [
      ['z', 'last'],
      ['a', 'x'],
      ['a', 'y'],
    ],
    [
      { key: 'bytes', value: 64, unit: '' },
      { key: 'alignment', value: 8, unit: 'bytes' },
    ],
  );
  b.addSample([loc], [-5], ls);
  const p = b.build();
  const go119 = [
    'Comment: hello',
    'Period: 0',
    'Time: 2023-11-14 22:13:20.123 +0000 UTC',
    'Samples:',
    'inuse_space/bytes[dflt]',
    '         -5: 1 ',
    '                a:[x y] z:[last]',
    '                alignment:[8 bytes] bytes:[64]',
    'Locations',
    '     1: 0x1234 main.f f.go:7 s=3',
    'Mappings',
    '',
  ].join('\n');
  assert.equal(profileToString(p), go119);
  const latest = go119
    .replace('Comment: hello\n', 'Comment: hello\nDoc: https://example.com/doc\n')
    .replace('f.go:7 s=3', 'f.go:7:2 s=3');
  assert.equal(profileToString(p, 'latest'), latest);
});
