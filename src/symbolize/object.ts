// One object file opened for symbolization: Go's pclntab when present (it
// is exact for Go code and survives stripping), DWARF for the rest, and the
// ELF symbol table as the last resort (names only).

import { DwarfInfo } from './dwarf.ts';
import { ElfFile } from './elf.ts';
import { SymbolTable } from './elf-symbols.ts';
import type { AddressSymbolizer, SourceFrame } from './frame.ts';
import { GoPclntab } from './gopclntab.ts';

export class ObjectSymbolizer implements AddressSymbolizer {
  private dwarf: DwarfInfo | null | undefined;
  private symtab: SymbolTable | null | undefined;
  private gotab: GoPclntab | null | undefined;
  private debug: ObjectSymbolizer | null = null;

  constructor(readonly elf: ElfFile, readonly path: string) {}

  static open(path: string): ObjectSymbolizer {
    return new ObjectSymbolizer(ElfFile.open(path), path);
  }

  close(): void {
    this.elf.close();
    this.debug?.close();
  }

  /** Uses a separate debug file's DWARF (same link-time addresses) before our own tables. */
  attachDebug(d: ObjectSymbolizer): void {
    this.debug = d;
  }

  get buildId(): string {
    return this.elf.buildId();
  }

  // A damaged table must not take the whole profile down: each reader that fails is dropped.
  private go(): GoPclntab | null {
    if (this.gotab === undefined) {
      try {
        this.gotab = GoPclntab.fromElf(this.elf);
      } catch {
        this.gotab = null;
      }
    }
    return this.gotab;
  }

  private dw(): DwarfInfo | null {
    if (this.dwarf === undefined) {
      try {
        this.dwarf = DwarfInfo.fromElf(this.elf);
      } catch {
        this.dwarf = null;
      }
    }
    return this.dwarf;
  }

  private syms(): SymbolTable | null {
    if (this.symtab === undefined) {
      try {
        this.symtab = SymbolTable.fromElf(this.elf);
      } catch {
        this.symtab = null;
      }
    }
    return this.symtab;
  }

  /** Problems the readers met and worked around (e.g. a split-DWARF .dwo not found), for the caller to report. */
  warnings(): string[] {
    const dw = this.debug ? this.debug.dwarf : this.dwarf;
    return dw ? dw.warnings : [];
  }

  /** True when the file carries any symbol information at all. */
  hasSymbols(): boolean {
    return this.go() !== null || this.dw() !== null || (this.syms()?.length ?? 0) > 0;
  }

  frames(vaddr: number): SourceFrame[] {
    const go = this.go();
    if (go) {
      let f: SourceFrame[] = [];
      try {
        f = go.frames(vaddr);
      } catch {
        f = [];
      }
      if (f.length) return f;
    }
    let frames: SourceFrame[] = [];
    const dw = this.debug ? this.debug.dw() : this.dw();
    if (dw) {
      try {
        frames = dw.frames(vaddr);
      } catch {
        frames = [];
      }
    }
    if (frames.length && frames[frames.length - 1].systemName !== '') return frames;
    const sym = this.syms()?.lookup(vaddr);
    if (!sym) return frames.filter((f) => f.systemName !== '');
    if (frames.length) {
      // A line row without a covering subprogram DIE: name it after the symbol.
      const last = frames[frames.length - 1];
      return [...frames.slice(0, -1), { ...last, func: sym.name, systemName: sym.name }];
    }
    return [{ func: sym.name, systemName: sym.name, file: sym.file, line: 0 }];
  }
}
