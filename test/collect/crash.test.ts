// The collector as a real process: kill -9 at a random moment loses no
// finished snapshot and the store reopens; a restart continues the store;
// SIGTERM stops cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/collect/store.ts';
import { repoRoot } from '../helpers/paths.ts';
import { startService } from './service.ts';

function collector(args: string[]): { proc: ChildProcess; stderr: () => string; exit: Promise<{ code: number | null; signal: string | null }> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'test/collect/cli-entry.ts'), 'collect', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  proc.stderr!.on('data', (d) => (err += d));
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  return { proc, stderr: () => err, exit };
}

async function snapshotCount(dir: string, type: string): Promise<number> {
  try {
    return (await (await openStore(dir)).readSnapshots({ type })).length;
  } catch {
    return 0;
  }
}

async function waitFor(what: string, cond: () => Promise<boolean>, ms = 30000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('kill -9 mid-run keeps every finished snapshot; restart continues; SIGTERM stops cleanly', async () => {
  const svc = await startService(['-tick', '10ms']);
  const dir = mkdtempSync(join(tmpdir(), 'pprof-crash-'));
  try {
    const args = ['-target', svc.url, '-dir', dir, '-every', '60ms', '-types', 'heap,goroutine'];
    // Three collectors killed at arbitrary points of a round: whatever was
    // readable before each kill is finished and must survive it.
    let heaps: Awaited<ReturnType<Awaited<ReturnType<typeof openStore>>['readSnapshots']>> = [];
    for (const [i, delay] of [37, 11, 83].entries()) {
      const c = collector(args);
      const target = heaps.length + 4;
      await waitFor(`snapshots from collector ${i + 1}`, async () => (await snapshotCount(dir, 'heap')) >= target);
      await new Promise((r) => setTimeout(r, delay));
      const finished = await (await openStore(dir)).readSnapshots({ type: 'heap' });
      c.proc.kill('SIGKILL');
      assert.equal((await c.exit).signal, 'SIGKILL');
      const reopened = await (await openStore(dir)).readSnapshots({ type: 'heap' });
      assert.ok(reopened.length >= finished.length, `had ${finished.length} finished, reopened with ${reopened.length}`);
      assert.deepEqual(reopened.slice(0, finished.length).map((s) => s.timeMs), finished.map((s) => s.timeMs));
      for (const s of reopened) assert.ok(s.profile.samples.length > 0);
      assert.ok(existsSync(join(dir, 'collector.lock')), 'the dead collector left its lock');
      heaps = reopened;
    }
    // Restart on the same store: it takes over the stale lock and appends.
    const c2 = collector([...args, '-count', '3']);
    const r2 = await c2.exit;
    assert.equal(r2.code, 0, c2.stderr());
    const after = await (await openStore(dir)).readSnapshots({ type: 'heap' });
    assert.equal(after.length, heaps.length + 3);
    assert.deepEqual(after.slice(0, heaps.length).map((s) => s.timeMs), heaps.map((s) => s.timeMs));

    // SIGTERM: clean stop, lock released, exit 0.
    const c3 = collector(args);
    await waitFor('the third collector', async () => (await snapshotCount(dir, 'heap')) >= after.length + 2);
    c3.proc.kill('SIGTERM');
    const r3 = await c3.exit;
    assert.equal(r3.code, 0, c3.stderr());
    assert.match(c3.stderr(), /SIGTERM: finishing the current round and stopping/);
    assert.match(c3.stderr(), /stopped after \d+ round\(s\)/);
    assert.equal(existsSync(join(dir, 'collector.lock')), false);
  } finally {
    await svc.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
