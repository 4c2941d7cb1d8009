// Bundles the CLI and the language server into single CommonJS files (fast start-up, no runtime resolution).
import { build } from "esbuild";
import { existsSync, readFileSync } from "node:fs";

const { version } = JSON.parse(readFileSync("package.json", "utf8"));

const entries = [
  // `finc lsp` requires dist/server.cjs instead of bundling the server twice.
  { in: "compiler/cli/bin.ts", out: "dist/finc.cjs", banner: "#!/usr/bin/env node", define: { FINC_SERVER_BUNDLE: JSON.stringify("server.cjs") } },
  { in: "language-server/src/server-entry.ts", out: "dist/server.cjs" },
];
for (const e of entries) {
  if (!existsSync(e.in)) continue;
  await build({
    entryPoints: [e.in],
    outfile: e.out,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    minifySyntax: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
    ...(e.banner ? { banner: { js: e.banner } } : {}),
    // import.meta.url is only used as a fallback when __dirname is missing (ESM).
    define: { "import.meta.url": "undefined", FINC_VERSION: JSON.stringify(version), ...e.define },
  });
}
