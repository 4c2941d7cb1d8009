import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf, PLATFORM, VIRTUAL } from "../helpers/compile.js";

/** Typed application config (FIN3015) and its delivery: env vars, mounted files, immutable ConfigMaps. */
const PATTERN = `pattern web for service {
  port http 8080
  config {
    /// How chatty the logs are.
    LOG_LEVEL  enum debug info warn error = info
    MAX_AMOUNT int = 10000
    FEATURE_X  bool = false
  }
}
`;
const service = (extra = "") => `service a is web {
  image "r.io/a:1.0.0"
${extra}}
`;

function build(spec: string, targets?: string[]): Map<string, Record<string, any>> {
  const program = compileSources({ "main.fin": PLATFORM + spec });
  expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const out = buildOutputs(program, { root: VIRTUAL, ...(targets ? { targets } : {}) });
  return new Map(out.files.filter((f) => !f.path.includes("/templates/") && (f.path.endsWith(".yaml") || f.path.endsWith(".json"))).map((f) => [f.path, f.path.endsWith(".json") ? JSON.parse(f.content) : parse(f.content)]));
}
const find = (docs: Map<string, Record<string, any>>, suffix: string) => [...docs].find(([p]) => p.endsWith(suffix))?.[1];

describe("typed config: the checker", () => {
  it('"FIN3015": an environment override outside the enum is rejected at the value, with the allowed values', () => {
    const p = compileSources({ "main.fin": PLATFORM + PATTERN + service() + "environment prod {\n  a.config LOG_LEVEL = verbose\n}\n" });
    const d = p.diagnostics.find((x) => x.code === "FIN3015")!;
    const text = p.getSourceFile(d.range.file)!.text;
    expect(text.slice(d.range.start, d.range.end)).toBe("verbose");
    expect(d.hint).toBe("Allowed values: debug, info, warn, error.");
    expect(d.related?.map((r) => text.slice(r.range.start, r.range.end))).toEqual(["enum debug info warn error"]);
  });

  it.each([
    ['config MAX_AMOUNT = 12.5', "12.5"],
    ['config MAX_AMOUNT = "lots"', '"lots"'],
    ["config FEATURE_X = yes", "yes"],
    ["config TIMEOUT duration = 5", "5"],
    ['config LEDGER url = "ledger:8080"', '"ledger:8080"'],
  ])("FIN3015: `%s` covers %s", (line, covers) => {
    const found = diagnosticsOf({ "main.fin": PLATFORM + PATTERN + service(`  ${line}\n`) });
    expect(found.filter((d) => d.code === "FIN3015").map((d) => d.text)).toEqual([covers]);
  });

  it("checks every environment: a bad value set only in dev is reported, the same spec without it is clean", () => {
    const bad = diagnosticsOf({ "main.fin": PLATFORM + PATTERN + service() + "environment dev {\n  a.config FEATURE_X = maybe\n}\n" });
    expect(bad.filter((d) => d.code === "FIN3015").map((d) => d.text)).toEqual(["maybe"]);
    expect(diagnosticsOf({ "main.fin": PLATFORM + PATTERN + service() + "environment dev {\n  a.config FEATURE_X = true, LOG_LEVEL = debug\n}\n" })).toEqual([]);
  });

  it("a typed key without a default needs a value in every environment (FIN3003 with a fix)", () => {
    const spec = PLATFORM + PATTERN.replace("FEATURE_X  bool = false", "REGION     string") + service() + 'environment prod {\n  a.config REGION = "eu"\n}\n';
    const p = compileSources({ "main.fin": spec });
    const missing = p.diagnostics.filter((d) => d.code === "FIN3003");
    expect(missing.map((d) => d.message)).toEqual(["service 'a' is missing the required field 'config REGION'."]);
    expect(missing[0]!.fixes![0]!.edits[0]!.newText).toBe('\n  config REGION = "…"');
  });

  it("untyped `KEY = \"v\"` stays a plain string and is never type-checked", () => {
    expect(diagnosticsOf({ "main.fin": PLATFORM + service('  config ANY = 12.5, OTHER = "x"\n').replace(" is web", "").replace('"r.io/a:1.0.0"', '"r.io/a:1.0.0"\n  port 80') })).toEqual([]);
  });

  it("a later layer may set a value of a key typed by the pattern; the service's value wins over the default", () => {
    const docs = build(PATTERN + service("  config LOG_LEVEL = warn, MAX_AMOUNT = 500\n") + "environment prod {\n  a.config LOG_LEVEL = error\n}\n");
    expect(find(docs, "dev/apps/configmap-a-config.yaml")!["data"]).toEqual({ FEATURE_X: "false", LOG_LEVEL: "warn", MAX_AMOUNT: "500" });
    expect(find(docs, "prod/apps/configmap-a-config.yaml")!["data"]["LOG_LEVEL"]).toBe("error");
  });
});

describe("typed config: the Helm values schema uses the declared types", () => {
  it("enum → enum, int → integer pattern, bool → true/false, with the key's doc", () => {
    const docs = build(PATTERN + service('  config TIMEOUT duration = 5s, LEDGER url = "http://ledger:8080", NAME = "x"\n'), ["kubernetes", "helm"]);
    const schema = find(docs, "values.schema.json")!;
    const config = schema["properties"]["services"]["properties"]["a"]["properties"]["config"]["properties"];
    expect(config["LOG_LEVEL"]).toEqual({ type: "string", enum: ["debug", "info", "warn", "error"], description: "How chatty the logs are." });
    expect(config["MAX_AMOUNT"]).toEqual({ type: "string", pattern: "^-?[0-9]+$" });
    expect(config["FEATURE_X"]).toEqual({ type: "string", enum: ["true", "false"] });
    expect(config["TIMEOUT"]["pattern"]).toBe("^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$");
    expect(config["LEDGER"]["pattern"]).toBe("^[a-z][a-z0-9+.-]*://\\S+$");
    expect(config["NAME"]).toEqual({ type: "string" });
  });
});

describe("config delivery", () => {
  it("env vars (default): envFrom and the checksum annotation that rolls the pods", () => {
    const docs = build(PATTERN + service());
    const pod = find(docs, "dev/apps/deployment-a.yaml")!["spec"]["template"];
    expect(pod["spec"]["containers"][0]["envFrom"]).toEqual([{ configMapRef: { name: "a-config" } }]);
    expect(pod["metadata"]["annotations"]["finc.dev/config-hash"]).toMatch(/^[0-9a-f]{16}$/);
  });

  it("`config-mount /etc/app`: a read-only configMap volume, no envFrom, no checksum (the kubelet refreshes the files)", () => {
    const docs = build(PATTERN + service("  config-mount /etc/app\n"));
    const pod = find(docs, "dev/apps/deployment-a.yaml")!["spec"]["template"];
    const c = pod["spec"]["containers"][0];
    expect(c["envFrom"]).toBeUndefined();
    expect(c["volumeMounts"]).toContainEqual({ name: "config", mountPath: "/etc/app", readOnly: true });
    expect(pod["spec"]["volumes"]).toContainEqual({ name: "config", configMap: { name: "a-config", defaultMode: 0o444 } });
    expect(pod["metadata"]["annotations"]).toBeUndefined();
  });

  it("`config-immutable yes`: an immutable ConfigMap named by its content hash, referenced by that name; new content → new name", () => {
    const docs = build(PATTERN + service("  config-immutable yes\n") + "environment prod {\n  a.config LOG_LEVEL = warn\n}\n");
    const dev = [...docs].filter(([p]) => /^dev\/apps\/configmap-a-config-[0-9a-f]{10}\.yaml$/.test(p));
    const prod = [...docs].filter(([p]) => /^prod\/apps\/configmap-a-config-[0-9a-f]{10}\.yaml$/.test(p));
    expect(dev.length).toBe(1);
    expect(prod.length).toBe(1);
    const [devCm, prodCm] = [dev[0]![1], prod[0]![1]];
    expect(devCm["immutable"]).toBe(true);
    expect(devCm["metadata"]["name"]).not.toBe(prodCm["metadata"]["name"]);
    const pod = find(docs, "dev/apps/deployment-a.yaml")!["spec"]["template"];
    expect(pod["spec"]["containers"][0]["envFrom"]).toEqual([{ configMapRef: { name: devCm["metadata"]["name"] } }]);
    expect(pod["metadata"]["annotations"]).toBeUndefined();
  });
});
