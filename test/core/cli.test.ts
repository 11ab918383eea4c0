// The pprof driver beyond the golden reports: -proto output that
// go tool pprof reads back, -output files, merging, usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root, runCli } from './helpers.ts';

const P = 'testdata/core/profiles/';
const haveGo = spawnSync('go', ['version']).status === 0;

function goPprof(args: string[]): string {
  return execFileSync('go', ['tool', 'pprof', ...args], { cwd: root, env: { ...process.env, TZ: 'UTC' } }).toString('latin1');
}

test('-proto writes a gzipped profile that go tool pprof reads with the same -top', { skip: !haveGo }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-plus-proto-'));
  try {
    const out = join(dir, 'merged.pb.gz');
    const r = await runCli(['-proto', `-output=${out}`, `${P}series/heap.2.pb.gz`, `${P}series/heap.3.pb.gz`]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Generating report in .*merged\.pb\.gz/);
    const bytes = readFileSync(out);
    assert.deepEqual([bytes[0], bytes[1]], [0x1f, 0x8b], 'gzip magic');
    // go tool pprof on our file must print what it prints on the two inputs merged.
    const ours = goPprof(['-top', '-sample_index=alloc_space', out]);
    const theirs = goPprof(['-top', '-sample_index=alloc_space', `${P}series/heap.2.pb.gz`, `${P}series/heap.3.pb.gz`]);
    assert.equal(ours, theirs);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-proto with -focus and -base keeps only what the report would show', { skip: !haveGo }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-plus-proto-'));
  try {
    const out = join(dir, 'diff.pb.gz');
    const r = await runCli(['-proto', '-focus=cache', `-base=${P}series/heap.1.pb.gz`, `-output=${out}`, `${P}series/heap.5.pb.gz`]);
    assert.equal(r.code, 0, r.stderr);
    const top = goPprof(['-top', out]);
    assert.match(top, /main\.\(\*cache\)\.fill/);
    assert.doesNotMatch(top, /main\.allocSmall/);
    const want = goPprof(['-top', '-focus=cache', `-base=${P}series/heap.1.pb.gz`, `${P}series/heap.5.pb.gz`]);
    // Same flat and cum values per function; percentages differ since our file holds only the focused samples.
    const rows = (s: string) =>
      s.split('\n').filter((l) => /^\s+\S+\s+\S+%/.test(l)).map((l) => { const c = l.trim().split(/\s+/); return [c[0], c[3], c.slice(5).join(' ')].join(' '); }).join('\n');
    assert.equal(rows(top), rows(want));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-proto without -output writes the profile to a non-terminal stdout', async () => {
  const r = await runCli(['-proto', `${P}mutex.pb.gz`]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual([r.stdoutBytes[0], r.stdoutBytes[1]], [0x1f, 0x8b]);
});

test('-output=FILE writes the report there, not to stdout', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-plus-out-'));
  try {
    const out = join(dir, 'top.txt');
    const r = await runCli(['-top', `-output=${out}`, `${P}heap.pb.gz`]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(readFileSync(out, 'latin1'), readFileSync(join(root, 'test/golden/heap.top.txt'), 'latin1'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-h prints the usage with the flags and exits 0', async () => {
  const r = await runCli(['-h']);
  assert.equal(r.code, 0);
  for (const f of ['-top', '-sample_index', '-diff_base', '-tagfocus', '-nodefraction', '-output']) assert.ok(r.stdout.includes(f), f);
});

test('usage errors exit 2 with a hint', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['-top', '-traces', `${P}heap.pb.gz`], /at most one output format/],
    [['-top', '-lines', '-files', `${P}heap.pb.gz`], /conflicting options/],
    [['-top', `-base=${P}heap.pb.gz`, `-diff_base=${P}heap.pb.gz`, `${P}heap.pb.gz`], /cannot both be specified/],
    [['-top', '-normalize', `${P}heap.pb.gz`], /must have base profile/i],
    [['-top', '-nosuchflag', `${P}heap.pb.gz`], /-nosuchflag/],
    [['-top'], /source/],
    [['-top', '-sample_index=nosuch', `${P}heap.pb.gz`], /sample_index/],
  ];
  for (const [args, re] of cases) {
    const r = await runCli(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.ok(r.stderr.trim().split('\n').length <= 2, 'message and hint only');
    assert.equal(r.stdout, '');
  }
});

test('a filter that matches nothing warns on stderr like pprof', async () => {
  const r = await runCli(['-top', '-focus=no_such_function', `${P}heap.pb.gz`]);
  assert.equal(r.code, 0);
  assert.match(r.stderr, /Focus expression matched no samples/);
});

test('-output is not created when loading fails', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-plus-out-'));
  try {
    const out = join(dir, 'never.txt');
    const r = await runCli(['-top', `-output=${out}`, join(dir, 'missing.pb.gz')]);
    assert.equal(r.code, 1);
    assert.equal(existsSync(out), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('-top on the debug=1 text heap profile names the same rows as on its proto twin', async () => {
  const rows = (s: string) => s.split('\n').filter((l) => /^\s+\S+\s+\S+%/.test(l));
  const text = await runCli(['-top', `${P}heap.debug1.txt`]);
  const proto = await runCli(['-top', `${P}heap.pb.gz`]);
  assert.equal(text.code, 0, text.stderr);
  assert.ok(rows(proto.stdout).length >= 5);
  assert.deepEqual(rows(text.stdout), rows(proto.stdout));
});
