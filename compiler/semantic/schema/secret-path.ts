import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import type { FieldContext } from "../readers.js";

/**
 * Characters a secret path may not hold: IAM reads `*` and `?` in a policy Resource as
 * wildcards (`from aws "payments/*"` would grant every secret under payments/) and `${…}` as
 * a policy variable; `[` `]` are glob characters elsewhere. No secret manager allows them in
 * a secret's name, so refusing them everywhere costs nothing.
 */
const WHY: Readonly<Record<string, string>> = {
  "*": "in an IAM policy it is a wildcard granting every matching secret",
  "?": "in an IAM policy it is a wildcard granting every matching secret",
  "[": "it is a glob character, which no secret manager allows in a name",
  "]": "it is a glob character, which no secret manager allows in a name",
  $: "in an IAM policy `${…}` is a policy variable, and templates evaluate it",
  "{": "in an IAM policy `${…}` is a policy variable, and templates evaluate it",
  "}": "in an IAM policy `${…}` is a policy variable, and templates evaluate it",
};

/** Reports FIN4033 at the path string for its first wildcard character; returns whether the path is exact. */
export function checkSecretPath(ctx: FieldContext, path: { value: string; range: SourceRange }): boolean {
  const char = [...path.value].find((c) => c in WHY);
  if (char === undefined) return true;
  ctx.report(diag("FIN4033", path.range, { path: path.value, char, why: WHY[char]! }));
  return false;
}
