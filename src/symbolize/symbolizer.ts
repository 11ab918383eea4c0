// Symbolizes a profile: locations that carry only an address (no lines) get
// functions, files, lines and inline chains from the mapped object file, or
// names from a Go program's /debug/pprof/symbol endpoint. Returns a new
// Profile; the input is not changed.

import { simplifyFunctionNames } from './function-names.ts';
import { homedir } from 'node:os';
import type { Profile, Mapping } from '../profile/model.ts';
import { u64ToNumbers } from '../profile/typed-arrays.ts';
import { demangle, type DemangleMode } from './demangle.ts';
import type { SourceFrame } from './frame.ts';
import { locateObject } from './locate.ts';
import { httpSymbolFetcher, type SymbolFetcher } from './remote.ts';

export type { SymbolFetcher } from './remote.ts';

export interface SymbolizeOptions {
  /**
   * pprof's -symbolize value: '' or 'auto' (local, then remote when the
   * profile came from a URL), 'local', 'fastlocal', 'remote', 'none', 'force',
   * options joined with ':' (e.g. 'local:force', 'demangle=none').
   */
  mode?: string;
  demangle?: DemangleMode;
  /** $PPROF_BINARY_PATH: ':'-separated directories. */
  binaryPath?: string;
  /** URL the profile was fetched from; enables remote symbolization. */
  sourceUrl?: string;
  /** Remote symbol lookup; defaults to an HTTP client for sourceUrl. */
  fetchSymbols?: SymbolFetcher;
  /** Home directory for the default binary path ($HOME/pprof/binaries). */
  home?: string;
}

export interface SymbolizeResult {
  profile: Profile;
  warnings: string[];
}

interface ParsedMode {
  local: boolean;
  remote: boolean;
  force: boolean;
  demangle: DemangleMode;
}

/** Parses a -symbolize value; throws on an unknown option. */
export function parseSymbolizeMode(mode: string, demangleDefault: DemangleMode = 'simple'): ParsedMode {
  const r: ParsedMode = { local: true, remote: true, force: false, demangle: demangleDefault };
  let explicit = false;
  for (const o of mode.toLowerCase().split(':')) {
    if (o === '' || o === 'auto') continue;
    if (o === 'none' || o === 'no') return { local: false, remote: false, force: false, demangle: r.demangle };
    if (o === 'local' || o === 'fastlocal') { if (!explicit) r.remote = false; r.local = true; explicit = true; }
    else if (o === 'remote') { if (!explicit) r.local = false; r.remote = true; explicit = true; }
    else if (o === 'force') r.force = true;
    else if (o.startsWith('demangle=')) {
      const d = o.slice(9);
      if (d !== 'none' && d !== 'full' && d !== 'templates') throw new Error(`unknown demangle option ${JSON.stringify(d)}`);
      r.demangle = d;
    } else throw new Error(`unrecognized -symbolize option ${JSON.stringify(o)}`);
  }
  return r;
}

/** Mappings we never look up on disk: kernel and anonymous regions. */
function isPseudoMapping(m: Mapping): boolean {
  return m.file.startsWith('[') || m.file.startsWith('//anon') || m.file === '/dev/zero' || m.file.startsWith('/memfd:');
}

export async function symbolizeProfile(p: Profile, opts: SymbolizeOptions = {}): Promise<SymbolizeResult> {
  const mode = parseSymbolizeMode(opts.mode ?? '', opts.demangle ?? 'simple');
  const warnings: string[] = [];
  const L = p.locations;
  const address = u64ToNumbers(L.address);
  const need = new Uint8Array(L.length);
  let needCount = 0;
  for (let i = 0; i < L.length; i++) {
    const noLines = L.lineStart[i + 1] === L.lineStart[i];
    if ((noLines || mode.force) && address[i] !== 0) { need[i] = 1; needCount++; }
  }
  if (!mode.local && !mode.remote) return { profile: p, warnings };
  if (needCount === 0) return { profile: simplifyFunctionNames(p, mode.demangle, mode.force), warnings };

  const frames: (SourceFrame[] | undefined)[] = new Array(L.length);
  // Mappings whose binary was not found, with their locations: reported unless remote names them.
  const missing = new Map<number, number[]>();
  const symbolizedMappings = new Set<number>();

  if (mode.local) {
    const byMapping = new Map<number, number[]>();
    for (let i = 0; i < L.length; i++) {
      if (!need[i]) continue;
      // A location without a mapping belongs to the mapping whose range holds its address, if any.
      const m = L.mapping[i] >= 0 ? L.mapping[i] : mappingAt(p.mappings, L.address[i]);
      let a = byMapping.get(m);
      if (!a) byMapping.set(m, (a = []));
      a.push(i);
    }
    for (const [mi, locs] of byMapping) {
      const m = p.mappings[mi];
      if (!m || isPseudoMapping(m)) continue;
      const { object, warnings: w } = locateObject(m, opts.binaryPath ?? '', opts.home ?? homedir());
      warnings.push(...w);
      if (!object) {
        if (m.file && !m.hasFunctions) missing.set(mi, locs);
        continue;
      }
      try {
        let found = 0;
        const start = Number(m.start), offset = Number(m.offset), limit = Number(m.limit);
        for (const i of locs) {
          const f = object.frames(object.elf.toVaddr(address[i], start, offset, limit));
          if (f.length) { frames[i] = f; found++; }
        }
        if (found > 0) symbolizedMappings.add(mi);
        warnings.push(...object.warnings());
      } finally {
        object.close();
      }
    }
  }

  if (mode.remote && (opts.fetchSymbols || opts.sourceUrl)) {
    const addrs: bigint[] = [];
    for (let i = 0; i < L.length; i++) if (need[i] && !frames[i]) addrs.push(L.address[i]);
    if (addrs.length) {
      try {
        const fetcher = opts.fetchSymbols ?? httpSymbolFetcher(opts.sourceUrl!);
        const names = await fetcher([...new Set(addrs)]);
        for (let i = 0; i < L.length; i++) {
          if (!need[i] || frames[i]) continue;
          const n = names.get(L.address[i]);
          if (n) {
            frames[i] = [{ func: n, systemName: n, file: '', line: 0 }];
            if (L.mapping[i] >= 0) symbolizedMappings.add(L.mapping[i]);
          }
        }
      } catch (e) {
        warnings.push(`remote symbolization failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  for (const [mi, locs] of missing) {
    const left = locs.filter((i) => !frames[i]).length;
    if (left > 0) warnings.push(`${p.mappings[mi].file}: cannot find the binary to symbolize ${left} locations (set PPROF_BINARY_PATH)`);
  }
  return { profile: simplifyFunctionNames(rebuild(p, frames, mode.demangle, symbolizedMappings), mode.demangle, mode.force), warnings };
}

function mappingAt(ms: readonly Mapping[], a: bigint): number {
  for (let i = 0; i < ms.length; i++) if (a >= ms[i].start && a < ms[i].limit) return i;
  return -1;
}

/** Copies the profile with new lines for the symbolized locations. */
function rebuild(p: Profile, frames: (SourceFrame[] | undefined)[], dm: DemangleMode, symbolized: Set<number>): Profile {
  const L = p.locations;
  const F = p.functions;
  const name = F.name.slice(), sys = F.systemName.slice(), file = F.filename.slice();
  const fid: number[] = Array.from(F.id);
  const start: number[] = Array.from(F.startLine);
  // Existing functions by (display name, system name, file); new ones by system name when the frame
  // has no file (symbol-table frames, most of them), else by (system name, file): the display
  // name follows from the system name.
  const existing = new Map<string, number>();
  for (let i = 0; i < F.length; i++) existing.set(`${name[i]}\0${sys[i]}\0${file[i]}`, i);
  const addedNoFile = new Map<string, number>();
  const addedWithFile = new Map<string, number>();
  let maxId = 0;
  for (const id of fid) if (id > maxId) maxId = id;
  const fnFor = (f: SourceFrame): number => {
    const raw = f.systemName || f.func;
    const key = f.file === '' ? raw : `${raw}\0${f.file}`;
    const added = f.file === '' ? addedNoFile : addedWithFile;
    let idx = added.get(key);
    if (idx !== undefined) return idx;
    let display: string;
    if (dm === 'none') display = raw;
    else {
      const d = demangle(raw, dm);
      // DWARF's plain name (e.g. a C function) when the linkage name is not mangled.
      display = d !== raw ? d : f.func || raw;
    }
    // (No key string to build when the profile had no functions: the usual address-only case.)
    idx = existing.size === 0 ? undefined : existing.get(`${display}\0${raw}\0${f.file}`);
    if (idx === undefined) {
      idx = name.length;
      name.push(display);
      sys.push(raw);
      file.push(f.file);
      fid.push(++maxId);
      start.push(f.startLine ?? 0);
    }
    added.set(key, idx);
    return idx;
  };

  let nLines = 0;
  for (let i = 0; i < L.length; i++) nLines += frames[i]?.length ?? L.lineStart[i + 1] - L.lineStart[i];
  const lineStart = new Uint32Array(L.length + 1);
  const lf = new Uint32Array(nLines), ln = new Float64Array(nLines), lc = new Float64Array(nLines);
  let k = 0;
  for (let i = 0; i < L.length; i++) {
    lineStart[i] = k;
    const fr = frames[i];
    if (fr) {
      for (const f of fr) { lf[k] = fnFor(f); ln[k] = f.line; lc[k] = f.column ?? 0; k++; }
    } else {
      for (let j = L.lineStart[i]; j < L.lineStart[i + 1]; j++, k++) { lf[k] = L.lineFunction[j]; ln[k] = L.lineNumber[j]; lc[k] = L.lineColumn[j]; }
    }
  }
  lineStart[L.length] = k;
  // Per mapping: did any new frame carry a line, or an inline chain?
  const hasLines = new Uint8Array(p.mappings.length);
  const hasInline = new Uint8Array(p.mappings.length);
  for (let j = 0; j < L.length; j++) {
    const fr = frames[j];
    const mi = L.mapping[j];
    if (!fr || mi < 0) continue;
    for (let k = 0; k < fr.length; k++) if (fr[k].line > 0) hasLines[mi] = 1;
    if (fr.length > 1) hasInline[mi] = 1;
  }
  const mappings = p.mappings.map((m, i) => {
    if (!symbolized.has(i)) return m;
    const lines = hasLines[i] === 1;
    return { ...m, hasFunctions: true, hasFilenames: m.hasFilenames || lines, hasLineNumbers: m.hasLineNumbers || lines, hasInlineFrames: m.hasInlineFrames || hasInline[i] === 1 };
  });
  return {
    ...p,
    mappings,
    locations: {
      ...L,
      lineStart,
      lineFunction: lf,
      lineNumber: ln,
      lineColumn: lc,
    },
    functions: {
      length: name.length,
      id: Float64Array.from(fid),
      name,
      systemName: sys,
      filename: file,
      startLine: Float64Array.from(start),
    },
  };
}
