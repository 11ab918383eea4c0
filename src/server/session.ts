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
import { FrameTable, type Granularity } from './stack-walk.ts';
import { flatCum } from './top.ts';
import { applyFocus, activeFilterLines, hasFocus, type FocusOptions } from '../profile/focus.ts';
import { compileGoRegexp } from '../profile/filter.ts';
import { combineProfiles, setLabel } from '../profile/merge.ts';
import { normalizeProfile, scaleProfile } from '../profile/scale.ts';
import { computeTotal } from '../report/context.ts';
import type { ReportOptions } from '../report/options.ts';
import { rankLeaks } from '../leak/rank.ts';
import { mergeProfiles } from '../profile/merge.ts';
import { generateReport, ReportError } from '../report/report.ts';
import { defaultReportOptions } from '../report/options.ts';
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
  /** The views' profiles after pprof's filters (focus, ignore, hide, show, show_from, tag filters, prune_from). */
  target: Profile;
  base: Profile | null;
  /** The same before the filters (after -normalize): pprof's percentages are of these totals. */
  rawTarget: Profile;
  rawBase: Profile | null;
  si: number;
  baseSi: number;
  granularity: Granularity;
  depth: number;
  focus: FocusOptions;
  /** pprof's warnings for expressions that matched nothing. */
  warnings: string[];
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

function focusOptions(v: ViewParams): FocusOptions {
  return {
    focus: v.focus ?? '',
    ignore: v.ignore ?? '',
    hide: v.hide ?? '',
    show: v.show ?? '',
    showFrom: v.show_from ?? '',
    pruneFrom: v.prune_from ?? '',
    tagFocus: v.tagfocus ?? '',
    tagIgnore: v.tagignore ?? '',
    tagShow: v.tagshow ?? '',
    tagHide: v.taghide ?? '',
  };
}

function compileSymbol(src: string, what: string): RegExp {
  if (src === '') throw new UsageError(`${what}: give a regular expression`);
  return compileGoRegexp(what, src);
}

/** The profile a text/graph report is made from: with a base, pprof's merge of target and negated base. */
interface ReportInput {
  profile: Profile;
  sampleIndex: number;
  total: number;
  warnings: string[];
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

  /** The last filtered pair, so switching views (or zooming) does not refilter. */
  private lastFiltered: { key: string; target: Profile; base: Profile | null; warnings: string[] } | null = null;

  private resolve(q: ViewParams): Resolved {
    const v = { ...this.defaults, ...q };
    let target = this.main;
    let base = this.base;
    let pick = 'main';
    let diffRelativeToBase = this.baseMode === 'diff_base';
    if (v.target !== undefined && v.target !== '') {
      if (this.snapshots.length < 2) throw new UsageError('target: needs a series of two or more heap snapshots');
      const t = Number(v.target);
      if (!Number.isInteger(t) || t < 0 || t >= this.snapshots.length) throw new UsageError(`target: no snapshot ${v.target}`);
      target = this.snapshots[t].profile;
      base = null;
      diffRelativeToBase = false;
      pick = `t${t}`;
      if (v.base !== undefined && v.base !== '') {
        const b = Number(v.base);
        if (!Number.isInteger(b) || b < 0 || b >= this.snapshots.length) throw new UsageError(`base: no snapshot ${v.base}`);
        base = this.snapshots[b].profile;
        diffRelativeToBase = true;
        pick += `b${b}`;
      }
    }
    const normalize = base !== null && (v.normalize === '1' || v.normalize === 'true');
    // pprof -normalize: the target scaled so each sample type's total equals the base's.
    if (normalize) target = normalizeProfile(target, base!);
    const si = sampleTypeIndex(target, v.si ?? '');
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
    const focus = focusOptions(v);
    const key = JSON.stringify([pick, normalize, focus]);
    if (this.lastFiltered?.key !== key) {
      const warnings: string[] = [];
      const warn = (line: string): void => { if (!warnings.includes(line)) warnings.push(line); };
      const on = hasFocus(focus);
      this.lastFiltered = {
        key,
        target: on ? applyFocus(target, focus, warn) : target,
        base: base && on ? applyFocus(base, focus, () => {}) : base,
        warnings,
      };
    }
    const f = this.lastFiltered;
    return { target: f.target, base: f.base, rawTarget: target, rawBase: base, si, baseSi, granularity: g, depth, focus, warnings: f.warnings, diffRelativeToBase };
  }

  /** pprof: -diff_base (and our snapshot diffs) use the base total; -base the total of target − base. */
  private percentOf(r: Resolved): number {
    if (r.rawBase && r.diffRelativeToBase) return totalOf(r.rawBase, r.baseSi);
    if (r.rawBase) return totalOf(r.rawTarget, r.si) - totalOf(r.rawBase, r.baseSi);
    return totalOf(r.rawTarget, r.si);
  }

  /**
   * What pprof's report driver would report on: the target, or with a base
   * the merge of the target and the negated base (labelled pprof::base for
   * -diff_base), filtered after the merge as pprof does; the total is taken
   * before filtering.
   */
  private reportInput(r: Resolved): ReportInput {
    if (!r.rawBase) return { profile: r.target, sampleIndex: r.si, total: computeTotal(r.rawTarget, r.si, false), warnings: r.warnings };
    const b = r.diffRelativeToBase ? setLabel(r.rawBase, 'pprof::base', ['true']) : r.rawBase;
    const merged = combineProfiles([r.rawTarget, scaleProfile(b, -1)]);
    const si = merged.sampleTypes.findIndex((t) => t.type === r.rawTarget.sampleTypes[r.si].type);
    if (si < 0) throw new UsageError(`base profile has no sample type ${r.rawTarget.sampleTypes[r.si].type}`);
    const warnings: string[] = [];
    const profile = hasFocus(r.focus) ? applyFocus(merged, r.focus, (l) => { if (!warnings.includes(l)) warnings.push(l); }) : merged;
    return { profile, sampleIndex: si, total: computeTotal(merged, si, false), warnings };
  }

  private report(r: Resolved, opts: Partial<ReportOptions>): { text: string; warnings: string[] } {
    const input = this.reportInput(r);
    try {
      const text = generateReport(input.profile, {
        ...defaultReportOptions,
        granularity: r.granularity,
        ...opts,
        sampleIndex: input.sampleIndex,
        total: input.total,
        activeFilters: activeFilterLines(r.focus),
      });
      return { text, warnings: input.warnings };
    } catch (err) {
      if (err instanceof ReportError) return { text: `${err.message}\n`, warnings: input.warnings };
      throw err;
    }
  }

  /** The last call tree built, so zooming into it and back costs a layout, not a rebuild. */
  private lastRaw: { key: string; raw: RawFlame } | null = null;

  flame(q: ViewParams): FlameResponse {
    const t0 = performance.now();
    const r = this.resolve(q);
    const { zoom, nodecount, ...rest } = q;
    const key = JSON.stringify(Object.entries(rest).sort());
    let raw = this.lastRaw?.key === key ? this.lastRaw.raw : null;
    if (!raw) {
      raw = buildRawFlame(
        { profile: r.target, sampleIndex: r.si },
        r.base ? { profile: r.base, sampleIndex: r.baseSi } : null,
        { granularity: r.granularity },
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
      warnings: r.warnings,
    };
  }

  /** Flat and cum per frame of the filtered profiles (the flame graph's frames, so a row click can focus it). */
  top(q: ViewParams): TopResponse {
    const r = this.resolve(q);
    const table = new FrameTable();
    const walk = { granularity: r.granularity };
    const a = flatCum(r.target, r.si, table, walk);
    const b = r.base ? flatCum(r.base, r.baseSi, table, walk) : null;
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
    return { rows: rows.slice(0, 5000), unit: r.target.sampleTypes[r.si].unit, percentOf: this.percentOf(r), isDiff: r.base !== null, warnings: r.warnings };
  }

  /** pprof's call graph (DOT) from the report layer, on the filtered (diff) profile. */
  dot(q: ViewParams): DotResponse {
    const r = this.resolve(q);
    const v = { ...this.defaults, ...q };
    const nc = v.nodecount ? Number(v.nodecount) : 80;
    if (!Number.isInteger(nc) || nc < 1 || nc > 1000) throw new UsageError('nodecount: want 1..1000');
    const { text: dot, warnings } = this.report(r, { format: 'dot', nodeCount: nc });
    const dropped = /Dropped (\d+) nodes?/.exec(dot);
    return { dot, nodeCount: (dot.match(/^N\d+ \[/gm) ?? []).length, dropped: dropped ? Number(dropped[1]) : 0, warnings };
  }

  leaks(): LeaksResponse {
    const snaps = this.snapshots;
    const typeName = 'inuse_space';
    const profiles = snaps.map((s) => s.profile);
    let candidates: LeakCandidate[] = [];
    const rankedBy = 'pprof-plus leaks (the same ranking as the `leaks` command)';
    const notes: string[] = [];
    if (snaps.length >= 2) {
      const toSnap = (s: LoadedSource) => ({ source: s.source, profile: s.profile, timeMs: profileTimeMs(s.profile) });
      const report = rankLeaks({ snapshots: snaps.map(toSnap) }, { all: true }, { snapshots: this.goroutineProfiles.map(toSnap) });
      notes.push(...report.notes);
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
          series: o.inuse_bytes,
          growth: o.growth_bytes,
          score: o.score,
          verdict: o.verdict,
          explanation: o.explanation,
        })),
      ];
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

  /** pprof's -peek text on the filtered (diff) profile. */
  peek(q: ViewParams, symbol: string): TextResponse {
    const r = this.resolve(q);
    const { text, warnings } = this.report(r, { format: 'peek', symbol: compileSymbol(symbol, 'peek'), trim: false, nodeCount: 0, nodeFraction: 0, edgeFraction: 0 });
    return { text, warnings };
  }

  /**
   * pprof's -list text on the filtered (diff) profile. Without the source
   * files pprof's listing has no lines, so the per-line rows of a text report
   * at line granularity are added for the matching functions.
   */
  source(q: ViewParams, symbol: string): TextResponse {
    const r = this.resolve(q);
    const re = compileSymbol(symbol, 'list');
    const { text, warnings } = this.report(r, { format: 'list', symbol: re, granularity: 'lines', trim: false, nodeCount: 0, nodeFraction: 0, edgeFraction: 0 });
    if (!/could not find file/.test(text)) return { text, warnings };
    const lines = this.report(r, { format: 'text', granularity: 'lines', trim: false, nodeCount: 0, nodeFraction: 0, edgeFraction: 0 }).text.split('\n');
    const head = lines.findIndex((l) => /^\s*flat\s+flat%/.test(l));
    const rows = head < 0 ? [] : [lines[head], ...lines.slice(head + 1).filter((l) => l !== '' && re.test(l.replace(/^\s*(\S+\s+){5}/, '')))];
    return { text: `${text}\nPer-line values from the profile:\n\n${rows.join('\n')}\n`, warnings };
  }

  /** Goroutine groups from the `goroutines` command's analysis (src/leak/goroutines). */
  goroutines(filter: string): GoroutinesResponse {
    return goroutineView(this.dumps, this.goroutineProfiles, filter);
  }
}
