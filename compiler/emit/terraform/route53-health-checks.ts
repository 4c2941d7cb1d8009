import { checkerRegions, HEALTH_CHECK_TIMING, healthCheckTargets } from "../../model/dns-health-checks.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, tf, tfName, type TfValue } from "./json.js";

type Body = Record<string, TfValue>;

/**
 * One cluster's Route 53 health checks (`route53-health-checks.tf.json` in its root;
 * model/dns-health-checks.ts says what they call and why the ID comes back through the spec):
 *
 * - per exposed host an HTTP check of `<cluster>.<host>` on port 80 (why not HTTPS:
 *   model/dns-health-checks.ts), the host's service's readiness or smoke-test path, every 10 s,
 *   unhealthy after 3 failures, from three or more of Route 53's checker regions;
 * - one CALCULATED check of the cluster, healthy while every host's check is: the one ID
 *   external-dns attaches to the cluster's records (its Gateway carries every host).
 *
 * Outputs: `health_check_id` and `health_check_field`, the line to paste into the `cluster`
 * (`health-check "<id>" in <environment>`: each multi-cluster environment has its own root and checks). Route 53 is global: the checks live wherever the root's provider is.
 */
export function route53HealthCheckFiles(model: PlatformModel): Map<string, Body> {
  const files = new Map<string, Body>();
  const c = model.cluster;
  const { targets } = healthCheckTargets(model);
  if (!c || !targets.length) return files;
  const tags = (name: string) => ({ Name: name, "app.kubernetes.io/managed-by": "finc", "app.kubernetes.io/part-of": model.platform.name, "finc.dev/environment": model.environment, "finc.dev/cluster": c.name });
  const checks: Record<string, Body> = {};
  for (const t of targets) {
    checks[tfName("host", t.host)] = {
      type: "HTTP",
      fqdn: t.checkHost,
      port: 80,
      resource_path: t.path,
      request_interval: HEALTH_CHECK_TIMING.requestIntervalSeconds,
      failure_threshold: HEALTH_CHECK_TIMING.failureThreshold,
      measure_latency: true,
      regions: checkerRegions(model),
      tags: tags(`${c.name} ${t.host} ${t.path}`),
    };
  }
  const children = Object.keys(checks).map((id) => ref(`aws_route53_health_check.${id}.id`));
  checks["cluster"] = { type: "CALCULATED", child_health_threshold: children.length, child_healthchecks: children, tags: tags(`${c.name} (${targets.map((t) => t.host).join(", ")})`) };
  files.set("route53-health-checks.tf.json", {
    resource: { aws_route53_health_check: checks },
    output: {
      health_check_id: { description: `The Route 53 health check of cluster '${c.name}' (every exposed host's check healthy).`, value: ref("aws_route53_health_check.cluster.id") },
      health_check_field: {
        description: `Paste into \`cluster ${c.name}\` so that external-dns attaches the check to its records (external-dns.alpha.kubernetes.io/aws-health-check-id).`,
        value: tf`health-check "${ref("aws_route53_health_check.cluster.id")}" in ${c.environment}`,
      },
    },
  });
  return files;
}
