import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import { splitShellWords } from "../../model/shell-words.js";
import { atomText, type ListAtom, type StringAtom } from "../../syntax/ast.js";
import { rangeOf, type TermReader } from "../readers.js";

/**
 * A container command: `"sh -c 'migrate up && echo done'"`, split as a POSIX shell would
 * (see model/shell-words.ts), or a list of arguments `["migrate", "up"]` taken as written.
 * Reports FIN3022 for a command that cannot be split (unbalanced quotes, a trailing
 * backslash, shell operators, nothing at all).
 */
export function readCommand(r: TermReader, expected: string): string[] | undefined {
  const a = r.peek();
  if (a?.kind === "List") {
    r.next();
    return listCommand(r, a);
  }
  if (a?.kind !== "String") return void r.mismatch(expected, r.next(), 'Write the command in double quotes, run "migrate up", or as a list, run ["migrate", "up"].');
  r.next();
  const split = splitShellWords(a.value);
  if (split.ok) return [...split.words];
  r.ctx.report(diag("FIN3022", offending(r, a, split.offset, split.end), { command: atomText(a), why: split.why }));
  return undefined;
}

/** The offending characters when the string has no escapes (its text is its value), else the whole string. */
function offending(r: TermReader, a: StringAtom, offset: number, end: number): SourceRange {
  const exact = a.end - a.start === a.value.length + 2 && end > offset;
  return rangeOf(r.ctx, exact ? { start: a.start + 1 + offset, end: a.start + 1 + end } : a);
}

function listCommand(r: TermReader, list: ListAtom): string[] | undefined {
  const words: string[] = [];
  for (const item of list.items) {
    const [first, extra] = item.atoms;
    if (first?.kind !== "String") return void r.mismatch("a string (one argument of the command)", first, 'Each argument is a string: run ["migrate", "up"].');
    if (extra) return void r.mismatch("',' between the arguments", extra, 'Separate the arguments with commas: run ["migrate", "up"].');
    words.push(first.value);
  }
  const why = !words.length ? "it is empty" : words[0] === "" ? "the program name is empty" : undefined;
  if (why) {
    r.ctx.report(diag("FIN3022", rangeOf(r.ctx, list), { command: atomText(list), why }));
    return undefined;
  }
  return words;
}
