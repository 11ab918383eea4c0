// Split DWARF (gcc/clang -gsplit-dwarf): the binary keeps skeleton units
// (address ranges, line table, DW_AT_dwo_name, a dwo id), the DIE tree lives
// in a `.dwo` file per unit. This finds and reads such a file; dwarf.ts
// follows a skeleton into it the first time an address falls into the unit.
// `.dwp` packages are not read.

import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { ElfFile } from './elf.ts';

/** The sections of a .dwo that the DIE walk needs (addresses and line rows come from the binary). */
export interface DwoSections {
  path: string;
  info: Uint8Array;
  abbrev: Uint8Array;
  str?: Uint8Array;
  strOffsets?: Uint8Array;
  rnglists?: Uint8Array;
}

/** Where a .dwo may be: DW_AT_dwo_name resolved against DW_AT_comp_dir, then its base name next to the binary. */
export function dwoCandidates(binaryPath: string | undefined, compDir: string, dwoName: string): string[] {
  if (!dwoName) return [];
  const out: string[] = [];
  out.push(isAbsolute(dwoName) || !compDir ? dwoName : join(compDir, dwoName));
  if (binaryPath) {
    const near = join(dirname(binaryPath), basename(dwoName));
    if (!out.includes(near)) out.push(near);
  }
  return out;
}

/**
 * Reads the first candidate that is an ELF file with .debug_info.dwo; null
 * when none is. The file is closed again: its sections are held in memory.
 */
export function readDwo(candidates: string[]): DwoSections | null {
  for (const path of candidates) {
    if (!existsSync(path)) continue;
    let elf: ElfFile | null = null;
    try {
      elf = ElfFile.open(path);
      const info = elf.data('.debug_info.dwo');
      const abbrev = elf.data('.debug_abbrev.dwo');
      if (!info || !abbrev) continue;
      return {
        path, info, abbrev,
        str: elf.data('.debug_str.dwo'),
        strOffsets: elf.data('.debug_str_offsets.dwo'),
        rnglists: elf.data('.debug_rnglists.dwo'),
      };
    } catch {
      // not an ELF file, or damaged: try the next place
    } finally {
      elf?.close();
    }
  }
  return null;
}
