// Builds the playground (playground/) into dist/playground/: one static page with Monaco,
// the compiler and the language server's feature modules bundled for the browser. The
// compiler's few Node imports are replaced here (paths: pathe; sha256: @noble/hashes;
// fs/url: stubs only the Node host would call) and the stdlib and examples are embedded.
import { build } from "esbuild";
import { copyFileSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { exampleDocuments, stdlibFiles } from "./playground-embed.mjs";

const OUT = "dist/playground";
const { version } = JSON.parse(readFileSync("package.json", "utf8"));

const virtualModules = {
  name: "virtual-modules",
  setup(b) {
    b.onResolve({ filter: /^virtual:/ }, (a) => ({ path: a.path, namespace: "virtual" }));
    b.onLoad({ filter: /.*/, namespace: "virtual" }, (a) => ({
      contents: JSON.stringify(a.path === "virtual:stdlib" ? stdlibFiles() : exampleDocuments()),
      loader: "json",
    }));
  },
};

rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const shim = (f) => resolve("playground/src/shims", f);
const common = { bundle: true, platform: "browser", target: "es2022", minify: true, legalComments: "none", logLevel: "warning" };
const result = await build({
  ...common,
  entryPoints: { playground: "playground/src/main.ts" },
  outdir: OUT,
  // A classic script, not a module: browsers refuse module scripts from file:// pages.
  format: "iife",
  metafile: true,
  loader: { ".ttf": "file" },
  plugins: [virtualModules],
  alias: { "node:crypto": shim("crypto.ts"), "node:fs": shim("fs.ts"), "node:url": shim("url.ts"), "node:path": "pathe", "vscode-languageserver": "vscode-languageserver-types" },
  define: { FINC_VERSION: JSON.stringify(version), "process.env.NODE_ENV": '"production"' },
});
await build({ ...common, entryPoints: { "editor.worker": "monaco-editor/esm/vs/editor/editor.worker.js" }, outdir: OUT, format: "iife" });
copyFileSync("playground/index.html", join(OUT, "index.html"));

// The compiler core must not reach Node: any node: module left in the bundle is a defect.
const nodeInputs = Object.keys(result.metafile.inputs).filter((p) => p.startsWith("node:"));
if (nodeInputs.length) throw new Error(`playground: Node modules in the browser bundle: ${nodeInputs.join(", ")}`);
const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
console.log(`playground: ${OUT}/index.html (${(bytes / 1e6).toFixed(1)} MB)`);
