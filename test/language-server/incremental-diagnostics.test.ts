import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeHost, createOverlayHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import { createWorkspace } from "../../language-server/src/workspace.js";
import { generateLspSpec } from "../../scripts/generate-lsp-spec.mjs";
import { generateSpec } from "../../scripts/generate-spec.mjs";
import { prng } from "./lsp-harness.js";

/**
 * The language server builds each program from the previous one (incremental re-parse,
 * caches keyed by syntax). Whatever it reuses, the diagnostics after every edit must be
 * exactly those of a fresh compile of the same text — including the credential scan
 * (FIN4032, acknowledged lines), unknown fields, references and environment overrides.
 */
describe("incremental diagnostics equal a fresh compile", () => {
  const dir = mkdtempSync(join(tmpdir(), "finc-incremental-diags-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const fragments = [
    "3", "12", " ", "\n", "x",
    "  replicas 2 to 9\n",
    '  config DB_PASSWORD = "hunter2"\n',
    '  config DB_PASSWORD = "hunter2" // finc:allow-plaintext local fixture\n',
    '  config API_TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"\n',
    " // finc:allow-plaintext because\n",
    "  replicaz 2\n",
    "  calls svc9999\n",
    '  secret K from vaultt "a/b" key "k"\n',
    "/// doc with password=hunter2hunter2\n",
    'service extra {\n  image "registry.example.com/x:1"\n  config SECRET_KEY = "abc"\n}\n',
    "environment prod {\n  svc1.replicas 1 to 3\n}\n",
  ];

  const snapshotOf = (p: Program): string => JSON.stringify(p.diagnostics);

  /** generate-spec's platform (patterns, databases, migrations) with its imports first, where the incremental re-parse applies. */
  const withImportsFirst = (spec: string): string => {
    const lines = spec.split("\n");
    return [...lines.filter((l) => l.startsWith("import ")), ...lines.filter((l) => !l.startsWith("import "))].join("\n");
  };

  it.each([
    ["the language-server bench spec", () => generateLspSpec(40), 11],
    ["a spec with patterns, databases and migrations", () => withImportsFirst(generateSpec(30)), 12],
  ])("after each of 150 random edits of %s", (_name, spec, seed) => {
    const folder = join(dir, String(seed));
    mkdirSync(folder);
    const path = join(folder, "spec.fin");
    let text = spec();
    writeFileSync(path, text);
    const workspace = createWorkspace();
    workspace.setFolders([folder]);
    let version = 1;
    workspace.open(pathToFileURL(path).href, path, version, text);
    workspace.rebuild();
    const base = createNodeHost();
    const random = prng(seed);
    let withDiagnostics = 0;
    let credentials = 0;
    for (let i = 0; i < 150; i++) {
      const s = Math.floor(random() * (text.length + 1));
      // Edits start at a line start half the time, so whole-line fragments land as fields.
      const at = random() < 0.5 ? text.lastIndexOf("\n", s - 1) + 1 : s;
      const e = random() < 0.3 ? Math.min(text.length, at + Math.floor(random() * 8)) : at;
      const insert = e > at && random() < 0.5 ? "" : fragments[Math.floor(random() * fragments.length)]!;
      const next = text.slice(0, at) + insert + text.slice(e);
      workspace.open(pathToFileURL(path).href, path, ++version, next);
      const incremental = workspace.rebuild().program;
      const fresh = createProgram({ host: createOverlayHost(new Map([[path, next]]), base), roots: [folder] });
      expect(snapshotOf(incremental), `edit ${i}: ${JSON.stringify(insert)} at ${at}`).toBe(snapshotOf(fresh));
      if (fresh.diagnostics.length) withDiagnostics++;
      if (fresh.diagnostics.some((d) => d.code === "FIN4032")) credentials++;
      // An edit that breaks the syntax is undone: the incremental paths start from a valid file.
      text = fresh.files.get(path)!.parseDiagnostics.length ? text : next;
      if (text !== next) {
        workspace.open(pathToFileURL(path).href, path, ++version, text);
        workspace.rebuild();
      }
    }
    expect(withDiagnostics).toBeGreaterThan(30);
    expect(credentials).toBeGreaterThan(30);
  }, 120_000);
});
