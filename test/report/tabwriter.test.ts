// text/tabwriter semantics as pprof's -tags uses them (AlignRight, padding 1).
// Expected texts were printed by Go's text/tabwriter (go1.19).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TabWriter } from '../../src/report/tabwriter.ts';

test('columns of consecutive lines align right on the widest cell; a tab-less line ends the block', () => {
  const tw = new TabWriter({ padding: 1, alignRight: true });
  tw.write('worker:\t Total 850.0ms\n');
  tw.write(' \t720.0ms (84.71%):\t slow\n');
  tw.write(' \t130.0ms (15.29%):\t fast\n');
  tw.write('\n');
  tw.write('k:\t Total 1.0s\n');
  tw.write(' \t1.0s (  100%):\t x\n');
  assert.equal(
    tw.flush(),
    ' worker: Total 850.0ms\n' +
      '         720.0ms (84.71%): slow\n' +
      '         130.0ms (15.29%): fast\n' +
      '\n' +
      ' k: Total 1.0s\n' +
      '    1.0s (  100%): x\n',
  );
});

test('a final line without newline is flushed as is', () => {
  const tw = new TabWriter();
  tw.write('a\tb\nccc\td');
  assert.equal(tw.flush(), '   ab\n cccd');
});
