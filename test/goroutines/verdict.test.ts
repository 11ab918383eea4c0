// Verdict logic on counts and states alone, with wait growth as extra evidence.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judge } from '../../src/leak/goroutines/verdict.ts';
import { inferState } from '../../src/leak/goroutines/states.ts';
import { matchRule } from '../../src/leak/goroutines/rules.ts';
import { parseGoroutineDump } from '../../src/profile/goroutine-dump.ts';

const base = { waitMax: [null, null, null, null], persisted: null, ruleMatched: false };

test('parked growth is a leak; running growth is suspect; flat or falling is ok', () => {
  assert.equal(judge({ ...base, count: [10, 20, 30, 40], states: { 'chan receive': 40 } }).verdict, 'leak');
  assert.equal(judge({ ...base, count: [10, 20, 30, 40], states: { running: 40 } }).verdict, 'suspect');
  assert.equal(judge({ ...base, count: [8, 8, 8, 8], states: { 'chan receive': 8 } }).verdict, 'ok');
  assert.equal(judge({ ...base, count: [40, 30, 20, 10], states: { select: 10 } }).verdict, 'ok');
  // A pool filling once then plateauing is bounded.
  assert.equal(judge({ ...base, count: [0, 16, 16, 16, 16], waitMax: [null, null, null, null, null], states: { select: 16 } }).verdict, 'ok');
  // Two snapshots are never enough for a leak.
  assert.equal(judge({ ...base, count: [10, 40], waitMax: [null, null], states: { select: 40 } }).verdict, 'suspect');
  // Members released between dumps: growth of fresh goroutines is only suspect.
  assert.equal(judge({ ...base, count: [10, 20, 30, 40], states: { select: 40 }, persisted: 0.1 }).verdict, 'suspect');
});

test('growing waits read from real-format headers are cited as evidence', () => {
  const waits = ['goroutine 5 [chan receive]:', 'goroutine 5 [chan receive, 1 minutes]:', 'goroutine 5 [chan receive, 7 minutes]:', 'goroutine 5 [chan receive, 15 minutes, locked to thread]:']
    .map((h) => parseGoroutineDump(`${h}\nmain.wait()\n\t/app/main.go:3 +0x1\n`, 't').goroutines[0].waitMinutes);
  assert.deepEqual(waits, [0, 1, 7, 15]);
  const v = judge({ count: [5, 10, 15, 20], states: { 'chan receive': 20 }, waitMax: waits, persisted: 1, ruleMatched: true });
  assert.equal(v.verdict, 'leak');
  assert.ok(v.evidence.includes('longest wait grew 0 → 15 minutes'));
});

test('one snapshot: only blocked-forever states or long waits in a known pattern are suspect', () => {
  assert.equal(judge({ ...base, count: [3], waitMax: [null], states: { 'chan receive (nil chan)': 3 } }).verdict, 'suspect');
  assert.equal(judge({ ...base, count: [50], waitMax: [120], states: { 'chan send': 50 }, ruleMatched: true }).verdict, 'suspect');
  assert.equal(judge({ ...base, count: [50], waitMax: [0], states: { 'chan send': 50 }, ruleMatched: true }).verdict, 'ok');
});

test('states inferred from proto runtime frames', () => {
  assert.equal(inferState(['runtime.gopark', 'runtime.chanrecv', 'runtime.chanrecv1', 'main.f']), 'chan receive');
  assert.equal(inferState(['runtime.gopark', 'runtime.selectgo', 'main.f']), 'select');
  assert.equal(inferState(['runtime.gopark', 'runtime.netpollblock', 'internal/poll.runtime_pollWait']), 'IO wait');
  assert.equal(inferState(['main.f'], false), '', 'debug=1 drops runtime frames: unknown');
  assert.equal(inferState(['time.Sleep', 'main.f'], false), 'sleep');
});

test('rules name the pattern from the stack', () => {
  assert.equal(matchRule(['net/http.(*persistConn).readLoop'], 'select')?.rule, 'http-persistconn');
  assert.equal(matchRule(['main.f'], 'chan send')?.rule, 'chan-blocked');
  assert.equal(matchRule(['main.f'], 'running'), null);
});

test('goroutines the runtime marks as leaked (Go 1.26+) are a leak from one dump', () => {
  const d = parseGoroutineDump('goroutine 9 [chan send (leaked)]:\nmain.produce()\n\t/app/p.go:4 +0x1\n', 'leaked');
  assert.equal(d.goroutines[0].state, 'chan send (leaked)');
  const v = judge({ ...base, count: [1], waitMax: [0], states: { 'chan send (leaked)': 1 } });
  assert.equal(v.verdict, 'leak');
  assert.match(v.evidence[0], /leak detector marked 1 of 1/);
});
