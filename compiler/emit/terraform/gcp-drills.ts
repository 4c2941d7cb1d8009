import { gsaAccountId } from "../../model/cloud-gcp.js";
import { drillReaders } from "../../model/drill-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, tf, tfName, type TfTemplate, type TfValue } from "./json.js";
import type { TfBlocks } from "./module-blocks.js";

/** gcp.ts's Google service account for `<ns>/<sa>`, usable only by that Kubernetes ServiceAccount (GKE Workload Identity). */
type GoogleServiceAccount = (id: string, accountId: string, description: string, ksa: { namespace: string; name: string }) => TfTemplate;

/**
 * Restore drills on GCS (emit/drills): each drill's ServiceAccount gets a Google service account
 * of its own with `roles/storage.objectViewer` on the backup bucket, conditioned to its database's
 * archive prefix (the objects' reads) and the bucket itself (the listing barman-cloud does with
 * that prefix): it can read the archive it restores and nothing else, and write nothing.
 */
export function gcpDrillReaders(model: PlatformModel, gsa: GoogleServiceAccount, backups: TfBlocks, outputs: TfBlocks, bucket: TfValue, bucketName: string): void {
  const emails: Record<string, TfValue> = {};
  for (const d of drillReaders(model)) {
    const id = tfName("drill", d.namespace, d.database);
    const member = gsa(id, gsaAccountId(model, d.namespace, d.serviceAccount), `finc: restore drills of ${d.database} in ${d.namespace} (${model.environment})`, d.subject);
    backups.addResource("google_storage_bucket_iam_member", id, {
      bucket,
      role: "roles/storage.objectViewer",
      member,
      condition: [{
        title: `finc-${d.namespace}-${d.database}-drill`.slice(0, 100),
        description: `Read only ${d.prefix}/ of the backup bucket`,
        expression: tf`resource.name == "projects/_/buckets/${bucketName}" || resource.name.startsWith("projects/_/buckets/${bucketName}/objects/${d.prefix}/")`,
      }],
    });
    emails[`${d.namespace}/${d.serviceAccount}`] = ref(`google_service_account.${id}.email`);
  }
  if (Object.keys(emails).length) outputs.output["drill_service_accounts"] = { description: "The Google service account of each restore drill (namespace/name), as its ServiceAccount annotates iam.gke.io/gcp-service-account: objectViewer on its database's archive prefix only.", value: emails };
}
