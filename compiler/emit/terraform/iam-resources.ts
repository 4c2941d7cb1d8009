import { backupIdentities, kmsKeyArn, serviceSqsQueues } from "../../model/cloud-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { escapeTemplate, tfName, tfText, TfTemplate, type TfValue } from "./json.js";

/** IAM's wildcards: a Resource holding one (other than the suffix below) grants more than the spec named. */
const IAM_WILDCARD = /[*?]/;

/** Every secret in AWS Secrets Manager the spec names, by (region, name). */
function namedAwsSecrets(model: PlatformModel): { region: string; name: string }[] {
  const region = (store: string) => model.secretStores.find((s) => s.name === store && s.provider === "aws")?.server;
  const out: { region: string; name: string }[] = [];
  const add = (store: string, name: string) => {
    const r = region(store);
    if (r !== undefined) out.push({ region: r, name });
  };
  for (const s of model.services) for (const sec of s.secrets) if (sec.source.kind === "store") add(sec.source.store, sec.source.path);
  for (const d of model.databases) add(d.credentials.store, d.credentials.path);
  const reg = model.platform.registry?.credentials;
  if (reg?.kind === "store") add(reg.store, reg.path);
  return out;
}

const OWN_BUCKET = /^\$\{aws_s3_bucket\.[A-Za-z0-9_-]+\.arn\}(\/\*)?$/;
const OWN_KEY = /^\$\{aws_kms_key\.[A-Za-z0-9_-]+\.arn\}$/;

type Statement = { readonly [key: string]: TfValue };

/** `*` is finc's only where it cannot widen: a key policy (it means the key itself), or KMS use bound to a service by condition. */
function wildcardAllowed(st: Statement): boolean {
  if (st["principals"] !== undefined) return true;
  const actions = (st["actions"] ?? []) as readonly TfValue[];
  const conditions = (st["condition"] ?? []) as readonly Statement[];
  return actions.every((a) => typeof a === "string" && a.startsWith("kms:")) && conditions.some((c) => c["variable"] === "kms:ViaService");
}

/**
 * Checks, after the terraform target has written one environment, that every IAM policy
 * Resource is exactly a resource the spec names — the Secrets Manager ARN of a named secret
 * (with the `-??????` suffix Secrets Manager appends, and nothing else wild), the spec's KMS
 * key, the exact ARN of an SQS queue a `scale on queue sqs` line names, a CloudNativePG Cluster's `postgres/<namespace>/*` in the backup bucket, or a bucket or key finc creates — and throws (an internal error, exit 70) otherwise:
 * a wildcard must never reach a policy, even if a check upstream missed it.
 */
export function assertExactIamResources(files: ReadonlyMap<string, { readonly [key: string]: TfValue }>, model: PlatformModel): void {
  const account = model.platform.account !== undefined ? escapeTemplate(model.platform.account) : "${data.aws_caller_identity.current.account_id}";
  const secrets = new Set<string>();
  for (const s of namedAwsSecrets(model)) {
    if (IAM_WILDCARD.test(s.name) || IAM_WILDCARD.test(s.region)) throw new Error(`terraform: the secret path '${s.name}' (region '${s.region}') holds an IAM wildcard`);
    secrets.add(`arn:aws:secretsmanager:${escapeTemplate(s.region)}:${account}:secret:${escapeTemplate(s.name)}-??????`);
  }
  // The exact ARN of each SQS queue a `scale on queue sqs` line names (KEDA reads its depth).
  const queues = new Set(model.services.flatMap((s) => serviceSqsQueues(s).map((q) => q.arn)).filter((a) => !IAM_WILDCARD.test(a)).map(escapeTemplate));
  // The prefix each CloudNativePG Cluster archives below, in the bucket finc creates (namespaces hold no IAM wildcard).
  const archives = new Set(backupIdentities(model).filter((b) => !IAM_WILDCARD.test(b.prefix)).map((b) => `\${aws_s3_bucket.${b.region ? tfName("replica", b.region.replace(/-/g, "_")) : "backups"}.arn}/${escapeTemplate(b.prefix)}/*`));
  const specKey = model.platform.kms?.startsWith("arn:") ? kmsKeyArn(model) : undefined;
  for (const [file, body] of files) {
    const docs = ((body["data"] ?? {}) as { readonly [type: string]: { readonly [name: string]: Statement } })["aws_iam_policy_document"] ?? {};
    for (const [name, d] of Object.entries(docs)) {
      for (const st of (d["statement"] ?? []) as readonly Statement[]) {
        for (const r of (st["resources"] ?? []) as readonly TfValue[]) {
          if (typeof r !== "string" && !(r instanceof TfTemplate)) throw new Error(`terraform: ${file} ${name}: a Resource that is not text`);
          const text = tfText(r);
          const ok =
            secrets.has(text) ||
            queues.has(text) ||
            archives.has(text) ||
            OWN_BUCKET.test(text) ||
            OWN_KEY.test(text) ||
            (specKey !== undefined && text === escapeTemplate(specKey) && !IAM_WILDCARD.test(specKey)) ||
            (text === "*" && wildcardAllowed(st));
          if (!ok) throw new Error(`terraform: ${file} ${name}: the IAM Resource ${JSON.stringify(text)} is not exactly a resource the spec names`);
        }
      }
    }
  }
}
