import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";
import { formatCpu, formatMemory } from "../model/units.js";
import type { DeclarationTable } from "./declarations.js";
import { checkTraffic } from "./check-traffic.js";
import { checkCloud } from "./check-cloud.js";
import { checkReservedNames } from "./check-reserved-names.js";
import { checkDatabases } from "./check-database.js";
import { checkScaling } from "./check-scaling.js";
import { checkObservability } from "./check-observability.js";
import { checkWeakenedSecurity } from "./check-weakened-security.js";
import { checkMesh } from "./check-mesh.js";
import { checkEgressGateway } from "./check-egress-gateway.js";
import { checkAlertWebhookEgress } from "./check-alert-webhook-egress.js";
import { checkResidency } from "./check-residency.js";
import { checkOnpremStorage } from "./check-onprem-storage.js";
import { checkSqsIdentity } from "./check-sqs-identity.js";
import { checkServiceExposure } from "./check-service-exposure.js";
import { checkAuditLog } from "./check-audit-log.js";
import { checkVolumes } from "./check-volumes.js";
import { checkPodDetails } from "./check-pod-details.js";
import { checkCompliance } from "./check-compliance.js";
import { agentSecrets, vaultAddress, vaultReachableByPolicy } from "../model/vault.js";
import { checkChaos } from "./check-chaos.js";
import { checkNodePools } from "./check-nodepools.js";
import { checkScheduling } from "./check-scheduling.js";
import { checkPipeline } from "./check-pipeline.js";
import { checkBudgets } from "./check-budget.js";
import { checkImmutableDeploy } from "./check-immutable.js";
import { checkScanning } from "./check-scanning.js";
import { checkCloudMonitoring } from "./check-cloud-monitoring.js";
import { checkClusters } from "./check-clusters.js";
import { checkIngressCloud } from "./check-ingress-cloud.js";
import { checkSleep } from "./check-sleep.js";

/**
 * Checks across declarations that no YAML linter can do: budgets that sum over a
 * namespace's workloads, and the rules of the platform's compliance profiles.
 */
export function checkModel(model: PlatformModel, _table: DeclarationTable, report: (d: Diagnostic) => void): void {
  checkQuotas(model, report);
  checkTraffic(model, report);
  checkScaling(model, report);
  checkObservability(model, report);
  checkSecretDelivery(model, report);
  checkCloud(model, report);
  checkWeakenedSecurity(model, report);
  checkReservedNames(model, _table, report);
  checkDatabases(model, report);
  checkMesh(model, report);
  checkEgressGateway(model, report);
  checkAlertWebhookEgress(model, report);
  checkResidency(model, report);
  checkOnpremStorage(model, report);
  checkSqsIdentity(model, report);
  checkServiceExposure(model, report);
  checkAuditLog(model, report);
  checkVolumes(model, report);
  checkPodDetails(model, report);
  checkCompliance(model, report);
  checkChaos(model, report);
  checkNodePools(model, report);
  checkScheduling(model, report);
  checkPipeline(model, report);
  checkBudgets(model, report);
  checkImmutableDeploy(model, report);
  checkScanning(model, report);
  checkCloudMonitoring(model, report);
  checkClusters(model, report);
  checkIngressCloud(model, report);
  checkSleep(model, report);
}

function checkQuotas(model: PlatformModel, report: (d: Diagnostic) => void): void {
  for (const ns of model.namespaces) {
    if (!ns.quota) continue;
    const range = ns.fields["quota"] ?? ns.origin;
    const workloads = [
      ...model.services.filter((s) => s.namespace === ns.name).map((s) => ({ count: s.replicas.max, r: s.resources, extra: s.migrate ? 1 : 0 })),
      ...model.databases.filter((d) => d.namespace === ns.name).map((d) => ({ count: d.instances, r: d.resources, extra: 0 })),
    ];
    const cpu = workloads.reduce((sum, w) => sum + w.count * w.r.cpu.limit, 0);
    const memory = workloads.reduce((sum, w) => sum + w.count * w.r.memory.limit, 0);
    const pods = workloads.reduce((sum, w) => sum + w.count, 0);
    const env = model.environment === "default" ? "" : ` (environment ${model.environment})`;
    if (ns.quota.cpuMillis !== undefined && cpu > ns.quota.cpuMillis)
      report(diag("FIN4002", range, { namespace: ns.name + env, resource: "cpu", needed: formatCpu(cpu), quota: formatCpu(ns.quota.cpuMillis) }));
    if (ns.quota.memoryBytes !== undefined && memory > ns.quota.memoryBytes)
      report(diag("FIN4002", range, { namespace: ns.name + env, resource: "memory", needed: formatMemory(memory), quota: formatMemory(ns.quota.memoryBytes) }));
    if (ns.quota.pods !== undefined && pods > ns.quota.pods)
      report(diag("FIN4002", range, { namespace: ns.name + env, resource: "pods", needed: pods, quota: ns.quota.pods }));
  }
}

/** `delivery vault-agent` needs a Vault store, and the pods need a way to reach Vault past the default-deny egress. */
function checkSecretDelivery(model: PlatformModel, report: (d: Diagnostic) => void): void {
  // The injector gives a pod one Vault address and one role.
  for (const s of model.services) {
    const stores = [...new Set(agentSecrets(model, s).map((sec) => (sec.source as { store: string }).store))];
    if (stores.length > 1)
      report(diag("FIN4015", s.fields["secret"] ?? s.origin, {
        message: `'${s.name}' reads secrets through the Vault agent from ${stores.map((x) => `'${x}'`).join(" and ")}; a pod's agent logs in to one Vault with one role.`,
        hint: "Read them all from one store, or set `delivery eso` on the others.",
      }));
  }
  for (const store of model.secretStores) {
    if (store.delivery !== "vault-agent") continue;
    if (store.provider !== "vault") {
      report(diag("FIN4015", store.fields["delivery"] ?? store.origin, {
        message: `Secret store '${store.name}' delivers through the Vault agent but its provider is ${store.provider}.`,
        hint: "`delivery vault-agent` needs `provider vault`; use `delivery eso` (the default) for other providers.",
      }));
      continue;
    }
    const used = model.services.some((s) => agentSecrets(model, s).some((sec) => sec.source.kind === "store" && sec.source.store === store.name));
    const addr = vaultAddress(store.server);
    if (!addr) report(diag("FIN4015", store.fields["server"] ?? store.origin, { message: `The Vault agent cannot use '${store.server}' as an address.`, hint: 'Write the Vault URL: server "https://vault.example.com:8200".' }));
    if (used && addr && !vaultReachableByPolicy(store)) report(diag("FIN4016", store.fields["server"] ?? store.origin, { name: store.name, host: addr.host, port: addr.port }));
  }
}
