import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf, itReportsEach, REPO } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

type Obj = Record<string, any>;

const platform = (extra = "", cloud = "aws") => `platform p {
  cloud        ${cloud}
  regions      eu-west-1
  account      "123456789012"
  cluster      "shop-prod"
  kms          "alias/shop"
  environments prod
${extra}}
namespace apps {}
`;
const svc = (name: string, extra: string) => `service ${name} {\n  image "r.io/${name}:1.0.0"\n  port 8080\n${extra}\n}\n`;

function documents(files: Record<string, string>): Obj[] {
  const program = compileSources(files);
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return buildOutputs(program).documents.get("prod")!.map((d) => d.object as Obj);
}
const find = (docs: Obj[], kind: string, name: string): Obj => docs.find((d) => d["kind"] === kind && d["metadata"].name === name)!;

describe("Karpenter node pools on AWS", () => {
  const spec = platform() + `nodepool spot {
  capacity       spot
  instance-types "m6i.large", "m6i.xlarge"
  zones          "eu-west-1a", "eu-west-1b"
  limit          cpu 200, memory 800Gi
  expire         168h
  consolidate    when-empty
}
nodepool general {
  capacity on-demand
}
` + svc("batch", "  tier batch\n  spot yes") + svc("api", "");
  const docs = documents({ "main.fin": spec });

  it("emits a NodePool and an EC2NodeClass per pool, each valid against the upstream CRD schema", () => {
    const pools = docs.filter((d) => d["apiVersion"] === "karpenter.sh/v1" || d["apiVersion"] === "karpenter.k8s.aws/v1");
    expect(pools.map((d) => `${d["kind"]}/${d["metadata"].name}`).sort()).toEqual(["EC2NodeClass/general", "EC2NodeClass/spot", "NodePool/general", "NodePool/spot"]);
    if (!schemasAvailable) return;
    for (const d of pools) expect(validateManifest(d), `${d["kind"]}/${d["metadata"].name}`).toEqual([]);
  });

  it("writes the pool's fields into the NodePool", () => {
    const spec = find(docs, "NodePool", "spot")["spec"];
    expect(spec.template.spec.requirements).toEqual([
      { key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] },
      { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
      { key: "node.kubernetes.io/instance-type", operator: "In", values: ["m6i.large", "m6i.xlarge"] },
      { key: "topology.kubernetes.io/zone", operator: "In", values: ["eu-west-1a", "eu-west-1b"] },
    ]);
    expect(spec.template.spec.nodeClassRef).toEqual({ group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "spot" });
    expect(spec.template.spec.expireAfter).toBe("168h");
    expect(spec.limits).toEqual({ cpu: "200", memory: "800Gi" });
    expect(spec.disruption.consolidationPolicy).toBe("WhenEmpty");
    const general = find(docs, "NodePool", "general")["spec"];
    expect(general.template.spec.taints).toBeUndefined();
    expect(general.template.spec.expireAfter).toBe("720h");
    expect(general.disruption.consolidationPolicy).toBe("WhenEmptyOrUnderutilized");
  });

  it("the spot pool's taint is exactly what a `spot yes` workload tolerates, and its label what it prefers", () => {
    const taints = find(docs, "NodePool", "spot")["spec"].template.spec.taints;
    expect(taints).toEqual([{ key: "karpenter.sh/capacity-type", value: "spot", effect: "NoSchedule" }]);
    const pod = find(docs, "Deployment", "batch")["spec"].template.spec;
    expect(pod.tolerations).toEqual([{ key: "karpenter.sh/capacity-type", operator: "Equal", value: "spot", effect: "NoSchedule" }]);
    expect(pod.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].preference.matchExpressions).toEqual([{ key: "karpenter.sh/capacity-type", operator: "In", values: ["spot"] }]);
    // a workload without `spot yes` does not tolerate the spot pool
    expect(find(docs, "Deployment", "api")["spec"].template.spec.tolerations).toBeUndefined();
  });

  it("finds nodes by the cluster's discovery tag, requires IMDSv2 and encrypts the gp3 root volume with the platform key", () => {
    const spec = find(docs, "EC2NodeClass", "spot")["spec"];
    expect(spec.role).toBe("KarpenterNodeRole-shop-prod");
    expect(spec.subnetSelectorTerms).toEqual([{ tags: { "karpenter.sh/discovery": "shop-prod" } }]);
    expect(spec.securityGroupSelectorTerms).toEqual([{ tags: { "karpenter.sh/discovery": "shop-prod" } }]);
    expect(spec.metadataOptions).toMatchObject({ httpTokens: "required", httpPutResponseHopLimit: 1 });
    expect(spec.blockDeviceMappings[0].ebs).toMatchObject({ volumeType: "gp3", encrypted: true, kmsKeyID: "arn:aws:kms:eu-west-1:123456789012:alias/shop" });
  });

  it("emits nothing without a nodepool", () => {
    const plain = documents({ "main.fin": platform() + svc("api", "") });
    expect(plain.filter((d) => String(d["apiVersion"]).startsWith("karpenter"))).toEqual([]);
  });
});

describe("node pools packaged by Helm", () => {
  it("a pool in environments with different clusters: each discovery tag is its own value (a shared selector object left a template value unplaced)", () => {
    const spec = platform().replace("environments prod", "environments dev, prod") + 'environment dev {\n  platform.cluster "shop-dev"\n}\n' + "nodepool general {\n  capacity on-demand\n}\n";
    const program = compileSources({ "main.fin": spec });
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const files = buildOutputs(program, { targets: ["helm"] }).files;
    const template = files.find((f) => f.path.endsWith("ec2nodeclass-general.yaml"))!.content;
    expect(template).not.toContain("__finc_tpl_");
    for (const key of ["subnetSelectorTerms", "securityGroupSelectorTerms"]) expect(template).toContain(`"/spec/${key}/0/tags/karpenter.sh~1discovery"`);
  });
});

describe("node pool / spot consistency", () => {
  itReportsEach([
    { name: "spot workload with only on-demand pools", spec: platform() + "nodepool general {\n  capacity on-demand\n}\n" + svc("batch", "  tier batch\n  spot yes"), code: "FIN4072", covers: "spot yes", line: 17 },
    // GKE and AKS pools (the terraform target) and FIN4073 on onprem: cloud-node-pools.test.ts.
    { name: "pci pool naming no namespace", spec: platform() + "nodepool cde {\n  taint pci\n}\n", code: "FIN4073", covers: "taint pci", line: 11 },
    { name: "pci pool naming an undeclared namespace", spec: platform() + "nodepool cde {\n  taint pci\n  namespaces cards\n}\n", code: "FIN2004", covers: "cards", line: 12 },
  ]);

  it("a spot workload with a spot pool is clean; without any pool it is not checked (the cluster's own nodes)", () => {
    const codes = (spec: string) => diagnosticsOf({ "main.fin": spec }).map((d) => d.code);
    expect(codes(platform() + "nodepool spot {\n  capacity spot\n}\n" + svc("batch", "  tier batch\n  spot yes"))).not.toContain("FIN4072");
    expect(codes(platform() + svc("batch", "  tier batch\n  spot yes"))).not.toContain("FIN4072");
  });

  it("a critical workload on spot stays refused (FIN4021), not reported twice", () => {
    const codes = diagnosticsOf({ "main.fin": platform() + "nodepool general {\n  capacity on-demand\n}\n" + svc("core", "  tier critical\n  spot yes") }).map((d) => d.code);
    expect(codes).toContain("FIN4021");
    expect(codes).not.toContain("FIN4072");
  });
});

describe("PCI-scoped pools", () => {
  it("a standalone database of a namespace in scope runs on pci nodes too", () => {
    const store = 'secretstore vault {\n  provider vault\n  server "https://vault.example.com"\n}\n';
    const db = 'database db {\n  engine postgres 16 standalone\n  storage 10Gi\n  credentials from vault "db"\n}\n';
    const docs = documents({ "main.fin": platform() + store + db + "nodepool cde {\n  taint pci\n  namespaces apps\n}\n" });
    const pod = docs.find((d) => d["kind"] === "StatefulSet")!["spec"].template.spec;
    expect(pod.tolerations).toEqual([{ key: "finc.dev/pci-dss", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    expect(pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([{ matchExpressions: [{ key: "finc.dev/pci-dss", operator: "In", values: ["true"] }] }]);
  });
});

describe("PCI-scoped pools (the payments example)", () => {
  const example = (f: string) => readFileSync(resolve(REPO, "examples/payments", f), "utf8");
  // Its database's init script is a file on disk, which the in-memory spec has not: left out.
  const files = { "platform.fin": example("platform.fin"), "services.fin": example("services.fin").replace(/^\s*init\s+"sql\/ledger-init\.sql"\n/m, "") };
  const pools = `nodepool cde {\n  taint pci\n  namespaces payments\n}\nnodepool general {\n  capacity on-demand\n}\n`;

  it("a pci pool is tainted and labelled; workloads of its namespaces tolerate it and are required on it, residency kept", () => {
    const docs = documents({ ...files, "pools.fin": pools });
    const pool = find(docs, "NodePool", "cde")["spec"].template;
    expect(pool.metadata.labels).toEqual({ "finc.dev/pci-dss": "true" });
    expect(pool.spec.taints).toEqual([{ key: "finc.dev/pci-dss", value: "true", effect: "NoSchedule" }]);
    if (schemasAvailable) expect(validateManifest(find(docs, "NodePool", "cde"))).toEqual([]);
    const pod = find(docs, "Deployment", "ledger")["spec"].template.spec;
    expect(pod.tolerations).toContainEqual({ key: "finc.dev/pci-dss", operator: "Equal", value: "true", effect: "NoSchedule" });
    const terms = pod.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
    expect(terms.length).toBeGreaterThan(0);
    for (const t of terms) {
      expect(t.matchExpressions).toContainEqual({ key: "finc.dev/pci-dss", operator: "In", values: ["true"] });
      expect(t.matchExpressions.map((e: Obj) => e["key"])).toContain("topology.kubernetes.io/region");
    }
    // The namespace's database holds cardholder data too: its CloudNativePG instances go to the pci nodes.
    const db = find(docs, "Cluster", "ledger-db")["spec"].affinity;
    expect(db.tolerations).toEqual([{ key: "finc.dev/pci-dss", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    for (const t of db.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms)
      expect(t.matchExpressions).toContainEqual({ key: "finc.dev/pci-dss", operator: "In", values: ["true"] });
    if (schemasAvailable) expect(validateManifest(find(docs, "Cluster", "ledger-db"))).toEqual([]);
  });

  it("without a pci pool nothing tolerates or requires the pci label", () => {
    const docs = documents({ ...files, "pools.fin": "nodepool general {\n  capacity on-demand\n}\n" });
    const all = JSON.stringify(docs.filter((d) => d["kind"] !== "NodePool"));
    expect(all).not.toContain("finc.dev/pci-dss");
  });

  it("a spot workload in PCI scope needs a spot pool tainted pci (FIN4072)", () => {
    const withSpot = files["services.fin"].replace(/(service fraud is internal-service \{\n)/, "$1  spot yes\n");
    expect(withSpot).not.toBe(files["services.fin"]);
    const spec = { ...files, "services.fin": withSpot };
    const spotLine = withSpot.split("\n").indexOf("  spot yes") + 1;
    expect(diagnosticsOf({ ...spec, "pools.fin": pools + "nodepool spot {\n  capacity spot\n}\n" })).toContainEqual({ code: "FIN4072", text: "spot yes", line: spotLine });
    expect(diagnosticsOf({ ...spec, "pools.fin": pools + "nodepool cde-spot {\n  capacity spot\n  taint pci\n  namespaces payments\n}\n" }).map((d) => d.code)).not.toContain("FIN4072");
  });
});
