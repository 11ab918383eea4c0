// go tool pprof's URL rules (adjustURL in cmd/pprof and google/pprof).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { adjustURL, isURLSource, profileNameOf } from '../../src/fetch/url.ts';

test('host:port shorthand gets http:// and the CPU profile path, as go tool pprof', () => {
  assert.deepEqual(adjustURL('localhost:6060'), { url: 'http://localhost:6060/debug/pprof/profile', timeoutMs: 60000, durationSec: 0 });
  assert.equal(adjustURL('127.0.0.1:6060/debug/pprof/heap')?.url, 'http://127.0.0.1:6060/debug/pprof/heap');
  assert.equal(adjustURL('http://127.0.0.1:6060/')?.url, 'http://127.0.0.1:6060/debug/pprof/profile');
});

test('a bare profile name is taken as /debug/pprof/<name>', () => {
  assert.equal(adjustURL('localhost:6060/heap')?.url, 'http://localhost:6060/debug/pprof/heap');
  assert.equal(adjustURL('localhost:6060/goroutine?debug=2')?.url, 'http://localhost:6060/debug/pprof/goroutine?debug=2');
});

test('-seconds sets ?seconds=N and the timeout is 1.5x seconds, else 60 s, unless -timeout', () => {
  const a = adjustURL('localhost:6060/debug/pprof/heap', 30);
  assert.equal(a?.url, 'http://localhost:6060/debug/pprof/heap?seconds=30');
  assert.equal(a?.timeoutMs, 45000);
  assert.equal(a?.durationSec, 30);
  // An existing ?seconds= only feeds the timeout.
  const b = adjustURL('http://h:1/debug/pprof/profile?seconds=10');
  assert.equal(b?.url, 'http://h:1/debug/pprof/profile?seconds=10');
  assert.equal(b?.timeoutMs, 15000);
  assert.equal(adjustURL('h:1/debug/pprof/profile', 10, 3)?.timeoutMs, 3000);
  // Query keys come out sorted, as Go's url.Values.Encode writes them.
  assert.equal(adjustURL('h:1/debug/pprof/heap?gc=1', 5)?.url, 'http://h:1/debug/pprof/heap?gc=1&seconds=5');
});

test('file names are not URLs', () => {
  for (const f of ['heap.pb.gz', 'dir/profile', './x', '/abs/path.pb.gz', 'file:///tmp/x', '-', '']) {
    assert.equal(isURLSource(f), false, f);
  }
  for (const u of ['localhost:6060', '127.0.0.1:6060', 'http://x/debug/pprof/heap', 'https+insecure://h:1/']) {
    assert.equal(isURLSource(u), true, u);
  }
});

test('profileNameOf names the endpoint', () => {
  assert.equal(profileNameOf('http://h:1/debug/pprof/heap?gc=1'), 'heap');
  assert.equal(profileNameOf('http://h:1/debug/pprof/profile?seconds=3'), 'profile');
  assert.equal(profileNameOf('http://h:1/metrics'), '');
});
