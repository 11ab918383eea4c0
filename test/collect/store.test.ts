// The snapshot store on profiles the Go runtime wrote (shared corpus):
// exact round trip, crash safety at every byte of a torn record, restart,
// retention, and the size win over separate .pb.gz files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, isStoreDir, StoreWriter, parseRetention } from '../../src/collect/store.ts';
import { exportStore } from '../../src/collect/export.ts';
import { readProfileFile } from '../../src/profile/load.ts';
import type { Profile } from '../../src/profile/model.ts';
import { sharedDir } from '../helpers/paths.ts';

const CASE = join(sharedDir(), 'corpus/leaks/p1-linear-vs-warmup');
const TARGET = 'http://127.0.0.1:6060';

function corpus(kind: string): { path: string; bytes: number }[] {
  return readdirSync(CASE).filter((f) => f.startsWith(`${kind}_`) && f.endsWith('.pb.gz')).sort()
    .map((f) => ({ path: join(CASE, f), bytes: statSync(join(CASE, f)).size }));
}

/** Stacks as names and addresses with values and labels, order-free: what every report sees. */
function summary(p: Profile): string {
  const rows: string[] = [];
  const n = p.sampleTypes.length;
  for (let i = 0; i < p.samples.length; i++) {
    const names: string[] = [];
    for (let k = p.samples.stackStart[i]; k < p.samples.stackStart[i + 1]; k++) {
      const loc = p.samples.stack[k];
      for (let l = p.locations.lineStart[loc]; l < p.locations.lineStart[loc + 1]; l++) {
        const f = p.locations.lineFunction[l];
        names.push(`${p.functions.name[f]}@${p.functions.filename[f]}:${p.locations.lineNumber[l]}`);
      }
      const m = p.locations.mapping[loc];
      names.push(`0x${p.locations.address[loc].toString(16)}${m >= 0 ? `[${p.mappings[m].file}]` : ''}`);
    }
    rows.push(`${names.join(';')} ${Array.from(p.samples.values.subarray(i * n, (i + 1) * n)).join(',')} ${JSON.stringify(p.labelSets[p.samples.labelSet[i]])}`);
  }
  return [JSON.stringify([p.sampleTypes, p.defaultSampleType, p.periodType, p.period, String(p.timeNanos), String(p.durationNanos), p.comments]), ...rows.sort()].join('\n');
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'pprof-store-'));
}

async function fill(dir: string, kind: string, opts = {}): Promise<Profile[]> {
  const w = await StoreWriter.open(dir, opts);
  const profiles: Profile[] = [];
  let t = 1_700_000_000_000;
  for (const f of corpus(kind)) {
    const p = await readProfileFile(f.path);
    profiles.push(p);
    await w.appendProfile(TARGET, kind, p, (t += 30_000), `${TARGET}/debug/pprof/${kind}`);
  }
  await w.close();
  return profiles;
}

test('snapshots read back exactly as collected (heap and goroutine series)', async () => {
  const dir = tempDir();
  try {
    const heaps = await fill(dir, 'heap');
    const gs = await fill(dir, 'goroutine');
    assert.ok(await isStoreDir(dir));
    const store = await openStore(dir);
    const series = await store.series();
    assert.deepEqual(series.map((s) => [s.type, s.count]), [['goroutine', gs.length], ['heap', heaps.length]]);
    const snaps = await store.readSnapshots({ type: 'heap' });
    assert.equal(snaps.length, heaps.length);
    snaps.forEach((s, i) => assert.equal(summary(s.profile), summary(heaps[i]), `heap snapshot ${i}`));
    const g = await store.readSnapshots({ target: '127.0.0.1:6060', type: 'goroutine' });
    g.forEach((s, i) => assert.equal(summary(s.profile), summary(gs[i]), `goroutine snapshot ${i}`));
    // Time range selection.
    const mid = await store.readSnapshots({ type: 'heap', sinceMs: snaps[2].timeMs!, untilMs: snaps[4].timeMs! });
    assert.deepEqual(mid.map((s) => s.timeMs), [snaps[2].timeMs, snaps[3].timeMs, snaps[4].timeMs]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the store is at least 3x smaller than the same snapshots as .pb.gz', async () => {
  const dir = tempDir();
  try {
    await fill(dir, 'heap');
    await fill(dir, 'goroutine');
    const pb = [...corpus('heap'), ...corpus('goroutine')].reduce((a, f) => a + f.bytes, 0);
    const store = (await (await openStore(dir)).series()).reduce((a, s) => a + s.bytes, 0);
    assert.ok(pb / store >= 3, `pb.gz ${pb} bytes, store ${store} bytes: ratio ${(pb / store).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a record torn at any byte leaves every earlier snapshot readable, and the writer continues the file', async () => {
  const dir = tempDir();
  try {
    const heaps = await fill(dir, 'heap');
    const segDir = join(dir, 'targets/127.0.0.1_6060/heap');
    const seg = join(segDir, readdirSync(segDir)[0]);
    const full = readFileSync(seg);
    // Find where the last record starts: the store with one snapshot fewer.
    const dir2 = tempDir();
    const w2 = await StoreWriter.open(dir2);
    let t = 1_700_000_000_000;
    for (const p of heaps.slice(0, -1)) await w2.appendProfile(TARGET, 'heap', p, (t += 30_000), `${TARGET}/debug/pprof/heap`);
    await w2.close();
    const seg2Dir = join(dir2, 'targets/127.0.0.1_6060/heap');
    const lastStart = statSync(join(seg2Dir, readdirSync(seg2Dir)[0])).size;
    rmSync(dir2, { recursive: true, force: true });
    const step = Math.max(1, Math.floor((full.length - lastStart) / 40));
    for (let cut = lastStart; cut < full.length; cut += step) {
      writeFileSync(seg, full.subarray(0, cut));
      const snaps = await (await openStore(dir)).readSnapshots({ type: 'heap' });
      assert.equal(snaps.length, heaps.length - 1, `cut at ${cut}`);
    }
    // Garbage instead of a tail, then restart: the writer cuts it and appends.
    writeFileSync(seg, full.subarray(0, lastStart));
    appendFileSync(seg, Buffer.from('garbage after a crash'));
    const w = await StoreWriter.open(dir);
    await w.appendProfile(TARGET, 'heap', heaps[heaps.length - 1], 1_800_000_000_000, 'u');
    await w.close();
    const snaps = await (await openStore(dir)).readSnapshots({ type: 'heap' });
    assert.equal(snaps.length, heaps.length);
    assert.equal(summary(snaps[snaps.length - 1].profile), summary(heaps[heaps.length - 1]));
    assert.equal(readdirSync(segDir).length, 1, 'restart continued the same segment');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('retention by count and by age; new segments roll over', async () => {
  const dir = tempDir();
  try {
    const heaps = await fill(dir, 'heap', { segmentMaxSnapshots: 3 });
    const segDir = join(dir, 'targets/127.0.0.1_6060/heap');
    assert.equal(readdirSync(segDir).length, Math.ceil(heaps.length / 3));
    const w = await StoreWriter.open(dir, { segmentMaxSnapshots: 3 });
    assert.equal(await w.applyRetention(parseRetention('4'), Date.now()), heaps.length - 4);
    let snaps = await (await openStore(dir)).readSnapshots({ type: 'heap' });
    assert.equal(snaps.length, 4);
    snaps.forEach((s, i) => assert.equal(summary(s.profile), summary(heaps[heaps.length - 4 + i])));
    // Age: keep the last 65 s of snapshots taken 30 s apart → 3 remain.
    const last = snaps[snaps.length - 1].timeMs!;
    await w.applyRetention(parseRetention('65s'), last + 1000);
    await w.close();
    snaps = await (await openStore(dir)).readSnapshots({ type: 'heap' });
    assert.equal(snaps.length, 3);
    assert.equal(summary(snaps[2].profile), summary(heaps[heaps.length - 1]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('export writes .pb.gz files that load back to the stored profiles', async () => {
  const dir = tempDir();
  const out = tempDir();
  try {
    const heaps = await fill(dir, 'heap');
    const written = await exportStore(await openStore(dir), { out });
    assert.equal(written.length, heaps.length);
    for (let i = 0; i < heaps.length; i++) assert.equal(summary(await readProfileFile(written[i])), summary(heaps[i]));
    assert.match(written[0], /127\.0\.0\.1_6060\/heap\/heap\.20231114T\d{6}\.\d{3}Z\.pb\.gz$/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
  }
});

test('a second collector on the same store is refused; a dead one\'s lock is taken over', async () => {
  const dir = tempDir();
  try {
    const w = await StoreWriter.open(dir);
    writeFileSync(join(dir, 'collector.lock'), '1\n'); // pid 1 is always alive
    await assert.rejects(StoreWriter.open(dir), /another collector \(pid 1\) is writing this store/);
    writeFileSync(join(dir, 'collector.lock'), '999999999\n');
    const w2 = await StoreWriter.open(dir);
    await w2.close();
    await w.close();
    assert.equal(existsSync(join(dir, 'collector.lock')), false);
    await assert.rejects(openStore(join(dir, 'targets')), /not a pprof-plus store/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('goroutine dumps round-trip byte for byte, also with odd prefixes and invalid UTF-8', async () => {
  const dir = tempDir();
  try {
    const dump = (n: number): string => {
      let s = '';
      for (let i = 1; i <= n; i++) {
        s += `goroutine ${i * 3} [chan receive, ${i % 3} minutes]:\nmain.waitForReply()\n\t/src/main.go:70 +0x25\ncreated by main.main.func4\n\t/src/main.go:140 +0x85\n\n`;
      }
      return s.trimEnd() + '\n';
    };
    const texts = [
      new TextEncoder().encode(dump(50)),
      new TextEncoder().encode(dump(80)),
      new TextEncoder().encode(`panic: boom\n\n${dump(3)}`),
      Uint8Array.from([...new TextEncoder().encode(dump(2)), 0xff, 0xfe, 0x0a]),
      new Uint8Array(0),
    ];
    const w = await StoreWriter.open(dir);
    for (let i = 0; i < texts.length; i++) await w.appendDump(TARGET, texts[i], 1_700_000_000_000 + i, 'u');
    await w.close();
    const dumps = await (await openStore(dir)).readGoroutineDumps({});
    assert.equal(dumps.length, texts.length);
    dumps.forEach((d, i) => assert.deepEqual(Buffer.from(d.text), Buffer.from(texts[i]), `dump ${i}`));
    const segDir = join(dir, 'targets/127.0.0.1_6060/goroutine-dump');
    const size = statSync(join(segDir, readdirSync(segDir)[0])).size;
    assert.ok(size < (texts[0].length + texts[1].length) / 10, `store ${size} bytes`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
