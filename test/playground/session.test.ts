// The playground's compiler runs on an in-memory host and browser replacements for node:crypto
// and node:path. These tests hold both to the real thing: the same sha256 as Node's, and for
// every example the same files, byte for byte, as a build of the example folder from disk.
import { createHash as nodeHash } from "node:crypto";
import { resolve } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { createHash as shimHash } from "../../playground/src/shims/crypto.js";
import { PlaygroundSession } from "../../playground/src/session.js";
import { exampleDocuments, stdlibFiles } from "../../scripts/playground-embed.mjs";

describe("the browser sha256", () => {
  it("digests like node:crypto, in one or several updates", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: "grapheme" }), { maxLength: 4 }), (parts) => {
        const a = nodeHash("sha256");
        const b = shimHash("sha256");
        for (const p of parts) {
          a.update(p);
          b.update(p);
        }
        expect(b.digest("hex")).toBe(a.digest("hex"));
      }),
    );
  });
});

describe("the playground session", () => {
  const stdlib = stdlibFiles(resolve("."));
  for (const example of exampleDocuments(resolve("."))) {
    it(`builds ${example.name} (merged into one document) exactly as finc build does from its folder`, () => {
      const session = new PlaygroundSession(stdlib);
      const program = session.update(example.text, example.files);
      expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
      const fromDisk = createProgram({ host: createNodeHost(), roots: [resolve("examples", example.name)] });
      const env = fromDisk.checked.environments[0]!;
      expect(session.environments).toEqual(fromDisk.checked.environments);
      const expected = buildOutputs(fromDisk, { environments: [env] }).files.map((f) => [f.path, f.content]);
      const actual = session.filesOf(env).map((f) => [f.path, f.content]);
      expect(actual.map(([p]) => p)).toEqual(expected.map(([p]) => p));
      expect(actual).toEqual(expected);
    });
  }
});
