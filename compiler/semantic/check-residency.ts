import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";
import { isJurisdiction, JURISDICTIONS, jurisdictionRegions, regionInJurisdiction, RESIDENCY_REGIONS } from "../model/residency-regions.js";

/**
 * `residency <jurisdiction>` on a namespace, against the platform's cloud and regions:
 * a jurisdiction without a region table for the cloud is FIN4051 (at the residency); each
 * platform region outside it is FIN4050 (at the region), since the environment's clusters,
 * backups and replicas live in every region the platform lists. `onprem` region names are
 * the operator's own (prefix rule, see residency-regions.ts) and are not checked here.
 */
export function checkResidency(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  if (p.cloud === "onprem") return;
  for (const ns of model.namespaces) {
    const residency = ns.residency;
    if (!residency) continue;
    const at = ns.fields["residency"] ?? ns.origin;
    if (!isJurisdiction(residency)) {
      report(diag("FIN4051", at, { residency, cloud: p.cloud, known: JURISDICTIONS.join(", ") }));
      continue;
    }
    const inside = jurisdictionRegions(p.cloud, residency);
    const allowed = p.regions.filter((r) => regionInJurisdiction(p.cloud, residency, r.name)).map((r) => r.name);
    for (const r of p.regions) {
      if (regionInJurisdiction(p.cloud, residency, r.name)) continue;
      const hint = allowed.length
        ? `Remove '${r.name}' from the platform's regions, or give the workloads that may leave ${RESIDENCY_REGIONS[residency].name} a platform of their own.`
        : `Run the platform in ${p.cloud} regions of ${RESIDENCY_REGIONS[residency].name}: ${inside.join(", ")}.`;
      report(diag("FIN4050", r.range ?? p.fields["regions"] ?? p.origin, { region: r.name, jurisdiction: RESIDENCY_REGIONS[residency].name, namespace: ns.name, residency, hint }, {
        related: [{ message: `'${ns.name}' declares residency ${residency} here`, range: at }],
      }));
    }
  }
}
