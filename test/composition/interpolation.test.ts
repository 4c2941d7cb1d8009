import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf, PLATFORM, VIRTUAL } from "../helpers/compile.js";

/** `config JDBC_URL = "jdbc:postgresql://${ledger-db.host}:${ledger-db.port}/${ledger-db.name}"`: checked and resolved at compile time. */
const DB = `database ledger-db {
  engine postgres 16
  storage 20Gi fast
  credentials from vault "team/db"
}
`;
const svc = (value: string, extra = "") => `service api {
  image "r.io/api:1.0.0"
  port http 8080
  calls ledger-db
  config JDBC_URL = ${JSON.stringify(value)}
${extra}}
`;
const JDBC = "jdbc:postgresql://${ledger-db.host}:${ledger-db.port}/${ledger-db.name}";
const line = (src: string, needle: string) => src.slice(0, src.indexOf(needle)).split("\n").length;

describe("interpolated config values", () => {
  it("resolves host, port and name at compile time into the model and the ConfigMap", () => {
    const p = compileSources({ "main.fin": PLATFORM + DB + svc(JDBC) });
    expect(p.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const expected = "jdbc:postgresql://ledger-db-rw.apps.svc.cluster.local:5432/ledger_db";
    for (const env of ["dev", "prod"]) {
      const api = p.checked.models.get(env)!.services.find((s) => s.name === "api")!;
      expect(api.config.find((c) => c.key === "JDBC_URL")!.value).toBe(expected);
    }
    const out = buildOutputs(p, { root: VIRTUAL, targets: ["kubernetes"] });
    const cms = out.files.filter((f) => f.path.endsWith(".yaml")).flatMap((f) => f.content.split(/^---$/m).map((d) => parse(d))).filter((d) => d?.kind === "ConfigMap" && d.data?.JDBC_URL);
    expect(cms.length).toBeGreaterThan(0);
    for (const cm of cms) expect(cm.data.JDBC_URL).toBe(expected);
  });

  it("a read-host and an environment-specific name are resolved per environment", () => {
    const p = compileSources({ "main.fin": PLATFORM + DB + svc("${ledger-db.read-host}/${ledger-db.name}") + "environment prod {\n  ledger-db.name ledger_prod\n}\n" });
    expect(p.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    const value = (env: string) => p.checked.models.get(env)!.services[0]!.config[0]!.value;
    expect(value("dev")).toBe("ledger-db-rw.apps.svc.cluster.local/ledger_db");
    expect(value("prod")).toBe("ledger-db-rw.apps.svc.cluster.local/ledger_prod");
  });

  it("each `${db.output}` is a reference to the database (definition, rename)", () => {
    const src = PLATFORM + DB + svc(JDBC);
    const p = compileSources({ "main.fin": src });
    const inString = src.indexOf("jdbc:");
    const refs = p.checked.references.filter((r) => r.range.start > inString && r.range.file === `${VIRTUAL}/main.fin`);
    expect(refs.map((r) => `${src.slice(r.range.start, r.range.end)}->${r.target.name}`)).toEqual(["ledger-db->ledger-db", "ledger-db->ledger-db", "ledger-db->ledger-db"]);
  });

  it('"FIN2004": an interpolated database that does not exist', () => {
    const src = PLATFORM + DB + svc("postgres://${ledgr-db.host}/x");
    const p = compileSources({ "main.fin": src });
    const d = p.diagnostics.find((x) => x.code === "FIN2004")!;
    expect(p.getSourceFile(d.range.file)!.text.slice(d.range.start, d.range.end)).toBe("ledgr-db");
    expect(d.message).toBe("Cannot find database 'ledgr-db'.");
    expect(d.hint).toContain("ledger-db");
  });

  it('"FIN3012": an output the database does not have, at the output name', () => {
    const src = PLATFORM + DB + svc("${ledger-db.hostname}");
    expect(diagnosticsOf({ "main.fin": src })).toEqual([{ code: "FIN3012", text: "hostname", line: line(src, "JDBC_URL") }]);
  });

  it.each(["url", "read-url", "password", "username"])('"FIN3028": the credential-bearing output %s is refused in a plain config value', (output) => {
    const src = PLATFORM + DB + svc(`x-\${ledger-db.${output}}`);
    const p = compileSources({ "main.fin": src });
    expect(p.diagnostics.map((d) => d.code)).toEqual(["FIN3028"]);
    const d = p.diagnostics[0]!;
    expect(src.slice(d.range.start, d.range.end)).toBe(`\${ledger-db.${output}}`);
    expect(d.message).toContain(`ledger-db.${output}`);
    expect(d.hint).toContain(`secret JDBC_URL from ledger-db.`);
  });

  it('"FIN3001": ca-file is a path mounted only with a secret line, not a config value', () => {
    const src = PLATFORM + DB + svc("${ledger-db.ca-file}");
    expect(diagnosticsOf({ "main.fin": src }).map((d) => `${d.code} ${d.text}`)).toEqual(["FIN3001 ca-file"]);
  });

  it("leaves `${UPPER}` and text without references alone (not a reference form)", () => {
    const p = compileSources({ "main.fin": PLATFORM + DB + svc("${HOME}/data and $x") });
    expect(p.diagnostics).toEqual([]);
    expect(p.checked.models.get("dev")!.services[0]!.config[0]!.value).toBe("${HOME}/data and $x");
  });
});
