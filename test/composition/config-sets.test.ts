import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, PLATFORM, VIRTUAL } from "../helpers/compile.js";

/** `configset common { … }` shared by several workloads with `config from common`. */
const SETS = `configset common {
  LOG_LEVEL = "info", REGION = "eu-west-1"
  MAX_AMOUNT int = 10000
}
configset tracing {
  TRACE_SAMPLE = "0.1"
  REGION = "eu-central-1"
}
`;
const configOf = (src: string, name: string, env = "dev") => {
  const p = compileSources({ "main.fin": src });
  expect(p.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const s = p.checked.models.get(env)!.services.find((x) => x.name === name)!;
  return Object.fromEntries(s.config.map((c) => [c.key, c.value]));
};

describe("config sets", () => {
  it("a service, a worker and a job each get the set's entries", () => {
    const src = PLATFORM + SETS + `service api {
  image "r.io/api:1.0.0"
  port http 8080
  config from common
}
worker consumer {
  image "r.io/c:1.0.0"
  config from common
}
job seed {
  image "r.io/s:1.0.0"
  config from common
}
`;
    const expected = { LOG_LEVEL: "info", REGION: "eu-west-1", MAX_AMOUNT: "10000" };
    expect(configOf(src, "api")).toEqual(expected);
    expect(configOf(src, "consumer")).toEqual(expected);
    expect(configOf(src, "seed")).toEqual(expected);
  });

  it("sets merge in the order named, and the workload's own keys win wherever they are written", () => {
    const src = PLATFORM + SETS + `service api {
  image "r.io/api:1.0.0"
  port http 8080
  config LOG_LEVEL = "debug"
  config from common, tracing
}
environment prod {
  api.config REGION = "us-east-1"
}
`;
    expect(configOf(src, "api")).toEqual({ LOG_LEVEL: "debug", REGION: "eu-central-1", MAX_AMOUNT: "10000", TRACE_SAMPLE: "0.1" });
    expect(configOf(src, "api", "prod")).toMatchObject({ REGION: "us-east-1", LOG_LEVEL: "debug" });
  });

  it("a set's typed key is checked against the workload's value (FIN3015 at the value)", () => {
    const ds = diagnosticsOf({ "main.fin": PLATFORM + SETS + `service api {\n  image "r.io/api:1.0.0"\n  port http 8080\n  config from common\n  config MAX_AMOUNT = lots\n}\n` });
    expect(ds.map((d) => `${d.code} ${d.text}`)).toEqual(["FIN3015 lots"]);
  });

  it('"FIN2004": an unknown set is an unresolved reference, with a suggestion', () => {
    const p = compileSources({ "main.fin": PLATFORM + SETS + `service api {\n  image "r.io/api:1.0.0"\n  port http 8080\n  config from comon\n}\n` });
    const d = p.diagnostics.find((x) => x.code === "FIN2004")!;
    const text = p.getSourceFile(d.range.file)!.text;
    expect(text.slice(d.range.start, d.range.end)).toBe("comon");
    expect(d.message).toBe("Cannot find config set 'comon'.");
    expect(d.hint).toContain("common");
  });

  it("`from <set>` is a resolved reference to the configset (definition, references, rename)", () => {
    const src = PLATFORM + SETS + `service api {\n  image "r.io/api:1.0.0"\n  port http 8080\n  config from common, tracing\n}\n`;
    const p = compileSources({ "main.fin": src });
    const refs = p.checked.references.filter((r) => r.range.file === `${VIRTUAL}/main.fin` && r.target.kind === "configset");
    expect(refs.map((r) => `${src.slice(r.range.start, r.range.end)}@${r.range.start}->${r.target.name}`).sort()).toEqual([
      `common@${src.indexOf("from common") + 5}->common`,
      `tracing@${src.indexOf(", tracing") + 2}->tracing`,
    ]);
  });

  it("a configset name is a declaration kind, and the config source map points into the set", () => {
    const src = PLATFORM + SETS + `service api {\n  image "r.io/api:1.0.0"\n  port http 8080\n  config from common\n}\n`;
    const p = compileSources({ "main.fin": src });
    const entry = p.checked.models.get("dev")!.services[0]!.config.find((c) => c.key === "REGION")!;
    expect(src.slice(entry.origin.start, entry.origin.end)).toBe('REGION = "eu-west-1"');
  });
});
