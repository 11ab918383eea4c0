// What one `-http` run serves: the loaded inputs and the answers to the UI's
// queries, computed on demand from the columnar profiles. Each answer is a
// pure function of the inputs and the query's view parameters.

import type { GoroutineDump, Profile } from '../profile/model.ts';
import { sampleTypeIndex, totalOf } from '../profile/model.ts';
import { UsageError } from '../profile/errors.ts';
import type {
  DotResponse,
  FlameResponse,
  GoroutinesResponse,
  LeakCandidate,
  LeaksResponse,
  MetaResponse,
  TextResponse,
  TopResponse,
  ViewParams,
} from './api-types.ts';
import { buildRawFlame, findPath, layoutFlame, type RawFlame } from './flame.ts';
import { FrameTable, compileRegex, compileTag, type Granularity, type WalkFilters } from './stack-walk.ts';
import { flatCum } from './top.ts';
import { buildCallGraph } from './callgraph.ts';
import { rankLeaksFallback } from './leaks-fallback.ts';
import { rankLeaks } from '../leak/rank.ts';
import { peekText } from './peek.ts';
import { mergeProfiles } from '../profile/merge.ts';
import { generateReport, ReportError } from '../report/report.ts';
import { defaultReportOptions } from '../report/options.ts';
import { sourceLinesText } from './source-lines.ts';
import { groupGoroutines } from './goroutine-groups.ts';
import { goroutineView } from './goroutine-view.ts';
import { isGoroutineProfile, isHeapProfile, type LoadedSource } from './inputs.ts';
import { profileTimeMs } from '../profile/load.ts';

export type BaseMode = 'none' | 'base' | 'diff_base';

export interface SessionInit {
  sources: LoadedSource[];
  base: LoadedSource | null;
  baseMode: BaseMode;
  defaults: ViewParams;
}

/** Flame nodes under this share of the total are not sent: sub-pixel until zoomed in ~100x. */
const FLAME_MIN_FRACTION = 1 / 200000;
/** And at most this many nodes per answer: more only slows the page (the cut rises instead). */
const FLAME_MAX_NODES = 250000;

const GRANULARITIES: readonly Granularity[] = ['functions', 'filefunctions', 'files', 'lines', 'addresses'];

interface Resolved {
  target: Profile;
  base: Profile | null;
  si: number;
  baseSi: number;
  filters: WalkFilters;
  depth: number;
  /** Diff percentages use the base total (pprof -diff_base); otherwise the target's. */
  diffRelativeToBase: boolean;
}

function labelPairs(p: Profile, max: number): string[] {
  const out = new Set<string>();
  for (const ls of p.labelSets) {
    for (const [k, v] of ls.str) if (out.size < max) out.add(`${k}=${v}`);
    for (const n of ls.num) if (out.size < max) out.add(`${n.key}=${n.value}`);
  }
  return [...out].sort();
}

export class Session {
  readonly sources: LoadedSource[];
  readonly snapshots: LoadedSource[];
  readonly goroutineProfiles: LoadedSource[];
  readonly dumps: GoroutineDump[];
  readonly main: Profile;
  readonly base: Profile | null;
  readonly baseMode: BaseMode;
  readonly defaults: ViewParams;

  constructor(init: SessionInit) {
    this.sources = init.sources;
    this.baseMode = init.base ? init.baseMode : 'none';
    this.base = init.base?.profile ?? null;
    this.defaults = init.defaults;
    const byTime = (a: LoadedSource, b: LoadedSource) => {
      const ta = profileTimeMs(a.profile) ?? 0;
      const tb = profileTimeMs(b.profile) ?? 0;
      return ta - tb || (a.source < b.source ? -1 : a.source > b.source ? 1 : 0);
    };
    this.snapshots = init.sources.filter((s) => isHeapProfile(s.profile)).sort(byTime);
    this.goroutineProfiles = init.sources.filter((s) => isGoroutineProfile(s.profile)).sort(byTime);
    this.dumps = init.sources.flatMap((s) => (s.dump ? [s.dump] : []));
    const others = init.sources.filter((s) => !isHeapProfile(s.profile) && !isGoroutineProfile(s.profile));
    // Several CPU (or other) profiles are summed, like pprof; a heap series shows its latest snapshot.
    if (others.length > 0) this.main = others.length === 1 ? others[0].profile : mergeProfiles(others.map((s) => s.profile));
    else {
      const pick = this.snapshots[this.snapshots.length - 1] ?? this.goroutineProfiles[this.goroutineProfiles.length - 1] ?? init.sources[0];
      if (!pick) throw new UsageError('-http: no profile given');
      this.main = pick.profile;
    }
  }

  meta(): MetaResponse {
    const p = this.main;
    const notes: string[] = [];
    const heap = isHeapProfile(p);
    if (heap) {
      notes.push(
        'Heap values are sampled estimates (one sample per MemProfileRate bytes allocated, scaled up), as of the last garbage collection before the profile was written.',
        'inuse_* is memory still live at that GC; alloc_* counts everything allocated since the program started, freed or not.',
      );
    }
    if (this.baseMode === 'diff_base') notes.push('Diff (-diff_base): percentages are of the base profile\'s total.');
    if (this.baseMode === 'base') notes.push('Diff (-base): the base is subtracted; as in pprof, percentages are of the difference\'s total (target − base). Use -diff_base for percentages of the base.');
    if (this.snapshots.length >= 2) notes.push(`${this.snapshots.length} heap snapshots loaded: the views show the latest (${this.snapshots[this.snapshots.length - 1].source}) unless two are picked on the timeline.`);
    return {
      title: this.sources.map((s) => s.source).join(' '),
      sources: this.sources.map((s) => s.source),
      sampleTypes: p.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
      defaultSampleIndex: Math.max(0, sampleTypeIndex(p, '')),
      hasBase: this.base !== null,
      baseMode: this.baseMode,
      snapshots: this.snapshots.map((s) => ({ source: s.source, timeMs: profileTimeMs(s.profile) })),
      hasGoroutines: this.dumps.length > 0 || this.goroutineProfiles.length > 0,
      defaults: this.defaults,
      notes,
      isHeap: heap,
      labels: labelPairs(p, 200),
    };
  }

  private resolve(q: ViewParams): Resolved {
    const v = { ...this.defaults, ...q };
    let target = this.main;
    let base = this.base;
    let diffRelativeToBase = this.baseMode === 'diff_base';
    if (v.target !== undefined && v.target !== '') {
      if (this.snapshots.length < 2) throw new UsageError('target: needs a series of two or more heap snapshots');
      const t = Number(v.target);
      if (!Number.isInteger(t) || t < 0 || t >= this.snapshots.length) throw new UsageError(`target: no snapshot ${v.target}`);
      target = this.snapshots[t].profile;
      base = null;
      diffRelativeToBase = false;
      if (v.base !== undefined && v.base !== '') {
        const b = Number(v.base);
        if (!Number.isInteger(b) || b < 0 || b >= this.snapshots.length) throw new UsageError(`base: no snapshot ${v.base}`);
        base = this.snapshots[b].profile;
        diffRelativeToBase = true;
      }
    }
    let si = sampleTypeIndex(target, v.si ?? '');
    if (si < 0) throw new UsageError(`sample type ${v.si} not found`);
    const typeName = target.sampleTypes[si].type;
    let baseSi = -1;
    if (base) {
      baseSi = base.sampleTypes.findIndex((t) => t.type === typeName);
      if (baseSi < 0) throw new UsageError(`base profile has no sample type ${typeName}`);
    }
    const g = (v.granularity ?? 'functions') as Granularity;
    if (!GRANULARITIES.includes(g)) throw new UsageError(`granularity: unknown ${g}`);
    const depth = v.depth ? Number(v.depth) : 0;
    if (!Number.isInteger(depth) || depth < 0) throw new UsageError(`depth: want a whole number, got ${v.depth}`);
    return {
      target,
      base,
      si,
      baseSi,
      depth,
      diffRelativeToBase,
      filters: {
        focus: compileRegex(v.focus, 'focus'),
        ignore: compileRegex(v.ignore, 'ignore'),
        hide: compileRegex(v.hide, 'hide'),
        show: compileRegex(v.show, 'show'),
        tagFocus: compileTag(v.tagfocus, 'tagfocus'),
        tagIgnore: compileTag(v.tagignore, 'tagignore'),
        granularity: g,
      },
    };
  }

  /** pprof: -diff_base (and our snapshot diffs) use the base total; -base the total of target − base. */
  private percentOf(r: Resolved): number {
    if (r.base && r.diffRelativeToBase) return totalOf(r.base, r.baseSi);
    if (r.base) return totalOf(r.target, r.si) - totalOf(r.base, r.baseSi);
    return totalOf(r.target, r.si);
  }

  /** The last call tree built, so zooming into it and back costs a layout, not a rebuild. */
  private lastRaw: { key: string; raw: RawFlame } | null = null;

  flame(q: ViewParams): FlameResponse {
    const t0 = performance.now();
    const r = this.resolve(q);
    const { zoom, ...rest } = q;
    const key = JSON.stringify(Object.entries(rest).sort());
    let raw = this.lastRaw?.key === key ? this.lastRaw.raw : null;
    if (!raw) {
      raw = buildRawFlame(
        { profile: r.target, sampleIndex: r.si },
        r.base ? { profile: r.base, sampleIndex: r.baseSi } : null,
        r.filters,
        r.depth,
      );
      this.lastRaw = { key, raw };
    }
    let zoomPath: string[] = [];
    if (zoom) {
      try {
        zoomPath = JSON.parse(zoom);
      } catch {
        throw new UsageError('zoom: want a JSON array of frame names');
      }
      if (!Array.isArray(zoomPath) || !zoomPath.every((x) => typeof x === 'string')) throw new UsageError('zoom: want a JSON array of frame names');
    }
    const zoomNode = findPath(raw, zoomPath);
    if (zoomNode < 0) throw new UsageError('zoom: no such call path in this view');
    const tree = layoutFlame(raw, FLAME_MIN_FRACTION, zoomNode, FLAME_MAX_NODES);
    const st = r.target.sampleTypes[r.si];
    const percentOf = this.percentOf(r);
    const note = r.base
      ? `Diff: red grew, green shrank relative to the base; box widths are target + base; percentages are of the ${r.diffRelativeToBase ? 'base total' : 'total of target − base'}.`
      : `Percentages are of the total ${st.type} over all samples.`;
    const prunedNote = tree.pruned > 0 ? ` ${tree.pruned} small call paths (under 1/200000 of the ${zoomPath.length ? 'zoomed node' : 'total'}, or the smallest beyond ${FLAME_MAX_NODES} boxes) are not sent; click a box to zoom in and fetch them.` : '';
    return {
      names: tree.names,
      name: Array.from(tree.name),
      parent: Array.from(tree.parent),
      self: Array.from(tree.self),
      total: Array.from(tree.total),
      ...(tree.baseSelf ? { baseSelf: Array.from(tree.baseSelf), baseTotal: Array.from(tree.baseTotal!) } : {}),
      unit: st.unit,
      sampleType: st.type,
      percentOf,
      note: note + prunedNote,
      pruned: tree.pruned,
      zoomPath,
      buildMs: Math.round(performance.now() - t0),
    };
  }

  top(q: ViewParams): TopResponse {
    const r = this.resolve(q);
    const table = new FrameTable();
    const a = flatCum(r.target, r.si, table, r.filters);
    const b = r.base ? flatCum(r.base, r.baseSi, table, r.filters) : null;
    const rows = [];
    for (let k = 0; k < table.names.length; k++) {
      const flat = a.flat[k] ?? 0;
      const cum = a.cum[k] ?? 0;
      const bf = b ? (b.flat[k] ?? 0) : 0;
      const bc = b ? (b.cum[k] ?? 0) : 0;
      if (flat === 0 && cum === 0 && bf === 0 && bc === 0) continue;
      rows.push(b ? { name: table.names[k], flat: flat - bf, cum: cum - bc, baseFlat: bf, baseCum: bc } : { name: table.names[k], flat, cum });
    }
    rows.sort((x, y) => Math.abs(y.flat) - Math.abs(x.flat) || Math.abs(y.cum) - Math.abs(x.cum) || (x.name < y.name ? -1 : 1));
    return { rows: rows.slice(0, 5000), unit: r.target.sampleTypes[r.si].unit, percentOf: this.percentOf(r), isDiff: r.base !== null };
  }

  dot(q: ViewParams & { nodecount?: string }): DotResponse {
    const r = this.resolve(q);
    const nc = q.nodecount ? Number(q.nodecount) : 80;
    if (!Number.isInteger(nc) || nc < 1 || nc > 1000) throw new UsageError('nodecount: want 1..1000');
    const f = r.filters;
    const plain = !r.base && !f.focus && !f.ignore && !f.hide && !f.show && !f.tagFocus && !f.tagIgnore && !r.depth;
    if (plain) {
      // pprof's own graph (node and edge fractions, legend) from the report layer.
      try {
        const dot = generateReport(r.target, { ...defaultReportOptions, format: 'dot', sampleIndex: r.si, nodeCount: nc, granularity: f.granularity });
        const dropped = /Dropped (\d+) nodes?/.exec(dot);
        return { dot, nodeCount: (dot.match(/^N\d+ \[/gm) ?? []).length, dropped: dropped ? Number(dropped[1]) : 0 };
      } catch {
        // fall through to the server's own graph
      }
    }
    const g = buildCallGraph(r.target, r.si, r.filters, nc, this.percentOf(r));
    return { dot: g.dot, nodeCount: g.nodeCount, dropped: g.dropped };
  }

  leaks(): LeaksResponse {
    const snaps = this.snapshots;
    const typeName = 'inuse_space';
    const profiles = snaps.map((s) => s.profile);
    let candidates: LeakCandidate[] = [];
    let rankedBy = 'pprof-plus leaks (the same ranking as the `leaks` command)';
    const notes: string[] = [];
    if (snaps.length >= 2) {
      try {
        const toSnap = (s: LoadedSource) => ({ source: s.source, profile: s.profile, timeMs: profileTimeMs(s.profile) });
        const report = rankLeaks({ snapshots: snaps.map(toSnap) }, { all: true }, { snapshots: this.goroutineProfiles.map(toSnap) });
        notes.push(...report.notes);
        // Sites the ranking did not keep carry no series: take the in-use series per first user frame.
        const seriesOf = new Map(rankLeaksFallback(profiles, typeName).map((c) => [c.site, c.series]));
        if (report.projection) notes.push(report.projection.explanation);
        candidates = [
          ...report.candidates.map((c): LeakCandidate => ({
            site: c.function,
            series: c.inuse_bytes,
            growth: c.growth_bytes,
            score: c.score,
            verdict: c.verdict,
            explanation: c.explanation,
            goroutines: c.goroutines.map((g) => `${g.count.join(' → ')} goroutines in ${g.stack[0] ?? '?'}`),
          })),
          ...(report.others ?? []).map((o): LeakCandidate => ({
            site: o.function,
            series: seriesOf.get(o.function) ?? [],
            growth: o.growth_bytes,
            score: o.score,
            verdict: o.verdict,
            explanation: o.explanation,
          })),
        ];
      } catch (err) {
        rankedBy = `server fallback ranking (the leaks ranking failed: ${(err as Error).message})`;
        candidates = rankLeaksFallback(profiles, typeName);
      }
    }
    const totalInuse = profiles.map((p) => {
      const i = p.sampleTypes.findIndex((t) => t.type === typeName);
      return i >= 0 ? totalOf(p, i) : 0;
    });
    // Goroutine counts: the goroutine profile taken with each snapshot (same position in time order).
    const gps = this.goroutineProfiles;
    const goroutines = snaps.map((_, i) => (gps.length === snaps.length ? totalOf(gps[i].profile, 0) : null));
    return {
      unit: 'bytes',
      sampleType: typeName,
      candidates: candidates.slice(0, 200),
      times: snaps.map((s) => profileTimeMs(s.profile)),
      totalInuse,
      goroutines,
      rankedBy,
      notes,
    };
  }

  /**
   * pprof's own -list/-peek text from the report layer when the view is the
   * plain profile (it takes a profile already filtered); with filters or a
   * diff, the server's own per-line and caller/callee tables.
   */
  private reportText(r: Resolved, format: 'list' | 'peek', re: RegExp): string | null {
    const f = r.filters;
    if (r.base || f.focus || f.ignore || f.hide || f.show || f.tagFocus || f.tagIgnore || r.depth) return null;
    try {
      return generateReport(r.target, { ...defaultReportOptions, format, sampleIndex: r.si, symbol: re, granularity: f.granularity === 'functions' && format === 'list' ? 'lines' : f.granularity });
    } catch (err) {
      if (err instanceof ReportError) return `${err.message}\n`;
      return null;
    }
  }

  peek(q: ViewParams, symbol: string): TextResponse {
    const r = this.resolve(q);
    const re = compileRegex(symbol, 'peek');
    if (!re) throw new UsageError('peek: give a regular expression');
    return { text: this.reportText(r, 'peek', re) ?? peekText(r.target, r.si, r.filters, re, this.percentOf(r)) };
  }

  source(q: ViewParams, symbol: string): TextResponse {
    const r = this.resolve(q);
    const re = compileRegex(symbol, 'list');
    if (!re) throw new UsageError('list: give a regular expression');
    const text = this.reportText(r, 'list', re);
    const lines = () => sourceLinesText(r.target, r.si, re, this.percentOf(r));
    // Without the source files, pprof's listing has no lines: add the per-line values from the profile.
    if (text !== null && /could not find file/.test(text)) return { text: `${text}\nPer-line values from the profile:\n\n${lines()}` };
    return { text: text ?? lines() };
  }

  goroutines(filter: string): GoroutinesResponse {
    try {
      return goroutineView(this.dumps, this.goroutineProfiles, filter);
    } catch (err) {
      if (err instanceof UsageError) throw err;
      // The analysis failed on this input: the server's simpler grouping still shows the goroutines.
      return groupGoroutines(this.dumps, this.goroutineProfiles, filter);
    }
  }
}
