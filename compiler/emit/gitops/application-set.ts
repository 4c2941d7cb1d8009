import type { Manifest } from "../output.js";
import { ARGOCD_NAMESPACE, application, applicationName, type ArgoEnvironment } from "./argocd.js";

/**
 * A multi-cluster environment's Argo CD federation: one `ApplicationSet` whose list generator
 * has an element per cluster (its output directory and its registered cluster name), and whose
 * template is the environment's `Application` (application()) with those two filled in. It
 * generates exactly the Applications `application()` would write per cluster (same names, so the
 * AppProject's sync windows apply), and adding a cluster to the spec adds an element, not a file.
 * Deleting the ApplicationSet leaves a production environment's Applications and objects running.
 */
export function applicationSet(platform: string, environment: string, clusters: readonly ArgoEnvironment[]): Manifest {
  const apps = clusters.map((c) => application(platform, c));
  const first = apps[0]!;
  const spec = first["spec"] as Record<string, unknown>;
  const metadata = first["metadata"] as { labels: Record<string, string>; finalizers?: string[] };
  // Every cluster's autoscaled replica counts (a standby runs fewer kinds of workloads than the primary).
  const ignored = new Map<string, unknown>();
  for (const a of apps) for (const d of ((a["spec"] as { ignoreDifferences?: Record<string, unknown>[] }).ignoreDifferences ?? [])) ignored.set(JSON.stringify(d), d);
  const ignoreDifferences = [...ignored.keys()].sort().map((k) => ignored.get(k));
  const source = spec["source"] as Record<string, unknown>;
  const production = !metadata.finalizers;
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "ApplicationSet",
    metadata: { name: applicationName(platform, environment), namespace: ARGOCD_NAMESPACE, labels: { ...metadata.labels, "finc.dev/environment": environment } },
    spec: {
      goTemplate: true,
      goTemplateOptions: ["missingkey=error"],
      generators: [{
        list: {
          elements: clusters.map((c, i) => ({
            cluster: c.model.cluster?.name ?? c.environment,
            role: c.model.cluster?.role ?? "primary",
            output: c.environment,
            path: ((apps[i]!["spec"] as { source: { path: string } }).source.path),
            destination: ((apps[i]!["spec"] as { destination: { name?: string; server?: string } }).destination.name ?? ""),
          })),
        },
      }],
      template: {
        metadata: {
          name: `${platform}-{{.output}}`,
          labels: { ...metadata.labels, "finc.dev/environment": "{{.output}}", "finc.dev/cluster": "{{.cluster}}", "finc.dev/cluster-role": "{{.role}}" },
          ...(metadata.finalizers ? { finalizers: metadata.finalizers } : {}),
        },
        spec: {
          ...spec,
          source: { ...source, path: "{{.path}}" },
          destination: { name: "{{.destination}}" },
          ...(ignoreDifferences.length ? { ignoreDifferences } : {}),
        },
      },
      // Production: removing the ApplicationSet must not delete what its Applications deployed.
      ...(production ? { syncPolicy: { preserveResourcesOnDeletion: true } } : {}),
    },
  };
}
