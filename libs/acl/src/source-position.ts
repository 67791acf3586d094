/** A place in the policy text, 1-based, as an editor shows it. Columns count UTF-16 code units. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Maps character offsets (what jsonc-parser reports) to lines and columns. */
export class LineIndex {
  private readonly lineStarts: number[] = [0];

  constructor(text: string) {
    for (let offset = 0; offset < text.length; offset++) {
      const code = text.charCodeAt(offset);
      if (code === 13 && text.charCodeAt(offset + 1) === 10) continue; // CRLF ends the line at its LF
      if (code === 10 || code === 13) this.lineStarts.push(offset + 1);
    }
  }

  positionAt(offset: number): SourcePosition {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.lineStarts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { line: low + 1, column: offset - this.lineStarts[low]! + 1 };
  }
}
