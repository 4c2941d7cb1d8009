/**
 * Terraform's JSON syntax (`*.tf.json`), written deterministically: object keys sorted
 * (block and argument order carries no meaning in Terraform), arrays in the order given
 * (repeated nested blocks such as `statement` keep theirs), 2-space indent, trailing newline.
 *
 * Terraform evaluates every JSON string as a template (`${…}` interpolations, `%{…}`
 * directives), so text from the spec could run Terraform functions (`${file("/etc/passwd")}`).
 * By construction it cannot: a plain `string` is always literal text, escaped when written;
 * only a `TfTemplate`, built by finc with `ref` or the `tf` tag, writes expressions.
 */
export type TfValue = string | number | boolean | null | TfTemplate | readonly TfValue[] | { readonly [key: string]: TfValue };

type Part = { readonly text: string } | { readonly expr: string };

/** A string finc writes that holds Terraform expressions among literal text. */
export class TfTemplate {
  readonly parts: readonly Part[];
  constructor(parts: readonly Part[]) {
    // Adjacent literal text is joined so that escaping sees it whole (`$` + `{` must not become `${`).
    const merged: Part[] = [];
    for (const p of parts) {
      const last = merged[merged.length - 1];
      if ("text" in p && last && "text" in last) merged[merged.length - 1] = { text: last.text + p.text };
      else if (!("text" in p) || p.text !== "") merged.push(p);
    }
    this.parts = merged;
  }
  /** The JSON string Terraform reads. */
  render(): string {
    return this.parts
      .map((p, i) => {
        if ("expr" in p) return `\${${p.expr}}`;
        const text = escapeTemplate(p.text);
        // `$` right before an interpolation would turn it into the escape `$${`: write those `$` from an expression.
        const dollars = /\$+$/.exec(text)?.[0] ?? "";
        return dollars && "expr" in (this.parts[i + 1] ?? { text: "" }) ? `${text.slice(0, -dollars.length)}\${"${dollars}"}` : text;
      })
      .join("");
  }
  /** Templates are never concatenated as strings (that would lose the expression/literal distinction): use `tf`. */
  [Symbol.toPrimitive](): never {
    throw new Error("terraform: a TfTemplate used as a string; build it with tf`…`");
  }
}

/** Literal text as a Terraform template: `${` → `$${`, `%{` → `%%{` (runs of `$` before `{` keep their meaning: one more is added). */
export function escapeTemplate(s: string): string {
  // A function, not a replacement string: in one, `$$` would mean a single `$`.
  return s.replace(/\$\{|%\{/g, (m) => m[0] + m);
}

/** `${…}`: a Terraform expression finc writes. */
export const ref = (expr: string): TfTemplate => new TfTemplate([{ expr }]);

/** tf`arn:aws:iam::${account}:root`: literal text and interpolated values; a `string` value is literal, a `TfTemplate` keeps its expressions. */
export function tf(strings: TemplateStringsArray, ...values: readonly (string | TfTemplate)[]): TfTemplate {
  const parts: Part[] = [];
  strings.forEach((s, i) => {
    parts.push({ text: s });
    const v = values[i];
    if (v instanceof TfTemplate) parts.push(...v.parts);
    else if (v !== undefined) parts.push({ text: v });
  });
  return new TfTemplate(parts);
}

/** What a value is as Terraform text: literal strings escaped, templates rendered. */
export function tfText(v: string | TfTemplate): string {
  return v instanceof TfTemplate ? v.render() : escapeTemplate(v);
}

function toJson(v: TfValue): unknown {
  if (v instanceof TfTemplate) return v.render();
  if (typeof v === "string") return escapeTemplate(v);
  if (Array.isArray(v)) return v.map(toJson);
  if (v !== null && typeof v === "object") {
    const o = v as { readonly [key: string]: TfValue };
    // Keys are escaped too: in an object expression (a map value) Terraform reads them as templates.
    // Block types and labels are finc's identifiers, which hold no `${`, so escaping leaves them alone.
    return Object.fromEntries(Object.keys(o).sort().map((k) => [escapeTemplate(k), toJson(o[k]!)]));
  }
  return v;
}

export function tfJson(v: TfValue): string {
  return JSON.stringify(toJson(v), null, 2) + "\n";
}

/** A Terraform identifier for a block label: letters, digits, `_` and `-`, not starting with a digit. */
export function tfName(...parts: string[]): string {
  const s = parts.join("__").replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}
