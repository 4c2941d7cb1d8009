import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { nodeFits } from "./node-affinity-eval.js";

type Obj = Record<string, any>;

const platform = (extra = "", cloud = "aws") => `platform p {
  cloud        ${cloud}
  regions      eu-west-1, eu-central-1
  account      "123456789012"
  cluster      "shop"
  kms          "alias/shop"
  environments dev, prod
${extra}}
namespace apps {}
`;
const svc = (name: string, extra: string, kind = "service") =>
  `${kind} ${name} {\n  image "r.io/${name}:1.0.0"\n${kind === "service" ? "  port http 8080\n" : ""}${kind === "cronjob" ? '  schedule "0 2 * * *"\n' : ""}${extra}\n}\n`;

function documents(files: Record<string, string>, env = "dev"): Obj[] {
  const program = compileSources(files);
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return buildOutputs(program).documents.get(env)!.map((d) => d.object as Obj);
}
const find = (docs: Obj[], kind: string, name: string): Obj => docs.find((d) => d["kind"] === kind && d["metadata"].name === name)!;
const podSpec = (docs: Obj[], kind: string, name: string): Obj => {
  const o = find(docs, kind, name);
  return kind === "CronJob" ? o["spec"].jobTemplate.spec.template.spec : o["spec"].template.spec;
};

const own = (name: string) => ({ matchLabels: { "app.kubernetes.io/name": name } });

describe("on nodes / prefer nodes: node affinity", () => {
  const docs = documents({ "main.fin": platform() + svc("api", '  on nodes "role=payments, disk in (ssd,nvme)"\n  on nodes "!gpu, tier!=batch, arch"\n  prefer nodes "zone-class=fast" weight 80\n  prefer nodes "cheap"') });
  const spec = podSpec(docs, "Deployment", "api");

  it("turns each selector requirement into a NodeSelectorRequirement of one required term", () => {
    expect(spec["affinity"].nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution).toEqual({
      nodeSelectorTerms: [{
        matchExpressions: [
          { key: "role", operator: "In", values: ["payments"] },
          { key: "disk", operator: "In", values: ["ssd", "nvme"] },
          { key: "gpu", operator: "DoesNotExist" },
          { key: "tier", operator: "NotIn", values: ["batch"] },
          { key: "arch", operator: "Exists" },
        ],
      }],
    });
  });

  it("turns prefer lines into weighted preferred terms (default weight 50)", () => {
    expect(spec["affinity"].nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 80, preference: { matchExpressions: [{ key: "zone-class", operator: "In", values: ["fast"] }] } },
      { weight: 50, preference: { matchExpressions: [{ key: "cheap", operator: "Exists" }] } },
    ]);
  });

  it("validates against the Deployment schema", () => {
    if (!schemasAvailable) return;
    expect(validateManifest(find(docs, "Deployment", "api"))).toEqual([]);
  });
});

describe("merging with residency and the PCI node pool: every constraint holds together", () => {
  // Residency eu: pods must stay in the platform's EU regions. The
  // namespace is in the scope of a pci pool: pods must be on finc.dev/pci-dss nodes. And the user's.
  const spec = platform() .replace("namespace apps {}", "namespace apps {\n  residency eu\n}") +
    `nodepool cde {\n  capacity   spot\n  taint      pci\n  namespaces apps\n}\n` +
    svc("api", '  on nodes "role=payments"\n  spot yes\n  prefer nodes "disk=ssd"');
  const pod = podSpec(documents({ "main.fin": spec }), "Deployment", "api");

  it("adds the user's requirement to the one term that already holds region and pci (AND, not a second ORed term)", () => {
    expect(pod["affinity"].nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{
      matchExpressions: [
        { key: "topology.kubernetes.io/region", operator: "In", values: ["eu-central-1", "eu-west-1"] },
        { key: "finc.dev/pci-dss", operator: "In", values: ["true"] },
        { key: "role", operator: "In", values: ["payments"] },
      ],
    }]);
  });

  it("schedules only on a node that satisfies all three", () => {
    const all: Record<string, string> = { "topology.kubernetes.io/region": "eu-west-1", "finc.dev/pci-dss": "true", role: "payments" };
    expect(nodeFits(pod, all)).toBe(true);
    for (const missing of Object.keys(all)) {
      const { [missing]: _gone, ...rest } = all;
      expect(nodeFits(pod, rest), `without ${missing}`).toBe(false);
    }
    expect(nodeFits(pod, { ...all, "topology.kubernetes.io/region": "us-east-1" })).toBe(false);
    expect(nodeFits(pod, { ...all, role: "ledger" })).toBe(false);
  });

  it("keeps spot's preference next to the user's, and the pci and spot tolerations", () => {
    expect(pod["affinity"].nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution).toEqual([
      { weight: 100, preference: { matchExpressions: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }] } },
      { weight: 50, preference: { matchExpressions: [{ key: "disk", operator: "In", values: ["ssd"] }] } },
    ]);
    expect(pod["tolerations"].map((t: Obj) => t.key).sort()).toEqual(["finc.dev/pci-dss", "karpenter.sh/capacity-type"]);
  });
});

describe("spread", () => {
  it("hard across zones replaces the default zone constraint (DoNotSchedule, own pods, pod-template-hash); nodes keep the soft default", () => {
    const spec = podSpec(documents({ "main.fin": platform() + svc("api", "  replicas 3\n  spread hard across zones") }), "Deployment", "api");
    expect(spec["topologySpreadConstraints"]).toEqual([
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: own("api"), matchLabelKeys: ["pod-template-hash"] },
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: own("api") },
    ]);
    expect(spec["affinity"]?.podAntiAffinity).toBeUndefined();
  });

  it("soft across nodes and hard across zones together", () => {
    const spec = podSpec(documents({ "main.fin": platform() + svc("api", "  replicas 3\n  spread soft across nodes\n  spread hard across zones") }), "Deployment", "api");
    expect(spec["topologySpreadConstraints"]).toEqual([
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: own("api"), matchLabelKeys: ["pod-template-hash"] },
      { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: own("api"), matchLabelKeys: ["pod-template-hash"] },
    ]);
  });

  it("one-per node (hard) is required pod anti-affinity, one-per zone (soft) preferred", () => {
    const docs = documents({ "main.fin": platform() + svc("api", "  replicas 3\n  spread hard one-per node\n  spread soft one-per zone") });
    const spec = podSpec(docs, "Deployment", "api");
    expect(spec["affinity"].podAntiAffinity).toEqual({
      requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: own("api"), topologyKey: "kubernetes.io/hostname" }],
      preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { labelSelector: own("api"), topologyKey: "topology.kubernetes.io/zone" } }],
    });
    // The default spread stays as it was.
    expect(spec["topologySpreadConstraints"].map((c: Obj) => c.whenUnsatisfiable)).toEqual(["ScheduleAnyway", "ScheduleAnyway"]);
    if (schemasAvailable) expect(validateManifest(find(docs, "Deployment", "api"))).toEqual([]);
  });

  it("an environment can turn hard into soft (the last line per topology wins)", () => {
    const files = { "main.fin": platform() + svc("api", "  replicas 3\n  spread hard across zones") + "environment dev {\n  api.spread soft across zones\n}\n" };
    const dev = podSpec(documents(files, "dev"), "Deployment", "api");
    const prod = podSpec(documents(files, "prod"), "Deployment", "api");
    expect(dev["topologySpreadConstraints"][0].whenUnsatisfiable).toBe("ScheduleAnyway");
    expect(prod["topologySpreadConstraints"][0].whenUnsatisfiable).toBe("DoNotSchedule");
  });

  it("no pod-template-hash key off Deployments: a StatefulSet (per-replica volume) and a CronJob", () => {
    const docs = documents({ "main.fin": platform() + svc("store", "  replicas 3\n  volume /data 10Gi per-replica\n  spread hard across nodes") + svc("nightly", "  spread soft across zones", "cronjob") });
    expect(podSpec(docs, "StatefulSet", "store")["topologySpreadConstraints"][1]).toEqual({ maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "DoNotSchedule", labelSelector: own("store") });
    expect(podSpec(docs, "CronJob", "nightly")["topologySpreadConstraints"][0]).toEqual({ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: own("nightly") });
  });
});

describe("scheduler", () => {
  it("sets schedulerName on services, workers, jobs and cron jobs", () => {
    const line = '  scheduler "batch-scheduler.example.com"';
    const docs = documents({ "main.fin": platform() + svc("api", line) + svc("w", line, "worker") + svc("once", line, "job") + svc("nightly", line, "cronjob") });
    expect(podSpec(docs, "Deployment", "api")["schedulerName"]).toBe("batch-scheduler.example.com");
    expect(podSpec(docs, "Deployment", "w")["schedulerName"]).toBe("batch-scheduler.example.com");
    expect(podSpec(docs, "Job", "once")["schedulerName"]).toBe("batch-scheduler.example.com");
    expect(podSpec(docs, "CronJob", "nightly")["schedulerName"]).toBe("batch-scheduler.example.com");
  });

  it("is absent without the field", () => {
    expect(podSpec(documents({ "main.fin": platform() + svc("api", "") }), "Deployment", "api")["schedulerName"]).toBeUndefined();
  });
});
