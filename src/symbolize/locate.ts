// Finds the object file for a mapping the way pprof does: the mapping's own
// file name, then $PPROF_BINARY_PATH (by build ID or base name), then the
// system's build-ID debug directory. A file whose build ID differs from the
// mapping's is reported and skipped, never silently used.

import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Mapping } from '../profile/model.ts';
import { ObjectSymbolizer } from './object.ts';

export interface LocateResult {
  readonly object: ObjectSymbolizer | null;
  readonly warnings: string[];
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/** Candidate paths for a mapping, most specific first. */
export function candidatePaths(m: Mapping, binaryPath: string, home: string): string[] {
  const out: string[] = [];
  const base = m.file ? basename(m.file) : '';
  const search = (binaryPath || (home ? join(home, 'pprof', 'binaries') : '')).split(':').filter(Boolean);
  if (m.file && m.file.startsWith('/')) out.push(m.file);
  for (const dir of search) {
    if (m.buildId) {
      if (base) out.push(join(dir, m.buildId, base));
      out.push(join(dir, m.buildId));
    }
    if (base) out.push(join(dir, base));
    if (m.file && !m.file.startsWith('/')) out.push(join(dir, m.file));
  }
  if (m.buildId && /^[0-9a-f]{4,}$/.test(m.buildId)) {
    out.push(`/usr/lib/debug/.build-id/${m.buildId.slice(0, 2)}/${m.buildId.slice(2)}.debug`);
  }
  if (m.file && !m.file.startsWith('/') && !m.file.startsWith('[')) out.push(m.file);
  return [...new Set(out)];
}

/** Opens the first candidate that is an ELF file with a matching build ID. */
export function locateObject(m: Mapping, binaryPath: string, home: string): LocateResult {
  const warnings: string[] = [];
  for (const p of candidatePaths(m, binaryPath, home)) {
    if (!isFile(p)) continue;
    let obj: ObjectSymbolizer;
    try {
      obj = ObjectSymbolizer.open(p);
    } catch {
      continue;
    }
    const id = obj.buildId;
    if (m.buildId && id && id !== m.buildId) {
      warnings.push(`${p}: build ID ${id} does not match the profile's ${m.buildId} for ${m.file || 'mapping ' + m.id}; not used`);
      obj.close();
      continue;
    }
    return { object: withDebugFile(obj), warnings };
  }
  return { object: null, warnings };
}

/**
 * Attaches a separate debug file (build-ID directory or .gnu_debuglink)
 * when the binary itself carries no DWARF.
 */
function withDebugFile(obj: ObjectSymbolizer): ObjectSymbolizer {
  if (obj.elf.section('.debug_info') || obj.elf.section('.zdebug_info')) return obj;
  const tries: string[] = [];
  const id = obj.elf.buildId();
  if (/^[0-9a-f]{4,}$/.test(id)) tries.push(`/usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`);
  const link = obj.elf.debugLink();
  if (link) {
    const dir = dirname(obj.path);
    tries.push(join(dir, link), join(dir, '.debug', link), join('/usr/lib/debug', dir, link));
  }
  for (const p of tries) {
    if (!existsSync(p) || p === obj.path) continue;
    try {
      const dbg = ObjectSymbolizer.open(p);
      obj.attachDebug(dbg);
      return obj;
    } catch {
      // not an ELF file: try the next one
    }
  }
  return obj;
}
