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
const EXPECTED_FAILURES = new Map<string, string>([]);

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

test('the golden cases exercise every option of issue 2 on real runtime profiles', () => {
  const options = [
    'top', 'text', 'traces', 'tags', 'peek', 'tree', 'raw', 'list', 'source_path', 'trim_path', 'dot',
    'sample_index', 'mean', 'base', 'diff_base', 'normalize', 'focus', 'ignore', 'hide', 'show', 'show_from',
    'prune_from', 'tagfocus', 'tagignore', 'tagshow', 'taghide', 'nodecount', 'nodefraction', 'edgefraction',
    'cum', 'flat', 'functions', 'filefunctions', 'files', 'lines', 'addresses', 'noinlines', 'unit', 'divide_by',
    'relative_percentages', 'compact_labels', 'inuse_space', 'inuse_objects', 'alloc_space', 'alloc_objects',
    'total_delay', 'contentions', 'mean_delay',
  ];
  const used = new Set<string>();
  for (const c of manifest.cases) {
    if (c.name.startsWith('pproftest.')) continue;
    for (const a of c.args) if (a.startsWith('-')) used.add(a.slice(1).split('=')[0]);
  }
  assert.deepEqual(options.filter((o) => !used.has(o)), []);
  const kinds = ['heap.pb.gz', 'allocs.pb.gz', 'cpu.pb.gz', 'goroutine.pb.gz', 'block.pb.gz', 'mutex.pb.gz', 'threadcreate.pb.gz', 'series/heap.'];
  const files = manifest.cases.flatMap((c) => c.fixtures).join(' ');
  assert.deepEqual(kinds.filter((k) => !files.includes(k)), []);
});
