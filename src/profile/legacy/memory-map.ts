// The memory-map trailer of legacy profiles (/proc/self/maps lines or the
// brief "start-end file" form) and the renumbering pprof does once it has
// read it.

import {
  massageMappings,
  newMapping,
  remapFunctionIds,
  remapLocationIds,
  remapMappingIds,
  type Annotate,
  type RawMapping,
  type RawProfile,
} from './raw-profile.ts';
import { isMemoryMapSentinel, type LineScanner } from './text.ts';

const HEX = '[0-9A-Fa-f]';
const C_HEX = `(?:0x)?(${HEX}+)`;
const C_HEX_RANGE = `\\s*${C_HEX}[\\s-]?\\s*${C_HEX}:?`;
const C_PERM = '(?:\\s+([-rwxp]+))?';
const C_SPACE_HEX = `(?:\\s+(${HEX}+))?`;
const HEX_PAIR = `\\s+${HEX}+:${HEX}+`;
const SPACE_DIGITS = '\\s+[0-9]+';
const C_SPACE_STRING = '(?:\\s+(\\S+))?';
const C_SPACE_AT_OFFSET = `(?:\\s+\\(@(${HEX}+)\\))?`;

const PROC_MAPS_RE = new RegExp(`^${C_HEX_RANGE}${C_PERM}${C_SPACE_HEX}${HEX_PAIR}${SPACE_DIGITS}${C_SPACE_STRING}`);
const BRIEF_MAPS_RE = new RegExp(`^${C_HEX_RANGE}${C_PERM}${C_SPACE_STRING}${C_SPACE_AT_OFFSET}${C_SPACE_HEX}`);
const LOG_INFO_RE = /^[^[\]]+:[0-9]+]\s/;

function hex(s: string): bigint | null {
  if (!/^[0-9A-Fa-f]+$/.test(s)) return null;
  const v = BigInt(`0x${s}`);
  return v >= 1n << 64n ? null : v;
}

/** One mapping line: a mapping, null for a non-executable entry, undefined when not a mapping line. */
function parseMappingEntry(line: string): RawMapping | null | undefined {
  let start: string, end: string, perm: string | undefined, file: string | undefined;
  let offset: string | undefined, buildId: string | undefined;
  let me = PROC_MAPS_RE.exec(line);
  if (me) {
    [, start, end, perm, offset, file] = me;
  } else if ((me = BRIEF_MAPS_RE.exec(line))) {
    [, start, end, perm, file, offset, buildId] = me;
  } else {
    return undefined;
  }
  if (perm !== undefined && perm !== '' && !perm.includes('x')) return null;
  const s = hex(start);
  const e = hex(end);
  if (s === null || e === null) return undefined;
  let off = 0n;
  if (offset !== undefined && offset !== '') {
    const o = hex(offset);
    if (o === null) return undefined;
    off = o;
  }
  return newMapping(s, e, off, file ?? '', buildId ?? '');
}

/** Go's strings.NewReplacer(old1, new1, ...): leftmost, first-listed pair wins, no rescanning. */
function replaceAttrs(line: string, pairs: [string, string][]): string {
  if (pairs.length === 0) return line;
  let out = '';
  let i = 0;
  outer: while (i < line.length) {
    for (const [from, to] of pairs) {
      if (from !== '' && line.startsWith(from, i)) {
        out += to;
        i += from.length;
        continue outer;
      }
    }
    out += line[i++];
  }
  return out;
}

/** Reads mapping lines from the scanner's next line to the end. */
function parseProcMaps(s: LineScanner): RawMapping[] {
  const mappings: RawMapping[] = [];
  const attrs: [string, string][] = [];
  while (s.scan()) {
    let line = s.text();
    const log = LOG_INFO_RE.exec(line);
    if (log) line = line.slice(log[0].length);
    line = replaceAttrs(line, attrs);
    const m = parseMappingEntry(line);
    if (m === undefined) {
      const eq = line.indexOf('=');
      if (eq >= 0) attrs.push([`$${line.slice(0, eq).trim()}`, line.slice(eq + 1).trim()]);
      continue;
    }
    if (m !== null) mappings.push(m);
  }
  return mappings;
}

/**
 * pprof's ParseMemoryMapFromScanner: reads the mappings that follow, then
 * renumbers locations (dropping unused ones), functions and mappings.
 */
export function finishWithMemoryMap(s: LineScanner, p: RawProfile, annotate?: Annotate): void {
  annotate?.(p);
  p.mappings.push(...parseProcMaps(s));
  massageMappings(p);
  remapLocationIds(p);
  remapFunctionIds(p);
  remapMappingIds(p);
}

/** Skips to the memory-map sentinel (if any) and finishes the profile from there. */
export function parseAdditionalSections(s: LineScanner, p: RawProfile, annotate?: Annotate): void {
  while (!isMemoryMapSentinel(s.text()) && s.scan()) {
    // skip sections pprof does not read
  }
  finishWithMemoryMap(s, p, annotate);
}
