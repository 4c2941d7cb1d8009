import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { azureBackupIdentities, azureIdentities } from "../model/cloud-azure.js";
import { environmentClusters, perClusterModels, type ClusterModel } from "../model/cluster-topology.js";
import { drillProblem } from "../model/drill-model.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * A cluster's `client-ids` (model/cluster-client-ids.ts), checked on an environment's model:
 *
 * - FIN4031: on a cloud other than azure it has no effect;
 * - FIN4086: an entry `in` an environment the platform does not list, one without `in` on a
 *   cluster that runs two multi-cluster environments (each has a root, so identities, of its
 *   own), and, per cluster of a multi-cluster environment, each ServiceAccount bound to a managed
 *   identity that has no client ID in that cluster's output (the single-cluster check's twin);
 * - FIN4103: per cluster, a drill whose identities have no client ID in that cluster's output.
 */
export function checkClusterClientIds(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  const all = model.clusters ?? [];
  const at = (c: ClusterModel) => c.fields["client-ids"] ?? c.nameRange ?? c.origin;
  // Facts of the whole spec, reported once (the checks run per environment).
  if (model.environment === p.environments[0]) {
    const envsOf = (c: ClusterModel) => c.environments?.map((e) => e.name) ?? p.environments;
    const shared = (c: ClusterModel) => envsOf(c).filter((e) => all.filter((x) => envsOf(x).includes(e)).length >= 2);
    for (const c of all.filter((x) => x.clientIds)) {
      if (p.cloud !== "azure") {
        report(diag("FIN4031", at(c), { field: "client-ids", cloud: p.cloud, why: "it names Azure managed identities", hint: "Remove it." }));
        continue;
      }
      for (const e of c.clientIds!) {
        if (e.environment && !p.environments.includes(e.environment.name))
          report(diag("FIN4086", e.environment.range, { message: `Cluster '${c.name}' has a client ID for ${e.serviceAccount} in environment '${e.environment.name}', which the platform does not list (${p.environments.join(", ")}).`, hint: "Name the environment whose terraform root printed the ID (its output `client_ids_field` ends each entry with `in <environment>`)." }));
        else if (!e.environment && shared(c).length >= 2)
          report(diag("FIN4086", e.range, {
            message: `Cluster '${c.name}' runs ${shared(c).join(" and ")} on more than one cluster, each with a terraform root and managed identities of its own, so a client ID without \`in <environment>\` would annotate ${e.serviceAccount} in the others with one environment's identity.`,
            hint: `Paste each root's output \`client_ids_field\` as it is: \`"${e.serviceAccount}" "<id>" in ${shared(c)[0]}, "${e.serviceAccount}" "<id>" in ${shared(c)[1]}\`.`,
          }));
      }
    }
  }
  if (p.cloud !== "azure" || environmentClusters(model).length < 2) return;
  for (const [output, view] of perClusterModels(model)) {
    const c = all.find((x) => x.name === view.cluster?.name);
    if (!c) continue;
    const bound = [...azureIdentities(view).map((w) => `${w.namespace}/${w.serviceAccount}`), ...azureBackupIdentities(view).map((b) => `${b.namespace}/${b.serviceAccount}`)];
    for (const db of view.databases) {
      const why = db.drill && drillProblem(view, db);
      if (why?.code === "FIN4103") report(diag("FIN4103", db.drill!.origin, { name: db.name, why: `in ${output}, ${why.why}`, hint: why.hint }));
    }
    const without = [...new Set(bound)].filter((k) => !view.platform.clientIds?.[k]).sort();
    if (!without.length) continue;
    // The platform's IDs are the home cluster's identities: say why they do not serve this one.
    const platformHas = without.filter((k) => p.clientIds?.[k]);
    report(diag("FIN4086", at(c), {
      message: `In ${output}, ${without.join(", ")} need${without.length === 1 ? "s" : ""} a managed identity's client ID: the terraform root ${output} creates cluster '${c.name}''s own identities and Azure picks their client IDs, and until cluster '${c.name}' carries them its ServiceAccounts are not annotated (azure.workload.identity/client-id), so its pods and SecretStores get no Azure credentials and its backups go to volume snapshots${platformHas.length ? ` (the platform's \`client-ids\` for ${platformHas.join(", ")} are the home cluster's identities, which trust the home cluster's ServiceAccounts only)` : ""}.`,
      hint: `Apply terraform/${output}, then paste its output \`client_ids_field\` into \`cluster ${c.name} { … }\` as it is (\`client-ids "<namespace>/<service account>" "<client id>" in ${view.cluster!.environment}, …\`).`,
    }));
  }
}
