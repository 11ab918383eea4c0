// Go's text/tabwriter as pprof uses it: minwidth 0, tabwidth 0, padding 1,
// pad character ' ', AlignRight. Cells are tab-terminated; the text after
// the last tab of a line is not part of any column. Consecutive lines that
// have a cell in column k form one column block, aligned on the widest cell
// of the block. A line without a tab ends every block (Go flushes there).

interface Line {
  cells: string[]; // all cells; the last one is the unterminated tail
}

export class TabWriter {
  private lines: Line[] = [];
  private out = '';
  private readonly padding: number;
  private readonly alignRight: boolean;

  constructor(opts: { padding?: number; alignRight?: boolean } = {}) {
    this.padding = opts.padding ?? 1;
    this.alignRight = opts.alignRight ?? true;
  }

  /** Writes text; may contain several lines. */
  write(text: string): void {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\n') {
        this.addLine(text.slice(start, i));
        start = i + 1;
      }
    }
    if (start < text.length) this.pending += text.slice(start);
  }

  private pending = '';

  private addLine(s: string): void {
    const full = this.pending + s;
    this.pending = '';
    const cells = full.split('\t');
    this.lines.push({ cells });
    if (cells.length === 1) this.flushLines(true);
  }

  /** Flushes everything and returns the formatted text. */
  flush(): string {
    if (this.pending !== '') {
      const cells = this.pending.split('\t');
      this.pending = '';
      this.lines.push({ cells });
      this.flushLines(false);
    } else {
      this.flushLines(true);
    }
    const o = this.out;
    this.out = '';
    return o;
  }

  private flushLines(lastHasNewline: boolean): void {
    const widths: number[] = [];
    this.format(widths, 0, this.lines.length, lastHasNewline);
    this.lines = [];
  }

  private format(widths: number[], line0: number, line1: number, lastNL: boolean): void {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      const line = this.lines[t];
      if (column >= line.cells.length - 1) continue;
      this.writeLines(widths, line0, t, lastNL);
      line0 = t;
      let width = 0;
      for (; t < line1; t++) {
        const l = this.lines[t];
        if (column >= l.cells.length - 1) break;
        const w = runeCount(l.cells[column]) + this.padding;
        if (w > width) width = w;
      }
      widths.push(width);
      this.format(widths, line0, t, lastNL);
      widths.pop();
      line0 = t;
      t--; // the outer loop's t++ must revisit line t
    }
    this.writeLines(widths, line0, line1, lastNL);
  }

  private writeLines(widths: number[], line0: number, line1: number, lastNL: boolean): void {
    for (let i = line0; i < line1; i++) {
      const cells = this.lines[i].cells;
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j];
        const pad = j < widths.length && j < cells.length - 1 ? widths[j] - runeCount(c) : 0;
        if (c.length === 0) {
          if (j < widths.length && j < cells.length - 1) this.out += ' '.repeat(Math.max(pad, 0));
        } else if (this.alignRight) {
          this.out += ' '.repeat(Math.max(pad, 0)) + c;
        } else {
          this.out += c + ' '.repeat(Math.max(pad, 0));
        }
      }
      if (i + 1 < this.lines.length || lastNL) this.out += '\n';
    }
  }
}

function runeCount(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
