import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { azureReady } from "../model/cloud-azure.js";
import { AZURE_VM_SIZE, GCP_MACHINE, machineShape, maxNodes, poolMachine } from "../model/cloud-node-pools.js";
import type { NodePoolModel } from "../model/nodepool-model.js";
import type { PlatformModel } from "../model/platform-model.js";

const CLOUD_NAME = { gcp: "GKE", azure: "AKS" } as const;

/**
 * FIN4096: a `nodepool` on gcp or azure is a google_container_node_pool / an
 * azurerm_kubernetes_cluster_node_pool of the terraform target. What those cannot express is
 * said at the field: one machine type per pool, a `limit` that must come out as a node count,
 * zones of the cloud's form, and the Karpenter-only `expire`/`consolidate` (warnings: ignored).
 * The pool needs the cluster and the account it is created in, else it would be created nowhere.
 * On aws the instance types must be EC2 types (`m6i.large`).
 */
export function checkCloudNodePools(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const cloud = model.platform.cloud;
  const pools = model.nodePools ?? [];
  if (cloud === "aws") {
    for (const p of pools) {
      const bad = p.instanceTypes.find((t) => !/^[a-z0-9-]+\.[a-z0-9]+$/.test(t));
      if (bad) report(fin4096(p.fields["instance-types"] ?? p.origin, `'${bad}' is not an EC2 instance type (pool '${p.name}' is a Karpenter NodePool on aws).`, 'Name EC2 instance types such as "m6i.large", "c7g.xlarge".'));
    }
    return;
  }
  if (cloud !== "gcp" && cloud !== "azure") return;
  const name = CLOUD_NAME[cloud];
  for (const p of pools) checkPool(model, cloud, name, p, report);
}

function checkPool(model: PlatformModel, cloud: "gcp" | "azure", name: string, p: NodePoolModel, report: (d: Diagnostic) => void): void {
  const at = p.fields["capacity"] ?? p.origin;
  const plat = model.platform;
  if (!plat.cluster)
    report(fin4096(at, `Node pool '${p.name}' is a ${name} node pool of the environment's cluster, but the platform names no \`cluster\` in ${model.environment}.`, `Name the ${name} cluster the pool belongs to: \`cluster "<name>"\` on the platform (per environment: \`environment ${model.environment} { platform.cluster "…" }\`).`));
  const ready = cloud === "gcp" ? !!plat.account : azureReady(model);
  if (!ready)
    report(fin4096(at, `Node pool '${p.name}' is created by the terraform target, which writes nothing for ${cloud} without ${cloud === "gcp" ? "the project (`account`)" : "the subscription (`account`) and `resource-group`"}.`, cloud === "gcp" ? 'Name the GCP project: `account "<project id>"`.' : 'Name the subscription and resource group: `account "<subscription id>"` and `resource-group "<name>"`.'));
  const nameOk = cloud === "gcp" ? /^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$/.test(p.name) : /^[a-z][a-z0-9]{0,11}$/.test(p.name);
  if (!nameOk)
    report(fin4096(p.origin, `'${p.name}' is not a valid ${name} node pool name.`, cloud === "gcp" ? "GKE node pool names are lower-case letters, digits and '-', at most 40 characters, starting with a letter." : "AKS Linux node pool names are lower-case letters and digits, at most 12 characters, starting with a letter: rename the pool (e.g. `nodepool spot`)."));

  const types = p.fields["instance-types"] ?? p.origin;
  const form = cloud === "gcp" ? GCP_MACHINE : AZURE_VM_SIZE;
  const example = cloud === "gcp" ? '"e2-standard-4"' : '"Standard_D4s_v5"';
  if (p.instanceTypes.length > 1)
    report(fin4096(types, `A ${name} node pool has one ${cloud === "gcp" ? "machine type" : "VM size"}; pool '${p.name}' names ${p.instanceTypes.length}.`, `Keep one (e.g. ${example}) and declare another \`nodepool\` for each other type.`));
  const bad = p.instanceTypes.find((t) => !form.test(t));
  if (bad) report(fin4096(types, `'${bad}' is not a ${cloud === "gcp" ? "Compute Engine machine type" : "Azure VM size"} (pool '${p.name}' is a ${name} node pool).`, `Name one such as ${example}.`));

  if (p.limit && !bad) {
    const machine = poolMachine(cloud, p);
    const max = maxNodes(cloud, p);
    const limitAt = p.fields["limit"] ?? p.origin;
    if (max === undefined)
      report(fin4096(limitAt, `${name} scales pool '${p.name}' by node count, and finc cannot tell ${shapeUnknown(cloud, machine)}, so its \`limit\` cannot become a node count.`, `Name a ${cloud === "gcp" ? "machine type" : "VM size"} whose size its name tells (e.g. ${example}), or limit cpu only.`));
    else if (max < 1)
      report(fin4096(limitAt, `Pool '${p.name}'s \`limit\` is less than one ${machine} node: ${name} could never start one.`, `Raise the limit to at least one node (${describe(cloud, machine)}), or name a smaller ${cloud === "gcp" ? "machine type" : "VM size"}.`));
  }

  const zonesAt = p.fields["zones"] ?? p.origin;
  if (cloud === "gcp") {
    const regions = plat.regions.map((r) => r.name);
    const off = p.zones.find((z) => !regions.some((r) => z.startsWith(`${r}-`) && /^[a-z]$/.test(z.slice(r.length + 1))));
    if (off) report(fin4096(zonesAt, `'${off}' is not a zone of the platform's regions (${regions.join(", ")}).`, `Name zones such as "${regions[0] ?? "europe-west1"}-b".`));
  } else {
    const off = p.zones.find((z) => !/^[1-3]$/.test(z));
    if (off) report(fin4096(zonesAt, `'${off}' is not an AKS availability zone: AKS zones are "1", "2" and "3" within the region.`, 'Name the zones by number: `zones "1", "2", "3"`.'));
  }

  if (p.fields["expire"])
    report(fin4096(p.fields["expire"], `${name} node pools have no node lifetime: \`expire\` applies to Karpenter (aws) only and is ignored here.`, `Remove \`expire\`: ${name} replaces nodes through automatic node upgrades${cloud === "gcp" ? " (the pool's management auto_upgrade)" : " (the cluster's node OS upgrade channel)"}.`, "warning"));
  if (p.fields["consolidate"])
    report(fin4096(p.fields["consolidate"], `${name} has no per-pool consolidation: the cluster autoscaler removes under-used nodes by the cluster's own profile, so \`consolidate\` is ignored here.`, cloud === "gcp" ? "Remove `consolidate`; the cluster's autoscaling profile (`optimize-utilization` or `balanced`) decides." : "Remove `consolidate`; the cluster's auto_scaler_profile (scale_down_utilization_threshold) decides.", "warning"));
}

function shapeUnknown(cloud: "gcp" | "azure", machine: string): string {
  return machineShape(cloud, machine) ? `the memory of a '${machine}' node` : `the size of a '${machine}' node`;
}

function describe(cloud: "gcp" | "azure", machine: string): string {
  const s = machineShape(cloud, machine);
  return s ? `${s.vcpus} vCPUs${s.memoryGiB !== undefined ? `, ${s.memoryGiB} GiB` : ""}` : machine;
}

function fin4096(range: SourceRange, message: string, hint: string, severity?: "warning"): Diagnostic {
  return diag("FIN4096", range, { message, hint }, severity ? { severity } : {});
}
