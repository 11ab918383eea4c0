// Every leak rule on the real series its scenario program wrote, in every
// form (debug=2 dump, proto with labels, debug=1 text); the steady program
// gets no leak verdict in any form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { profileTimeMs, readInputFile } from '../../src/profile/load.ts';
import { analyzeGoroutineSeries, type GoroutineReport, type GoroutineSnapshot } from '../../src/leak/goroutines/group.ts';
import { repoRoot } from '../helpers/paths.ts';

const DATA = join(repoRoot, 'testdata/goroutines');
const FORMS = ['debug2.txt', 'pb.gz', 'debug1.txt'] as const;
type Form = (typeof FORMS)[number];

async function series(scenario: string, form: Form): Promise<GoroutineReport> {
  const snaps: GoroutineSnapshot[] = [];
  for (let i = 0; i < 5; i++) {
    const path = join(DATA, scenario, `goroutine_0${i}.${form}`);
    const r = await readInputFile(path);
    snaps.push({ source: path, timeMs: r.kind === 'profile' ? profileTimeMs(r.profile) : null, data: r.kind === 'goroutine-dump' ? r.dump : r.profile });
  }
  return analyzeGoroutineSeries(snaps);
}

function groupWith(r: GoroutineReport, func: string) {
  const g = r.groups.find((x) => x.stack.includes(func));
  assert.ok(g, `no group with ${func}; groups: ${r.groups.map((x) => x.stack[0]).join(', ')}`);
  return g;
}

// scenario, a function of the leaking group, rule, and the forms where the
// rule can be told (debug=1 text drops the runtime frames that show a
// channel wait, so plain channel waits are only "suspect" there).
const CASES: Array<[string, string, string, Form[]]> = [
  ['chan-no-peer', 'main.fetchWithTimeout.func1', 'chan-blocked', ['debug2.txt', 'pb.gz']],
  ['chan-no-peer', 'main.waitForReply', 'chan-blocked', ['debug2.txt', 'pb.gz']],
  ['http-body', 'net/http.(*persistConn).readLoop', 'http-persistconn', [...FORMS]],
  ['http-body', 'net/http.(*persistConn).writeLoop', 'http-persistconn', [...FORMS]],
  ['http-body', 'net/http.(*conn).serve', 'http-server-conn', [...FORMS]],
  ['sleep-ticker', 'main.pollForever', 'sleep-ticker-loop', [...FORMS]],
  ['sleep-ticker', 'main.refreshOnTick', 'chan-blocked', ['debug2.txt', 'pb.gz']],
  ['context', 'context.propagateCancel.func1', 'context-never-cancelled', [...FORMS]],
  ['context', 'main.watchDeadline', 'chan-blocked', ['debug2.txt', 'pb.gz']],
  ['sql-pool', 'database/sql.(*DB).conn', 'database-sql-pool', [...FORMS]],
  ['waitgroup', 'sync.(*WaitGroup).Wait', 'waitgroup-wait', [...FORMS]],
];

for (const [scenario, func, rule, forms] of CASES) {
  for (const form of FORMS) {
    test(`${scenario} (${form}): ${func} ${forms.includes(form) ? `is a leak by ${rule}` : 'is suspect'}`, async () => {
      const r = await series(scenario, form);
      const g = groupWith(r, func);
      assert.deepEqual(g.count, [4, 8, 12, 16, 20]);
      if (forms.includes(form)) {
        assert.equal(g.verdict, 'leak', g.evidence.join('; '));
        assert.equal(g.rule, rule);
        assert.ok(g.hint.length > 0);
      } else {
        assert.equal(g.verdict, 'suspect');
        assert.equal(g.state, '');
      }
      // The steady worker pool next to the leak stays ok.
      const pool = groupWith(r, 'main.poolWorker');
      assert.equal(pool.verdict, 'ok');
      assert.deepEqual(pool.count, [4, 4, 4, 4, 4]);
    });
  }
}

test('steady program: no leak and no suspect in any form', async () => {
  for (const form of FORMS) {
    const r = await series('steady', form);
    const flagged = r.groups.filter((g) => g.verdict !== 'ok');
    assert.deepEqual(flagged.map((g) => g.stack[0]), [], form);
    assert.ok(r.groups.length >= 3);
  }
});

test('dumps: member IDs, creators and persistence; proto: pprof labels; same counts in every form', async () => {
  const dump = await series('waitgroup', 'debug2.txt');
  const proto = await series('waitgroup', 'pb.gz');
  const text = await series('waitgroup', 'debug1.txt');
  const gd = groupWith(dump, 'main.fanOut');
  assert.equal(gd.ids.length, 20);
  assert.equal(gd.state, 'semacquire');
  assert.match(gd.created_by ?? '', /^main\.leakWaitGroups scenarios\/main\.go:\d+$/);
  assert.ok(gd.evidence.some((e) => /100% of the first dump's members still there/.test(e)));
  assert.deepEqual(gd.wait_minutes, { min: 0, max: 0 });
  const gp = groupWith(proto, 'main.fanOut');
  assert.deepEqual(gp.labels, { scenario: ['waitgroup'], step: ['0', '1', '2', '3', '4'] });
  assert.equal(gp.state, 'semacquire');
  assert.equal(gp.state_inferred, true);
  assert.deepEqual(gp.ids, []);
  assert.deepEqual(gp.stack, gd.stack, 'proto and dump normalize to the same stack');
  assert.deepEqual(groupWith(text, 'main.fanOut').stack, gd.stack);
  assert.deepEqual(dump.snapshots.map((s) => s.total), proto.snapshots.map((s) => s.total));
  assert.ok(proto.snapshots.every((s) => s.time !== null), 'proto snapshots carry their time');
});

test('one snapshot: groups and counts, no trend, so no leak verdict', async () => {
  const path = join(DATA, 'chan-no-peer/goroutine_04.debug2.txt');
  const r = await readInputFile(path);
  const rep = analyzeGoroutineSeries([{ source: path, timeMs: null, data: r.kind === 'goroutine-dump' ? r.dump : r.profile }]);
  assert.equal(rep.groups[0].count[0], 20);
  assert.ok(rep.groups.every((g) => g.verdict === 'ok'));
});
