import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { inPciScope, landsOn } from "../model/nodepool-model.js";
import type { PlatformModel } from "../model/platform-model.js";
import { checkCloudNodePools } from "./check-cloud-nodepools.js";

/**
 * Node pools and the workloads that need them agree: with pools declared, a `spot yes`
 * workload has a spot pool it can land on (FIN4072: else its spot toleration points at
 * nodes nobody creates), on every cloud; pools are on a cloud (Karpenter on aws, the terraform
 * target's GKE/AKS node pools on gcp/azure, whose settings check-cloud-nodepools.ts checks,
 * FIN4096) and `taint pci` pools name their namespaces (FIN4073; an undeclared one is FIN2004 in check.ts).
 */
export function checkNodePools(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const pools = model.nodePools ?? [];
  if (!pools.length) return;
  checkCloudNodePools(model, report);
  for (const p of pools) {
    if (model.platform.cloud === "onprem")
      report(diag("FIN4073", p.fields["capacity"] ?? p.origin, {
        message: `Node pool '${p.name}' is on cloud onprem, where nothing creates nodes on demand: finc writes node pools for Karpenter (aws), GKE (gcp) and AKS (azure).`,
        hint: "Add the nodes to your on-premises cluster yourself and label/taint them as the pool would (spot: none; pci: `finc.dev/pci-dss=true:NoSchedule`), then remove the `nodepool`.",
      }));
    if (!p.pci) continue;
    const taint = p.fields["taint"] ?? p.origin;
    if (!p.namespaces.length)
      report(diag("FIN4073", taint, {
        message: `Node pool '${p.name}' is tainted pci but names no namespace in PCI DSS scope: no workload would tolerate its nodes.`,
        hint: "Name the namespaces of the cardholder data environment: `namespaces payments`.",
      }));
  }
  for (const s of model.services) {
    if (!s.scaling?.spot || s.tier === "critical") continue; // critical on spot is FIN4021
    if (pools.some((p) => p.capacity === "spot" && landsOn(model, s, p))) continue;
    const pci = inPciScope(model, s.namespace);
    report(diag("FIN4072", s.fields["spot"] ?? s.origin, {
      message: `'${s.name}' asks for spot capacity but no ${pci ? "spot node pool tainted pci (its namespace is in PCI DSS scope)" : "spot node pool without a pci taint"} is declared: its pods would tolerate and prefer nodes nobody creates.`,
      hint: pci ? `Declare \`nodepool <name> { capacity spot  taint pci  namespaces ${s.namespace} }\`, or remove \`spot yes\`.` : "Declare `nodepool spot { capacity spot }`, or remove `spot yes`.",
    }));
  }
}
