import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The pipeline's stages may only import stages before them:
 * diagnostics → syntax → semantic → model → emit → cli / language-server.
 * (`host`, `format` and `program.ts` sit between the compiler core and its front ends.)
 */
const ROOT = join(__dirname, "../..");
const LAYER: Readonly<Record<string, number>> = {
  diagnostics: 0,
  host: 0,
  syntax: 1,
  format: 2,
  semantic: 2,
  import: 2,
  model: 3,
  "program.ts": 4,
  emit: 5,
  // Source-to-source rewrites of the spec from its model (finc promote): beside the emitters.
  promote: 5,
  cli: 6,
  "language-server": 6,
};

/**
 * Known upward imports, to be removed, never added to: the checker (`semantic`) still lowers
 * declarations and runs its cross-resource checks on the lowered model, and its field specs use
 * the model's units and value shapes. The fix is a model-check stage after lowering (the
 * program runs check → lower → check the model); until then this list may only shrink.
 */
const KNOWN_UPWARD = new Set(["semantic -> model"]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

function stageOf(absPath: string): string {
  const rel = relative(ROOT, absPath).split("/");
  return rel[0] === "language-server" ? "language-server" : rel[1]!;
}

function upwardImports(files: readonly { readonly path: string; readonly text: string }[]): string[] {
  const found: string[] = [];
  for (const { path: file, text } of files) {
    const from = stageOf(file);
    for (const m of text.matchAll(/from "(\.[^"]+)"/g)) {
      const to = stageOf(normalize(join(dirname(file), m[1]!)).replace(/\.js$/, ".ts"));
      const a = LAYER[from];
      const b = LAYER[to];
      if (a === undefined || b === undefined) found.push(`${relative(ROOT, file)}: unknown stage ${from} or ${to}`);
      else if (b > a && !KNOWN_UPWARD.has(`${from} -> ${to}`)) found.push(`${relative(ROOT, file)} (${from}) imports ${m[1]} (${to})`);
    }
  }
  return found;
}

describe("dependency direction", () => {
  it("no stage imports a later stage (beyond the listed known exceptions)", () => {
    const files = [...sourceFiles(join(ROOT, "compiler")), ...sourceFiles(join(ROOT, "language-server"))];
    expect(upwardImports(files.map((path) => ({ path, text: readFileSync(path, "utf8") })))).toEqual([]);
  });

  it("reports an upward import and accepts a downward one", () => {
    const at = (p: string) => join(ROOT, p);
    expect(
      upwardImports([
        { path: at("compiler/diagnostics/render-text.ts"), text: 'import type { SourceFile } from "../syntax/source-file.js";' },
        { path: at("compiler/emit/kubernetes/pod.ts"), text: 'import { x } from "../../model/units.js";' },
        { path: at("compiler/syntax/parse.ts"), text: 'import { y } from "../emit/output.js";' },
      ]),
    ).toEqual([
      'compiler/diagnostics/render-text.ts (diagnostics) imports ../syntax/source-file.js (syntax)',
      'compiler/syntax/parse.ts (syntax) imports ../emit/output.js (emit)',
    ]);
  });
});
