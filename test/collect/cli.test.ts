// The collect and export command lines: what a user sees on mistakes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../src/cli/main.ts';
import type { CommandIO } from '../../src/cli/io.ts';

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const io: CommandIO = { stdout, stderr, env: {}, cwd: process.cwd(), isTTY: false };
  const code = await main(args, io);
  return { code, out, err };
}

test('collect: usage mistakes exit 2 with one line and a hint', async () => {
  let r = await run(['collect', '-dir', '/tmp/x']);
  assert.equal(r.code, 2);
  assert.match(r.err, /^pprof-plus: collect: no -target given\nExample: pprof-plus collect -target localhost:6060 -dir \.\/profiles\n$/);
  r = await run(['collect', '-target', 'localhost:1', '-dir', '/tmp/x', '-every', 'often']);
  assert.equal(r.code, 2);
  assert.match(r.err, /invalid -every "often"/);
  r = await run(['collect', '-target', 'localhost:1', '-dir', '/tmp/x', '-types', 'heap,cpuu']);
  assert.equal(r.code, 1);
  assert.match(r.err, /unknown profile type "cpuu" in -types/);
  r = await run(['collect', '-target', 'localhost:1', '-dir', '/tmp/x', '-trigger', 'goroutines >> 5']);
  assert.equal(r.code, 1);
  assert.match(r.err, /invalid -trigger "goroutines >> 5"/);
  r = await run(['collect', '-h']);
  assert.equal(r.code, 0);
  assert.match(r.out, /-every=DURATION\s+Interval between rounds/);
});

test('collect against a port where nothing listens: stores nothing, says so once, exits 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-cli-'));
  try {
    const r = await run(['collect', '-target', '127.0.0.1:1', '-dir', dir, '-every', '50ms', '-count', '3']);
    assert.equal(r.code, 1);
    assert.equal(r.err.match(/connection refused/g)?.length, 1, r.err);
    assert.match(r.err, /stopped after 3 round\(s\): 0 snapshots stored/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export: a directory that is not a store is an input error', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pprof-cli-'));
  try {
    const r = await run(['export', '-dir', dir, '-out', join(dir, 'out')]);
    assert.equal(r.code, 1);
    assert.equal(r.err, `pprof-plus: ${dir}: not a pprof-plus store (no pprof-plus-store.json)\n`);
    assert.equal((await run(['export', '-dir', dir])).code, 2);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
