// The ranking on profiles the Go runtime wrote: our scenario corpus
// (testdata/leaks, several MemProfileRates) and the shared labelled corpus.
// Every labelled leak is a candidate ranked above every other site, no
// noise function is a candidate, and no-leak programs give an empty list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInputFile, profileTimeMs } from '../../src/profile/load.ts';
import { LeakRanker } from '../../src/leak/rank.ts';
import type { LeakReport } from '../../src/leak/report-types.ts';
import { repoRoot, sharedDir } from '../helpers/paths.ts';

async function rankDir(dir: string): Promise<LeakReport> {
  const r = new LeakRanker({ all: true });
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.pb.gz')).sort()) {
    const p = (await readInputFile(join(dir, f))).profile;
    r.add(f, p, profileTimeMs(p));
  }
  return r.finish();
}

function labelled(dir: string): { leaks: string[]; noise: string[] } {
  const j = JSON.parse(readFileSync(join(dir, 'labels.json'), 'utf8')) as { leaks: string; noise: string };
  const list = (s: string): string[] => (s === '-' || s === '' ? [] : s.split(','));
  return { leaks: list(j.leaks), noise: list(j.noise) };
}

function checkCase(dir: string, rep: LeakReport): void {
  const { leaks, noise } = labelled(dir);
  const fns = rep.candidates.map((c) => c.function);
  if (leaks.length === 0) {
    assert.deepEqual(fns, [], `${dir}: no leak, yet candidates ${fns.join(', ')}`);
    return;
  }
  for (const l of leaks) assert.ok(fns.includes(l), `${dir}: leak ${l} missing from candidates [${fns.join(', ')}]`);
  for (const nz of noise) assert.ok(!fns.includes(nz), `${dir}: noise ${nz} among candidates [${fns.join(', ')}]`);
  // Every labelled leak's best rank comes before any other function's first appearance.
  const firstOther = fns.findIndex((f) => !leaks.includes(f));
  const lastLeakBest = Math.max(...leaks.map((l) => fns.indexOf(l)));
  if (firstOther >= 0) assert.ok(lastLeakBest < firstOther, `${dir}: ${fns[firstOther]} ranked above a labelled leak: [${fns.join(', ')}]`);
  // And above every site that was not kept (those rank after all candidates by construction).
  for (const c of rep.candidates.filter((c) => leaks.includes(c.function))) {
    assert.ok(c.inuse_bytes.length === rep.snapshots.length, 'one value per snapshot');
    assert.match(c.explanation, /grew in \d+ of \d+ intervals/);
  }
}

const ours = join(repoRoot, 'testdata/leaks');
const scenarioDirs = readdirSync(ours).filter((d) => existsSync(join(ours, d, 'labels.json'))).sort();

test('scenario corpus covers several MemProfileRates including the default', () => {
  assert.ok(scenarioDirs.some((d) => d.endsWith('-r524288')));
  assert.ok(new Set(scenarioDirs.map((d) => d.replace(/.*-r/, ''))).size >= 3);
  assert.ok(scenarioDirs.length >= 20, `only ${scenarioDirs.length} scenario runs`);
});

for (const d of scenarioDirs) {
  test(`scenario ${d}: leaks on top, no noise, nothing for no-leak programs`, async () => {
    const dir = join(ours, d);
    checkCase(dir, await rankDir(dir));
  });
}

const shared = join(sharedDir(), 'corpus/leaks');
const sharedCases = existsSync(shared) ? readdirSync(shared).filter((d) => existsSync(join(shared, d, 'labels.json'))).sort() : [];
for (const d of sharedCases) {
  test(`shared corpus ${d}`, async () => {
    const dir = join(shared, d);
    checkCase(dir, await rankDir(dir));
  });
}

test('blocked goroutines are attached to the buffers they hold', async () => {
  const rep = await rankDir(join(ours, 'goroutines-timers-r65536'));
  const c = rep.candidates.find((x) => x.function === 'main.holdBuffer');
  assert.ok(c);
  assert.equal(c.goroutines.length, 1);
  assert.ok(c.goroutines[0].shared_frames.includes('main.holdBuffer'));
  assert.ok(c.goroutines[0].count[c.goroutines[0].count.length - 1] > c.goroutines[0].count[0]);
  // Timers hold memory without a goroutine: nothing attached.
  assert.deepEqual(rep.candidates.find((x) => x.function === 'main.scheduleRetry')?.goroutines, []);
});

test('a series across a restart lines up by function names and lines', async () => {
  const rep = await rankDir(join(ours, 'restart-r524288'));
  assert.equal(rep.snapshots.filter((s) => s.restart).length, 1);
  assert.ok(rep.notes.some((n) => /2 process runs/.test(n)));
  assert.equal(rep.candidates[0].function, 'main.registerSession');
});

test('warm-up and batches are explained, not silently dropped', async () => {
  const rep = await rankDir(join(ours, 'slow-leak-big-warmup-r65536'));
  const cat = rep.others?.find((o) => o.function === 'main.loadCatalog');
  assert.ok(cat);
  assert.equal(cat.verdict, 'levelled-off');
  const p4 = await rankDir(join(shared, 'p4-steady-state'));
  assert.deepEqual(p4.candidates, []);
});
