// A debug=2 goroutine dump seen as a goroutine profile: one sample per
// goroutine, value 1, so every report (`-top`, `-traces`, the flame graph)
// works on dumps as it does on `/debug/pprof/goroutine` protos.

import { ProfileBuilder, type LineInput } from './builder.ts';
import type { GoroutineDump, Profile } from './model.ts';

export function goroutineDumpToProfile(dump: GoroutineDump): Profile {
  const b = new ProfileBuilder({
    sampleTypes: [{ type: 'goroutine', unit: 'count' }],
    periodType: { type: 'goroutine', unit: 'count' },
    period: 1,
    timeNanos: dump.timeMs !== null ? BigInt(Math.round(dump.timeMs)) * 1000000n : 0n,
  });
  const stack: number[] = [];
  const value = [1];
  for (const g of dump.goroutines) {
    stack.length = 0;
    for (const f of g.frames) {
      const fn = b.addFunction(f.func, f.func, f.file, 0);
      const line: LineInput = { fn, line: f.line };
      stack.push(b.addLocation(0n, [line]));
    }
    const labels = Object.entries(g.labels);
    b.addSample(stack, value, labels.length ? b.addLabelSet(labels) : 0);
  }
  return b.build();
}
