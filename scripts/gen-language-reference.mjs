// Writes docs/language.md from the field specs (`npm run docs`): bundles the renderer
// (scripts/gen-language-reference.ts, which imports the compiler's TypeScript) with esbuild,
// the build's own tool, then runs it. `--check` only reports whether the file is current.
import { build } from "esbuild";
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const dir = mkdtempSync(join(tmpdir(), "finc-docs-"));
try {
  const outfile = join(dir, "render.mjs");
  await build({ entryPoints: [join(root, "scripts/gen-language-reference.ts")], outfile, bundle: true, platform: "node", format: "esm", target: "node20", logLevel: "warning" });
  const { renderLanguageReference } = await import(pathToFileURL(outfile).href);
  const text = renderLanguageReference();
  const target = join(root, "docs/language.md");
  if (process.argv.includes("--check")) {
    const current = existsSync(target) ? readFileSync(target, "utf8") : "";
    if (current !== text) {
      console.error("docs/language.md is out of date: run `npm run docs`.");
      process.exitCode = 1;
    }
  } else {
    mkdirSync(join(root, "docs"), { recursive: true });
    writeFileSync(target, text);
    console.log(`wrote docs/language.md (${text.split("\n").length} lines)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
