import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { derivedNames, MESH_DENY_ALL, REGISTRY_SECRET, WAYPOINT, WAYPOINT_DENY_ALL } from "../model/generated-names.js";
import type { PlatformModel } from "../model/platform-model.js";
import type { DeclarationTable } from "./declarations.js";
import { isStateful, statefulServiceName } from "../model/volumes.js";

/**
 * FIN2014: a declaration may not take a name finc gives to an object of its own in the
 * same namespace, since one of the two objects would silently replace the other.
 *
 * The decision, per kind of derived name:
 * - Names derived from one declaration and put next to another's (`<service>-preview`,
 *   `<service>-<version>` of a split, `<service>-metrics`, `<service>-waypoint`) and fixed
 *   names (`allow-nothing`, `waypoint`, `registry-credentials`, the `default` ServiceAccount)
 *   are reserved here, reported at the declaration that takes them: these names are part
 *   of finc's documented output and other tools refer to them, so finc keeps them.
 * - Names where two correct declarations collide through an ambiguous mapping (hosts,
 *   `<namespace>-<database>`) are made collision-free instead (model/generated-names.ts):
 *   the user did nothing wrong there.
 * - Anything else is caught when the objects are built (FIN5001, emit/object-registry.ts).
 */

/** Output directories of the packaging targets: an environment of that name would write into them. */
const OUTPUT_DIRECTORIES = ["helm", "kustomize", "terraform"];
/** Namespaces the cluster runs its own components in: finc's default-deny there would cut them off. */
const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"];

interface Workload {
  readonly kind: "service" | "database";
  readonly name: string;
  readonly namespace: string;
  readonly range: SourceRange;
}

export function checkReservedNames(model: PlatformModel, table: DeclarationTable, report: (d: Diagnostic) => void): void {
  const nameRange = (space: string, name: string, fallback: SourceRange): SourceRange => table.lookup(space, name)?.nameRange ?? fallback;
  const workloads: Workload[] = [
    ...model.services.map((s) => ({ kind: "service" as const, name: s.name, namespace: s.namespace, range: nameRange("workload", s.name, s.origin) })),
    ...model.databases.map((d) => ({ kind: "database" as const, name: d.name, namespace: d.namespace, range: nameRange("workload", d.name, d.origin) })),
  ];
  const taken = (w: Workload, what: string): void => report(diag("FIN2014", w.range, { name: w.name, what, kind: w.kind }));
  const mesh = model.platform.mesh === "istio";
  const ambient = mesh && model.platform.meshMode === "ambient";

  // Fixed names in every namespace.
  const fixed = new Map<string, string>([["default", "the namespace's default ServiceAccount, which Kubernetes creates and every pod without its own account runs as"]]);
  if (mesh) fixed.set(MESH_DENY_ALL, "the namespace's deny-all AuthorizationPolicy (`mesh istio`)");
  if (ambient) {
    fixed.set(WAYPOINT, "the namespace's waypoint proxy, whose identity the mesh's policies trust (`mesh istio ambient`)");
    fixed.set(WAYPOINT_DENY_ALL, "the waypoint's deny-all AuthorizationPolicy (`mesh istio ambient`)");
  }
  for (const w of workloads) {
    const what = fixed.get(w.name);
    if (what) taken(w, what);
  }
  if (model.platform.registry?.credentials.kind === "store")
    for (const w of workloads) if (w.kind === "database" && derivedNames.dbCredentials(w.name) === REGISTRY_SECRET) taken(w, `the prefix of the registry's pull secret '${REGISTRY_SECRET}' (a database's credentials are '<database>-credentials')`);

  // Names derived from one service, in its namespace.
  const byKey = new Map(workloads.map((w) => [`${w.namespace}/${w.name}`, w]));
  const claim = (namespace: string, name: string, what: string, owner: string): void => {
    const w = byKey.get(`${namespace}/${name}`);
    if (w && w.name !== owner) taken(w, what);
  };
  const called = new Set(model.services.flatMap((s) => s.calls));
  for (const s of model.services) {
    const r = s.scaling?.rollout;
    if (r?.kind === "blue-green") {
      const preview = r.preview ?? derivedNames.previewService(s.name);
      if (r.preview && byKey.has(`${s.namespace}/${preview}`))
        report(diag("FIN2014", s.fields["rollout"] ?? s.origin, { name: preview, what: `the ${byKey.get(`${s.namespace}/${preview}`)!.kind} '${preview}'`, kind: "blue-green preview Service" }));
      else claim(s.namespace, preview, `the blue-green preview Service of service '${s.name}'`, s.name);
    }
    for (const v of s.traffic?.split?.slice(1) ?? [])
      if (v.image) claim(s.namespace, derivedNames.splitDeployment(s.name, v.version), `the Deployment of version ${v.version} of service '${s.name}' (\`split\`)`, s.name);
    if (mesh && model.platform.monitoring && s.ports.some((p) => p.name === "metrics"))
      claim(s.namespace, derivedNames.metricsPolicy(s.name), `the policy that lets Prometheus scrape the metrics port of service '${s.name}'`, s.name);
    if (isStateful(s)) claim(s.namespace, statefulServiceName(s.name), `the headless Service of '${s.name}' (\`volume … per-replica\`)`, s.name);
    if (ambient && called.has(s.name)) claim(s.namespace, derivedNames.waypointPolicy(s.name), `the waypoint AuthorizationPolicy for the callers of service '${s.name}'`, s.name);
  }
  // The CloudNativePG operator creates a database Cluster's Services itself: read-write, read-only, any instance.
  for (const d of model.databases)
    if (d.mode === "operator") for (const suffix of ["rw", "ro", "r"]) claim(d.namespace, `${d.name}-${suffix}`, `the '${suffix}' Service the CloudNativePG operator creates for database '${d.name}'`, d.name);

  for (const ns of model.namespaces)
    if (SYSTEM_NAMESPACES.includes(ns.name) || (mesh && ns.name === "istio-system"))
      report(diag("FIN2014", nameRange("namespace", ns.name, ns.origin), { name: ns.name, what: `a namespace the cluster runs its own components in (finc's default-deny policies would cut them off)`, kind: "namespace" }));
  const envRange = model.platform.fields["environments"] ?? model.platform.origin;
  if (OUTPUT_DIRECTORIES.includes(model.environment))
    report(diag("FIN2014", envRange, { name: model.environment, what: `the output directory of the ${model.environment} target`, kind: "environment" }));
}
