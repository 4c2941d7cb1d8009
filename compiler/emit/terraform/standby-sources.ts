import { backupIdentities, postgresBackupPrefix } from "../../model/cloud-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { azureStandbySources, gcpStandbySources } from "./standby-sources-clouds.js";
import { ref, tfName, type TfValue } from "./json.js";

type Body = Record<string, TfValue>;

/**
 * A standby cluster's Terraform root (model/cluster-topology.ts): each replica `Cluster` recovers
 * from the primary's archive as S3 replication copies it into this region — a bucket the
 * primary's root creates — so the IRSA role this root gives the Cluster (aws.ts, on its own
 * bucket) may also read, never write, exactly that database's namespace prefix there
 * (`standby-sources.tf.json`). On gcp and azure the same grant, read-only on that prefix, for the
 * Cluster's Google service account / managed identity (standby-sources-clouds.ts). Nothing for a
 * primary, a single-cluster environment or onprem.
 * The bucket is encrypted with the AWS-managed S3 key there unless the platform has a `kms` alias.
 */
export function standbySourceFiles(model: PlatformModel): Map<string, Body> {
  const files = new Map<string, Body>();
  const sources = model.cluster?.sources ?? {}; // a standby, or an active cluster other than the first
  if (!Object.keys(sources).length) return files;
  if (model.platform.cloud === "gcp" || model.platform.cloud === "azure") {
    const body = model.platform.cloud === "gcp" ? gcpStandbySources(model, sources) : azureStandbySources(model, sources);
    if (body) files.set("standby-sources.tf.json", body);
    return files;
  }
  if (model.platform.cloud !== "aws") return files;
  const docs: Record<string, Body> = {};
  const policies: Record<string, Body> = {};
  for (const c of backupIdentities(model)) {
    const source = sources[c.database];
    if (!source || c.region) continue;
    const id = tfName("postgres", c.namespace, c.database);
    const prefix = postgresBackupPrefix(c.namespace);
    const bucketArn = `arn:aws:s3:::${source.bucket}`;
    docs[`${id}_source`] = {
      statement: [
        { sid: "ReadPrimaryArchive", effect: "Allow", actions: ["s3:GetObject"], resources: [`${bucketArn}/${prefix}/*`] },
        {
          sid: "ListPrimaryArchive",
          effect: "Allow",
          actions: ["s3:GetBucketLocation", "s3:ListBucket"],
          resources: [bucketArn],
          // IfExists: barman-cloud's HeadBucket carries no prefix (as for the Cluster's own archive, aws.ts).
          condition: [{ test: "StringLikeIfExists", variable: "s3:prefix", values: [prefix, `${prefix}/*`] }],
        },
      ],
    };
    policies[`${id}_source`] = { name: "finc-standby-source", role: ref(`aws_iam_role.${id}.id`), policy: ref(`data.aws_iam_policy_document.${id}_source.json`) };
  }
  if (Object.keys(policies).length) files.set("standby-sources.tf.json", { data: { aws_iam_policy_document: docs }, resource: { aws_iam_role_policy: policies } });
  return files;
}
