import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";

/**
 * Alertmanager calls hooks.slack.com / events.pagerduty.com from the monitoring namespace. finc
 * writes nothing there (an install assumption says what that namespace must let out), unless the
 * spec declares that namespace itself: then finc's default-deny NetworkPolicies isolate it and
 * Alertmanager could reach neither webhook (nor Prometheus its targets) — FIN4059.
 */
const spec = (monitoring: string, extraNs = "") => `platform p {
  environments dev
  monitoring ${monitoring}
  alerting slack "#oncall" from vault "m/slack", pagerduty from vault "m/pd"
}
secretstore vault {
  provider vault
  server "https://vault.example.com:8200"
}
namespace shop {}
${extraNs}service api {
  image "r.io/api:1.0.0"
  port http 8080
}
`;

describe('"FIN4059": Alertmanager in a namespace finc isolates', () => {
  it("the monitoring namespace is one the spec declares: its default deny would cut off the webhooks", () => {
    expect(diagnosticsOf({ "main.fin": spec("prometheus namespace obs", "namespace obs {}\n") })).toContainEqual({ code: "FIN4059", text: "monitoring prometheus namespace obs", line: 3 });
    const d = compileSources({ "main.fin": spec("prometheus namespace obs", "namespace obs {}\n") }).diagnostics.find((x) => x.code === "FIN4059")!;
    expect(d.severity).toBe("error");
    expect(d.message).toMatch(/hooks\.slack\.com:443/);
    expect(d.message).toMatch(/events\.pagerduty\.com:443/);
    expect(d.hint).toMatch(/namespace of its own/);
  });

  it("a namespace the spec does not declare (the default `monitoring`) is fine: the install assumption covers it", () => {
    expect(diagnosticsOf({ "main.fin": spec("prometheus") }).filter((x) => x.code === "FIN4059")).toEqual([]);
    expect(diagnosticsOf({ "main.fin": spec("prometheus namespace obs") }).filter((x) => x.code === "FIN4059")).toEqual([]);
  });
});
