import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import type { EmittedDocument } from "../../compiler/emit/output.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { KIND_SPECS } from "../../compiler/semantic/schema/index.js";
import { documentsOf } from "../../language-server/src/outputs.js";
import { producedDocuments } from "../../language-server/src/produced-documents.js";

/**
 * Hover's "Produces" list is computed without building every output (a model around the one
 * declaration): for every declaration of every example, in every environment, it must name
 * exactly the documents the whole build attributes to that declaration.
 */
const EXAMPLES = join(import.meta.dirname, "../../examples");
const names = (docs: readonly EmittedDocument[]): string[] =>
  docs.map((d) => `${String(d.object["kind"])}/${String((d.object["metadata"] as { name?: string } | undefined)?.name)} ${d.path}`).sort();

describe("the documents a declaration produces (hover)", () => {
  it.each(readdirSync(EXAMPLES))("equal the whole build's, for every declaration of %s", (example) => {
    const program = createProgram({ host: createNodeHost(), roots: [join(EXAMPLES, example)] });
    const decls = program.declarations.all.filter((d) => !d.stdlib && KIND_SPECS[d.kind]);
    let withDocuments = 0;
    for (const env of program.checked.environments) {
      const whole = buildOutputs(program, { environments: [env] });
      for (const d of decls) {
        const expected = names(documentsOf(whole, env, d));
        // A copy of the program: nothing built for it yet, so the model around `d` is what is emitted.
        expect(names(producedDocuments({ ...program }, env, d)), `${d.kind} ${d.name} in ${env}`).toEqual(expected);
        if (expected.length) withDocuments++;
      }
    }
    expect(withDocuments).toBeGreaterThan(decls.length);
  }, 120_000);
});
