import { describe, expect, it } from "vitest";
import { completionContext } from "../../language-server/src/completion-context.js";
import { generateLspSpec } from "../../scripts/generate-lsp-spec.mjs";
import { prng } from "./lsp-harness.js";

/**
 * completionContext resumes its scan of an unchanged text at the last top-level `}` before the
 * cursor (it keeps those it found): at every offset, in any order, the answer must be the one a
 * scan from the start of the text gives.
 */
describe("completion context on an unchanged text", () => {
  const tricky = [
    'service odd {\n  config MSG = "a } b { c"\n  // a } in a comment {\n  calls  x\n}\n',
    "}\n",
    'environment prod {\n  svc-1 {\n    replicas 2\n  }\n  svc-2.memory 1Gi\n}\n',
    'service open {\n  image "unterminated\n  cpu 1\n',
  ].join("\n");
  it.each([
    ["the bench spec", generateLspSpec(12)],
    ["strings and comments with braces, a stray }, an unclosed block", `${generateLspSpec(3)}\n${tricky}`],
  ])("equals a scan from the start at every offset of %s", (_name, text) => {
    const offsets = Array.from({ length: text.length + 1 }, (_, i) => i);
    const fresh = offsets.map((o) => {
      completionContext("reset", 0); // another text: nothing to resume from
      return completionContext(text, o);
    });
    const random = prng(7);
    const order = [...offsets].sort(() => random() - 0.5);
    for (const o of order) expect(completionContext(text, o), `offset ${o}`).toEqual(fresh[o]);
  });
});
