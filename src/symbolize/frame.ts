// What a symbolizer answers for one address: source frames, innermost
// (inlined callee) first, the physical function last.

export interface SourceFrame {
  /** Function name as it should be shown (demangled when asked). */
  readonly func: string;
  /** Linker-level name (mangled), or the same as func. */
  readonly systemName: string;
  readonly file: string;
  /** 0 when unknown. */
  readonly line: number;
  /** 0 when unknown. */
  readonly column?: number;
  /** First line of the function, 0 when unknown. */
  readonly startLine?: number;
}

/** Symbolizes link-time virtual addresses of one object file. */
export interface AddressSymbolizer {
  /** Frames for `vaddr`, innermost first; empty when nothing covers it. */
  frames(vaddr: number): SourceFrame[];
}
