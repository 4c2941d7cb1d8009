import { parseAllDocuments } from "yaml";
import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { AWS_SPEC, module, terraformFiles, type Json } from "./support.js";

type Statement = { sid?: string; effect: string; actions: string[]; resources?: string[]; principals?: { type: string; identifiers: string[] }[]; condition?: { test: string; variable: string; values: string[] }[] };
type Role = { name: string; assume_role_policy: string };

const statements = (m: ReturnType<typeof module>, name: string): Statement[] =>
  ((m.data["aws_iam_policy_document"] as Json)[name] as { statement: Statement[] }).statement;
const roles = (m: ReturnType<typeof module>) => m.resource["aws_iam_role"] as Record<string, Role>;

function clusterOf(program: ReturnType<typeof compileSources>, env: string, db: string): Json {
  const f = buildOutputs(program, { targets: ["kubernetes"] }).files.find((x) => x.path === `${env}/payments/cluster-${db}.yaml`);
  if (!f) throw new Error(`missing cluster-${db}.yaml in ${env}`);
  return parseAllDocuments(f.content)[0]!.toJS() as Json;
}

/** A CloudNativePG Cluster's annotated role and its archive destination. */
function archiveOf(cluster: Json): { roleArn: string | undefined; destination: string } {
  const spec = cluster["spec"] as { serviceAccountTemplate?: { metadata: { annotations: Record<string, string> } }; backup: { barmanObjectStore: { destinationPath: string } } };
  return { roleArn: spec.serviceAccountTemplate?.metadata.annotations["eks.amazonaws.com/role-arn"], destination: spec.backup.barmanObjectStore.destinationPath };
}

describe("terraform target: CloudNativePG backup roles (IRSA for barman-cloud)", () => {
  const program = compileSources({ "main.fin": AWS_SPEC });
  const files = terraformFiles(program);

  it("creates the exact role each Cluster annotates its ServiceAccount with", () => {
    expect(program.diagnostics).toEqual([]);
    for (const env of ["dev", "prod"]) {
      const m = module(files, env);
      for (const db of ["ledger-db", "archive-db"]) {
        const role = roles(m)[`postgres__payments__${db}`];
        expect(role, `${env} ${db}`).toBeDefined();
        const cluster = env === "dev" ? "payments-dev" : "payments-prod";
        // The name both sides must agree on, written out: <cluster>-<namespace>-<database>.
        expect(role!.name).toBe(`${cluster}-payments-${db}`);
        expect(archiveOf(clusterOf(program, env, db)).roleArn).toBe(`arn:aws:iam::123456789012:role/${role!.name}`);
        expect(m.output["postgres_backup_role_arns"]).toMatchObject({ value: { [`payments/${db}`]: `\${aws_iam_role.postgres__payments__${db}.arn}` } });
      }
    }
  });

  it("is assumable only by the Cluster's ServiceAccount (named after the Cluster) through the cluster's OIDC provider", () => {
    const m = module(files, "prod");
    const [trust, ...more] = statements(m, "postgres__payments__ledger-db_trust");
    expect(more).toEqual([]);
    expect(trust!.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(trust!.principals).toEqual([{ type: "Federated", identifiers: ["${local.oidc_provider_arn}"] }]);
    expect(trust!.condition).toEqual([
      { test: "StringEquals", variable: "${local.oidc_issuer}:sub", values: ["system:serviceaccount:payments:ledger-db"] },
      { test: "StringEquals", variable: "${local.oidc_issuer}:aud", values: ["sts.amazonaws.com"] },
    ]);
    expect(roles(m)["postgres__payments__ledger-db"]!.assume_role_policy).toBe("${data.aws_iam_policy_document.postgres__payments__ledger-db_trust.json}");
  });

  it("grants barman-cloud exactly the Cluster's destinationPath prefix, the bucket listing below it, and the bucket's KMS key", () => {
    const m = module(files, "dev");
    const { destination } = archiveOf(clusterOf(program, "dev", "ledger-db"));
    expect(destination).toBe("s3://payments-dev-backups-123456789012/postgres/payments");
    expect((m.resource["aws_s3_bucket"] as Record<string, { bucket: string }>)["backups"]!.bucket).toBe("payments-dev-backups-123456789012");
    expect(statements(m, "postgres__payments__ledger-db_permissions")).toEqual([
      { sid: "ArchiveObjects", effect: "Allow", actions: ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"], resources: ["${aws_s3_bucket.backups.arn}/postgres/payments/*"] },
      {
        sid: "ArchiveListing", effect: "Allow", actions: ["s3:GetBucketLocation", "s3:ListBucket"], resources: ["${aws_s3_bucket.backups.arn}"],
        // IfExists: barman-cloud's connectivity check is HeadBucket, which carries no s3:prefix.
        condition: [{ test: "StringLikeIfExists", variable: "s3:prefix", values: ["postgres/payments", "postgres/payments/*"] }],
      },
      { sid: "BackupKey", effect: "Allow", actions: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], resources: ["${aws_kms_key.platform.arn}"] },
    ]);
  });

  it("names an existing key by its ARN, and none when the bucket uses S3's own key", () => {
    const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const withArn = compileSources({ "main.fin": AWS_SPEC.replace(/kms +"alias\/payments-(dev|prod)"/g, `kms "${key}"`) });
    expect(withArn.diagnostics).toEqual([]);
    expect(statements(module(terraformFiles(withArn), "dev"), "postgres__payments__ledger-db_permissions").at(-1)).toMatchObject({ sid: "BackupKey", resources: [key] });
    const noKms = compileSources({ "main.fin": AWS_SPEC.replace(/  (platform\.)?kms .*\n/g, "") });
    expect(noKms.diagnostics).toEqual([]);
    expect(statements(module(terraformFiles(noKms), "dev"), "postgres__payments__ledger-db_permissions").map((s) => s.sid)).toEqual(["ArchiveObjects", "ArchiveListing"]);
  });

  it("creates no backup role, and the Cluster annotates none, without the account or the cluster", () => {
    for (const field of ["account", "cluster"]) {
      const program2 = compileSources({ "main.fin": AWS_SPEC.replace(new RegExp(`  (platform\\.)?${field} .*\\n`, "g"), "") });
      const m = module(terraformFiles(program2), "dev");
      expect(Object.keys(roles(m)).filter((r) => r.startsWith("postgres__"))).toEqual([]);
      const cluster = clusterOf(program2, "dev", "ledger-db");
      expect((cluster["spec"] as Json)["serviceAccountTemplate"]).toBeUndefined();
    }
  });
});
