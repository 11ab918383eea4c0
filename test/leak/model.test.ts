// The statistics under the ranking: sampling variance from MemProfileRate,
// change variance bounded by the alloc columns, robust slope.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { varPerByte } from '../../src/leak/sites.ts';
import { assess, changeVariance, type SiteSeries } from '../../src/leak/classify.ts';
import { theilSen, kendallTau } from '../../src/leak/stats.ts';
import { isStdFrame } from '../../src/leak/frames.ts';

test('sampling variance: ~R bytes² per byte for small objects, none for huge ones or rate 1', () => {
  const R = 524288;
  assert.ok(Math.abs(varPerByte(64, R) / R - 1) < 0.001);
  assert.ok(varPerByte(64 * R, R) < 1e-6);
  assert.equal(varPerByte(64, 1), 0);
});

function series(y: number[], alloc: number[] | null, R = 524288, size = 1024): SiteSeries {
  return {
    x: Float64Array.from(y, (_, i) => i), y: Float64Array.from(y),
    v: Float64Array.from(y, (b) => b * varPerByte(size, R)),
    alloc: alloc ? Float64Array.from(alloc) : null,
    allocVar: alloc ? Float64Array.from(alloc, (b) => b * varPerByte(size, R)) : null,
    seg: new Int32Array(y.length),
  };
}

test('a pure leak varies only by what was added; a churning cache by its turnover', () => {
  const MiB = 1 << 20;
  const leak = series([0, 10 * MiB], [0, 10 * MiB]);
  assert.ok(Math.abs(changeVariance(leak, 0, 1) / (10 * MiB * 524288) - 1) < 0.01);
  const cache = series([10 * MiB, 10 * MiB], [0, 100 * MiB]);
  assert.ok(changeVariance(cache, 0, 1) > 1.9 * 10 * MiB * 524288);
});

test('verdicts on shapes: linear leak, warm-up, batch, noise', () => {
  const MiB = 1 << 20;
  const n = 12;
  const lin = Array.from({ length: n }, (_, i) => (i + 1) * 4 * MiB);
  assert.equal(assess(series(lin, lin)).verdict, 'leak');
  const warm = Array.from({ length: n }, (_, i) => Math.min(i, 4) * 20 * MiB);
  assert.equal(assess(series(warm, warm.map((w, i) => w + i * 30 * MiB))).verdict, 'levelled-off');
  const batch = Array.from({ length: n }, (_, i) => (i % 4) * 10 * MiB);
  assert.equal(assess(series(batch, batch.map((_, i) => i * 10 * MiB))).verdict, 'rises-and-falls');
  const drift = [10, 11, 9, 10, 12, 11, 10, 11, 12, 11, 12, 12].map((v) => v * MiB);
  assert.equal(assess(series(drift, drift.map((_, i) => i * 20 * MiB))).verdict, 'within-noise');
});

test('Theil–Sen shrugs off an outlier; Kendall sees monotone series', () => {
  const x = [0, 1, 2, 3, 4, 5, 6];
  assert.equal(theilSen(x, [0, 2, 4, 100, 8, 10, 12]), 2);
  assert.equal(kendallTau([1, 2, 3, 4]), 1);
  assert.equal(kendallTau([4, 3, 2, 1]), -1);
});

test('standard library frames are not user frames, dotless modules are', () => {
  assert.ok(isStdFrame('net/http.(*conn).serve'));
  assert.ok(isStdFrame('encoding/json.Marshal'));
  assert.ok(isStdFrame('runtime.malg'));
  assert.ok(!isStdFrame('main.handler'));
  assert.ok(!isStdFrame('leakdemo/internal/cache.(*C).Put'));
  assert.ok(!isStdFrame('github.com/acme/svc.Run'));
});
