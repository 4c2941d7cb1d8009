import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { INSTALL_ASSUMPTIONS } from "../../compiler/model/install-assumptions.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

type Obj = Record<string, any>;

/** A dev/prod platform whose dev environment sleeps as `sleep` says (empty: no sleep). */
const spec = (sleep: string, platformExtra = "", prodExtra = "") => `platform p {
  cloud        aws
  environments dev, prod
${platformExtra}}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
service api {
  namespace apps
  image     "r.io/api:1.0.0"
  port      http 8080
  replicas  2 to 4 at cpu 70%
}
service web {
  namespace apps
  image     "r.io/web:1.0.0"
  port      http 8080
  replicas  2 to 6
}
worker indexer {
  namespace apps
  image     "r.io/indexer:1.0.0"
  replicas  1
}
service events {
  namespace apps
  image     "r.io/events:1.0.0"
  port      http 8080
  replicas  1 to 8
  scale     on kafka "payments.events" lag 500
}
cronjob report {
  namespace apps
  image     "r.io/report:1.0.0"
  schedule  "0 2 * * *"
}
database ledger {
  namespace   apps
  engine      postgres 16
  storage     20Gi
  credentials from vault "db/ledger"
}
${sleep ? `environment dev {\n  platform.sleep ${sleep}\n}\n` : ""}${prodExtra ? `environment prod {\n  ${prodExtra}\n}\n` : ""}`;

const docs = (src: string, env = "dev"): Obj[] => {
  const program = compileSources({ "main.fin": src });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return buildOutputs(program, { environments: [env] }).documents.get(env)!.map((d) => d.object as Obj);
};
const find = (ds: Obj[], kind: string, name: string) => ds.find((d) => d["kind"] === kind && d["metadata"].name === name);

const LONDON_WORKDAYS = { type: "cron", metadata: { timezone: "Europe/London", start: "0 7 * * 1-5", end: "0 20 * * 1-5", desiredReplicas: "2" } };

describe("sleep nights weekends: non-production scales to zero out of hours (KEDA cron)", () => {
  const dev = docs(spec('nights "20:00-07:00" weekends timezone "Europe/London"'));

  it("turns a CPU HPA into a ScaledObject: awake Monday–Friday 07:00–20:00 at the minimum, 0 otherwise, the CPU target kept", () => {
    expect(find(dev, "HorizontalPodAutoscaler", "api")).toBeUndefined();
    const so = find(dev, "ScaledObject", "api")!;
    expect(so["spec"]).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" },
      minReplicaCount: 0,
      maxReplicaCount: 4,
      triggers: [LONDON_WORKDAYS, { type: "cpu", metricType: "Utilization", metadata: { value: "70" } }],
    });
  });

  it("keeps the plain HPA's default CPU target (80%) for a range without `at cpu`", () => {
    expect(find(dev, "ScaledObject", "web")!["spec"].triggers[1]).toEqual({ type: "cpu", metricType: "Utilization", metadata: { value: "80" } });
  });

  it("gives a fixed-replica worker a ScaledObject between 0 and its count, with no resource trigger", () => {
    const so = find(dev, "ScaledObject", "indexer")!;
    expect(so["spec"].minReplicaCount).toBe(0);
    expect(so["spec"].maxReplicaCount).toBe(1);
    expect(so["spec"].triggers).toEqual([{ type: "cron", metadata: { timezone: "Europe/London", start: "0 7 * * 1-5", end: "0 20 * * 1-5", desiredReplicas: "1" } }]);
  });

  it("adds the cron trigger to an existing ScaledObject after its own triggers", () => {
    const so = find(dev, "ScaledObject", "events")!;
    expect(so["spec"].minReplicaCount).toBe(0);
    expect(so["spec"].triggers.map((t: Obj) => t["type"])).toEqual(["kafka", "cron"]);
    expect(so["spec"].triggers[1].metadata.desiredReplicas).toBe("1");
  });

  it("leaves cron jobs and databases alone, and production awake", () => {
    expect(find(dev, "ScaledObject", "report")).toBeUndefined();
    expect(dev.filter((d) => d["kind"] === "ScaledObject").map((d) => d["metadata"].name).sort()).toEqual(["api", "events", "indexer", "web"]);
    expect(find(dev, "Cluster", "ledger")!["spec"].instances).toBeGreaterThanOrEqual(1);
    const prod = docs(spec('nights "20:00-07:00" weekends'), "prod");
    expect(find(prod, "HorizontalPodAutoscaler", "api")).toBeDefined();
    expect(find(prod, "ScaledObject", "api")).toBeUndefined();
    expect(find(prod, "ScaledObject", "events")!["spec"].minReplicaCount).toBe(1);
  });

  it("makes KEDA an install assumption of a sleeping environment even without `scale on …`", () => {
    const noEvents = spec("nights weekends").replace(/service events \{[^}]*\}\n/, "");
    const program = compileSources({ "main.fin": noEvents });
    const keda = INSTALL_ASSUMPTIONS.find((a) => a.id === "keda")!;
    expect(keda.matters(program.checked.models.get("dev")!)).toBe(true);
    expect(keda.matters(program.checked.models.get("prod")!)).toBe(false);
  });

  it("keeps the PodDisruptionBudget (maxUnavailable 1 does not block scaling to zero)", () => {
    expect(find(dev, "PodDisruptionBudget", "api")!["spec"].maxUnavailable).toBe(1);
  });

  it.skipIf(!schemasAvailable)("every ScaledObject and PDB validates against its upstream schema", () => {
    for (const d of dev.filter((o) => ["ScaledObject", "PodDisruptionBudget"].includes(o["kind"]))) expect(validateManifest(d as { apiVersion: string; kind: string }), d["metadata"].name).toEqual([]);
  });

  it("spells the windows of nights only, weekends only, the default night and minutes", () => {
    const window = (sleep: string) => find(docs(spec(sleep)), "ScaledObject", "api")!["spec"].triggers[0].metadata;
    expect(window("nights")).toEqual({ timezone: "Etc/UTC", start: "0 7 * * *", end: "0 20 * * *", desiredReplicas: "2" });
    expect(window("weekends")).toEqual({ timezone: "Etc/UTC", start: "0 0 * * 1", end: "0 0 * * 6", desiredReplicas: "2" });
    expect(window('nights "22:30-06:15" weekends')).toMatchObject({ start: "15 6 * * 1-5", end: "30 22 * * 1-5" });
  });
});

describe("sleep is refused in production (FIN4094) and read strictly", () => {
  it("FIN4094 at a platform-wide sleep, for prod only; none with the sleep in dev's block or `platform.sleep none` in prod's", () => {
    const wide = diagnosticsOf({ "main.fin": spec("", "  sleep nights weekends\n") }).filter((d) => d.code === "FIN4094");
    expect(wide).toHaveLength(1);
    expect(wide[0]!.line).toBe(4);
    expect(wide[0]!.text).toBe("nights weekends");
    const message = compileSources({ "main.fin": spec("", "  sleep nights weekends\n") }).diagnostics.find((d) => d.code === "FIN4094")!.message;
    expect(message).toContain("production environment prod");
    expect(diagnosticsOf({ "main.fin": spec("nights weekends") }).filter((d) => d.code === "FIN4094")).toEqual([]);
    expect(diagnosticsOf({ "main.fin": spec("", "  sleep nights weekends\n", "platform.sleep none") }).filter((d) => d.code === "FIN4094")).toEqual([]);
  });

  it("`in <env> …` on the platform: sleeps only there; FIN4094 once at a production or unknown environment's name", () => {
    const src = spec("", "  sleep nights weekends in dev\n");
    expect(find(docs(src), "ScaledObject", "api")!["spec"].minReplicaCount).toBe(0);
    expect(find(docs(src, "prod"), "ScaledObject", "api")).toBeUndefined();
    const prod = diagnosticsOf({ "main.fin": spec("", "  sleep nights weekends in dev prod\n") }).filter((d) => d.code === "FIN4094");
    expect(prod.map((d) => d.text)).toEqual(["prod"]);
    const program = compileSources({ "main.fin": spec("", "  sleep weekends in dev qa\n") });
    const unknown = program.diagnostics.filter((d) => d.code === "FIN4094");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.message).toContain("no environment 'qa'");
  });

  it("FIN3001 for a night that does not cross midnight, a clock that is not HH:MM, an unknown zone or an unknown word", () => {
    const at = (sleep: string) => diagnosticsOf({ "main.fin": spec(sleep) }).filter((d) => d.code === "FIN3001").map((d) => d.text);
    expect(at('nights "07:00-20:00"')).toEqual(['"07:00-20:00"']);
    expect(at('nights "25:00-07:00"')).toEqual(['"25:00-07:00"']);
    expect(at('nights "8pm-7am"')).toEqual(['"8pm-7am"']);
    expect(at('nights timezone "London"')).toEqual(['"London"']);
    expect(at("evenings")).toEqual(["evenings"]);
    expect(at("nights weekdays")).toEqual(["weekdays"]);
  });
});
