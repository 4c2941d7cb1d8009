// Application audit streams (`audit-log stdout [retain <n> months] [hot <n> months]`, area 14): the
// PCI DSS 10.5.1 retention checks (FIN4066, FIN4067), the write-once S3 bucket in the terraform
// target (Object Lock COMPLIANCE, lifecycle per service; `terraform validate` with the AWS provider),
// and the Fluent Bit chart values that ship the records there.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { module, terraformFiles, validateTfJson, type Json } from "../terraform/support.js";

const spec = (api: string, ledger = "stdout", compliance = "  compliance   pci-dss\n") => `platform payments {
  cloud        aws
  regions      eu-west-1 primary
  environments prod
  account      "123456789012"
  cluster      "payments-prod"
  kms          "alias/payments-prod"
${compliance}  mesh         istio sidecar cni
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace payments { security restricted }
service api {
  image     "r.io/api:1.0.0@sha256:${"a".repeat(64)}"
  port      http 8080
  audit-log ${api}
}
service ledger {
  image     "r.io/ledger:1.0.0@sha256:${"b".repeat(64)}"
  port      http 8080
  audit-log ${ledger}
}
`;
const errors = (s: string) => diagnosticsOf({ "p.fin": s }).filter((d) => /^FIN40(66|67)$/.test(d.code) || d.code.startsWith("FIN3"));

describe("audit-log: retention checks", () => {
  it("accepts the PCI minimum written out and the defaults (12 months, 3 hot)", () => {
    expect(errors(spec("stdout retain 12 months hot 3 months"))).toEqual([]);
    expect(errors(spec("stdout"))).toEqual([]);
    const model = compileSources({ "p.fin": spec("stdout") }).checked.models.get("prod")!;
    expect(model.services.find((s) => s.name === "api")!.auditLog).toEqual({ sink: "stdout", retainMonths: 12, hotMonths: 3 });
  });

  it("FIN4066: under pci-dss, less than 12 months kept or 3 months immediately available, on the number", () => {
    expect(errors(spec("stdout retain 6 months"))).toEqual([{ code: "FIN4066", text: "6", line: 19 }]);
    expect(errors(spec("stdout retain 24 months hot 1 month"))).toEqual([{ code: "FIN4066", text: "1", line: 19 }]);
    // Without the profile, a shorter retention is the team's choice.
    expect(errors(spec("stdout retain 6 months hot 1 month", "stdout", ""))).toEqual([]);
  });

  it("FIN4067: a hot period longer than the retention, on the hot number", () => {
    expect(errors(spec("stdout retain 12 months hot 13 months"))).toEqual([{ code: "FIN4067", text: "13", line: 19 }]);
  });

  it("refuses anything but stdout and whole months", () => {
    expect(errors(spec('"/var/log/audit.log"')).map((d) => d.code)).toEqual(["FIN3001"]);
    expect(errors(spec("stdout retain 12 weeks")).map((d) => d.code)).toEqual(["FIN3001"]);
  });
});

describe("audit-log: write-once storage and shipping (AWS)", () => {
  const files = () => terraformFiles(compileSources({ "p.fin": spec("stdout retain 24 months hot 6 months") }));

  it("creates one Object Lock (COMPLIANCE) bucket retaining the longest stream, with a lifecycle rule per service", () => {
    const m = module(files(), "prod");
    const r = (type: string) => (m.resource[type] as Json)["audit_logs"] as Json;
    expect(r("aws_s3_bucket")).toEqual({ bucket: "payments-prod-audit-123456789012", object_lock_enabled: true });
    expect(r("aws_s3_bucket_versioning")["versioning_configuration"]).toEqual([{ status: "Enabled" }]);
    expect(r("aws_s3_bucket_object_lock_configuration")["rule"]).toEqual([{ default_retention: [{ mode: "COMPLIANCE", days: 24 * 31 }] }]);
    expect(r("aws_s3_bucket_lifecycle_configuration")["rule"]).toEqual([
      { id: "payments-api", status: "Enabled", filter: [{ prefix: "audit/payments/api/" }], transition: [{ days: 6 * 31, storage_class: "GLACIER" }], expiration: [{ days: 24 * 31 }], noncurrent_version_expiration: [{ noncurrent_days: 1 }] },
      { id: "payments-ledger", status: "Enabled", filter: [{ prefix: "audit/payments/ledger/" }], transition: [{ days: 3 * 31, storage_class: "GLACIER" }], expiration: [{ days: 12 * 31 }], noncurrent_version_expiration: [{ noncurrent_days: 1 }] },
    ]);
    expect(r("aws_s3_bucket_public_access_block")).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
    const writer = ((m.data["aws_iam_policy_document"] as Json)["audit_log_writer"] as { statement: { actions: string[] }[] }).statement;
    expect(writer.flatMap((s) => s.actions).sort()).toEqual(["kms:Encrypt", "kms:GenerateDataKey", "s3:PutObject"]); // no read, no delete
    for (const [path, body] of files()) if (!validateTfJson(body)) throw new Error(`${path}: ${JSON.stringify(validateTfJson.errors)}`);
  });

  it("writes the Fluent Bit values: per service a tail input on its container, the audit-line filter, an S3 output with Content-MD5", () => {
    const out = buildOutputs(compileSources({ "p.fin": spec("stdout") })).files.find((f) => f.path === "helm/fluent-bit/values-prod.yaml")!;
    const values = parse(out.content) as { config: { inputs: string; filters: string; outputs: string } };
    expect(values.config.inputs).toContain("Path               /var/log/containers/*_payments_api-*.log");
    expect(values.config.inputs).toContain("Tag                finc.audit.payments.ledger");
    expect(values.config.filters).toContain("Regex              audit ^true$");
    const outputs = values.config.outputs.split("[OUTPUT]").filter((s) => s.trim());
    expect(outputs).toHaveLength(2);
    for (const o of outputs) {
      expect(o).toContain("bucket             payments-prod-audit-123456789012");
      expect(o).toContain("send_content_md5   true");
    }
    expect(values.config.outputs).toContain("s3_key_format      /audit/payments/api/%Y/%m/%d/%H%M%S-$UUID.json.gz");
  });

  it("writes neither without an audit-log", () => {
    const plain = spec("stdout").replace(/  audit-log stdout\n/g, "");
    expect(buildOutputs(compileSources({ "p.fin": plain })).files.filter((f) => f.path.includes("fluent-bit"))).toEqual([]);
    expect(module(terraformFiles(compileSources({ "p.fin": plain })), "prod").resource["aws_s3_bucket_object_lock_configuration"]).toBeUndefined();
  });

  const mirror = process.env["FINC_TF_PLUGIN_MIRROR"] ?? "/opt/tf-plugins";
  const ready = spawnSync("terraform", ["version"]).status === 0 && existsSync(join(mirror, "registry.terraform.io/hashicorp/aws"));
  if (!ready) console.warn("test/audit: skipping terraform validate of the audit bucket (no terraform or AWS provider mirror)");
  it.skipIf(!ready)("passes `terraform validate` with the AWS provider", () => {
    const root = mkdtempSync(join(tmpdir(), "finc-tf-audit-"));
    try {
      const rc = join(root, "terraformrc");
      writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
      const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
      for (const [path, body] of files()) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), JSON.stringify(body));
      }
      const dir = join(root, "terraform/prod");
      execFileSync("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir, env, stdio: "pipe" });
      const out = spawnSync("terraform", ["validate", "-json", "-no-color"], { cwd: dir, env, encoding: "utf8" });
      expect(JSON.parse(out.stdout)).toMatchObject({ valid: true, diagnostics: [] });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
