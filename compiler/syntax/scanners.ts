/**
 * Hand-written matchers for the tokens whose regular expressions would repeat a group once per
 * character or part (`"(?:[^"\\]|\\.)*"`, `a(?:-b)*`, `/(?:seg/?)*`): V8 runs such a repetition
 * with one backtracking frame per iteration and throws "Maximum call stack size exceeded" on a
 * long string, name or path. These loops match exactly what those expressions matched, in
 * linear time and constant stack.
 */

const isWordChar = (c: number): boolean =>
  (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95; // a-z A-Z 0-9 _
const isWordStart = (c: number): boolean => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
/** A character that cannot follow a backslash in a string (`.` in a regular expression). */
const isLineTerminator = (c: number): boolean => c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
const PATH_CHARS = new Set([..."_-.~{}*"].map((c) => c.charCodeAt(0)));
const isPathChar = (c: number): boolean => isWordChar(c) || PATH_CHARS.has(c);

/** End of the string starting with `"` at `at`, and whether a closing quote ends it. */
export function scanString(text: string, at: number): { end: number; terminated: boolean } {
  let i = at + 1;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 34) return { end: i + 1, terminated: true }; // "
    if (c === 10 || c === 13) break; // strings end at the line
    if (c === 92) {
      // \ escapes the next character unless the line ends there
      if (i + 1 < text.length && !isLineTerminator(text.charCodeAt(i + 1))) i += 2;
      else break;
    } else i++;
  }
  return { end: i, terminated: false };
}

/** End of `[a-zA-Z_][a-zA-Z0-9_]*(?:-[a-zA-Z0-9_]+)*` at `at`, or -1. */
export function scanIdentifier(text: string, at: number): number {
  if (!isWordStart(text.charCodeAt(at))) return -1;
  let i = at + 1;
  for (;;) {
    while (i < text.length && isWordChar(text.charCodeAt(i))) i++;
    if (text.charCodeAt(i) === 45 && isWordChar(text.charCodeAt(i + 1))) i += 2; // -x
    else return i;
  }
}

/** End of `\/(?:[a-zA-Z0-9_\-.~{}*]+\/?)*` at `at`, or -1. */
export function scanPath(text: string, at: number): number {
  if (text.charCodeAt(at) !== 47) return -1;
  let i = at + 1;
  for (;;) {
    const from = i;
    while (i < text.length && isPathChar(text.charCodeAt(i))) i++;
    if (i === from) return i;
    if (text.charCodeAt(i) === 47) i++;
  }
}

type Match = [string] | null;

/** A chevrotain custom pattern from a scanner that returns the end offset (or -1 for no match). */
export function customPattern(scan: (text: string, at: number) => number): { exec: (text: string, offset: number) => Match } {
  return {
    exec: (text, offset) => {
      const end = scan(text, offset);
      return end > offset ? [text.slice(offset, end)] : null;
    },
  };
}

export const stringEnd = (terminated: boolean) => (text: string, at: number): number => {
  if (text.charCodeAt(at) !== 34) return -1;
  const s = scanString(text, at);
  return s.terminated === terminated ? s.end : -1;
};
