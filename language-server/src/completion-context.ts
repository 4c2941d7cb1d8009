/**
 * Where the cursor is, read from the document's current text rather than the last
 * syntax tree: completion runs while the user types, before the next compile, and
 * in code that does not parse yet.
 */
export type CompletionContext =
  | { readonly kind: "none" }
  | { readonly kind: "top"; readonly word: string }
  | { readonly kind: "import"; readonly word: string }
  | { readonly kind: "pattern"; readonly forKind: string | undefined; readonly word: string }
  | { readonly kind: "pattern-target"; readonly word: string }
  | { readonly kind: "environment-name"; readonly word: string }
  | {
      readonly kind: "field";
      readonly declKind: string;
      readonly pattern: boolean;
      readonly word: string;
      /** Fields already set on other lines of the block (completion leaves out the non-repeatable ones). */
      readonly present: readonly string[];
    }
  | { readonly kind: "override-target"; readonly word: string }
  | { readonly kind: "override-field"; readonly target: string; readonly word: string }
  | {
      readonly kind: "value";
      /** The kind whose schema applies, or the override target's name inside environments (`target`). */
      readonly declKind?: string;
      readonly target?: string;
      readonly declName?: string;
      readonly field: string;
      /** Complete words of the current comma-separated term, before the cursor. */
      readonly before: readonly string[];
      readonly word: string;
    };

export interface CursorContext {
  readonly context: CompletionContext;
  /** Offset where the word being completed starts (replace [wordStart, offset)). */
  readonly wordStart: number;
}

const TOKEN = /"(?:[^"\\]|\\.)*"?|[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*\.?|[0-9]+(?:\.[0-9]+)?(?:[A-Za-z]+|%|\/[a-z]*)?|\/[^\s,]*|[^\s\w]/g;

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/**
 * Where the scan below found the top level again (a `}` closing the last open brace) in the
 * last text it scanned, ascending: a later request on the same text starts at the last of
 * them before its offset instead of at the start of a 20,000-line file.
 */
let resume: { text: string; ends: number[] } = { text: "", ends: [] };

export function completionContext(text: string, offset: number): CursorContext {
  offset = Math.max(0, Math.min(offset, text.length));
  if (resume.text !== text) resume = { text, ends: [] };
  const ends = resume.ends;
  const stack: number[] = [];
  let lastBrace = -1;
  let stringStart = -1;
  let i = 0;
  // The state after a top-level `}` is just that: no open brace, no string, the `}` the last brace.
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0) {
    lastBrace = ends[lo - 1]!;
    i = lastBrace + 1;
  }
  while (i < offset) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== 34 && text.charCodeAt(j) !== 10) j += text.charCodeAt(j) === 92 ? 2 : 1;
      if (j >= offset) {
        stringStart = i;
        break;
      }
      i = text.charCodeAt(j) === 34 ? j + 1 : j;
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const eol = text.indexOf("\n", i);
      if (eol < 0 || eol >= offset) return none(offset);
      i = eol;
      continue;
    }
    if (c === 123 /* { */) {
      stack.push(i);
      lastBrace = i;
    } else if (c === 125 /* } */) {
      stack.pop();
      lastBrace = i;
      if (stack.length === 0 && (!ends.length || ends[ends.length - 1]! < i)) ends.push(i);
    }
    i++;
  }

  const lineStart = (at: number): number => text.lastIndexOf("\n", at - 1) + 1;
  // A term list may go on after a trailing comma: the field is on the first line.
  let start = lineStart(offset);
  for (let n = 0; n < 50 && start > 0; n++) {
    const prevStart = lineStart(start - 1);
    const code = text.slice(prevStart, start - 1).replace(/\/\/.*$/, "").trimEnd();
    if (!code.endsWith(",")) break;
    start = prevStart;
  }
  start = Math.max(start, lastBrace + 1);

  if (stringStart >= 0) {
    const before = tokens(text.slice(start, stringStart));
    if (stack.length === 0 && before.length === 1 && before[0] === "import") {
      return { context: { kind: "import", word: text.slice(stringStart + 1, offset) }, wordStart: stringStart + 1 };
    }
    return none(offset);
  }

  const prefix = text.slice(start, offset);
  const all = tokens(prefix);
  const endsInSpace = prefix.length === 0 || /[\s,]$/.test(prefix);
  const word = endsInSpace ? "" : (all[all.length - 1] ?? "");
  if (word.startsWith('"')) return none(offset);
  const done = endsInSpace ? all : all.slice(0, -1);
  let wordStart = offset - word.length;
  const at = (context: CompletionContext, ws = wordStart): CursorContext => ({ context, wordStart: ws });

  const header = (brace: number): string[] => tokens(text.slice(lineStart(brace), brace));

  if (stack.length === 0) {
    if (done.length === 0) return at({ kind: "top", word });
    const [kw, , rel] = done;
    if (done.length === 2 && done[1] === "is") return at({ kind: "pattern", forKind: undefined, word });
    if (done.length === 3 && rel === "is") return at({ kind: "pattern", forKind: kw === "pattern" ? undefined : kw, word });
    if (done.length === 3 && kw === "pattern" && rel === "for") return at({ kind: "pattern-target", word });
    if (done.length === 1 && kw === "environment") return at({ kind: "environment-name", word });
    return none(offset);
  }

  const decl = header(stack[0]!);
  const declKind = decl[0] ?? "";
  const declName = decl[1];
  const inEnvironment = declKind === "environment";

  // `environment prod { api { replicas … } }`: the nested block holds fields of `api`.
  if (stack.length === 2 && inEnvironment) {
    const target = header(stack[1]!)[0];
    if (!target || target.includes(".")) return none(offset);
    if (done.length === 0) return at({ kind: "override-field", target, word });
    return at({ kind: "value", target, field: done[0]!, before: termBefore(done), word });
  }
  if (stack.length !== 1) return none(offset);

  if (inEnvironment) {
    if (done.length === 0) {
      const dot = word.indexOf(".");
      if (dot < 0) return at({ kind: "override-target", word });
      const target = word.slice(0, dot);
      const rest = word.slice(dot + 1);
      wordStart = offset - rest.length;
      return at({ kind: "override-field", target, word: rest }, wordStart);
    }
    const path = done[0]!;
    const dot = path.indexOf(".");
    if (dot < 0) return none(offset);
    return at({ kind: "value", target: path.slice(0, dot), field: path.slice(dot + 1), before: termBefore(done), word });
  }

  if (done.length === 0) return at({ kind: "field", declKind: declKind === "pattern" ? (decl[3] ?? "") : declKind, pattern: declKind === "pattern", word, present: fieldsInBlock(text, stack[0]!, lineStart(offset)) });
  const kindForValues = declKind === "pattern" ? decl[2] === "for" ? decl[3] : undefined : declKind;
  return at({ kind: "value", ...(kindForValues ? { declKind: kindForValues } : {}), ...(declName && declKind !== "pattern" ? { declName } : {}), field: done[0]!, before: termBefore(done), word });
}

/** The first word of every line directly inside the block opened at `brace`, except the line at `skipLine`. */
function fieldsInBlock(text: string, brace: number, skipLine: number): string[] {
  const out: string[] = [];
  let depth = 0;
  let lineFirst = true;
  for (let i = brace + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      lineFirst = true;
      continue;
    }
    if (c === 32 || c === 9 || c === 13) continue;
    if (c === 34 /* " */) {
      const close = text.indexOf('"', i + 1);
      const eol = text.indexOf("\n", i + 1);
      i = close < 0 || (eol >= 0 && eol < close) ? (eol < 0 ? text.length : eol - 1) : close;
      lineFirst = false;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol - 1;
      continue;
    }
    if (c === 123) depth++;
    else if (c === 125) {
      if (depth === 0) break;
      depth--;
    } else if (lineFirst && depth === 0 && text.lastIndexOf("\n", i - 1) + 1 !== skipLine) {
      const m = /^[a-z][\w-]*/.exec(text.slice(i, i + 64));
      if (m) out.push(m[0]);
    }
    lineFirst = false;
  }
  return out;
}

/** Words of the current comma-separated term, after the field name. */
function termBefore(done: readonly string[]): string[] {
  const rest = done.slice(1);
  const comma = rest.lastIndexOf(",");
  return rest.slice(comma + 1);
}

function none(offset: number): CursorContext {
  return { context: { kind: "none" }, wordStart: offset };
}
