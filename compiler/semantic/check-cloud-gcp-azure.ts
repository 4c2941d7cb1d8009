import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { azureBackupIdentities, azureIdentities, azureKmsKey, keyVaultName } from "../model/cloud-azure.js";
import { gcpKmsKey } from "../model/cloud-gcp.js";
import { backedUpDatabases } from "../model/cloud-model.js";
import { environmentClusters } from "../model/cluster-topology.js";
import type { PlatformModel } from "../model/platform-model.js";

/** An AWS KMS alias or key ARN (`alias/<name>` would otherwise read as a key ring or vault called "alias"). */
const awsKey = (kms: string) => kms.startsWith("alias/") || kms.startsWith("arn:");
const GCP_PROJECT = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** The cloud fields on gcp and azure: their forms, and what workload identity and the terraform target need. */
export function checkGcpAzure(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  const at = (field: string) => p.fields[field] ?? p.origin;
  const stores = model.secretStores.filter((s) => s.provider === p.cloud);
  const needsCloud = stores.length > 0 || p.kms !== undefined || backedUpDatabases(model).length > 0;
  if (p.cloud === "gcp") {
    if (p.account !== undefined && !GCP_PROJECT.test(p.account))
      report(diag("FIN4030", at("account"), { message: `'${p.account}' is not a GCP project ID.`, hint: 'A project ID is 6–30 lower-case letters, digits and hyphens, starting with a letter: account "example-wallet-prod".' }));
    if (p.kms !== undefined && (awsKey(p.kms) || (!p.kms.startsWith("projects/") && !/^[A-Za-z0-9_-]+\/[A-Za-z0-9_-]+$/.test(p.kms))))
      report(diag("FIN4084", at("kms"), { message: `'${p.kms}' is not a Cloud KMS key.`, hint: 'On gcp write `kms "<key ring>/<key>"` (finc creates both) or an existing key `kms "projects/<project>/locations/<region>/keyRings/<ring>/cryptoKeys/<key>"`.' }));
    else if (p.kms !== undefined && !gcpKmsKey(model))
      report(diag("FIN4087", at("kms"), { message: "The Cloud KMS key ring is created in the project's primary region: it needs the platform's `account` (the project) and `regions`.", hint: 'Add `account "<project id>"` and `regions <region> primary` to the platform.' }));
    // Only once the platform names some of its GCP resources: without any, nothing cloud-side is wanted from finc.
    if (needsCloud && !p.account && p.cluster !== undefined)
      report(diag("FIN4087", at("cloud"), { message: "Without `account` (the GCP project) finc cannot name the Google service accounts, key and bucket: no workload identity, encryption key or backup bucket is created or referred to.", hint: 'Add `account "<project id>"` to the platform.' }));
    // Like FIN4061 on aws: barman-cloud reaches the bucket only as a Workload Identity-bound ServiceAccount.
    if (p.account && !p.cluster)
      for (const db of backedUpDatabases(model).filter((d) => d.mode === "operator"))
        report(diag("FIN4087", db.fields["backup"] ?? db.origin, { message: `'${db.name}' would archive to the GCS bucket with GKE Workload Identity, but without the platform's \`cluster\` its ServiceAccount cannot be bound: its backups are volume snapshots (no point-in-time recovery).`, hint: 'Add `cluster "<GKE cluster>"` to the platform (per environment: `platform.cluster "…"`).' }));
    for (const st of stores)
      if (!GCP_PROJECT.test(st.server))
        report(diag("FIN4030", st.fields["server"] ?? st.origin, { message: `'${st.server}' is not a GCP project ID: a gcp secret store's server is the project of its secrets.`, hint: 'Write the project: server "example-wallet-prod".' }));
    return;
  }
  // azure
  if (p.account !== undefined && !UUID.test(p.account))
    report(diag("FIN4030", at("account"), { message: `'${p.account}' is not an Azure subscription ID.`, hint: 'On azure `account` is the subscription ID, a UUID: account "00000000-0000-0000-0000-000000000000".' }));
  if (p.kms !== undefined && (awsKey(p.kms) || !azureKmsKey(model)))
    report(diag("FIN4084", at("kms"), { message: `'${p.kms}' is not a Key Vault key.`, hint: 'On azure write `kms "<vault>/<key>"` (finc creates the key in that vault) or an existing key `kms "https://<vault>.vault.azure.net/keys/<key>"`.' }));
  const missing = (["account", "resource-group"] as const).filter((f) => (f === "account" ? p.account : p.resourceGroup) === undefined);
  // Only once the platform names some of its Azure resources: without any, nothing cloud-side is wanted from finc.
  const named = p.account !== undefined || p.resourceGroup !== undefined || p.kms !== undefined || p.cluster !== undefined;
  if (needsCloud && named && missing.length)
    report(diag("FIN4087", at("cloud"), { message: `Without ${missing.map((f) => `\`${f}\``).join(" and ")} finc cannot name the Azure resources: no managed identity, disk encryption set or backup storage account is created or referred to.`, hint: 'Add `account "<subscription id>"` and `resource-group "<name>"` to the platform.' }));
  for (const st of stores)
    if (!keyVaultName(st.server))
      report(diag("FIN4030", st.fields["server"] ?? st.origin, { message: `'${st.server}' is not a Key Vault URL: an azure secret store's server is its vault.`, hint: 'Write the vault URL: server "https://payments-prod.vault.azure.net".' }));
  // Azure picks a managed identity's client ID: until the platform carries it, the ServiceAccount cannot be bound.
  const bound = [...azureIdentities(model).map((w) => `${w.namespace}/${w.serviceAccount}`), ...azureBackupIdentities(model).map((b) => `${b.namespace}/${b.serviceAccount}`)];
  const without = [...new Set(bound)].filter((k) => !p.clientIds?.[k]).sort();
  // On two or more clusters each cluster's output has its own identities: check-cluster-client-ids.ts checks those.
  if (without.length && environmentClusters(model).length < 2)
    report(diag("FIN4086", p.fields["client-ids"] ?? at("cloud"), {
      message: `In ${model.environment}, ${without.join(", ")} need${without.length === 1 ? "s" : ""} a managed identity's client ID: Azure picks it when the terraform target creates the identity, and until the platform carries it the ServiceAccount is not annotated (azure.workload.identity/client-id), so the pods and SecretStores get no Azure credentials and backups go to volume snapshots.`,
      hint: "Apply the terraform target, then paste its output `client_ids_field` into the platform (per environment: `platform.client-ids …`).",
    }));
}
