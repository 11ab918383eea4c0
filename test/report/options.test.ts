// What the driver can pass besides the flags: the total, active filters,
// header lines; and how failures and large outputs come back.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseProfileData } from '../../src/profile/load.ts';
import { sampleTypeIndex } from '../../src/profile/model.ts';
import { defaultReportOptions, type ReportOptions } from '../../src/report/options.ts';
import { generateReport, ReportError, writeReport } from '../../src/report/report.ts';
import { mergeLikePprof } from './pprof-flags.ts';

process.env.TZ = 'UTC';
const here = new URL('.', import.meta.url).pathname;
const heap = mergeLikePprof(parseProfileData(readFileSync(here + 'fixtures/heap.pb.gz'), 'heap.pb.gz'));
const opts = (o: Partial<ReportOptions>): ReportOptions => ({ ...defaultReportOptions, sampleIndex: sampleTypeIndex(heap, ''), nodeCount: -1, ...o });

test('a total from before filtering (opts.total) sets every percentage', () => {
  const own = generateReport(heap, opts({ format: 'text' }));
  assert.match(own, /Showing nodes accounting for 50\.36MB, 99\.94% of 50\.39MB total/);
  const doubled = generateReport(heap, opts({ format: 'text', total: 2 * 52838696 }));
  assert.match(doubled, /of 100\.78MB total/);
  assert.match(doubled, /48\.75MB 48\.\d\d%/);
});

test('active filters are listed under the header, long ones cut at 80 bytes', () => {
  const long = 'focus=' + 'x'.repeat(100);
  const out = generateReport(heap, opts({ format: 'text', activeFilters: ['ignore=runtime', long] }));
  const lines = out.split('\n');
  const i = lines.indexOf('Active filters:');
  assert.ok(i > 0);
  assert.equal(lines[i + 1], '   ignore=runtime');
  assert.equal(lines[i + 2], '   ' + long.slice(0, 80) + '…');
  assert.match(lines[i + 3], /^Showing nodes accounting for/);
});

test('compact labels drop the File/Type/Time header but keep the summary', () => {
  const out = generateReport(heap, opts({ format: 'text', compactLabels: true }));
  assert.ok(out.startsWith('Showing nodes accounting for'));
});

test('a regexp that matches nothing fails with pprof\'s message and no output', () => {
  assert.throws(() => generateReport(heap, opts({ format: 'peek', symbol: /nomatch/ })), (e: unknown) => e instanceof ReportError && e.message === 'no matches found for regexp: nomatch');
  const chunks: string[] = [];
  assert.throws(() => writeReport(heap, opts({ format: 'list', symbol: /nomatch/ }), (c) => chunks.push(c)), ReportError);
  assert.deepEqual(chunks, []);
});

test('writeReport streams -traces and joins to the same text', () => {
  const chunks: string[] = [];
  writeReport(heap, opts({ format: 'traces' }), (c) => chunks.push(c));
  assert.equal(chunks.join(''), generateReport(heap, opts({ format: 'traces' })));
  assert.ok(chunks.join('').endsWith('-----------+-------------------------------------------------------\n'));
});
