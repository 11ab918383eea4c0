import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFlags, formatUsage, type FlagSpec } from '../../src/cli/flags.ts';
import { UsageError } from '../../src/profile/errors.ts';

const specs: FlagSpec[] = [
  { name: 'top', type: 'bool', help: 'top entries' },
  { name: 'http', type: 'string', help: 'serve UI' },
  { name: 'nodecount', type: 'number', default: -1, help: 'max nodes' },
  { name: 'base', type: 'list', help: 'base profile' },
  { name: 'trim', type: 'bool', default: true, help: 'trim' },
  { name: 'output', type: 'string', aliases: ['o'], help: 'output file' },
];

test('Go-style spellings parse as pprof users type them', () => {
  const r = parseFlags(['-top', '--http=:8080', 'a.pb.gz', '-nodecount', '5', '-base=x', '--base', 'y', '-trim=false', '-o', 'out', 'b.pb.gz'], specs);
  assert.equal(r.values.top, true);
  assert.equal(r.values.http, ':8080');
  assert.equal(r.values.nodecount, 5);
  assert.deepEqual(r.values.base, ['x', 'y']);
  assert.equal(r.values.trim, false);
  assert.equal(r.values.output, 'out');
  assert.deepEqual(r.positional, ['a.pb.gz', 'b.pb.gz']);
  assert.ok(r.given.has('http') && !r.given.has('nodefraction'));
});

test('a boolean never swallows the next argument; -- ends flags; - is positional', () => {
  const r = parseFlags(['-top', 'file', '-', '--', '-notaflag'], specs);
  assert.deepEqual(r.positional, ['file', '-', '-notaflag']);
  assert.equal(r.values.nodecount, -1);
});

test('unknown flags, missing values and bad numbers are usage errors', () => {
  assert.throws(() => parseFlags(['-nope'], specs), (e: Error) => e instanceof UsageError && /unknown flag -nope/.test(e.message));
  assert.throws(() => parseFlags(['-http'], specs), (e: Error) => e instanceof UsageError && /needs a value/.test(e.message));
  assert.throws(() => parseFlags(['-nodecount=lots'], specs), (e: Error) => e instanceof UsageError && /want a number/.test(e.message));
  assert.throws(() => parseFlags(['-trim=maybe'], specs), (e: Error) => e instanceof UsageError && /invalid boolean/.test(e.message));
});

test('usage lists every flag with its default', () => {
  const u = formatUsage('usage: x', specs);
  for (const s of specs) assert.match(u, new RegExp(`-${s.name}`));
  assert.match(u, /\(default -1\)/);
});

test('a word-valued flag names the allowed words when given another', async () => {
  const { oneOf } = await import('../../src/cli/flags.ts');
  assert.equal(oneOf('format', 'json', ['text', 'json']), 'json');
  assert.throws(() => oneOf('format', 'yaml', ['text', 'json', 'markdown']), (e: Error) => e instanceof UsageError && e.message === '--format=yaml: want text, json or markdown');
});
