import { describe, expect, it } from "vitest";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { buildOutputs, DEFAULT_TARGETS } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { REPO, STDLIB } from "../helpers/compile.js";

/**
 * Golden files: the example's complete output, reviewed in code review like source.
 * `RECORD=1 npx vitest run test/emit/golden.test.ts` rewrites them; a golden file the
 * build no longer produces fails the run (it would otherwise rot unnoticed).
 */
const GOLDEN = resolve(REPO, "test/golden");

function listFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? listFiles(p) : [p];
  });
}

for (const example of ["payments", "trading", "wallet-gcp", "open-banking-ambient", "retail-bank", "remittance-multi-region", "savings-azure"]) {
  describe(`golden output of examples/${example}`, () => {
    const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples", example)] });
    // Every target, so a change anywhere in the output shows up in review.
    const targets = [...DEFAULT_TARGETS, "helm", "kustomize"];
    const outputs = buildOutputs(program, { root: REPO, targets });
    const dir = join(GOLDEN, example);
    if (process.env["RECORD"]) {
      rmSync(dir, { recursive: true, force: true });
      for (const f of outputs.files) {
        mkdirSync(dirname(join(dir, f.path)), { recursive: true });
        writeFileSync(join(dir, f.path), f.content);
      }
    }
    it("produces exactly the golden set of files", () => {
      const expected = listFiles(dir).map((p) => relative(dir, p)).sort();
      expect(outputs.files.map((f) => f.path).sort()).toEqual(expected);
    });
    for (const f of outputs.files) {
      it(f.path, () => {
        const golden = join(dir, f.path);
        expect(existsSync(golden), `missing golden file ${f.path}; record with RECORD=1 after review`).toBe(true);
        expect(f.content).toBe(readFileSync(golden, "utf8"));
      });
    }
  });
}
