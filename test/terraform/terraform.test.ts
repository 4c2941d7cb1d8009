import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parseAllDocuments } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { buildOutputs, DEFAULT_TARGETS } from "../../compiler/emit/build-outputs.js";
import type { PlatformModel } from "../../compiler/model/platform-model.js";
import { compileSources, diagnosticsOf, REPO } from "../helpers/compile.js";
import { compile, exampleDirs } from "../kustomize/support.js";
import { initSelectedProvider, startSharedProvider, type SharedProvider } from "../helpers/terraform-provider.js";
import { AMP_SPEC } from "../observability/cloud-support.js";
import { AWS_SPEC, module, terraformFiles, validateTfJson, type Json } from "./support.js";

type Statement = { sid?: string; effect: string; actions: string[]; resources?: string[]; principals?: { type: string; identifiers: string[] }[]; condition?: { test: string; variable: string; values: string[] }[] };
const statements = (m: ReturnType<typeof module>, name: string): Statement[] =>
  ((m.data["aws_iam_policy_document"] as Json)[name] as { statement: Statement[] }).statement;

/** `arn:aws:secretsmanager:<region>:<account>:secret:<name>-??????` → `<region> <name>`. */
function secretOf(arn: string): string {
  const m = /^arn:aws:secretsmanager:([a-z0-9-]+):(\d{12}):secret:(.+)-\?{6}$/.exec(arn);
  if (!m) throw new Error(`not an exact Secrets Manager ARN pattern: ${arn}`);
  return `${m[1]} ${m[3]}`;
}

/** What a service reads from AWS, computed from the model the spec compiled to (not from the emitter's helpers). */
function awsSecretsOf(model: PlatformModel, service: string): string[] {
  const region = (store: string) => model.secretStores.find((s) => s.name === store && s.provider === "aws")?.server;
  const out = new Set<string>();
  for (const sec of model.services.find((s) => s.name === service)!.secrets) {
    const src = sec.source;
    if (src.kind === "store" && region(src.store)) out.add(`${region(src.store)} ${src.path}`);
    if (src.kind === "output") {
      const db = model.databases.find((d) => d.name === src.database)!;
      if (region(db.credentials.store)) out.add(`${region(db.credentials.store)} ${db.credentials.path}`);
    }
  }
  return [...out].sort();
}

function yamlDoc(program: ReturnType<typeof compileSources>, path: string, targets = ["kubernetes"]): Json {
  const f = buildOutputs(program, { targets }).files.find((x) => x.path === path);
  if (!f) throw new Error(`missing ${path}`);
  return parseAllDocuments(f.content)[0]!.toJS() as Json;
}

describe("terraform target: workload identity (IRSA)", () => {
  const program = compileSources({ "main.fin": AWS_SPEC });
  const files = terraformFiles(program);

  it("compiles without diagnostics and writes terraform/<env>/*.tf.json for every environment", () => {
    expect(program.diagnostics).toEqual([]);
    expect([...files.keys()].sort()).toEqual(
      ["dev", "prod"].flatMap((e) => ["backups", "identity", "kms", "main", "outputs", "variables"].map((f) => `terraform/${e}/${f}.tf.json`)).sort(),
    );
  });

  it("grants each service GetSecretValue on exactly the AWS secrets its spec uses, nothing from other stores", () => {
    for (const env of ["dev", "prod"]) {
      const m = module(files, env);
      const model = program.checked.models.get(env)!;
      for (const service of ["api", "ledger"]) {
        const st = statements(m, `payments__${service}_permissions`);
        expect(st).toHaveLength(1);
        expect(st[0]!.effect).toBe("Allow");
        expect(st[0]!.actions).toEqual(["secretsmanager:GetSecretValue"]);
        expect(st[0]!.resources!.map(secretOf).sort()).toEqual(awsSecretsOf(model, service));
      }
      expect(awsSecretsOf(model, "api")).toEqual(["eu-west-1 payments/ledger-db", "eu-west-1 payments/stripe", "eu-west-1 payments/webhook"]);
      // fraud reads only from Vault: no role (the others are the operators' and S3 replication's).
      expect(Object.keys(m.resource["aws_iam_role"] as Json).sort()).toEqual(["external_secrets", "payments__api", "payments__ledger", "postgres__payments__archive-db", "postgres__payments__ledger-db", "postgres__payments__ledger-db-eu-central-1", "replica__eu_central_1", "velero"]);
    }
  });

  it("trusts only the cluster's OIDC provider, for one service account and the STS audience", () => {
    const m = module(files, "prod");
    const [trust] = statements(m, "payments__api_trust");
    expect(trust!.actions).toEqual(["sts:AssumeRoleWithWebIdentity"]);
    expect(trust!.resources).toBeUndefined();
    expect(trust!.principals).toEqual([{ type: "Federated", identifiers: ["${local.oidc_provider_arn}"] }]);
    expect(trust!.condition).toEqual([
      { test: "StringEquals", variable: "${local.oidc_issuer}:sub", values: ["system:serviceaccount:payments:api"] },
      { test: "StringEquals", variable: "${local.oidc_issuer}:aud", values: ["sts.amazonaws.com"] },
    ]);
    expect((m.data["aws_eks_cluster"] as Json)["this"]).toEqual({ name: "payments-prod" });
  });

  it("gives the External Secrets Operator every AWS secret it syncs: services', databases' and the registry's", () => {
    const m = module(files, "dev");
    const [st] = statements(m, "external_secrets_permissions");
    expect(st!.resources!.map(secretOf)).toEqual(["eu-west-1 ci/registry", "eu-west-1 payments/ledger-db", "eu-west-1 payments/stripe", "eu-west-1 payments/webhook"]);
    expect(statements(m, "external_secrets_trust")[0]!.condition![0]!.values).toEqual(["system:serviceaccount:${var.external_secrets_namespace}:${var.external_secrets_service_account}"]);
    expect(m.variable["external_secrets_namespace"]).toMatchObject({ default: "external-secrets" });
  });

  it("annotates exactly the ServiceAccounts that have a role, with the ARN of the role Terraform creates", () => {
    for (const env of ["dev", "prod"]) {
      const m = module(files, env);
      for (const service of ["api", "ledger"]) {
        const sa = yamlDoc(program, `${env}/payments/serviceaccount-${service}.yaml`) as { metadata: { annotations?: Record<string, string> } };
        const role = (m.resource["aws_iam_role"] as Record<string, { name: string }>)[`payments__${service}`]!;
        expect(sa.metadata.annotations).toEqual({ "eks.amazonaws.com/role-arn": `arn:aws:iam::123456789012:role/${role.name}` });
      }
      const fraud = yamlDoc(program, `${env}/payments/serviceaccount-fraud.yaml`) as { metadata: { annotations?: unknown } };
      expect(fraud.metadata.annotations).toBeUndefined();
    }
    expect((module(files, "prod").resource["aws_iam_role"] as Record<string, { name: string }>)["payments__api"]!.name).toBe("payments-prod-payments-api");
  });

  it("without `account` and `cluster`: no annotation; Terraform takes the OIDC provider as a variable and the account from the caller", () => {
    const spec = AWS_SPEC.replace(/  account .*\n/, "").replace(/  cluster .*\n/, "").replace(/  kms .*\n/, "").replace(/  platform\.\w+ .*\n/g, "");
    const p = compileSources({ "main.fin": spec });
    // Only: the replicated database gets no replica cluster without a bucket name (its backups are volume snapshots); Terraform still replicates Velero's bucket.
    expect(p.diagnostics.map((d) => [d.code, d.severity])).toEqual([["FIN4055", "warning"]]);
    const sa = yamlDoc(p, "dev/payments/serviceaccount-api.yaml") as { metadata: { annotations?: unknown } };
    expect(sa.metadata.annotations).toBeUndefined();
    const m = module(terraformFiles(p), "dev");
    expect(m.variable["oidc_provider_arn"]).toMatchObject({ type: "string" });
    expect((m.data["aws_caller_identity"] as Json)["current"]).toEqual({});
    expect(statements(m, "payments__api_permissions")[0]!.resources).toContain("arn:aws:secretsmanager:eu-west-1:${data.aws_caller_identity.current.account_id}:secret:payments/stripe-??????");
    expect((m.provider["aws"] as Json[])[0]).not.toHaveProperty("allowed_account_ids");
    expect(m.resource["aws_kms_key"]).toBeUndefined();
  });
});

describe("terraform target: KMS and backups", () => {
  const program = compileSources({ "main.fin": AWS_SPEC });
  const files = terraformFiles(program);

  it("creates a rotating key per environment under the spec's alias, and the StorageClasses use that alias", () => {
    for (const [env, alias] of [["dev", "alias/payments-dev"], ["prod", "alias/payments-prod"]] as const) {
      const m = module(files, env);
      expect((m.resource["aws_kms_key"] as Json)["platform"]).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
      expect((m.resource["aws_kms_alias"] as Json)["platform"]).toMatchObject({ name: alias });
      const sc = yamlDoc(program, `${env}/_cluster/storageclass-finc-fast.yaml`) as { parameters: Record<string, string> };
      expect(sc.parameters).toMatchObject({ encrypted: "true", kmsKeyId: `arn:aws:kms:eu-west-1:123456789012:${alias}` });
      const volumes = statements(m, "kms").find((s) => s.sid === "EncryptedVolumes")!;
      expect(volumes.condition).toContainEqual({ test: "StringEquals", variable: "kms:ViaService", values: ["ec2.eu-west-1.amazonaws.com"] });
    }
  });

  it("keeps Velero's backups in a versioned, KMS-encrypted, private, TLS-only bucket that expires them after the longest keep", () => {
    const m = module(files, "prod");
    const r = m.resource as Record<string, Record<string, Json>>;
    expect(r["aws_s3_bucket"]!["backups"]).toEqual({ bucket: "payments-prod-backups-123456789012", force_destroy: false });
    expect(r["aws_s3_bucket_versioning"]!["backups"]!["versioning_configuration"]).toEqual({ status: "Enabled" });
    expect(r["aws_s3_bucket_server_side_encryption_configuration"]!["backups"]!["rule"]).toEqual([{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.platform.arn}" }, bucket_key_enabled: true }]);
    expect(r["aws_s3_bucket_public_access_block"]!["backups"]).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const rules = r["aws_s3_bucket_lifecycle_configuration"]!["backups"]!["rule"] as Json[];
    // archive-db keeps 90 days, ledger-db 35: the longest wins; the Kopia repository is not expired by age.
    expect(rules[0]).toEqual({ id: "expire-backups", status: "Enabled", filter: { prefix: "backups/" }, expiration: { days: 91 } });
    expect(rules[1]).toMatchObject({ noncurrent_version_expiration: { noncurrent_days: 90 } });
    expect(statements(m, "backups_bucket")[0]).toMatchObject({ effect: "Deny", condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] });
  });

  it("replicates the backups to the database's `replicate to` region with a provider of that region", () => {
    const m = module(files, "prod");
    expect(m.provider["aws"]).toEqual([
      expect.objectContaining({ region: "eu-west-1", allowed_account_ids: ["123456789012"] }),
      expect.objectContaining({ alias: "replica__eu_central_1", region: "eu-central-1" }),
    ]);
    const r = m.resource as Record<string, Record<string, Json>>;
    expect(r["aws_s3_bucket"]!["replica__eu_central_1"]).toMatchObject({ provider: "aws.replica__eu_central_1", bucket: "payments-prod-backups-eu-central-1-123456789012" });
    expect(r["aws_s3_bucket_replication_configuration"]!["replica__eu_central_1"]).toMatchObject({ bucket: "${aws_s3_bucket.backups.id}" });
  });

  it("emits nothing for an environment without cloud resources, nothing on onprem, and nothing on gcp/azure without the account that names everything", () => {
    const plain = compileSources({ "main.fin": 'platform p {\n  environments dev\n}\nnamespace apps {}\nservice a {\n  image "r.io/a:1"\n  port 80\n}\n' });
    expect(terraformFiles(plain).size).toBe(0);
    const onprem = compileSources({ "main.fin": 'platform p {\n  cloud onprem\n  environments dev\n}\nnamespace apps {}\nservice a {\n  image "r.io/a:1"\n  port 80\n}\n' });
    expect(onprem.diagnostics).toEqual([]);
    expect(terraformFiles(onprem).size).toBe(0);
    for (const cloud of ["gcp", "azure"]) {
      const noAccount = compileSources({ "main.fin": `platform p {\n  cloud ${cloud}\n  regions europe-west1 primary\n  environments dev\n}\nnamespace apps {}\nservice a {\n  image "r.io/a:1"\n  port 80\n}\n` });
      expect(noAccount.diagnostics).toEqual([]);
      expect(terraformFiles(noAccount).size).toBe(0);
    }
  });
});

describe("terraform target: output format", () => {
  it("is not a default target", () => {
    expect(DEFAULT_TARGETS).not.toContain("terraform");
    const out = buildOutputs(compileSources({ "main.fin": AWS_SPEC }));
    expect(out.files.some((f) => f.path.startsWith("terraform/"))).toBe(false);
  });

  it("is deterministic JSON: sorted keys, 2-space indent, trailing newline, identical across builds", () => {
    const a = buildOutputs(compileSources({ "main.fin": AWS_SPEC }), { targets: ["terraform"] }).files;
    const b = buildOutputs(compileSources({ "main.fin": AWS_SPEC }), { targets: ["terraform"] }).files;
    expect(a).toEqual(b);
    for (const f of a) {
      expect(f.content.endsWith("}\n")).toBe(true);
      expect(f.content).toBe(JSON.stringify(JSON.parse(f.content), null, 2) + "\n");
      const sorted = (v: unknown): unknown => (Array.isArray(v) ? v.map(sorted) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted((v as Json)[k])])) : v);
      expect(JSON.stringify(sorted(JSON.parse(f.content)), null, 2) + "\n").toBe(f.content); // keys already sorted
    }
  });

  it("declares the AWS provider and its version, the primary region and the account", () => {
    const m = module(terraformFiles(compileSources({ "main.fin": AWS_SPEC })), "dev");
    expect(m.terraform).toMatchObject({ required_providers: { aws: { source: "hashicorp/aws", version: "~> 5.0" } } });
    expect((m.provider["aws"] as Json[])[0]).toMatchObject({ region: "eu-west-1", allowed_account_ids: ["123456789012"] });
  });

  const specs: Record<string, () => ReturnType<typeof terraformFiles>> = {
    "the full AWS spec": () => terraformFiles(compileSources({ "main.fin": AWS_SPEC })),
    // A declared objective turns on S3 Replication Time Control on the replica bucket (model/recovery.ts).
    "the full AWS spec with recovery objectives": () => terraformFiles(compileSources({ "main.fin": AWS_SPEC.replace("  replicate   to eu-central-1\n", "  replicate   to eu-central-1\n  recovery    rpo 20m rto 15m\n") })),
    "the AWS spec with monitoring amazon-managed-prometheus (AMP, its scraper and alert manager, Container Insights)": () => terraformFiles(compileSources({ "main.fin": AMP_SPEC })),
    "the AWS spec without account, cluster or kms": () => terraformFiles(compileSources({ "main.fin": AWS_SPEC.replace(/  (account|cluster|kms) .*\n/g, "").replace(/  platform\.\w+ .*\n/g, "") })),
    ...Object.fromEntries(exampleDirs().map((d) => [d.slice(REPO.length + 1), () => terraformFiles(compile(d))])),
  };

  it.each(Object.keys(specs))("fits the JSON schema of the syntax subset, and every reference resolves: %s", (name) => {
    const files = specs[name]!();
    for (const [path, body] of files) {
      if (!validateTfJson(body)) throw new Error(`${path}: ${JSON.stringify(validateTfJson.errors)}`);
    }
    for (const env of new Set([...files.keys()].map((p) => p.split("/")[1]!))) {
      const m = module(files, env);
      const text = JSON.stringify(m);
      const has = (kind: keyof typeof m, ...path: string[]) => path.reduce<unknown>((o, k) => (o as Json | undefined)?.[k], m[kind]) !== undefined;
      for (const [, expr] of text.matchAll(/\$\{([^}]*)\}/g)) {
        for (const [, a, b, c] of expr!.matchAll(/\b(var|local|data|aws_[a-z0-9_]+)\.([A-Za-z0-9_-]+)(?:\.([A-Za-z0-9_-]+))?/g)) {
          const ok = a === "var" ? has("variable", b!) : a === "local" ? has("locals", b!) : a === "data" ? has("data", b!, c!) : has("resource", a!, b!);
          if (!ok) throw new Error(`${name} (${env}): unresolved reference ${a}.${b}${c ? "." + c : ""} in \${${expr}}`);
        }
      }
    }
  });

  // `terraform validate` needs the AWS provider's schema; with no network, it runs only where a
  // provider mirror is installed (FINC_TF_PLUGIN_MIRROR, default /opt/tf-plugins). `terraform fmt`
  // does not read .tf.json files, so there is no offline check of the JSON syntax beyond the above.
  const mirror = process.env["FINC_TF_PLUGIN_MIRROR"] ?? "/opt/tf-plugins";
  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
  const provider = existsSync(join(mirror, "registry.terraform.io/hashicorp/aws"));
  const why = !terraform ? "no `terraform` on the PATH" : `no AWS provider in the plugin mirror ${mirror} (set FINC_TF_PLUGIN_MIRROR)`;
  if (!terraform || !provider) console.warn(`skipping terraform validate: ${why}`);

  // Only the AWS provider is in the local mirror: gcp and azure examples are checked against the providers' documented arguments instead (provider-schema.test.ts).
  const awsSpecs = Object.keys(specs).filter((name) => !name.startsWith("examples/") || /^\s*cloud\s+aws\b/m.test(readdirSync(join(REPO, name)).filter((f) => f.endsWith(".fin")).map((f) => readFileSync(join(REPO, name, f), "utf8")).join("\n")));
  // Every validate attaches to one AWS provider process (the binary init selected, started once):
  // starting that binary is half of each validate's CPU. Init still runs per root, as before.
  const AWS = "registry.terraform.io/hashicorp/aws";
  let shared: Promise<SharedProvider> | undefined;
  afterAll(async () => (await shared?.catch(() => undefined))?.stop());
  it.skipIf(!terraform || !provider).each(awsSpecs)("passes `terraform validate` with the AWS provider: %s", async (name) => {
    const files = specs[name]!();
    const root = mkdtempSync(join(tmpdir(), "finc-tf-"));
    try {
      const rc = join(root, "terraformrc");
      writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
      const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
      for (const [path, body] of files) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), JSON.stringify(body));
      }
      for (const dir of new Set([...files.keys()].map((p) => dirname(join(root, p))))) {
        execFileSync("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir, env, stdio: "pipe" });
        const selected = initSelectedProvider(dir, AWS);
        if (selected && !selected.startsWith(root)) shared ??= startSharedProvider(AWS, selected);
        const attached = selected && shared ? await shared : undefined;
        const validateEnv = attached && attached.binary === selected ? { ...env, ...attached.env } : env;
        const out = spawnSync("terraform", ["validate", "-json", "-no-color"], { cwd: dir, env: validateEnv, encoding: "utf8" });
        const result = JSON.parse(out.stdout) as { valid: boolean; diagnostics: unknown[] };
        expect({ dir: dir.slice(root.length), ...result }).toMatchObject({ valid: true, diagnostics: [] });
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});

describe("cloud fields: checks", () => {
  const base = (fields: string, cloud = "aws") => `platform p {\n  cloud ${cloud}\n  regions eu-west-1 primary, eu-central-1\n  environments dev\n${fields}}\nnamespace apps {}\n`;
  const db = (extra: string) => `secretstore vault {\n  provider vault\n  server "https://vault.example.com"\n}\ndatabase db {\n  storage 10Gi\n  credentials from vault "db"\n${extra}}\n`;

  it("FIN4030: a malformed account, a KMS alias without an account, replication that cannot be", () => {
    expect(diagnosticsOf({ "main.fin": base('  account "12345"\n') })).toEqual([expect.objectContaining({ code: "FIN4030", text: 'account "12345"' })]);
    expect(diagnosticsOf({ "main.fin": base('  kms "alias/p"\n') })).toEqual([expect.objectContaining({ code: "FIN4030", text: 'kms "alias/p"' })]);
    expect(diagnosticsOf({ "main.fin": base("") + db("  replicate to us-east-1\n  backup every 6h keep 7d\n") }).map((d) => [d.code, d.text])).toEqual([["FIN4030", "replicate to us-east-1"]]);
    expect(diagnosticsOf({ "main.fin": base("") + db("  replicate to eu-west-1\n  backup every 6h keep 7d\n") }).map((d) => d.code)).toEqual(["FIN4030"]);
    expect(diagnosticsOf({ "main.fin": base("") + db("  replicate to eu-central-1\n") }).map((d) => d.code)).toEqual(["FIN4030"]);
    // Valid, but without `account` no replica cluster (FIN4055 warning: no bucket name, so volume snapshots).
    expect(diagnosticsOf({ "main.fin": base("") + db("  replicate to eu-central-1\n  backup every 6h keep 7d\n") }).map((d) => d.code)).toEqual(["FIN4055"]);
  });

  it("FIN4031: cloud fields finc does not use on other clouds", () => {
    expect(diagnosticsOf({ "main.fin": base('  kms "alias/p"\n', "onprem") })).toEqual([expect.objectContaining({ code: "FIN4031", text: 'kms "alias/p"' })]);
    expect(diagnosticsOf({ "main.fin": base('  resource-group "rg"\n') })).toEqual([expect.objectContaining({ code: "FIN4031", text: 'resource-group "rg"' })]);
  });

  it("reads the fields' syntax: a KMS alias or key ARN, a cluster name", () => {
    expect(diagnosticsOf({ "main.fin": base('  kms "alias/aws/ebs"\n') }).map((d) => d.code)).toEqual(["FIN3001"]);
    expect(diagnosticsOf({ "main.fin": base('  account "123456789012"\n  kms "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"\n') })).toEqual([]);
    expect(diagnosticsOf({ "main.fin": base('  cluster "has space"\n') }).map((d) => d.code)).toEqual(["FIN3001"]);
  });

  it("`platform.<field>` in an environment overrides the platform even when a namespace has its name", () => {
    const p = compileSources({ "main.fin": 'platform apps {\n  environments dev, prod\n  account "123456789012"\n  cluster "apps-dev"\n}\nnamespace apps {}\nenvironment prod {\n  platform.cluster "apps-prod"\n}\n' });
    expect(p.diagnostics).toEqual([]);
    expect(p.checked.models.get("prod")!.platform.cluster).toBe("apps-prod");
    expect(p.checked.models.get("dev")!.platform.cluster).toBe("apps-dev");
  });
});
