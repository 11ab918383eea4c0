// Number text against Go's fmt (golden/fmt.tsv, printed by go1.19 from
// fixtures/fmtcheck), and pprof's units and percentages.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { goFixed, goG, label, padLeft, percentage, scale, scaledLabel } from '../../src/report/measurement.ts';

const here = new URL('.', import.meta.url).pathname;

test('%.2f, %.1f, %.2g and %5.2g match Go on 900+ values, ties rounded half to even', () => {
  const rows = readFileSync(here + 'golden/fmt.tsv', 'utf8').trim().split('\n');
  assert.ok(rows.length > 900);
  for (const row of rows) {
    const [src, f2, f1, g2, g52] = row.split('\t');
    const x = Number(src);
    assert.equal(goFixed(x, 2), f2, `%.2f of ${src}`);
    assert.equal(goFixed(x, 1), f1, `%.1f of ${src}`);
    assert.equal(goG(x, 2), g2, `%.2g of ${src}`);
    assert.equal(padLeft(goG(x, 2), 5), g52, `%5.2g of ${src}`);
  }
});

test('percentages look like pprof columns', () => {
  assert.equal(percentage(1, 1), '  100%');
  assert.equal(percentage(9995, 10000), '  100%');
  assert.equal(percentage(50, 100), '50.00%');
  assert.equal(percentage(39, 100000), '0.039%');
  assert.equal(percentage(0, 100), '    0%');
  assert.equal(percentage(5, 0), '    0%');
  assert.equal(percentage(1, 10000000), '1e-05%');
  assert.equal(percentage(-25, 100), '25.00%');
});

test('values scale to one readable unit; counts carry none', () => {
  assert.equal(scaledLabel(7302548, 'bytes', 'minimum'), '6.96MB');
  assert.equal(scaledLabel(65536000, 'bytes', 'minimum'), '62.50MB');
  assert.equal(scaledLabel(850e6, 'nanoseconds', 'minimum'), '850ms');
  assert.equal(scaledLabel(2048, 'bytes', 'kb'), '2kB');
  assert.equal(scaledLabel(2048, 'bytes', 'ms'), '2048B');
  assert.equal(scaledLabel(7, 'count', 'count'), '7');
  assert.equal(scaledLabel(7, 'count', 'mb'), '7mb');
  assert.equal(scaledLabel(1, 'bytes', 'mb'), '0');
  assert.equal(label(3 * 3600e9, 'nanoseconds'), '3hrs');
  assert.deepEqual(scale(-2048, 'bytes', 'auto'), [-2, 'kB']);
  assert.deepEqual(scale(5, 'us', 'ns'), [5000, 'ns']);
  // pprof quirk: "μs" is 3 bytes, so its trailing "s" is cut before lookup and it is not recognised.
  assert.deepEqual(scale(5, 'μs', 'ns'), [5, 'ns']);
});
