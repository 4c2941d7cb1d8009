/**
 * Splits a command line into arguments the way a POSIX shell would, without running one:
 * a container `command` is an argv, so `sh -c 'migrate up && echo done'` must become
 * `["sh", "-c", "migrate up && echo done"]`, not words with quotes left in them.
 *
 * - unquoted whitespace separates words; adjacent quoted and unquoted parts join (`a'b'"c"` is `abc`);
 * - '…' is literal text; "…" is literal except `\"`, `\\`, `\$`, `` \` `` and `\<newline>`;
 * - outside quotes a backslash takes the next character literally (`\<newline>` joins lines);
 * - nothing is expanded: `$VAR`, `*`, `~` stay as written (Kubernetes itself still expands `$(VAR)`
 *   from the container's environment, as it does for any command);
 * - unquoted shell operators (`|`, `&`, `;`, `<`, `>`, `` ` ``) are an error: without a shell they
 *   would be passed to the program as arguments, which is never what they mean.
 */
export type ShellWords =
  | { readonly ok: true; readonly words: readonly string[] }
  /** `offset`..`end`: the offending characters in the command text. */
  | { readonly ok: false; readonly offset: number; readonly end: number; readonly why: string };

const OPERATORS = /[|&;<>`]/;
const DOUBLE_QUOTE_ESCAPES = new Set(['"', "\\", "$", "`", "\n"]);

export function splitShellWords(text: string): ShellWords {
  const words: string[] = [];
  let word: string | undefined; // undefined: between words ('' is an empty word, as `''` gives)
  let i = 0;
  const fail = (offset: number, end: number, why: string): ShellWords => ({ ok: false, offset, end, why });
  while (i < text.length) {
    const c = text[i]!;
    if (c === " " || c === "\t" || c === "\n" || c === "\r") {
      if (word !== undefined) words.push(word);
      word = undefined;
      i++;
    } else if (c === "'") {
      const close = text.indexOf("'", i + 1);
      if (close === -1) return fail(i, text.length, "the single quote here is never closed");
      word = (word ?? "") + text.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      let j = i + 1;
      let part = "";
      for (; j < text.length && text[j] !== '"'; j++) {
        if (text[j] === "\\" && j + 1 < text.length && DOUBLE_QUOTE_ESCAPES.has(text[j + 1]!)) {
          j++;
          if (text[j] !== "\n") part += text[j];
        } else part += text[j];
      }
      if (j >= text.length) return fail(i, text.length, "the double quote here is never closed");
      word = (word ?? "") + part;
      i = j + 1;
    } else if (c === "\\") {
      if (i + 1 >= text.length) return fail(i, i + 1, "it ends with a backslash that escapes nothing");
      if (text[i + 1] !== "\n") word = (word ?? "") + text[i + 1];
      i += 2;
    } else if (OPERATORS.test(c)) {
      let end = i + 1;
      while (end < text.length && OPERATORS.test(text[end]!)) end++;
      return fail(i, end, `'${text.slice(i, end)}' is shell syntax, but the command runs without a shell (quote it, or write sh -c '…')`);
    } else {
      word = (word ?? "") + c;
      i++;
    }
  }
  if (word !== undefined) words.push(word);
  if (!words.length) return fail(0, text.length, "it is empty");
  if (words[0] === "") return fail(0, text.length, "the program name is empty");
  return { ok: true, words };
}
