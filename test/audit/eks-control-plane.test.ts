// EKS under `compliance pci-dss` (terraform target, control-plane.tf.json): the control-plane log group
// with a year's retention (PCI DSS 10.5.1), a plan-time postcondition that the cluster sends its
// api/audit/authenticator logs, and the settings (log types, secrets encryption with the platform's
// KMS key) the cluster's own configuration must carry. `terraform validate` with the AWS provider
// judges the files; `terraform console` evaluates the postcondition on sets of log types.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSources } from "../helpers/compile.js";
import { module, terraformFiles, validateTfJson, type Json } from "../terraform/support.js";

const SPEC = `platform payments {
  cloud        aws
  regions      eu-west-1 primary
  environments prod
  account      "123456789012"
  cluster      "payments-prod"
  kms          "alias/payments-prod"
  compliance   pci-dss
  mesh         istio sidecar cni
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace payments { security restricted }
`;

const files = () => terraformFiles(compileSources({ "p.fin": SPEC }));

describe("terraform: EKS control-plane audit logs and secrets encryption under pci-dss", () => {
  it("creates the log group EKS writes to, keeping 365 days", () => {
    const m = module(files(), "prod");
    expect((m.resource["aws_cloudwatch_log_group"] as Json)["eks_control_plane"]).toEqual({ name: "/aws/eks/payments-prod/cluster", retention_in_days: 365 });
  });

  it("outputs the cluster settings with the platform's own KMS key for Secrets", () => {
    const m = module(files(), "prod");
    expect((m.output["eks_cluster_settings"] as Json)["value"]).toEqual({
      enabled_cluster_log_types: ["api", "audit", "authenticator"],
      encryption_config: { provider: { key_arn: "${aws_kms_key.platform.arn}" }, resources: ["secrets"] },
    });
    for (const [path, body] of files()) if (!validateTfJson(body)) throw new Error(`${path}: ${JSON.stringify(validateTfJson.errors)}`);
  });

  it("writes none of it without pci-dss or without a cluster name", () => {
    for (const spec of [SPEC.replace("  compliance   pci-dss\n", ""), SPEC.replace('  cluster      "payments-prod"\n', "")]) {
      const m = module(terraformFiles(compileSources({ "p.fin": spec })), "prod");
      expect(m.resource["aws_cloudwatch_log_group"]).toBeUndefined();
      expect(m.output["eks_cluster_settings"]).toBeUndefined();
    }
  });

  const mirror = process.env["FINC_TF_PLUGIN_MIRROR"] ?? "/opt/tf-plugins";
  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" }).status === 0;
  const provider = existsSync(join(mirror, "registry.terraform.io/hashicorp/aws"));
  if (!terraform || !provider) console.warn(`test/audit: skipping terraform validate (${!terraform ? "no terraform" : `no AWS provider in ${mirror}`})`);

  it.skipIf(!terraform || !provider)("passes `terraform validate` with the AWS provider, and the postcondition fails exactly when a log type is missing", () => {
    const root = mkdtempSync(join(tmpdir(), "finc-tf-eks-"));
    try {
      const rc = join(root, "terraformrc");
      writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
      const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
      const fs = files();
      for (const [path, body] of fs) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), JSON.stringify(body));
      }
      const dir = join(root, "terraform/prod");
      execFileSync("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir, env, stdio: "pipe" });
      const out = spawnSync("terraform", ["validate", "-json", "-no-color"], { cwd: dir, env, encoding: "utf8" });
      expect(JSON.parse(out.stdout)).toMatchObject({ valid: true, diagnostics: [] });

      const cp = module(fs, "prod").data["aws_eks_cluster"] as Record<string, { lifecycle: { postcondition: { condition: string }[] }[] }>;
      const condition = cp["control_plane"]!.lifecycle[0]!.postcondition[0]!.condition.replace(/^\$\{|\}$/g, "");
      const evaluate = (types: string[]) => {
        const expr = condition.replace("self.enabled_cluster_log_types", `toset(${JSON.stringify(types)})`);
        return spawnSync("terraform", ["console"], { cwd: mkdtempSync(join(root, "console-")), env, input: expr + "\n", encoding: "utf8" }).stdout.trim();
      };
      expect(evaluate(["api", "audit", "authenticator"])).toBe("true");
      expect(evaluate(["api", "audit", "authenticator", "scheduler", "controllerManager"])).toBe("true");
      expect(evaluate(["api", "authenticator"])).toBe("false");
      expect(evaluate([])).toBe("false");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 120_000);
});
