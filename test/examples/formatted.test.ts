import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { formatSource } from "../../compiler/format/format.js";
import { REPO, STDLIB } from "../helpers/compile.js";

/** The files a new user copies from are in `finc fmt`'s canonical form (what their editor would write). */
const dirs = [join(REPO, "examples/retail-bank"), join(STDLIB, "fintech")];

describe("finc fmt leaves the retail-bank example and the stdlib unchanged", () => {
  for (const dir of dirs)
    for (const name of readdirSync(dir).filter((n) => n.endsWith(".fin")).sort())
      it(`${dir.slice(REPO.length + 1)}/${name}`, () => {
        const text = readFileSync(join(dir, name), "utf8");
        expect(formatSource(text)?.text).toBe(text);
      });
});
