// source: a policy file's text plus the line table that turns offsets into line:col.
// Input: name + text. Output: SourceFile with offset <-> position lookups (O(log lines)).

/** A 0-based half-open character range [start, end) inside one source file. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** 1-based line and column, as editors and rustc show them. */
export interface Position {
  readonly line: number;
  readonly col: number;
}

export class SourceFile {
  readonly lineStarts: number[];

  constructor(readonly name: string, readonly text: string) {
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) starts.push(i + 1);
    }
    this.lineStarts = starts;
  }

  /** 1-based line/col of a character offset (clamped to the text). */
  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: o - this.lineStarts[lo]! + 1 };
  }

  /** The text of a 1-based line, without its line terminator (CR or LF). */
  lineText(line: number): string {
    const start = this.lineStarts[line - 1] ?? this.text.length;
    const next = this.lineStarts[line];
    let end = next === undefined ? this.text.length : next - 1;
    if (end > start && this.text.charCodeAt(end - 1) === 13) end--;
    return this.text.slice(start, end);
  }

  span(start: number, end: number): Span {
    return { file: this.name, start, end };
  }
}
