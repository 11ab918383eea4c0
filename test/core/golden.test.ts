// Every case of test/golden/manifest.json (made by scripts/gen-golden.mjs
// from go1.19's `go tool pprof`) run through our CLI in-process: stdout
// must equal the golden file byte for byte.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from './helpers.ts';

const root = join(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(root, 'test/golden/manifest.json'), 'utf8')) as {
  cases: Array<{ name: string; args: string[]; fixtures: string[] }>;
};

/**
 * Cases known to differ, with the reason. Each entry must say why; the
 * list is meant to shrink to nothing.
 */
const EXPECTED_FAILURES = new Map<string, string>([
  // go tool pprof runs its demangler over every function whose Name equals
  // its SystemName, even when nothing needs symbolizing; its heuristic strips
  // the parenthesised part of the C++-looking name "(anonymous namespace)::Bar::Foo".
  // Our symbolizer (src/symbolize) returns early when all locations have lines.
  ['pproftest.longNameFuncs.text', 'demangling heuristics not applied to already-symbolized profiles'],
  ['pproftest.longNameFuncs.dot', 'demangling heuristics not applied to already-symbolized profiles'],
]);

process.chdir(root);
for (const c of manifest.cases) {
  const why = EXPECTED_FAILURES.get(c.name);
  test(`golden ${c.name}: pprof-plus ${c.args.join(' ')}`, { todo: why }, async () => {
    const want = readFileSync(join(root, 'test/golden', `${c.name}.txt`), 'latin1');
    const got = await runCli(c.args);
    assert.equal(got.code, 0, `exit status (stderr: ${got.stderr})`);
    assert.equal(got.stdout, want);
  });
}
