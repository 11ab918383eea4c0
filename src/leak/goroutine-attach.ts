// Goroutine groups that grow alongside a heap candidate: the goroutines that
// hold the memory. Each goroutine snapshot is grouped by the goroutine
// analysis (./goroutines/group.ts), so proto profiles, debug=1 text and
// debug=2 dumps all line up the same way. Counts in a goroutine snapshot are
// exact, so "growing" needs no sampling model: more goroutines at the end
// than at the start, rising in most intervals and still rising in the latest
// third.

import type { GoroutineDump, Profile } from '../profile/model.ts';
import { isStdFrame } from './frames.ts';
import { groupGoroutines } from './goroutines/group.ts';
import { kendallTau } from './stats.ts';

export interface GoroutineGroupReport {
  /** Function names, leaf first. */
  stack: string[];
  /** Goroutines in the group at each goroutine snapshot. */
  count: number[];
  growth: number;
  /** User functions the group shares with the heap site's stack. */
  shared_frames: string[];
}

export class GoroutineGroups {
  private readonly ids = new Map<string, number>();
  private readonly stacks: string[][] = [];
  private readonly counts: Array<Map<number, number>> = [];
  private readonly times: Array<number | null> = [];

  get snapshotCount(): number {
    return this.counts.length;
  }

  add(snapshot: Profile | GoroutineDump, timeMs: number | null): void {
    const counts = new Map<number, number>();
    for (const g of groupGoroutines(snapshot)) {
      let id = this.ids.get(g.key);
      if (id === undefined) {
        id = this.stacks.length;
        this.ids.set(g.key, id);
        this.stacks.push(g.stack);
      }
      counts.set(id, (counts.get(id) ?? 0) + g.count);
    }
    this.counts.push(counts);
    this.times.push(timeMs);
  }

  /** Groups whose count keeps rising, with their series in time order. */
  growing(): Array<{ stack: string[]; count: number[]; growth: number }> {
    const order = this.counts.map((_, i) => i);
    if (this.times.every((t) => t !== null)) order.sort((a, b) => (this.times[a] as number) - (this.times[b] as number));
    const n = order.length;
    const out: Array<{ stack: string[]; count: number[]; growth: number }> = [];
    if (n < 2) return out;
    for (let id = 0; id < this.stacks.length; id++) {
      const c = order.map((i) => this.counts[i].get(id) ?? 0);
      const growth = c[n - 1] - c[0];
      if (growth < 2) continue;
      const w = Math.max(1, Math.ceil((n - 1) / 3));
      if (c[n - 1] - c[n - 1 - w] <= 0 || kendallTau(c) < 0.5) continue;
      out.push({ stack: this.stacks[id], count: c, growth });
    }
    return out.sort((a, b) => b.growth - a.growth);
  }
}

/** The growing groups sharing a user frame with a heap site's stack. */
export function attachGoroutines(
  growing: ReadonlyArray<{ stack: string[]; count: number[]; growth: number }>,
  heapStack: readonly string[],
): GoroutineGroupReport[] {
  const heapUser = new Set(heapStack.filter((f) => !isStdFrame(f)));
  const out: GoroutineGroupReport[] = [];
  for (const g of growing) {
    const shared = [...new Set(g.stack.filter((f) => heapUser.has(f)))];
    if (shared.length) out.push({ stack: g.stack, count: g.count, growth: g.growth, shared_frames: shared });
  }
  return out;
}
