import { scanIdentifier, scanPath, scanString } from "./scanners.js";

/**
 * Where to stop lexing a file that is not a spec (a binary, 20 MB of random bytes): the offset of
 * its (max+1)-th run of characters no token can start with, or the text's length.
 * Chevrotain's lexer spends microseconds and an error object on each such run; a quick pass with
 * the lexer's own token extents (strings and comments may hold any character) finds the cut first.
 * Exactness matters only in that the count never falls below the lexer's.
 */
export function invalidCharacterCut(text: string, max: number): number {
  let runs = 0;
  let inRun = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    const end = tokenEnd(text, i, c);
    if (end > i) {
      inRun = false;
      i = end;
      continue;
    }
    if (!inRun) {
      if (++runs > max) return i;
      inRun = true;
    }
    i++;
  }
  return n;
}

const QUANTITY = /[0-9]+(?:\.[0-9]+)?(?:[a-zA-Z]+|%|\/[a-z]+)?/y;

/** ASCII classes: 1 a one-character token or white space, 2 a name character, 0 anything else. */
const CLASS = new Uint8Array(128);
for (const ch of "{}[],.=:<> \t\n\r") CLASS[ch.charCodeAt(0)] = 1;
for (const ch of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_") CLASS[ch.charCodeAt(0)] = 2;

/** End of the token (or white space) that starts at i, or i when no token starts there. */
function tokenEnd(text: string, i: number, c: number): number {
  if (c < 128) {
    const k = CLASS[c]!;
    if (k === 1) return i + 1;
    if (k === 2) return scanIdentifier(text, i);
  } else return c === 0xfeff ? i + 1 : i;
  if (c === 34) return scanString(text, i).end; // "
  if (c === 47) {
    // `//` comment to the end of the line, else a path
    if (text.charCodeAt(i + 1) !== 47) return scanPath(text, i);
    let j = i + 2;
    while (j < text.length && text.charCodeAt(j) !== 10 && text.charCodeAt(j) !== 13) j++;
    return j;
  }
  if (c >= 48 && c <= 57) {
    QUANTITY.lastIndex = i;
    QUANTITY.test(text);
    return QUANTITY.lastIndex;
  }
  if (c === 33 && text.charCodeAt(i + 1) === 61) return i + 2; // !=
  return i;
}
