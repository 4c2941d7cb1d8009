import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { homeCluster, perClusterModels, type ClusterModel } from "../model/cluster-topology.js";
import { healthChecksUnavailable, healthCheckTargets } from "../model/dns-health-checks.js";
import { pgNames } from "../model/database-names.js";
import { configReferences } from "../model/config-interpolation.js";
import type { PlatformModel, ServiceModel } from "../model/platform-model.js";

/**
 * `role active` (model/cluster-topology.ts) and the clusters' Route 53 health checks
 * (model/dns-health-checks.ts), checked on an environment's model before it is split per cluster:
 *
 * - FIN4081: active clusters mixed with a primary or standby in one environment (Route 53 cannot
 *   answer one name with latency records and failover records at once, and the databases' home
 *   would be ambiguous);
 * - FIN4101: an active-active environment whose DNS finc cannot write (off aws with external-dns),
 *   or a service that writes a database — its primary runs in the first active cluster only, and
 *   the others' replica is read-only, with no cross-region path to the primary in the model;
 * - FIN4102: a `health-check` where none can be attached (off aws, `dns none`, an ingress other
 *   than istio) or where an exposed host has no path to check.
 */
export function checkActiveClusters(model: PlatformModel, clusters: readonly ClusterModel[], report: (d: Diagnostic) => void): void {
  const env = model.environment;
  const active = clusters.filter((c) => c.role === "active");
  if (active.length && active.length < clusters.length) {
    const other = clusters.filter((c) => c.role !== "active");
    const at = clusters[0]!.role === "active" ? other[0]! : active[0]!;
    report(diag("FIN4081", at.fields["role"] ?? at.origin, {
      message: `Environment '${env}' mixes \`role active\` (${active.map((c) => c.name).join(", ")}) with ${other.map((c) => `\`role ${c.role}\` (${c.name})`).join(", ")}: Route 53 cannot answer one name with latency records and failover records at once.`,
      hint: `Make every cluster of ${env} \`role active\`, or use one \`role primary\` and \`role standby\` for the others; or keep '${at.name}' out of ${env} with \`environments\`.`,
    }));
  }
  if (active.length >= 2 && active.length === clusters.length) {
    const dns = model.platform.dns?.provider ?? "external-dns";
    if (model.platform.cloud !== "aws" && dns === "external-dns") {
      const at = active[0]!;
      report(diag("FIN4101", at.fields["role"] ?? at.origin, {
        message: `Environment '${env}' runs on ${active.length} active clusters on \`cloud ${model.platform.cloud}\`: finc spreads traffic over active clusters with Route 53 latency records (cloud aws) only; Cloud DNS routing policies and Azure Traffic Manager are not modelled, and two clusters' external-dns would claim the same names.`,
        hint: `Make one cluster \`role primary\` and the others \`role standby\` (the standbys then publish no records), or set the platform's \`dns none\` and route traffic to the clusters yourself.`,
      }));
    }
    const home = homeCluster(clusters)!;
    const others = active.filter((c) => c !== home);
    for (const s of model.services) if ((s.workload ?? "service") === "service") writers(model, s, home, others, report);
  }
  healthCheckFields(model, clusters, report);
}

/** FIN4101 at each way `s` reaches a database's primary (`url`, `host`, or `${db.host}` in config). */
function writers(model: PlatformModel, s: ServiceModel, home: ClusterModel, others: readonly ClusterModel[], report: (d: Diagnostic) => void): void {
  const where = others.map((c) => `'${c.name}'`).join(", ");
  const refuse = (db: string, what: string, at: ServiceModel["origin"], read: string) =>
    report(diag("FIN4101", at, {
      message: `Service '${s.name}' reaches the primary of database '${db}' (${what}), but environment '${model.environment}' also runs it on active cluster${others.length > 1 ? "s" : ""} ${where}, where '${db}' is a read-only replica of the primary in '${home.name}': finc has no path across regions to the primary (no multi-cluster mesh or east-west gateway), so its writes would fail there.`,
      hint: `If '${s.name}' only reads, use ${read} (the replica in its own cluster); if it writes, make ${where} \`role standby\` and '${home.name}' \`role primary\`, or keep ${model.environment} on '${home.name}' with the clusters' \`environments\`.`,
    }));
  // A `migrate` init container changes the schema before the app starts, in every cluster the service runs in.
  if (s.migrate && s.secrets.some((sec) => sec.source.kind === "output" && model.databases.some((d) => sec.source.kind === "output" && d.name === sec.source.database)))
    report(diag("FIN4101", s.fields["migrate"] ?? s.origin, {
      message: `Service '${s.name}' runs its \`migrate\` before it starts in every cluster, but environment '${model.environment}' also runs it on active cluster${others.length > 1 ? "s" : ""} ${where}, whose databases are read-only replicas of the primaries in '${home.name}': the migration would fail there and the pods would never start.`,
      hint: `Move the migration into a \`job\` (jobs run once, in '${home.name}'), or make ${where} \`role standby\`.`,
    }));
  for (const sec of s.secrets) {
    const src = sec.source;
    if (src.kind !== "output" || (src.output !== "url" && src.output !== "host")) continue;
    if (!model.databases.some((d) => d.name === src.database)) continue;
    refuse(src.database, `\`secret ${sec.env} from ${src.database}.${src.output}\``, sec.origin, `\`${src.database}.read-${src.output}\``);
  }
  for (const c of s.config) {
    // Interpolation is resolved before the checks: `${db.host}` is then the primary's address.
    const refs = configReferences(c.value).filter((r) => r.output === "host").map((r) => r.database);
    for (const db of model.databases)
      if (refs.includes(db.name) || (db.mode === "operator" && c.value.includes(pgNames.primaryHost(db))))
        refuse(db.name, `config ${c.key} names its primary's address`, c.origin, `\`\${${db.name}.read-host}\``);
  }
}

/** FIN4102: a cluster's `health-check` that names an unknown or ambiguous environment, or that finc cannot attach, or a host it cannot check. */
function healthCheckFields(model: PlatformModel, clusters: readonly ClusterModel[], report: (d: Diagnostic) => void): void {
  const p = model.platform;
  // Facts of the whole spec, reported once (the checks run per environment).
  if (model.environment === p.environments[0]) {
    const all = model.clusters ?? [];
    const envsOf = (c: ClusterModel) => c.environments?.map((e) => e.name) ?? p.environments;
    const shared = (c: ClusterModel) => envsOf(c).filter((e) => all.filter((x) => envsOf(x).includes(e)).length >= 2);
    for (const c of all)
      for (const h of c.healthChecks ?? []) {
        if (h.environment && !p.environments.includes(h.environment.name))
          report(diag("FIN4102", h.environment.range, { message: `Cluster '${c.name}' has a \`health-check\` for environment '${h.environment.name}', which the platform does not list (${p.environments.join(", ")}).`, hint: "Name the environment whose terraform root printed the ID (its output `health_check_field` says)." }));
        else if (!h.environment && shared(c).length >= 2)
          report(diag("FIN4102", h.range, {
            message: `Cluster '${c.name}' runs ${shared(c).join(" and ")} on more than one cluster, each with a terraform root and health checks of its own, so a \`health-check\` without \`in <environment>\` would attach one environment's check to the others' records.`,
            hint: `Paste each root's output \`health_check_field\` as it is: \`health-check "<id>" in ${shared(c)[0]}, "<id>" in ${shared(c)[1]}\`.`,
          }));
      }
  }
  // A cluster in no multi-cluster environment has nothing to attach its check to: the ID is unused there (README), not an error.
  if (clusters.length < 2) return;
  const reported = new Set<string>();
  for (const [, view] of perClusterModels(model)) {
    const c = clusters.find((x) => x.name === view.cluster?.name);
    const entry = c?.healthChecks?.find((h) => h.environment?.name === model.environment) ?? c?.healthChecks?.find((h) => !h.environment);
    if (!c || !entry) continue;
    const why = healthChecksUnavailable(view);
    if (why) {
      report(diag("FIN4102", entry.range, {
        message: `Cluster '${c.name}' has a \`health-check\` in environment '${model.environment}', but finc cannot attach one there: ${why}.`,
        hint: "Remove the `health-check` (the records then follow the load balancer's target health, or on gcp and azure the primary alone publishes them).",
      }));
      continue;
    }
    // The hosts are the same on every cluster (they run the same services): one report per host.
    for (const u of healthCheckTargets(view).unchecked.filter((x) => !reported.has(x.host) && reported.add(x.host)))
      report(diag("FIN4102", u.origin, {
        message: `Cluster '${c.name}' routes DNS by its \`health-check\`, but exposed host '${u.host}' has no HTTP path a Route 53 check can GET: ${u.why}.`,
        hint: `Give the service an HTTP readiness probe on the exposed port (\`probe readiness /ready\`) or a \`smoke-test /<path>\` there; or remove the cluster's \`health-check\`.`,
      }));
  }
}
