/**
 * Terraform's JSON syntax (`*.tf.json`), written deterministically: object keys sorted
 * (block and argument order carries no meaning in Terraform), arrays in the order given
 * (repeated nested blocks such as `statement` keep theirs), 2-space indent, trailing newline.
 */
export type TfValue = string | number | boolean | null | readonly TfValue[] | { readonly [key: string]: TfValue };

function sortKeys(v: TfValue): TfValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v !== null && typeof v === "object") {
    const o = v as { readonly [key: string]: TfValue };
    return Object.fromEntries(Object.keys(o).sort().map((k) => [k, sortKeys(o[k]!)]));
  }
  return v;
}

export function tfJson(v: TfValue): string {
  return JSON.stringify(sortKeys(v), null, 2) + "\n";
}

/** A Terraform identifier for a block label: letters, digits, `_` and `-`, not starting with a digit. */
export function tfName(...parts: string[]): string {
  const s = parts.join("__").replace(/[^A-Za-z0-9_-]/g, "_");
  return /^[A-Za-z_]/.test(s) ? s : `_${s}`;
}

/** `${…}`: a Terraform expression inside a JSON string. */
export const ref = (expr: string): string => `\${${expr}}`;

/** A literal string that may contain `${`/`%{` sequences Terraform must not interpolate. */
export const literal = (s: string): string => s.replace(/\$\{/g, "$${").replace(/%\{/g, "%%{");
