import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost, createOverlayHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { STDLIB, summarize, VIRTUAL } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { AWS_PLATFORM, type Doc } from "./helpers.js";

const SQL = "CREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE SCHEMA ledger AUTHORIZATION books;\n";
const spec = (init: string, engine = "postgres 16") => AWS_PLATFORM + `database ledger {
  engine      ${engine}
  storage     10Gi
  credentials from vault "apps/ledger"
  name        books
  init        ${init}
}
`;

/** In-memory files under /virtual (the SQL files exist nowhere on disk); only main.fin is a root. */
function compile(files: Record<string, string>) {
  const overlay = new Map(Object.entries(files).map(([name, text]) => [`${VIRTUAL}/${name}`, text]));
  const program = createProgram({ host: createOverlayHost(overlay, createNodeHost(STDLIB)), roots: [`${VIRTUAL}/main.fin`] });
  const docs = (buildOutputs(program, { environments: ["dev"] }).documents.get("dev") ?? []).map((d) => d.object as Doc);
  return { program, docs, diagnostics: program.diagnostics.map((d) => ({ ...summarize(program, d), message: d.message })) };
}

describe("database init: bootstrap SQL from a file next to the spec", () => {
  it("becomes a ConfigMap <db>-init with the file's text, referenced by postInitApplicationSQLRefs", () => {
    const { docs, diagnostics } = compile({ "main.fin": spec('"sql/init.sql"'), "sql/init.sql": SQL });
    expect(diagnostics).toEqual([]);
    const cm = docs.find((d) => d.kind === "ConfigMap" && d.metadata.name === "ledger-init")!;
    expect(cm.metadata.namespace).toBe("apps");
    expect(cm["data"]).toEqual({ "init.sql": SQL });
    const c = docs.find((d) => d.kind === "Cluster" && d.metadata.name === "ledger")!;
    expect(c.spec.bootstrap.initdb.postInitApplicationSQLRefs).toEqual({ configMapRefs: [{ name: "ledger-init", key: "init.sql" }] });
    if (schemasAvailable) for (const d of [cm, c]) expect(validateManifest(d), d.kind).toEqual([]);
  });

  it("is read through the compiler host: the in-memory file wins over the disk (language server, tests)", () => {
    const { docs } = compile({ "main.fin": spec('"init.sql"'), "init.sql": "SELECT 1;\n" });
    expect(docs.find((d) => d.kind === "ConfigMap" && d.metadata.name === "ledger-init")!["data"]).toEqual({ "init.sql": "SELECT 1;\n" });
  });

  it("without init the Cluster has no postInitApplicationSQLRefs and there is no ConfigMap", () => {
    const { docs } = compile({ "main.fin": AWS_PLATFORM + 'database ledger {\n  storage 10Gi\n  credentials from vault "apps/ledger"\n}\n' });
    expect(docs.find((d) => d.kind === "Cluster")!.spec.bootstrap.initdb.postInitApplicationSQLRefs).toBeUndefined();
    expect(docs.some((d) => d.kind === "ConfigMap" && d.metadata.name === "ledger-init")).toBe(false);
  });

  const big = "-- " + "x".repeat(1024 * 1024) + "\n";
  const cases: [string, Record<string, string>, RegExp][] = [
    ["a missing file", { "main.fin": spec('"sql/missing.sql"') }, /does not exist/],
    ["an absolute path", { "main.fin": spec('"/etc/init.sql"') }, /relative/],
    ["a path out of the spec's directory", { "main.fin": spec('"../outside/init.sql"'), "../outside/init.sql": SQL }, /outside/],
    ["not a .sql file", { "main.fin": spec('"sql/init.txt"'), "sql/init.txt": SQL }, /\.sql/],
    ["over 1 MiB", { "main.fin": spec('"big.sql"'), "big.sql": big }, /1 MiB/],
    ["a password literal", { "main.fin": spec('"roles.sql"'), "roles.sql": "CREATE ROLE reporter LOGIN PASSWORD 'S3cr3t-report';\n" }, /line 1/],
    ["a key format", { "main.fin": spec('"keys.sql"'), "keys.sql": "SELECT 1;\nINSERT INTO cfg VALUES ('stripe', 'sk_live_4eC39HqLyjWDarjtT1zdp7dc');\n" }, /line 2.*Stripe/],
    ["on a standalone database", { "main.fin": spec('"sql/init.sql"', "postgres 16 standalone"), "sql/init.sql": SQL }, /standalone/],
  ];
  for (const [what, files, message] of cases) {
    it(`FIN4056: ${what}, at the path string`, () => {
      const { diagnostics, docs } = compile(files);
      const init = /init\s+("[^"]*")/.exec(files["main.fin"]!)![1]!;
      expect(diagnostics.map((d) => [d.code, d.text])).toEqual([["FIN4056", init]]);
      expect(diagnostics[0]!.message).toMatch(message);
      // Never half-applied: the bad file's text reaches no output.
      expect(docs.some((d) => d.kind === "ConfigMap" && d.metadata.name === "ledger-init")).toBe(false);
    });
  }

  it("the password in a SQL file never reaches the output", () => {
    const { program } = compile({ "main.fin": spec('"roles.sql"'), "roles.sql": "CREATE ROLE reporter LOGIN PASSWORD 'S3cr3t-report';\n" });
    const out = buildOutputs(program, { environments: ["dev"] });
    expect([...out.files].some((f) => f.content.includes("S3cr3t-report"))).toBe(false);
  });
});
