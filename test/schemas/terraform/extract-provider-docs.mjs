#!/usr/bin/env node
// Extracts, from the provider repositories' published documentation (website/docs/{r,d}/*.html.markdown,
// MPL-2.0), the argument names of the resources and data sources finc's terraform target writes for
// gcp and azure, per nested block, into test/schemas/terraform/<provider>-arguments.json.
//
//   node test/schemas/terraform/extract-provider-docs.mjs <google repo git dir> <azurerm repo git dir>
//
// The git directories are mirrors of github.com/hashicorp/terraform-provider-google and
// terraform-provider-azurerm (read with `git show HEAD:<path>`). A doc lists arguments as
// "* `name` - …" lines under "## Argument(s) Reference"; a nested block's arguments follow a line
// "The `block` block supports" / "A `block` block supports" (Google's with an <a name> anchor).
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const HERE = dirname(fileURLToPath(import.meta.url));

/** type → doc path (several IAM resources share one page). */
const GOOGLE = {
  resource: {
    google_service_account: "r/google_service_account.html.markdown",
    google_service_account_iam_member: "r/google_service_account_iam.html.markdown",
    google_secret_manager_secret_iam_member: "r/secret_manager_secret_iam.html.markdown",
    google_kms_key_ring: "r/kms_key_ring.html.markdown",
    google_kms_crypto_key: "r/kms_crypto_key.html.markdown",
    google_kms_crypto_key_iam_member: "r/google_kms_crypto_key_iam.html.markdown",
    google_storage_bucket: "r/storage_bucket.html.markdown",
    google_storage_bucket_iam_member: "r/storage_bucket_iam.html.markdown",
    google_dns_managed_zone: "r/dns_managed_zone.html.markdown",
    google_dns_managed_zone_iam_member: "r/dns_managed_zone_iam.html.markdown",
    google_project_iam_member: "r/google_project_iam.html.markdown",
    google_project_iam_audit_config: "r/google_project_iam.html.markdown",
    google_logging_project_bucket_config: "r/logging_project_bucket_config.html.markdown",
    google_logging_project_sink: "r/logging_project_sink.html.markdown",
    google_container_node_pool: "r/container_node_pool.html.markdown",
    google_billing_budget: "r/billing_budget.html.markdown",
    google_monitoring_notification_channel: "r/monitoring_notification_channel.html.markdown",
  },
  data: {
    google_project: "d/project.html.markdown",
    google_storage_project_service_account: "d/storage_project_service_account.html.markdown",
    google_container_cluster: "d/container_cluster.html.markdown",
  },
  provider: "guides/provider_reference.html.markdown",
};
/** Nested blocks a page documents only by reference to another ("node_config: see google_container_cluster"). */
const BORROWED = {
  google_container_node_pool: { page: "r/container_cluster.html.markdown", blocks: ["node_config", "shielded_instance_config", "taint", "workload_metadata_config"] },
};
const AZURERM = {
  resource: {
    azurerm_user_assigned_identity: "r/user_assigned_identity.html.markdown",
    azurerm_federated_identity_credential: "r/federated_identity_credential.html.markdown",
    azurerm_role_assignment: "r/role_assignment.html.markdown",
    azurerm_key_vault_key: "r/key_vault_key.html.markdown",
    azurerm_disk_encryption_set: "r/disk_encryption_set.html.markdown",
    azurerm_storage_account: "r/storage_account.html.markdown",
    azurerm_storage_container: "r/storage_container.html.markdown",
    azurerm_storage_container_immutability_policy: "r/storage_container_immutability_policy.html.markdown",
    azurerm_storage_management_policy: "r/storage_management_policy.html.markdown",
    azurerm_dns_zone: "r/dns_zone.html.markdown",
    azurerm_log_analytics_workspace: "r/log_analytics_workspace.html.markdown",
    azurerm_monitor_diagnostic_setting: "r/monitor_diagnostic_setting.html.markdown",
    azurerm_kubernetes_cluster_node_pool: "r/kubernetes_cluster_node_pool.html.markdown",
    azurerm_consumption_budget_subscription: "r/consumption_budget_subscription.html.markdown",
    azurerm_monitor_workspace: "r/monitor_workspace.html.markdown",
    azurerm_monitor_data_collection_endpoint: "r/monitor_data_collection_endpoint.html.markdown",
    azurerm_monitor_data_collection_rule: "r/monitor_data_collection_rule.html.markdown",
    azurerm_monitor_data_collection_rule_association: "r/monitor_data_collection_rule_association.html.markdown",
    azurerm_monitor_alert_prometheus_rule_group: "r/monitor_alert_prometheus_rule_group.html.markdown",
    azurerm_monitor_action_group: "r/monitor_action_group.html.markdown",
  },
  data: {
    azurerm_kubernetes_cluster: "d/kubernetes_cluster.html.markdown",
    azurerm_key_vault: "d/key_vault.html.markdown",
    azurerm_key_vault_key: "d/key_vault_key.html.markdown",
  },
  provider: "index.html.markdown",
};

const ARG = /^\* `([A-Za-z0-9_/{}]+)`/;
const BLOCK = /^(?:<a name="[^"]*"><\/a>)?\s*(?:The|An?)\s+`([a-z0-9_]+)`\s+(?:block|object)\b.*\b(?:supports|exports|contains)/;

function show(gitDir, path) {
  return execFileSync("git", ["--git-dir", gitDir, "show", `HEAD:website/docs/${path}`], { encoding: "utf8", maxBuffer: 64 << 20 });
}

/** { "": top-level arguments, "<block>": that block's arguments } of one page's argument section. */
function argumentsOf(text, whole = false) {
  const lines = text.split("\n");
  let start = whole ? 0 : lines.findIndex((l) => /^## Arguments? Reference/.test(l));
  if (start < 0) throw new Error("no Argument Reference section");
  const out = { "": new Set() };
  let block = "";
  for (const line of lines.slice(start + 1)) {
    if (!whole && /^## (Attributes|Timeouts|Import)/.test(line)) break;
    const b = BLOCK.exec(line);
    if (b) {
      block = b[1];
      out[block] ??= new Set();
      continue;
    }
    const a = ARG.exec(line);
    if (a) for (const name of a[1].split("/")) out[block].add(name);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

function commit(gitDir) {
  return execFileSync("git", ["--git-dir", gitDir, "rev-parse", "HEAD"], { encoding: "utf8" }).trim();
}

function extract(gitDir, repo, table, out) {
  const doc = { source: `https://github.com/${repo} (website/docs) at ${commit(gitDir)}`, license: "MPL-2.0 (see LICENSE-terraform-providers)", resource: {}, data: {}, provider: {} };
  for (const kind of ["resource", "data"]) for (const [type, path] of Object.entries(table[kind])) doc[kind][type] = argumentsOf(show(gitDir, path));
  for (const [type, { page, blocks }] of Object.entries(BORROWED)) {
    if (!doc.resource[type]) continue;
    const other = argumentsOf(show(gitDir, page));
    for (const block of blocks) doc.resource[type][block] = [...new Set([...(doc.resource[type][block] ?? []), ...(other[block] ?? [])])].sort();
  }
  doc.provider = argumentsOf(show(gitDir, table.provider), true);
  writeFileSync(join(HERE, out), JSON.stringify(doc, null, 1) + "\n");
}

const [google, azurerm] = process.argv.slice(2);
if (!google || !azurerm) {
  console.error("usage: extract-provider-docs.mjs <terraform-provider-google git dir> <terraform-provider-azurerm git dir>");
  process.exit(2);
}
extract(google, "hashicorp/terraform-provider-google", GOOGLE, "google-arguments.json");
extract(azurerm, "hashicorp/terraform-provider-azurerm", AZURERM, "azurerm-arguments.json");
