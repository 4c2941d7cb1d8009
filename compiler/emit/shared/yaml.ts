// Minimal YAML writer for JSON-like values (Kubernetes manifests and friends).
//
// Why not `YAML.stringify` from the `yaml` package?
// - Speed: it builds a full document AST first; this writes text directly and is
//   several times faster on large manifests (the compiler benchmark measures it).
// - Determinism: one fixed style, keys in insertion order, no line folding, no
//   options that could drift between library versions.
// - YAML 1.1 safety: kubectl, Helm and PyYAML-based tools still resolve plain
//   scalars with YAML 1.1 rules (`yes`, `on`, `0775`, `1:20`, `2001-12-14` are not
//   strings there). A string is written plain only if no 1.1 or 1.2 parser could
//   read it as anything else; otherwise it is double-quoted with JSON escapes.
//
// Style: block collections, 2-space indent, sequences indented under their key
// (the `yaml` package default), `{}` / `[]` for empty collections, LF line ends.

export type JsonValue = string | number | boolean | null | JsonValue[] | { [k: string]: JsonValue | undefined };

/** Serializes one value as a YAML document (with a trailing newline). */
export function toYaml(value: JsonValue): string {
  if (value !== null && typeof value === "object") {
    // Pieces joined once: one flat string per document, not a rope of thousands of
    // concatenations (which costs memory and garbage collection until it is written).
    const out: string[] = [];
    return collection(value, "", "", out) ? out.join("") : Array.isArray(value) ? "[]\n" : "{}\n";
  }
  return scalar(value) + "\n";
}

/**
 * Serializes one mapping as `toYaml` does, handing the text to `write` in pieces: a big
 * document (a needs file lists every denied pair of a platform) is never one string, nor one
 * array of all its pieces. Each top-level list is written an item at a time, flushed every
 * `batch` items.
 */
export function writeYaml(value: { [k: string]: JsonValue | undefined }, write: (text: string) => void, batch = 512): void {
  let out: string[] = [];
  const flush = (): void => {
    if (out.length) write(out.join(""));
    out = [];
  };
  let wrote = false;
  for (const [k, item] of Object.entries(value)) {
    if (item === undefined) continue;
    wrote = true;
    if (!Array.isArray(item) || !item.length) {
      collection({ [k]: item }, "", "", out);
      continue;
    }
    // The lines `collection` writes for this key, one item at a time (the same prefixes it would use).
    out.push(str(k).length > 1000 ? "? " + str(k) + "\n" : str(k), ":");
    for (let i = 0; i < item.length; i++) {
      collection([item[i]!], "  ", i === 0 ? "\n  " : "  ", out);
      if (i % batch === batch - 1) flush();
    }
  }
  if (!wrote) out.push("{}\n");
  flush();
}

/** Serializes several values as a multi-document stream separated by `---`. */
export function toYamlDocuments(values: JsonValue[]): string {
  return values.map(toYaml).join("---\n");
}

/** Appends the block lines of a collection at indentation `ind` to `out`; the first
 *  line is prefixed with `first` instead of `ind` (so it can follow `- ` or `key:\n`).
 *  Returns false (and appends nothing) for a collection with no entries. */
function collection(v: JsonValue[] | { [k: string]: JsonValue | undefined }, ind: string, first: string, out: string[]): boolean {
  let pre = first;
  let wrote = false;
  const inner = ind + "  ";
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const item = v[i];
      if (item !== null && typeof item === "object") {
        out.push(pre, "-");
        if (!collection(item, inner, " ", out)) out.push(Array.isArray(item) ? " []\n" : " {}\n");
      } else {
        out.push(pre, "- ", scalar(item), "\n");
      }
      pre = ind;
      wrote = true;
    }
    return wrote;
  }
  const keys = Object.keys(v);
  const nested = "\n" + inner;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const item = v[k];
    if (item === undefined) continue;
    let key = str(k);
    // Implicit keys are limited to 1024 characters; longer ones need `? key`.
    if (key.length > 1000) key = "? " + key + "\n" + ind;
    if (item !== null && typeof item === "object") {
      out.push(pre, key, ":");
      if (!collection(item, inner, nested, out)) out.push(Array.isArray(item) ? " []\n" : " {}\n");
    } else {
      out.push(pre, key, ": ", scalar(item), "\n");
    }
    pre = ind;
    wrote = true;
  }
  return wrote;
}

function scalar(v: unknown): string {
  switch (typeof v) {
    case "string":
      return str(v);
    case "boolean":
      return v ? "true" : "false";
    case "number": {
      if (!Number.isFinite(v)) throw new Error(`toYaml: cannot serialize non-finite number ${v}`);
      const s = String(v);
      // YAML 1.1 floats need a dot: write 1e+21 as 1.0e+21 (String() always signs exponents).
      const e = s.indexOf("e");
      return e > 0 && s.indexOf(".") < 0 ? s.slice(0, e) + ".0" + s.slice(e) : s;
    }
    default:
      if (v === null) return "null";
      throw new Error(`toYaml: cannot serialize ${typeof v}`);
  }
}

// Printable characters allowed in a plain scalar: no control chars, no tab, no
// line breaks (incl. YAML 1.1's U+0085/U+2028/U+2029), no BOM, no lone surrogates.
const PLAIN_CHARS = /^[\x20-\x7e\u00a0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]+$/u;
// Indicator at the start (a `-` is fine when followed by a non-space), document
// markers, `: ` / ` #` inside, trailing `:`, any (even Unicode) space at either end.
const PLAIN_BAD = /^(?:[\s?:,[\]{}#&*!|>'"%@`]|-(?: |$)|---|\.\.\.)|: | #|[:\s]$/;
// YAML 1.1 / 1.2 bool and null words (any case), merge key `<<`, value key `=`.
const RESERVED = /^(?:y|n|yes|no|true|false|on|off|null|~|<<|=)$/i;
// Anything number- or timestamp-like under YAML 1.1, 1.2 or Go's ParseInt/ParseFloat:
// optional sign, then a digit or dot, then only digits, hex letters, base prefixes,
// `_ . : + -` and timestamp letters. Deliberately broad (also catches `1.2.3`, `1e`).
// The `yaml` package's 1.1 schema also reads `e0` / `-E5` as floats.
const NUMBERISH = /^[-+]?[.0-9][0-9a-f_.:+\-xotz ]*$|^[-+]?\.(?:inf|nan)$|^[-+]?e[-+]?[0-9]+$/i;
// Characters JSON.stringify leaves raw but YAML treats as non-printable or as breaks.
const ESCAPE_MORE = /[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]/g;

function str(s: string): string {
  if (PLAIN_CHARS.test(s) && !PLAIN_BAD.test(s) && !RESERVED.test(s) && !NUMBERISH.test(s)) return s;
  return JSON.stringify(s).replace(ESCAPE_MORE, (c) => "\\u" + c.charCodeAt(0).toString(16).padStart(4, "0"));
}
