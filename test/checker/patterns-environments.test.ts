import { describe, expect, it } from "vitest";
import { compileSources, PLATFORM, summarize } from "../helpers/compile.js";

const pattern = `/// A web service.
pattern web for service {
  replicas 2 to 4 at cpu 70%
  cpu      250m to 1
  config   MODE = "base", LEVEL = "1"
  require  image
  minimum  replicas 2 in prod
}
`;

describe("patterns and environments", () => {
  const program = compileSources({
    "main.fin": PLATFORM + pattern + `service a is web {\n  image "r.io/a:1"\n  port http 8080\n  config LEVEL = "2"\n}\nenvironment prod {\n  a.replicas 5 to 9\n  a { cpu 1 to 2 }\n}\n`,
  });
  const service = (env: string) => program.checked.models.get(env)!.services[0]!;

  it("compiles cleanly", () => {
    expect(program.diagnostics.map((d) => summarize(program, d))).toEqual([]);
  });

  it("a declaration inherits the pattern's defaults and overrides them field by field", () => {
    expect(service("dev").replicas).toEqual({ min: 2, max: 4, cpuTarget: 70 });
    expect(service("dev").resources.cpu).toEqual({ request: 250, limit: 1000 });
    // Repeatable fields merge by key: the declaration's LEVEL wins, the pattern's MODE stays.
    expect(Object.fromEntries(service("dev").config.map((c) => [c.key, c.value]))).toEqual({ MODE: "base", LEVEL: "2" });
  });

  it("an environment overrides any field, in dotted or block form, only in that environment", () => {
    expect(service("prod").replicas).toEqual({ min: 5, max: 9 });
    expect(service("prod").resources.cpu).toEqual({ request: 1000, limit: 2000 });
    expect(service("dev").resources.cpu.limit).toBe(1000);
  });

  it("records where each effective value came from", () => {
    const src = (env: string, field: string) => {
      const r = service(env).fields[field]!;
      return program.getSourceFile(r.file)!.text.slice(r.start, r.end);
    };
    expect(src("dev", "replicas")).toBe("replicas 2 to 4 at cpu 70%");
    expect(src("prod", "replicas")).toBe("a.replicas 5 to 9");
    expect(src("prod", "cpu")).toBe("cpu 1 to 2");
  });

  it("a pattern's `minimum ... in prod` applies only in prod", () => {
    const p = compileSources({ "main.fin": PLATFORM + pattern + `service a is web {\n  image "r.io/a:1"\n  port 80\n}\nenvironment dev {\n  a.replicas 1\n}\nenvironment prod {\n  a.replicas 1\n}\n` });
    const found = p.diagnostics.map((d) => summarize(p, d));
    expect(found).toEqual([{ code: "FIN3011", text: "a.replicas 1", line: 25 }]);
  });

  it("a pattern for another kind is rejected", () => {
    const p = compileSources({ "main.fin": PLATFORM + pattern + `database d is web {\n  storage 1Gi\n  credentials from vault "x"\n}\n` });
    expect(p.diagnostics.map((d) => summarize(p, d))).toContainEqual({ code: "FIN2006", text: "web", line: 17 });
  });

  it("the budget check sums max replicas × limits over the namespace, per environment", () => {
    const p = compileSources({
      "main.fin": `platform p {\n  environments dev, prod\n}\nnamespace apps {\n  quota cpu 4, memory 8Gi, pods 10\n}\nservice a {\n  image "r.io/a:1"\n  port 80\n  replicas 1 to 2\n  cpu 1\n  memory 1Gi\n}\nenvironment prod {\n  a.replicas 3 to 6\n}\n`,
    });
    const msgs = p.diagnostics.map((d) => d.message);
    expect(msgs).toEqual(["Namespace 'apps (environment prod)' can exceed its cpu quota: workloads at max replicas need 6, the quota is 4."]);
  });
});

describe("config", () => {
  it("reads inline entries and a block with one entry per line; a bad key is a type error", () => {
    const p = compileSources({ "main.fin": PLATFORM + `service a {\n  image "r.io/a:1"\n  port 80\n  config A = "1", B = 2\n  config {\n    C = "three"\n    D four\n    bad-key = "x"\n  }\n}\n` });
    expect(p.diagnostics.map((d) => summarize(p, d))).toEqual([{ code: "FIN3001", text: "bad-key", line: 16 }]);
    const config = p.checked.models.get("dev")!.services[0]!.config;
    expect(config.map((c) => [c.key, c.value])).toEqual([["A", "1"], ["B", "2"], ["C", "three"], ["D", "four"]]);
  });
});

describe("imports", () => {
  it("a relative import brings in another file's patterns; an import is resolved against the importing file", () => {
    const p = compileSources({
      "lib/web.fin": pattern,
      "main.fin": PLATFORM + `import "./lib/web"\nservice a is web {\n  image "r.io/a:1"\n  port 80\n}\n`,
    });
    expect(p.diagnostics.map((d) => summarize(p, d))).toEqual([]);
    expect(p.checked.models.get("dev")!.services[0]!.replicas.max).toBe(4);
  });

  it("without the import the pattern is unknown", () => {
    const p = compileSources({ "main.fin": PLATFORM + `service a is web {\n  image "r.io/a:1"\n  port 80\n}\n` });
    expect(p.diagnostics.map((d) => summarize(p, d))).toContainEqual({ code: "FIN2006", text: "web", line: 9 });
  });
});
