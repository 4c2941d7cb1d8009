import { describe, expect, it } from "vitest";
import { findTarget } from "../../compiler/semantic/effective-fields.js";
import { followUps, KIND_SPECS } from "../../compiler/semantic/schema/index.js";
import { compileSources, PLATFORM } from "../helpers/compile.js";

/** What the compiler tells the editor: layers, environment targets, units, follow-up words and fixes. */
describe("editor data from the compiler", () => {
  const program = compileSources({
    "main.fin":
      PLATFORM +
      `pattern web for service {\n  replicas 2 to 4\n  calls b\n}\n` +
      `service a is web {\n  image "r.io/a:1"\n  port http 8080\n  calls c\n}\n` +
      `service b {\n  image "r.io/b:1"\n  port http 8080\n}\nservice c {\n  image "r.io/c:1"\n  port http 8080\n}\n` +
      `environment prod {\n  a.replicas 5 to 9\n}\n`,
  });
  const a = findTarget(program.declarations, "a")!;
  const values = program.checked.values.get(a)!;

  it("says which layer set each field, and lists every layer of repeatable fields", () => {
    expect(values.get("dev")!.layers["replicas"]).toEqual({ layer: "pattern", pattern: "web" });
    expect(values.get("prod")!.layers["replicas"]).toEqual({ layer: "environment", environment: "prod" });
    expect(values.get("dev")!.layers["image"]).toEqual({ layer: "declaration" });
    expect(values.get("dev")!.sources("calls").map((s) => s.layer)).toEqual(["pattern", "declaration"]);
    expect(values.get("dev")!.origins["image"]).toBeDefined();
  });

  it("gives each environment one target, at its entry in the platform's list", () => {
    const prod = program.checked.environmentTargets.get("prod")!;
    expect(prod.kind).toBe("environment");
    expect(program.getSourceFile(prod.file)!.text.slice(prod.nameRange.start, prod.nameRange.end)).toBe("prod");
    const uses = program.checked.references.filter((r) => r.target === prod);
    expect(uses).toHaveLength(1);
    expect(program.getSourceFile(uses[0]!.range.file)!.text.slice(uses[0]!.range.start, uses[0]!.range.end)).toBe("prod");
  });

  it("declares units and follow-up words in the schema", () => {
    expect(KIND_SPECS["service"]!.fields["memory"]!.units).toContain("Gi");
    expect(KIND_SPECS["service"]!.fields["timeout"]!.units).toContain("ms");
    expect(KIND_SPECS["database"]!.fields["storage"]!.units).toContain("Gi");
    expect(KIND_SPECS["secretstore"]!.fields["refresh"]!.units).toContain("m");
    const solver = KIND_SPECS["issuer"]!.fields["solver"]!.keywords;
    expect(followUps(solver, ["dns"])).toEqual(["route53", "cloudflare", "google", "azure"]);
    expect(followUps(solver, ["dns", "google", '"proj"'])).toEqual(["zone"]);
    expect(followUps(solver, ["http"])).toEqual([]);
    expect(followUps(KIND_SPECS["service"]!.fields["config"]!.keywords, ["LOG_LEVEL"])).toContain("enum");
    expect(followUps(KIND_SPECS["platform"]!.fields["mesh"]!.keywords, ["istio"])).toEqual(["sidecar", "ambient", "cni"]);
    expect(followUps(KIND_SPECS["platform"]!.fields["mesh"]!.keywords, ["istio", "sidecar"])).toEqual(["cni"]);
  });

  it("attaches did-you-mean fixes where the candidate is known", () => {
    const p = compileSources({
      "main.fin":
        PLATFORM +
        `service a is web-servce {\n  image "r.io/a:1"\n  port http 8080\n  tier critcal\n  calls bb\n  config MODE enum fast slow = fsat\n}\nservice bbb {\n  image "r.io/b:1"\n  port http 8080\n}\n` +
        `pattern web-service for service {}\nenvironment prd {}\n`,
    });
    const fix = (code: string) => p.diagnostics.find((d) => d.code === code)?.fixes?.[0]?.edits[0]?.newText;
    expect(fix("FIN2006")).toBe("web-service");
    expect(fix("FIN3007")).toBe("critical");
    expect(fix("FIN2004")).toBe("bbb");
    expect(fix("FIN3015")).toBe("fast");
    expect(fix("FIN2008")).toBe("prod");
  });
});
