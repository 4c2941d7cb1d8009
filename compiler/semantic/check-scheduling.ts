import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { containerPortOf, type PlatformModel, type ServiceModel } from "../model/platform-model.js";
import { DEFAULT_PROFILING_NAMESPACE } from "../model/profiling.js";
import { workloadKind } from "../model/workload-kind.js";
import type { NodeRequirement } from "../model/scheduling.js";
import { inPciScope, PCI_TAINT } from "../model/nodepool-model.js";
import { isJurisdiction, jurisdictionRegions, regionInJurisdiction } from "../model/residency-regions.js";

/**
 * Scheduling and profiling fields that parse but cannot do what they say (issue 14 item 4):
 * FIN4089 (warning) a hard spread that has nothing to spread or cannot be met; FIN4090 a
 * `profile` with no profiler to admit, or naming an unknown environment; FIN4091 a pprof port
 * that is also a serving port (the gateway or callers would reach the profiler's endpoint).
 */
export function checkScheduling(model: PlatformModel, report: (d: Diagnostic) => void): void {
  for (const s of model.services) {
    checkNodeRequirements(model, s, report);
    checkSpread(model, s, report);
    checkProfile(model, s, report);
  }
}

/** The regions residency pins the namespace to (as the pod emitter computes them), or undefined without residency. */
function residencyRegions(model: PlatformModel, namespace: string): string[] | undefined {
  const residency = model.namespaces.find((n) => n.name === namespace)?.residency;
  if (!residency) return undefined;
  const cloud = model.platform.cloud;
  const inside = model.platform.regions.map((r) => r.name).filter((r) => regionInJurisdiction(cloud, residency, r));
  if (!inside.length && !model.platform.regions.length && isJurisdiction(residency)) return [...jurisdictionRegions(cloud, residency)];
  return inside;
}

/** Why no node can carry labels meeting all of `reqs` together (same key: values intersected), or undefined. */
function contradiction(reqs: readonly (NodeRequirement & { by: string })[]): string | undefined {
  const keys = new Set(reqs.map((r) => r.key));
  for (const key of keys) {
    const on = reqs.filter((r) => r.key === key);
    const absent = on.find((r) => r.operator === "DoesNotExist");
    const present = on.find((r) => r.operator !== "DoesNotExist" && r.operator !== "NotIn");
    if (absent && present) return `'${key}' must both be absent (${absent.by}) and set (${present.by})`;
    let allowed: Set<string> | undefined;
    for (const r of on.filter((x) => x.operator === "In")) allowed = new Set([...(r.values ?? [])].filter((v) => !allowed || allowed.has(v)));
    for (const r of on.filter((x) => x.operator === "NotIn")) for (const v of r.values ?? []) allowed?.delete(v);
    if (allowed && !allowed.size) return `no value of '${key}' meets ${on.map((r) => r.by).join(" and ")}`;
  }
  return undefined;
}

/**
 * FIN4088 when the required node terms cannot all hold on any node: the user's `on nodes` against
 * each other, the namespace's residency regions and the PCI pool's label (all are ANDed, pod.ts).
 */
function checkNodeRequirements(model: PlatformModel, s: ServiceModel, report: (d: Diagnostic) => void): void {
  if (!s.nodeRequirements?.length) return;
  const regions = residencyRegions(model, s.namespace);
  const reqs = [
    ...s.nodeRequirements.map((r) => ({ ...r, by: "`on nodes`" })),
    ...(regions?.length ? [{ key: "topology.kubernetes.io/region", operator: "In" as const, values: regions, by: `the namespace's residency (${regions.join(", ")})` }] : []),
    ...(inPciScope(model, s.namespace) ? [{ key: PCI_TAINT.key, operator: "In" as const, values: [PCI_TAINT.value], by: "the PCI node pool" }] : []),
  ];
  const why = contradiction(reqs);
  if (why)
    report(diag("FIN4088", s.fields["on"] ?? s.origin, {
      message: `No node can run '${s.name}': ${why}, and its pods must meet every required node term at once.`,
      hint: "Remove or widen the `on nodes` requirement that contradicts the others (residency regions and PCI placement are set by the namespace and the node pools).",
    }));
}

/** The zones the cluster's nodes are in, when every node pool lists them (else unknown). */
function knownZones(model: PlatformModel): number | undefined {
  const pools = model.nodePools ?? [];
  if (!pools.length || pools.some((p) => !p.zones.length)) return undefined;
  return new Set(pools.flatMap((p) => p.zones)).size;
}

function checkSpread(model: PlatformModel, s: ServiceModel, report: (d: Diagnostic) => void): void {
  const kind = workloadKind(s);
  for (const rule of s.spread ?? []) {
    if (rule.mode !== "hard") continue;
    const what = rule.form === "across" ? `spread hard across ${rule.topology}` : `spread hard one-per ${rule.topology.slice(0, -1)}`;
    if (s.replicas.max <= 1) {
      report(diag("FIN4089", rule.range, {
        message: `'${s.name}' runs ${kind === "job" || kind === "cronjob" ? "one pod per run" : "at most one replica"}: \`${what}\` has nothing to spread, and a hard rule only adds a way for its pod to stay Pending.`,
        hint: kind === "job" || kind === "cronjob" ? "Remove the `spread` line." : "Raise `replicas` (at least 2, e.g. `replicas 3`), or write `spread soft …`.",
      }));
      continue;
    }
    if (rule.topology === "zones" && model.platform.cloud === "onprem") {
      report(diag("FIN4089", rule.range, {
        message: `\`${what}\` on cloud onprem: nodes carry \`topology.kubernetes.io/zone\` only if the cluster's installer labels them, and under a hard rule a node without it is never chosen, so '${s.name}' would stay Pending on an unlabelled (single-zone) cluster.`,
        hint: "Label every node with its zone (`kubectl label node <n> topology.kubernetes.io/zone=<zone>`), or write `spread soft across zones` / `spread hard across nodes`.",
      }));
      continue;
    }
    const zones = knownZones(model);
    if (rule.form === "one-per" && rule.topology === "zones" && zones !== undefined && s.replicas.max > zones) {
      report(diag("FIN4089", rule.range, {
        message: `\`${what}\` allows one pod of '${s.name}' per zone, but its node pools span ${zones} zone${zones === 1 ? "" : "s"} and it may run ${s.replicas.max} replicas: ${s.replicas.max - zones} would stay Pending.`,
        hint: "Write `spread hard across zones` (an even spread, any number of pods per zone), or keep the replicas at most the number of zones.",
      }));
    }
  }
}

/** Ports Istio's sidecar and ztunnel listen on or reserve inside the pod (Istio's "Ports used by Istio"). */
const ISTIO_PORTS = [15000, 15001, 15004, 15006, 15008, 15009, 15020, 15021, 15053, 15090];

function checkProfile(model: PlatformModel, s: ServiceModel, report: (d: Diagnostic) => void): void {
  const p = s.profile;
  if (!p) return;
  if (!model.platform.profiling)
    report(diag("FIN4090", p.range, {
      message: `'${s.name}' opens a pprof port, but the platform names no profiler: nothing would be admitted to it, and nothing scrapes it.`,
      hint: `Add \`profiling parca\` (or \`profiling pyroscope\`; \`namespace <ns>\` where its scraper runs, default ${DEFAULT_PROFILING_NAMESPACE.parca} / ${DEFAULT_PROFILING_NAMESPACE.pyroscope}) to the platform.`,
    }));
  for (const e of p.environments ?? [])
    if (!model.platform.environments.includes(e.name))
      report(diag("FIN4090", e.range, {
        message: `'${e.name}' is not one of the platform's environments (${model.platform.environments.join(", ")}).`,
        hint: "Name the environments the profile is on in: `profile pprof on 6060 in dev staging`.",
      }));
  const clash = s.ports.find((x) => containerPortOf(x) === p.port || x.port === p.port);
  if (!clash && model.platform.mesh === "istio" && ISTIO_PORTS.includes(p.port))
    report(diag("FIN4091", p.portRange, {
      message: `Port ${p.port} belongs to Istio in the pod (its sidecar or ztunnel listens on or reserves 15000–15090): the pprof server could not bind it, or its traffic would bypass the policies.`,
      hint: "Use a port of the application's own, such as `profile pprof on 6060`.",
    }));
  if (clash) {
    const exposed = s.expose.length > 0 || s.serviceType !== undefined;
    report(diag("FIN4091", p.portRange, {
      message: `Port ${p.port} is already '${s.name}''s ${clash.name} port${exposed ? ", which the gateway or load balancer routes to" : ", which its callers reach"}: the pprof endpoint (stacks, heap, command line) must never be served there.`,
      hint: "Serve pprof on a port of its own (`profile pprof on 6060`, with `net/http/pprof` on a separate `http.Server`), which only the profiling namespace reaches.",
    }));
  }
}
