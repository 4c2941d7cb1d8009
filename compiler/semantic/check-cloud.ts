import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { primaryRegion } from "../model/cloud-model.js";
import { checkGcpAzure } from "./check-cloud-gcp-azure.js";
import { checkClusterClientIds } from "./check-cluster-client-ids.js";
import type { PlatformModel } from "../model/platform-model.js";

/** The cloud fields (`account`, `cluster`, `kms`, `replicate`): what each needs, per cloud. */
export function checkCloud(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  const at = (field: string) => p.fields[field] ?? p.origin;
  if (p.cloud === "aws") {
    if (p.account !== undefined && !/^\d{12}$/.test(p.account))
      report(diag("FIN4030", at("account"), { message: `'${p.account}' is not an AWS account ID.`, hint: 'An AWS account ID is 12 digits: account "123456789012".' }));
    if (p.kms?.startsWith("alias/") && !p.account)
      report(diag("FIN4030", at("kms"), { message: "The KMS alias needs the platform's `account`: the storage classes refer to the key by its ARN.", hint: 'Add `account "<12-digit AWS account ID>"` to the platform.' }));
    if (p.kms?.startsWith("alias/") && !primaryRegion(model))
      report(diag("FIN4030", at("kms"), { message: "The KMS alias needs a region: the key is created in the platform's primary region.", hint: "Add `regions <region> primary` to the platform." }));
  } else if (p.cloud === "gcp" || p.cloud === "azure") {
    checkGcpAzure(model, report);
  } else {
    const why = "finc's cloud outputs (workload identity, KMS keys, backup buckets) are for aws, gcp and azure";
    for (const field of ["kms", "cluster"] as const) {
      if (p[field] !== undefined) report(diag("FIN4031", at(field), { field, cloud: p.cloud, why, hint: "Remove it, or manage the key and workload identity outside finc." }));
    }
  }
  checkClusterClientIds(model, report); // a cluster's own `client-ids` (multi-cluster azure)
  if (p.cloud !== "azure") {
    const why = "it names Azure resources and identities";
    for (const [field, v] of [["tenant", p.tenant], ["resource-group", p.resourceGroup], ["client-ids", p.clientIds]] as const)
      if (v !== undefined) report(diag("FIN4031", at(field), { field, cloud: p.cloud, why, hint: "Remove it." }));
  }
  // A store of another cloud: no workload identity of this cluster reaches it (ESO would need static credentials finc never writes).
  for (const st of model.secretStores) {
    if ((st.provider === "aws" || st.provider === "gcp" || st.provider === "azure") && st.provider !== p.cloud)
      report(diag("FIN4085", st.fields["provider"] ?? st.origin, {
        message: `'${st.name}' is a ${st.provider} store on \`cloud ${p.cloud}\`: no workload identity of the cluster reaches it, and finc writes no static cloud credentials, so the External Secrets Operator cannot read it.`,
        hint: `Use a ${p.cloud === "onprem" ? "vault" : `${p.cloud} or vault`} store, or give the operator credentials for ${st.provider} outside finc.`,
      }));
  }
  // An aws store's server is the region in its secrets' ARNs (IAM Resources): exactly a region, never a pattern.
  for (const st of model.secretStores) {
    if (st.provider === "aws" && !/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/.test(st.server))
      report(diag("FIN4030", st.fields["server"] ?? st.origin, { message: `'${st.server}' is not an AWS region: an aws secret store's server is the region of its secrets.`, hint: 'Write the region: server "eu-west-1".' }));
  }
  const regions = p.regions.map((r) => r.name);
  const primary = primaryRegion(model);
  for (const db of model.databases) {
    if (!db.replicateTo) continue;
    const range = db.fields["replicate"] ?? db.origin;
    if (p.cloud !== "aws" && p.cloud !== "gcp" && p.cloud !== "azure") report(diag("FIN4031", range, { field: "replicate", cloud: p.cloud, why: "backup replication is built with the cloud's object storage", hint: "Remove it, or replicate the backups outside finc." }));
    else if (!db.backup) report(diag("FIN4030", range, { message: `'${db.name}' replicates its backups but takes none.`, hint: "Add `backup every <interval> keep <retention>`." }));
    else if (!regions.includes(db.replicateTo)) report(diag("FIN4030", range, { message: `'${db.replicateTo}' is not one of the platform's regions.`, hint: regions.length ? `Replicate to one of: ${regions.join(", ")}.` : "List the regions in the platform: `regions eu-west-1 primary, eu-central-1`." }));
    else if (db.replicateTo === primary) report(diag("FIN4030", range, { message: `'${db.replicateTo}' is the primary region, where the backups already are.`, hint: `Replicate to another region: ${regions.filter((r) => r !== primary).join(", ") || "add one to the platform's regions"}.` }));
  }
}
