/** Source text with a lazily built line table; positions are UTF-16 offsets, lines and columns 0-based. */
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
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
    return starts;
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
      const start = ls[Math.max(0, line)]!;
      const end = line + 1 < ls.length ? ls[line + 1]! - 1 : text.length;
      return Math.min(start + Math.max(0, character), end);
    },
    lineText(line) {
      const ls = lineStarts();
      if (line < 0 || line >= ls.length) return "";
      const end = line + 1 < ls.length ? ls[line + 1]! - 1 : text.length;
      return text.slice(ls[line]!, end).replace(/\r$/, "");
    },
  };
}
