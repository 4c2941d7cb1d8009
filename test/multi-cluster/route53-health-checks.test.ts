import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileSources } from "../helpers/compile.js";
import { module, terraformFiles, validateTfJson, type Json } from "../terraform/support.js";
import { activeActive } from "./active-active-fixture.js";

type Check = Record<string, unknown> & { tags: Record<string, string> };

/** The Route 53 health checks of each active cluster's Terraform root (active-active-fixture.ts: one exposed host, readiness /ready, TLS). */
describe("terraform: Route 53 health checks of the application's path, per cluster", () => {
  const files = terraformFiles(compileSources({ "main.fin": activeActive() }));
  const checks = (env: string) => module(files, env).resource["aws_route53_health_check"] as Record<string, Check>;

  it("each cluster's root has one HTTP check of <cluster>.<host> on the readiness path, and one CALCULATED check over it", () => {
    for (const [env, cluster] of [["prod-west", "west"], ["prod-central", "central"]] as const) {
      const all = checks(env);
      expect(Object.keys(all).sort(), env).toEqual(["cluster", "host__api_remit_example_com"]);
      const { tags, ...host } = all["host__api_remit_example_com"]!;
      expect(host, env).toEqual({
        type: "HTTP",
        fqdn: `${cluster}.api.remit.example.com`,
        port: 80,
        resource_path: "/ready",
        request_interval: 10,
        failure_threshold: 3,
        measure_latency: true,
        // eu-west-1 is both a platform region and a Route 53 checker region; two defaults make the minimum of three.
        regions: ["ap-southeast-1", "eu-west-1", "us-east-1"],
      });
      expect(tags["finc.dev/cluster"], env).toBe(cluster);
      const calc = all["cluster"]!;
      expect(calc["type"]).toBe("CALCULATED");
      expect(calc["child_health_threshold"]).toBe(1);
      expect(calc["child_healthchecks"]).toEqual(["${aws_route53_health_check.host__api_remit_example_com.id}"]);
    }
  });

  it("outputs the ID and the line to paste into the cluster", () => {
    const out = module(files, "prod-central").output as Record<string, { value: string }>;
    expect(out["health_check_id"]!.value).toBe("${aws_route53_health_check.cluster.id}");
    expect(out["health_check_field"]!.value).toBe('health-check "${aws_route53_health_check.cluster.id}" in prod');
  });

  it("the file is Terraform JSON", () => {
    const body = files.get("terraform/prod-west/route53-health-checks.tf.json");
    expect(body).toBeDefined();
    expect(validateTfJson(body), JSON.stringify(validateTfJson.errors)).toBe(true);
  });

  it("without an HTTP readiness probe the check GETs the service's smoke-test path", () => {
    const spec = activeActive().replace("probe    readiness /ready", "probe    readiness tcp\n  smoke-test /status expect 204");
    const byName = terraformFiles(compileSources({ "main.fin": spec }));
    const host = (module(byName, "prod-west").resource["aws_route53_health_check"] as Record<string, Check>)["host__api_remit_example_com"]!;
    expect([host["type"], host["fqdn"], host["resource_path"]]).toEqual(["HTTP", "west.api.remit.example.com", "/status"]);
  });

  it("nothing for an environment on one cluster, or with `dns none`", () => {
    const one = terraformFiles(compileSources({ "main.fin": activeActive().replace("cluster central {\n  region eu-central-1\n  role   active\n}\n", "") }));
    expect([...one.keys()].filter((p) => p.includes("route53"))).toEqual([]);
    const none = terraformFiles(compileSources({ "main.fin": activeActive().replace("dns          external-dns ttl 1m", "dns          none") }));
    expect([...none.keys()].filter((p) => p.includes("route53"))).toEqual([]);
  });

  const mirror = process.env["FINC_TF_PLUGIN_MIRROR"] ?? "/opt/tf-plugins";
  const ready = spawnSync("terraform", ["version"]).status === 0 && existsSync(join(mirror, "registry.terraform.io/hashicorp/aws"));
  if (!ready) console.warn("test/multi-cluster: skipping terraform validate of the health checks (no terraform or AWS provider mirror)");
  it.skipIf(!ready)("each cluster's root passes `terraform validate` with the AWS provider", () => {
    const root = mkdtempSync(join(tmpdir(), "finc-tf-health-"));
    try {
      const rc = join(root, "terraformrc");
      writeFileSync(rc, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
      const env = { ...process.env, TF_CLI_CONFIG_FILE: rc, TF_IN_AUTOMATION: "1", CHECKPOINT_DISABLE: "1" };
      for (const [path, body] of files as Map<string, Json>) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), JSON.stringify(body));
      }
      for (const cluster of ["prod-west", "prod-central"]) {
        const dir = join(root, "terraform", cluster);
        execFileSync("terraform", ["init", "-backend=false", "-input=false", "-no-color"], { cwd: dir, env, stdio: "pipe" });
        const out = spawnSync("terraform", ["validate", "-json", "-no-color"], { cwd: dir, env, encoding: "utf8" });
        expect(JSON.parse(out.stdout), cluster).toMatchObject({ valid: true, diagnostics: [] });
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }, 180_000);
});
