// The flame tree the server builds and the layout the browser derives from
// it, checked against a naive path-string aggregation on random profiles.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ProfileBuilder } from '../../src/profile/builder.ts';
import type { Profile } from '../../src/profile/model.ts';
import { buildFlame } from '../../src/server/flame.ts';
import { noFilters } from '../../src/server/stack-walk.ts';
import { makeModel, searchModel } from '../../web/src/flame-draw.ts';
import type { FlameResponse } from '../../src/server/api-types.ts';

const FNS = ['main.main', 'main.a', 'main.b', 'pkg/x.C', 'runtime.mallocgc', 'main.(*T).m'];

function profileOf(stacks: { frames: number[]; v: number }[]): Profile {
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const fns = FNS.map((n) => b.addFunction(n));
  const locs = fns.map((f, i) => b.addLocation(BigInt(i + 1), [{ fn: f, line: 1 }]));
  for (const s of stacks) b.addSample(s.frames.map((f) => locs[f]), [s.v]); // leaf first
  return b.build();
}

/** Naive: total per root-first path string. */
function naive(stacks: { frames: number[]; v: number }[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const s of stacks) {
    const rootFirst = [...s.frames].reverse().map((f) => FNS[f]);
    for (let d = 1; d <= rootFirst.length; d++) {
      const k = rootFirst.slice(0, d).join(';');
      m.set(k, (m.get(k) ?? 0) + s.v);
    }
  }
  return m;
}

function toResponse(t: ReturnType<typeof buildFlame>): FlameResponse {
  return {
    names: t.names,
    name: Array.from(t.name),
    parent: Array.from(t.parent),
    self: Array.from(t.self),
    total: Array.from(t.total),
    unit: 'count',
    sampleType: 'samples',
    percentOf: t.total[0],
    note: '',
    pruned: t.pruned,
    zoomPath: [],
    buildMs: 0,
  };
}

const stacksArb = fc.array(
  fc.record({ frames: fc.array(fc.integer({ min: 0, max: FNS.length - 1 }), { minLength: 1, maxLength: 8 }), v: fc.integer({ min: 1, max: 1000 }) }),
  { minLength: 1, maxLength: 60 },
);

test('flame tree totals equal a naive per-path sum, in preorder with sorted children', () => {
  fc.assert(
    fc.property(stacksArb, (stacks) => {
      const t = buildFlame({ profile: profileOf(stacks), sampleIndex: 0 }, null, noFilters);
      const want = naive(stacks);
      const path: string[] = [];
      const got = new Map<string, number>();
      for (let i = 1; i < t.name.length; i++) {
        const p = t.parent[i];
        assert.ok(p < i);
        path[i] = (p === 0 ? '' : path[p] + ';') + t.names[t.name[i]];
        got.set(path[i], t.total[i]);
      }
      assert.deepEqual(new Map([...got].sort()), new Map([...want].sort()));
      assert.equal(t.total[0], stacks.reduce((a, s) => a + s.v, 0));
      // Siblings in name order.
      const lastChild = new Map<number, string>();
      for (let i = 1; i < t.name.length; i++) {
        const prev = lastChild.get(t.parent[i]);
        const nm = t.names[t.name[i]];
        if (prev !== undefined) assert.ok(prev < nm, `${prev} before ${nm}`);
        lastChild.set(t.parent[i], nm);
      }
    }),
    { numRuns: 200 },
  );
});

test('browser layout: children tile inside their parent; search totals count nested matches once', () => {
  fc.assert(
    fc.property(stacksArb, (stacks) => {
      const t = buildFlame({ profile: profileOf(stacks), sampleIndex: 0 }, null, noFilters);
      const m = makeModel(toResponse(t));
      for (let i = 1; i < m.n; i++) {
        const p = m.parent[i];
        assert.ok(m.x[i] >= m.x[p] - 1e-9 && m.x[i] + m.weight[i] <= m.x[p] + m.weight[p] + 1e-9);
        assert.ok(m.end[i] <= m.end[p]);
        assert.equal(m.depth[i], m.depth[p] + 1);
      }
      // A search for main.a totals the samples whose stack contains main.a.
      const s = searchModel(m, /^main\.a$/)!;
      const want = stacks.filter((x) => x.frames.includes(1)).reduce((a, x) => a + x.v, 0);
      assert.equal(s.matchedTotal, want);
    }),
    { numRuns: 200 },
  );
});

test('diff keeps base values per node and prunes nothing it should draw', () => {
  const target = profileOf([{ frames: [1, 0], v: 30 }, { frames: [2, 0], v: 5 }]);
  const base = profileOf([{ frames: [1, 0], v: 10 }, { frames: [3, 0], v: 7 }]);
  const t = buildFlame({ profile: target, sampleIndex: 0 }, { profile: base, sampleIndex: 0 }, noFilters, 0, 1 / 200000);
  const byName = (n: string) => t.name.findIndex((k, i) => i > 0 && t.names[k] === n);
  assert.equal(t.total[byName('main.a')], 30);
  assert.equal(t.baseTotal![byName('main.a')], 10);
  assert.equal(t.total[byName('pkg/x.C')], 0);
  assert.equal(t.baseTotal![byName('pkg/x.C')], 7);
  assert.equal(t.pruned, 0);
});

test('depth aggregation folds deeper frames into their ancestor', () => {
  const p = profileOf([{ frames: [4, 3, 2, 1, 0], v: 9 }]);
  const t = buildFlame({ profile: p, sampleIndex: 0 }, null, noFilters, 2);
  assert.equal(t.name.length, 3);
  assert.equal(t.names[t.name[2]], 'main.a');
  assert.equal(t.self[2], 9);
});

test('tiny subtrees are pruned at the root and sent in full when zoomed into', async () => {
  const { buildRawFlame, findPath, layoutFlame } = await import('../../src/server/flame.ts');
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const loc = (name: string) => b.addLocation(0n, [{ fn: b.addFunction(name), line: 1 }]);
  const main = loc('main.main');
  const heavy = loc('main.heavy');
  const small = loc('main.small');
  b.addSample([heavy, main], [10_000_000]);
  for (let i = 0; i < 50; i++) b.addSample([loc(`main.leaf${i}`), small, main], [1]);
  const raw = buildRawFlame({ profile: b.build(), sampleIndex: 0 }, null, noFilters);
  const whole = layoutFlame(raw, 1 / 200000);
  assert.equal(whole.pruned, 51);
  assert.ok(!whole.names.includes('main.small'));
  const m = makeModel(toResponse(whole));
  assert.equal(m.hasHidden[1], 1, 'main.main shows it lost children');

  const node = findPath(raw, ['main.main', 'main.small']);
  assert.ok(node > 0);
  assert.equal(findPath(raw, ['main.main', 'nope']), -1);
  const zoomed = layoutFlame(raw, 1 / 200000, node);
  assert.equal(zoomed.pruned, 0);
  assert.equal(zoomed.name.length, 3 + 50);
  assert.equal(zoomed.names[zoomed.name[2]], 'main.small');
  assert.equal(zoomed.total[2], 50);
  assert.equal(zoomed.total[0], 10_000_050, 'ancestors keep their totals');
});

test('the UI tag filters (the driver pipeline): key=regex on string labels, pprof ranges on numeric ones', async () => {
  const { applyFocus, NO_FOCUS } = await import('../../src/profile/focus.ts');
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'alloc_space', unit: 'bytes' }] });
  const loc = b.addLocation(0n, [{ fn: b.addFunction('main.f'), line: 1 }]);
  const sizes = [512, 2048, 8192, 1 << 20];
  sizes.forEach((n, i) => b.addSample([loc], [n], b.addLabelSet([['shard', String(i)]], [{ key: 'bytes', value: n, unit: 'bytes' }])));
  const p = b.build();
  const kept = (spec: string, ignore = false) => {
    const f = applyFocus(p, { ...NO_FOCUS, tagFocus: ignore ? '' : spec, tagIgnore: ignore ? spec : '' }, () => {});
    return Array.from(f.samples.values.slice(0, f.samples.length));
  };
  assert.deepEqual(kept('bytes=1kb:8kb'), [2048, 8192]);
  assert.deepEqual(kept('bytes=:1kb'), [512]);
  assert.deepEqual(kept('bytes=1mb:'), [1 << 20]);
  assert.deepEqual(kept('bytes=2kb'), [2048]);
  // As in pprof, a bare number is a numeric range: string values need a non-numeric regex.
  assert.deepEqual(kept('shard=^1$'), [2048]);
  assert.deepEqual(kept('shard=[23]'), [8192, 1 << 20]);
  assert.deepEqual(kept('bytes=1kb:8kb', true), [512, 1 << 20]);
});

test('a node budget raises the cut instead of sending everything', async () => {
  const { buildRawFlame, layoutFlame } = await import('../../src/server/flame.ts');
  const b = new ProfileBuilder({ sampleTypes: [{ type: 'samples', unit: 'count' }] });
  const main = b.addLocation(0n, [{ fn: b.addFunction('main.main'), line: 1 }]);
  for (let i = 0; i < 500; i++) b.addSample([b.addLocation(0n, [{ fn: b.addFunction(`main.f${i}`), line: 1 }]), main], [i + 1]);
  const raw = buildRawFlame({ profile: b.build(), sampleIndex: 0 }, null, noFilters);
  const all = layoutFlame(raw, 0);
  assert.equal(all.name.length, 502);
  const capped = layoutFlame(raw, 0, 0, 100);
  assert.ok(capped.name.length <= 101, `${capped.name.length}`);
  assert.equal(capped.name.length - 2 + capped.pruned, 500);
  // The biggest ones are the ones kept.
  const kept = capped.name.slice(2).map((k) => Number(capped.names[k].slice('main.f'.length)));
  assert.ok(Math.min(...kept) > 300);
});
