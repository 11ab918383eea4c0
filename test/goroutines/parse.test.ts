// The debug=2 / traceback parser on the runtime's real line formats (Go 1.19
// to current), and format detection across every goroutine profile form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { looksLikeGoroutineDump, parseGoroutineDump } from '../../src/profile/goroutine-dump.ts';
import fc from 'fast-check';
import { InputError } from '../../src/profile/errors.ts';
import { parseInput } from '../../src/profile/load.ts';
import { goroutineDetail, renderGoroutineDetail } from '../../src/leak/goroutines/render.ts';
import { groupGoroutines } from '../../src/leak/goroutines/group.ts';
import { repoRoot } from '../helpers/paths.ts';

const DATA = join(repoRoot, 'testdata/goroutines');

// Header and frame lines as the runtime prints them (go-formats.md §2.3).
const MODERN = `goroutine 1 [chan receive, 957 minutes]:
main.main()
	github.com/apache/yunikorn-k8shim/pkg/cmd/shim/main.go:61 +0x6e8

goroutine 52 [select, 957 minutes, locked to thread]:
github.com/apache/yunikorn-core/pkg/scheduler.(*Scheduler).handleRMEvent(0x40004237d0)
	github.com/apache/yunikorn-core@v0.0.0-20241017135039-079a02dbdfa7/pkg/scheduler/scheduler.go:129 +0x88
created by github.com/apache/yunikorn-core/pkg/scheduler.(*Scheduler).StartService in goroutine 1
	github.com/apache/yunikorn-core@v0.0.0-20241017135039-079a02dbdfa7/pkg/scheduler/scheduler.go:60 +0x98

goroutine 7 gp=0xc000007340 m=nil [chan receive, 1 minutes]:
main.handler(...)
	/srv/inventory/main.go:18
main.serve({0x4d2e1a, 0x5})
	/srv/inventory/main.go:27 +0x44
...12 frames elided...
main.root()
	/srv/inventory/main.go:40 +0x10
created by main.start in goroutine 52
	/srv/inventory/main.go:50 +0x98

goroutine 38669 [chan receive] {pid: "<ABC123.0.1041>"}:
main.worker()
	/app/w.go:5 +0x1
...additional frames elided...
created by main.main
	/app/w.go:9 +0x2

goroutine 9 [running]:
	goroutine running on other thread; stack unavailable
created by main.main
	/app/w.go:11 +0x3
`;

test('headers: wait minutes, locked to thread, gp=/m= fields, labels; frames: inlined, elided, created by … in goroutine N', () => {
  const d = parseGoroutineDump(MODERN, 'modern');
  assert.deepEqual(d.goroutines.map((g) => g.id), [1, 52, 7, 38669, 9]);
  const [g1, g52, g7, gl, g9] = d.goroutines;
  assert.equal(g1.state, 'chan receive');
  assert.equal(g1.waitMinutes, 957);
  assert.equal(g52.state, 'select');
  assert.equal(g52.lockedToThread, true);
  assert.equal(g52.creatorId, 1);
  assert.equal(g52.createdBy?.func, 'github.com/apache/yunikorn-core/pkg/scheduler.(*Scheduler).StartService');
  assert.equal(g52.frames[0].pcOffset, 0x88);
  assert.equal(g7.waitMinutes, 1);
  assert.equal(g7.frames[0].func, 'main.handler');
  assert.equal(g7.frames[0].args, '...');
  assert.equal(g7.frames[0].pcOffset, -1, 'inlined frames have no PC offset');
  assert.equal(g7.frames[1].args, '{0x4d2e1a, 0x5}');
  assert.equal(g7.elidedFrames, 12);
  assert.deepEqual(g7.frames.map((f) => f.func), ['main.handler', 'main.serve', 'main.root']);
  assert.equal(g7.creatorId, 52);
  assert.deepEqual(gl.labels, { pid: '<ABC123.0.1041>' });
  assert.equal(gl.elidedFrames, -1);
  assert.equal(gl.creatorId, -1, 'Go ≤1.20 prints no creator ID');
  assert.equal(g9.frames.length, 0);
  assert.equal(g9.createdBy?.func, 'main.main');
});

test('a real panic traceback: preamble kept, every goroutine read', () => {
  const d = parseGoroutineDump(readFileSync(join(DATA, 'panic/traceback.txt')), 'traceback.txt');
  assert.match(d.preamble ?? '', /^panic: runtime error: invalid memory address or nil pointer dereference/);
  assert.equal(d.goroutines[0].id, 1);
  assert.equal(d.goroutines[0].state, 'running');
  assert.deepEqual(d.goroutines[0].frames.map((f) => f.func), ['main.handle', 'main.runPanic', 'main.main']);
  assert.equal(d.goroutines.filter((g) => g.state === 'chan receive').length, 3);
  const locked = d.goroutines.find((g) => g.frames.some((f) => f.func === 'sync.(*Mutex).Lock'));
  assert.ok(locked);
  assert.equal(locked.state, 'semacquire');
});

test('format detection: debug=2 and tracebacks are dumps; debug=1 and proto are profiles', () => {
  for (const [file, kind] of [
    ['chan-no-peer/goroutine_00.debug2.txt', 'goroutine-dump'],
    ['panic/traceback.txt', 'goroutine-dump'],
    ['chan-no-peer/goroutine_00.debug1.txt', 'profile'],
    ['chan-no-peer/goroutine_00.pb.gz', 'profile'],
  ] as const) {
    const bytes = readFileSync(join(DATA, file));
    assert.equal(parseInput(bytes, file).kind, kind, file);
    if (kind === 'profile') assert.equal(looksLikeGoroutineDump(bytes), false, file);
  }
});

test('--id detail: the creator chain follows `in goroutine N` through the dump', () => {
  const d = parseGoroutineDump(MODERN, 'modern');
  const g7 = goroutineDetail(d, 7);
  assert.ok(g7);
  assert.deepEqual(g7.creator_chain.map((c) => [c.id, c.state, c.top]), [
    [52, 'select', 'github.com/apache/yunikorn-core/pkg/scheduler.(*Scheduler).handleRMEvent'],
    [1, 'chan receive', 'main.main'],
  ]);
  const text = renderGoroutineDetail(g7, null);
  assert.match(text, /^goroutine 7 \[chan receive, 1 minutes\]/);
  assert.match(text, /\.\.\.12 frames elided\.\.\./);
  assert.match(text, /creator chain: goroutine 7 ← goroutine 52 \[select\] .*handleRMEvent ← goroutine 1 \[chan receive\] main\.main/);
  assert.equal(goroutineDetail(d, 12345), null);
});

test('a real SIGQUIT traceback: runtime frames with fp=/sp=/pc=, system goroutines, registers ignored', () => {
  const text = readFileSync(join(DATA, 'panic/sigquit.txt'), 'utf8');
  const d = parseGoroutineDump(text, 'sigquit.txt');
  assert.match(d.preamble ?? '', /^SIGQUIT: quit\nPC=0x[0-9a-f]+ m=0 sigcode=0$/);
  assert.equal(d.goroutines.length, text.match(/^goroutine \d+ \[/gm)?.length);
  assert.ok(/^rax +0x/m.test(text) && d.goroutines.every((g) => g.frames.every((f) => !f.func.startsWith('rax'))), 'registers are not frames');
  assert.equal(d.goroutines[0].id, 0);
  assert.equal(d.goroutines[0].state, 'idle');
  const futex = d.goroutines[0].frames[0];
  assert.equal(futex.func, 'runtime.futex');
  assert.equal(futex.file, 'runtime/sys_linux_amd64.s');
  assert.equal(futex.pcOffset, 0x21);
  const main = d.goroutines.find((g) => g.id === 1);
  assert.equal(main?.state, 'select (no cases)');
  // Grouping hides the runtime's own frames, as debug=2 prints them.
  const groups = groupGoroutines(d);
  const fan = groups.find((g) => g.stack.includes('main.fanOut'));
  assert.equal(fan?.count, 8);
  assert.deepEqual(fan?.stack, ['sync.runtime_Semacquire', 'sync.(*WaitGroup).Wait', 'main.fanOut', 'main.leakWaitGroups.func1']);
  assert.ok(groups.some((g) => g.state === 'GC worker (idle)' && g.stack[0] === 'runtime.gopark'), 'all-runtime stacks keep their frames');
});

test('CRLF line ends read the same; garbage is an InputError, never a crash', () => {
  const lf = parseGoroutineDump(MODERN, 'lf');
  const crlf = parseGoroutineDump(MODERN.replace(/\n/g, '\r\n'), 'crlf');
  assert.deepEqual(crlf.goroutines, lf.goroutines);
  const pieces = ['goroutine ', '7', ' [', 'chan receive', ', 3 minutes', ']', ':', '\n', '\t', 'main.f(', '...)', '+0x1f', 'created by ', ' in goroutine 9', '...2 frames elided...', '{k: "v"}', '(', ')'];
  fc.assert(fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 60 }), (parts) => {
    try {
      const d = parseGoroutineDump(parts.join(''), 'fuzz');
      for (const g of d.goroutines) assert.ok(Number.isInteger(g.id) && g.id >= 0);
    } catch (err) {
      assert.ok(err instanceof InputError, String(err));
    }
  }), { numRuns: 500 });
});
