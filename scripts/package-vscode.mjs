// Packages the VS Code extension into dist/finc-vscode.vsix. Offline: everything the
// extension runs (client, language server, CLI, stdlib) is bundled into vscode-extension/dist.
//
//   npm run package:vscode        (= npm run build && node scripts/package-vscode.mjs)
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const ext = path.join(root, "vscode-extension");
const out = path.join(ext, "dist");
const vsix = path.join(root, "dist", "finc-vscode.vsix");

function fail(message) {
  console.error(`package-vscode: ${message}`);
  process.exit(1);
}

// 1. The compiler's bundles must already be built.
const bundles = ["server.cjs", "finc.cjs"];
const missing = bundles.filter((f) => !existsSync(path.join(root, "dist", f)));
if (missing.length > 0) {
  fail(`${missing.map((f) => `dist/${f}`).join(" and ")} not found. Run \`npm run build\` first (or \`npm run package:vscode\`, which does both).`);
}
if (!existsSync(path.join(root, "stdlib"))) fail("stdlib/ not found next to package.json.");

// 2. A clean vscode-extension/dist: the extension client, the server and the CLI, and the stdlib they load.
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [path.join(ext, "src", "extension.ts")],
  outfile: path.join(out, "extension.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external: ["vscode"],
  minify: true,
  logLevel: "warning",
});
for (const f of bundles) cpSync(path.join(root, "dist", f), path.join(out, f));
cpSync(path.join(root, "stdlib"), path.join(out, "stdlib"), { recursive: true });

// 3. Files the Marketplace format wants.
const license = path.join(ext, "LICENSE");
if (!existsSync(license)) {
  const rootLicense = ["LICENSE", "LICENSE.txt", "LICENSE.md"].map((f) => path.join(root, f)).find((f) => existsSync(f));
  writeFileSync(
    license,
    rootLicense
      ? readFileSync(rootLicense)
      : "Licensed under the Apache License, Version 2.0 (the \"License\");\nyou may not use this file except in compliance with the License.\n" +
          "You may obtain a copy of the License at\n\n    http://www.apache.org/licenses/LICENSE-2.0\n\n" +
          "Unless required by applicable law or agreed to in writing, software\ndistributed under the License is distributed on an \"AS IS\" BASIS,\n" +
          "WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.\nSee the License for the specific language governing permissions and\nlimitations under the License.\n",
  );
}
const readme = path.join(ext, "README.md");
if (!existsSync(readme)) {
  writeFileSync(
    readme,
    "# finc for VS Code\n\nLanguage support for `.fin` platform specs: syntax highlighting, diagnostics, " +
      "completion and a manifest preview, backed by the bundled finc language server.\n\n" +
      "Commands: **finc: Preview manifests** and **finc: Build**. Setting: `finc.environment`.\n",
  );
}

// 4. The .vsix, without npm dependencies (all bundled) and without touching the network.
mkdirSync(path.dirname(vsix), { recursive: true });
rmSync(vsix, { force: true });
const { createVSIX } = createRequire(import.meta.url)("@vscode/vsce");
try {
  await createVSIX({ cwd: ext, packagePath: vsix, dependencies: false });
} catch (err) {
  fail(`vsce failed: ${err instanceof Error ? err.message : String(err)}`);
}
console.log(`package-vscode: wrote ${path.relative(process.cwd(), vsix) || vsix}`);
