import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { module, terraformFiles, type Json } from "../terraform/support.js";

/**
 * Does a pod finc emits schedule on the nodes finc's pools create, as the cloud actually makes
 * them? Each cloud's node is built from the pool finc wrote PLUS what the cloud itself adds to
 * such nodes, written here from the clouds' documentation (not from finc's SPOT_TAINTS):
 * Karpenter labels every node `karpenter.sh/capacity-type`; GKE labels Spot nodes
 * `cloud.google.com/gke-spot=true` (and `cloud.google.com/gke-provisioning=spot`) but taints them
 * only as the pool says; AKS taints and labels Spot nodes `kubernetes.azure.com/scalesetpriority=spot`.
 * The pod is judged with the scheduler's rules for taints/tolerations and node affinity.
 */
type Obj = Record<string, any>;
interface Taint { key: string; value?: string; effect: string }
interface Node { labels: Record<string, string>; taints: Taint[] }
interface Toleration { key?: string; operator?: string; value?: string; effect?: string }
interface Expr { key: string; operator: string; values?: string[] }

/** Kubernetes: a toleration tolerates a taint when the effects agree (empty = all) and the key/value match (Exists: any value; empty key with Exists: every taint). */
function tolerates(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if ((t.operator ?? "Equal") === "Exists") return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? "") === (taint.value ?? "");
}
function matches(e: Expr, labels: Record<string, string>): boolean {
  const v = labels[e.key];
  switch (e.operator) {
    case "In": return v !== undefined && e.values!.includes(v);
    case "NotIn": return v === undefined || !e.values!.includes(v);
    case "Exists": return v !== undefined;
    case "DoesNotExist": return v === undefined;
    default: throw new Error(`operator ${e.operator}`);
  }
}
const termMatches = (term: { matchExpressions?: Expr[] }, labels: Record<string, string>) => (term.matchExpressions ?? []).every((e) => matches(e, labels));

/** The scheduler's filter: every NoSchedule/NoExecute taint tolerated, some required node selector term matched. */
function schedulable(pod: Obj, node: Node): boolean {
  const tolerations: Toleration[] = pod["tolerations"] ?? [];
  if (!node.taints.filter((t) => t.effect !== "PreferNoSchedule").every((taint) => tolerations.some((t) => tolerates(t, taint)))) return false;
  const required = pod["affinity"]?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as { matchExpressions?: Expr[] }[] | undefined;
  const selector = (pod["nodeSelector"] ?? {}) as Record<string, string>;
  if (!Object.entries(selector).every(([k, v]) => node.labels[k] === v)) return false;
  return !required?.length || required.some((term) => termMatches(term, node.labels));
}
/** Does the pod's preferred node affinity favour this node (any preferred term matching)? */
function preferred(pod: Obj, node: Node): boolean {
  const prefs = (pod["affinity"]?.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []) as { preference: { matchExpressions?: Expr[] } }[];
  return prefs.some((p) => termMatches(p.preference, node.labels));
}

const GKE_EFFECTS: Record<string, string> = { NO_SCHEDULE: "NoSchedule", PREFER_NO_SCHEDULE: "PreferNoSchedule", NO_EXECUTE: "NoExecute" };
const parseAksTaint = (s: string): Taint => {
  const m = /^([^=]+)=([^:]*):(.+)$/.exec(s)!;
  return { key: m[1]!, value: m[2]!, effect: m[3]! };
};
const dedupe = (ts: Taint[]) => ts.filter((t, i) => ts.findIndex((u) => u.key === t.key && u.effect === t.effect) === i);

/** The node each cloud makes for a pool: finc's pool definition plus the cloud's own additions. */
const NODES: Record<"aws" | "gcp" | "azure", (docs: Obj[], tf: ReturnType<typeof module>, pool: string) => Node> = {
  aws: (docs, _tf, pool) => {
    const np = docs.find((d) => d["kind"] === "NodePool" && d["metadata"].name === pool)!["spec"].template;
    const capacity = np.spec.requirements.find((r: Expr) => r.key === "karpenter.sh/capacity-type").values[0];
    return { labels: { ...(np.metadata?.labels ?? {}), "karpenter.sh/capacity-type": capacity }, taints: np.spec.taints ?? [] };
  },
  gcp: (_docs, tf, pool) => {
    const config = ((tf.resource["google_container_node_pool"] as Json)[pool] as Obj)["node_config"][0];
    const spot = config.spot === true;
    return {
      labels: { ...config.labels, ...(spot ? { "cloud.google.com/gke-spot": "true", "cloud.google.com/gke-provisioning": "spot" } : {}) },
      taints: (config.taint ?? []).map((t: Obj) => ({ key: t["key"], value: t["value"], effect: GKE_EFFECTS[t["effect"]]! })),
    };
  },
  azure: (_docs, tf, pool) => {
    const p = (tf.resource["azurerm_kubernetes_cluster_node_pool"] as Json)[pool] as Obj;
    const spot = p["priority"] === "Spot";
    const own: Taint[] = spot ? [{ key: "kubernetes.azure.com/scalesetpriority", value: "spot", effect: "NoSchedule" }] : [];
    return {
      labels: { ...p["node_labels"], ...(spot ? { "kubernetes.azure.com/scalesetpriority": "spot" } : {}) },
      taints: dedupe([...(p["node_taints"] ?? []).map(parseAksTaint), ...own]),
    };
  },
};

const PLATFORMS = {
  aws: `  cloud aws\n  regions eu-west-1\n  account "123456789012"\n  cluster "shop-prod"\n`,
  gcp: `  cloud gcp\n  regions europe-west1\n  account "example-shop"\n  cluster "shop-prod"\n`,
  azure: `  cloud azure\n  regions westeurope\n  account "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"\n  tenant "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"\n  resource-group "shop-prod"\n  cluster "shop-prod"\n`,
};
const spec = (cloud: keyof typeof PLATFORMS) => `platform shop {
${PLATFORMS[cloud]}  environments prod
}
namespace apps {}
namespace cards {}
nodepool spot {
  capacity spot
}
nodepool general {
  capacity on-demand
}
nodepool cde {
  taint pci
  namespaces cards
}
nodepool cdespot {
  capacity spot
  taint pci
  namespaces cards
}
service batch {
  namespace apps
  image "r.io/batch:1.0.0"
  port 8080
  tier batch
  spot yes
}
service api {
  namespace apps
  image "r.io/api:1.0.0"
  port 8080
}
service cardbatch {
  namespace cards
  image "r.io/cardbatch:1.0.0"
  port 8080
  tier batch
  spot yes
}
`;

describe.each(["aws", "gcp", "azure"] as const)("spot and pci placement against the nodes %s makes", (cloud) => {
  const program = compileSources({ "main.fin": spec(cloud) });
  it("compiles without errors", () => {
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });
  const docs = buildOutputs(program).documents.get("prod")!.map((d) => d.object as Obj);
  const tf = module(terraformFiles(program), "prod");
  const pod = (name: string): Obj => docs.find((d) => d["kind"] === "Deployment" && d["metadata"].name === name)!["spec"].template.spec;
  const node = (pool: string) => NODES[cloud](docs, tf, pool);

  it("a `spot yes` pod tolerates the taints of the cloud's spot nodes and prefers them by the label the cloud puts on them", () => {
    expect(node("spot").taints.length).toBeGreaterThan(0); // the spot node is tainted: only tolerating pods land there
    expect(schedulable(pod("batch"), node("spot"))).toBe(true);
    expect(preferred(pod("batch"), node("spot"))).toBe(true);
    // still schedulable on on-demand nodes when spot capacity is gone, without preferring them
    expect(schedulable(pod("batch"), node("general"))).toBe(true);
    expect(preferred(pod("batch"), node("general"))).toBe(false);
  });

  it("a pod without `spot yes` stays off spot nodes", () => {
    expect(schedulable(pod("api"), node("spot"))).toBe(false);
    expect(schedulable(pod("api"), node("general"))).toBe(true);
  });

  it("pci nodes take only the PCI-scoped namespace's pods, which run nowhere else; its spot pod lands on the pci spot nodes", () => {
    expect(schedulable(pod("api"), node("cde"))).toBe(false);
    expect(schedulable(pod("batch"), node("cdespot"))).toBe(false);
    expect(schedulable(pod("cardbatch"), node("cdespot"))).toBe(true);
    expect(preferred(pod("cardbatch"), node("cdespot"))).toBe(true);
    expect(schedulable(pod("cardbatch"), node("cde"))).toBe(true);
    expect(schedulable(pod("cardbatch"), node("spot"))).toBe(false);
    expect(schedulable(pod("cardbatch"), node("general"))).toBe(false);
  });
});
