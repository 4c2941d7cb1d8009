import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createNodeHost, createOverlayHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import { createWorkspace } from "../../language-server/src/workspace.js";
import { prng } from "../language-server/lsp-harness.js";

/**
 * The checker reuses each workload's reading, checks and model entity from the previous
 * compile when neither its text, its patterns, its overrides nor what it looked up changed
 * (compiler/semantic/incremental/). After every edit — to a pattern others use (and its base),
 * a renamed referenced declaration, an environment override, a store, random text — the
 * incremental program must equal a from-scratch compile of the same text: diagnostics,
 * references, models per environment and effective values.
 */
const SPEC = [
  `platform shop {\n  cloud        aws\n  regions      eu-west-1 primary\n  environments dev, staging, prod\n}\n`,
  `secretstore vault {\n  provider vault\n  server   "https://vault.example.com:8200"\n  role     "shop"\n}\n`,
  `namespace shop {\n  security restricted\n}\n`,
  `pattern base-svc for service {\n  cpu      250m to 1\n  memory   512Mi\n  port     http 8080\n}\n`,
  `pattern web is base-svc for service {\n  replicas 2 to 6 at cpu 70%\n  probe    readiness /ready, liveness /healthz\n  require  image\n}\n`,
  `database orders {\n  storage     10Gi\n  credentials from vault "shop/orders"\n}\n`,
  ...Array.from({ length: 12 }, (_, i) => `/// Service ${i}.\nservice svc${i} is ${i % 3 === 0 ? "base-svc" : "web"} {\n  image    "registry.example.com/shop/svc${i}:1.0.${i}"\n  config   INDEX = "${i}"\n  secret   API_KEY from vault "shop/svc${i}" key "api-key"\n${i % 4 === 1 ? "  secret   DB from orders.url\n" : ""}  calls    svc${(i + 1) % 12}${i % 2 ? ", orders" : ""}\n}\n`),
  `environment prod {\n  svc1.replicas 3 to 12\n  svc4.memory 1Gi\n}\n`,
  `environment dev {\n  svc2.replicas 1\n}\n`,
].join("\n");

type Edit = (text: string, random: () => number) => string;
const pick = <T>(xs: readonly T[], random: () => number): T => xs[Math.floor(random() * xs.length)]!;
/** Replaces the first `find` after a random declaration of `kind` (or anywhere) with `replace`. */
const replaceIn = (find: RegExp, replace: (m: string, random: () => number) => string): Edit => (text, random) => {
  const all = [...text.matchAll(new RegExp(find.source, "g"))];
  if (!all.length) return text;
  const m = pick(all, random);
  return text.slice(0, m.index) + replace(m[0], random) + text.slice(m.index + m[0].length);
};
const EDITS: readonly Edit[] = [
  // The pattern every service uses, its base, and their requirements.
  replaceIn(/memory   512Mi/, (_m, r) => `memory   ${pick(["256Mi", "512Mi", "2Gi", "5x"], r)}`),
  replaceIn(/replicas 2 to 6/, (_m, r) => `replicas ${pick(["1 to 3", "2 to 6", "4 to 2", "2"], r)}`),
  replaceIn(/require  image\n/, (_m, r) => pick(["require  image, namespace\n", "", "require  image\n"], r)),
  replaceIn(/web is base-svc for/, (_m, r) => pick(["web is base-svc for", "web is base-svcc for", "web for", "web is web for"], r)),
  replaceIn(/service svc\d+x* is [a-z-]+/, (m, r) => m.replace(/is [a-z-]+$/, `is ${pick(["web", "base-svc", "missing"], r)}`)),
  // Renames of referenced declarations (services called by others, the store, the database).
  replaceIn(/service svc\d+/, (m, r) => (r() < 0.5 ? `${m}x` : m.replace(/x+$/, ""))),
  replaceIn(/service svc\d+x/, (m) => m.slice(0, -1)),
  replaceIn(/secretstore vault/, (_m, r) => pick(["secretstore vault", "secretstore vaults"], r)),
  replaceIn(/database orders/, (_m, r) => pick(["database orders", "database order"], r)),
  replaceIn(/calls    svc\d+/, (_m, r) => `calls    svc${Math.floor(r() * 14)}`),
  // Environment overrides: new, changed, removed, of an unknown field or declaration.
  replaceIn(/environment prod \{\n/, (m, r) => `${m}  svc${Math.floor(r() * 13)}.${pick(["replicas 2 to 4", "memory 2Gi", "cpu 1 to 2", "replicaz 3"], r)}\n`),
  replaceIn(/  svc\d+\.[a-z]+ [^\n]*\n/, (m, r) => (r() < 0.5 ? "" : m.replace(/\d+/, String(Math.floor(r() * 13))))),
  replaceIn(/environments dev, staging, prod/, (_m, r) => pick(["environments dev, staging, prod", "environments dev, prod"], r)),
  // Plain typing inside a service.
  replaceIn(/config   INDEX = "\d+"/, (_m, r) => `config   INDEX = "${Math.floor(r() * 100)}"`),
  replaceIn(/image    "[^"]*"/, (_m, r) => pick(['image    "registry.example.com/shop/x:latest"', 'image    "registry.example.com/shop/x:2.0.0"'], r)),
  replaceIn(/\n\}\n/, (_m, r) => `\n  ${pick(["cpu 1", "replicas 0", "bogus 1", "calls svc3", 'secret T from vault "a/b" key "k"'], r)}\n}\n`),
];

/** Everything the language server reads from a program, in a comparable form. */
function snapshotOf(p: Program): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [d, perEnv] of p.checked.values) {
    for (const [env, v] of perEnv) {
      const fields = Object.keys(v.origins).sort();
      values[`${d.kind} ${d.name} ${env}`] = fields.map((f) => [f, v.all(f), v.origins[f], v.layers[f], v.sources(f)]);
    }
  }
  return {
    diagnostics: p.diagnostics,
    references: p.checked.references.map((r) => [r.range, r.target.kind, r.target.name, r.target.nameRange]),
    models: [...p.checked.models],
    values,
  };
}

describe("incremental checking equals a from-scratch check", () => {
  const dir = mkdtempSync(join(tmpdir(), "finc-incremental-check-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([1, 2, 3])("after each of 80 random edits (seed %i)", (seed) => {
    const folder = join(dir, String(seed));
    mkdirSync(folder);
    const path = join(folder, "spec.fin");
    let text = SPEC;
    writeFileSync(path, text);
    const workspace = createWorkspace();
    workspace.setFolders([folder]);
    let version = 1;
    workspace.open(pathToFileURL(path).href, path, version, text);
    workspace.rebuild();
    const base = createNodeHost();
    const random = prng(seed);
    let reused = 0;
    let differ = 0;
    for (let i = 0; i < 80; i++) {
      const next = pick(EDITS, random)(text, random);
      workspace.open(pathToFileURL(path).href, path, ++version, next);
      const incremental = workspace.rebuild().program;
      const fresh = createProgram({ host: createOverlayHost(new Map([[path, next]]), base), roots: [folder] });
      expect(fresh.files.get(path)!.parseDiagnostics, `edit ${i} keeps the text parseable`).toEqual([]);
      expect(snapshotOf(incremental), `edit ${i}`).toEqual(snapshotOf(fresh));
      // The cache did its job: most workloads were reused, yet results changed along the way.
      reused += incremental.checked.units?.reused ?? 0;
      if (fresh.diagnostics.length) differ++;
      text = next;
    }
    expect(reused).toBeGreaterThan(80 * 6);
    expect(differ).toBeGreaterThan(20);
  }, 120_000);
});
