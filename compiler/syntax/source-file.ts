/**
 * Source text with a lazily built line table; positions are UTF-16 offsets, lines and columns 0-based.
 * `\n`, `\r\n` and a lone `\r` each end a line, as the lexer and the LSP count them.
 */
export interface SourceFile {
  readonly path: string;
  readonly text: string;
  positionOf(offset: number): { line: number; character: number };
  offsetOf(line: number, character: number): number;
  lineText(line: number): string;
  readonly lineCount: number;
}

export function createSourceFile(path: string, text: string): SourceFile {
  let starts: number[] | undefined;
  const lineStarts = (): number[] => {
    if (starts) return starts;
    starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    return starts;
  };
  /** End of a line's content: its start of the next line less the line break. */
  const lineEnd = (ls: number[], line: number): number => {
    if (line + 1 >= ls.length) return text.length;
    let end = ls[line + 1]!;
    if (text.charCodeAt(end - 1) === 10) end--;
    if (text.charCodeAt(end - 1) === 13) end--;
    return end;
  };
  return {
    path,
    text,
    get lineCount() {
      return lineStarts().length;
    },
    positionOf(offset) {
      const ls = lineStarts();
      const o = Math.max(0, Math.min(offset, text.length));
      let lo = 0;
      let hi = ls.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (ls[mid]! <= o) lo = mid;
        else hi = mid - 1;
      }
      return { line: lo, character: o - ls[lo]! };
    },
    offsetOf(line, character) {
      const ls = lineStarts();
      if (line >= ls.length) return text.length;
      const l = Math.max(0, line);
      return Math.min(ls[l]! + Math.max(0, character), lineEnd(ls, l));
    },
    lineText(line) {
      const ls = lineStarts();
      if (line < 0 || line >= ls.length) return "";
      return text.slice(ls[line]!, lineEnd(ls, line));
    },
  };
}
