import type { DeliveryModel } from "../../model/delivery-model.js";
import { environmentPath } from "../../model/delivery-model.js";
import { isProduction } from "../../model/environment-kind.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { baseEnvironment } from "../../model/cluster-topology.js";
// A Go duration too (6h, 90m), the form Argo CD's sync windows take.
import { formatDuration } from "../../model/units.js";
import type { EmittedDocument, Manifest } from "../output.js";

/** Argo CD's own namespace: Applications and AppProjects live there (its install default). */
export const ARGOCD_NAMESPACE = "argocd";
/** The cluster Argo CD runs in, when an environment names no `cluster` of its own. */
export const IN_CLUSTER = "https://kubernetes.default.svc";

export interface ArgoEnvironment {
  readonly environment: string;
  readonly model: PlatformModel & { readonly platform: { readonly delivery: DeliveryModel } };
  readonly documents: readonly EmittedDocument[];
}

interface GroupKind {
  readonly group: string;
  readonly kind: string;
}

const labels = (platform: string, environment?: string): Record<string, string> => ({
  "app.kubernetes.io/part-of": platform,
  "app.kubernetes.io/managed-by": "finc",
  ...(environment ? { "finc.dev/environment": environment } : {}),
});

export const applicationName = (platform: string, environment: string): string => `${platform}-${environment}`;

/** Argo CD addresses a registered cluster by name; the environment's `cluster` is that name. */
function destination(model: PlatformModel): { name: string } | { server: string } {
  return model.platform.cluster ? { name: model.platform.cluster } : { server: IN_CLUSTER };
}

function groupKindOf(o: Manifest): GroupKind {
  const apiVersion = String(o["apiVersion"] ?? "");
  return { group: apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "", kind: String(o["kind"] ?? "") };
}

const namespaceOf = (o: Manifest): string | undefined => ((o["metadata"] ?? {}) as { namespace?: string }).namespace;

function sortedUnique<T>(items: readonly T[], key: (t: T) => string): T[] {
  const byKey = new Map(items.map((t) => [key(t), t] as const));
  return [...byKey.keys()].sort().map((k) => byKey.get(k)!);
}

/**
 * The replica counts an autoscaler owns (HPA or KEDA ScaledObject targets): Argo CD must not
 * reset them to the manifest's value on every self-heal.
 */
function autoscaledReplicas(docs: readonly EmittedDocument[]): Manifest[] {
  const out: Manifest[] = [];
  for (const d of docs) {
    const { group, kind } = groupKindOf(d.object);
    if (!((group === "autoscaling" && kind === "HorizontalPodAutoscaler") || (group === "keda.sh" && kind === "ScaledObject"))) continue;
    const target = ((d.object["spec"] ?? {}) as { scaleTargetRef?: { apiVersion?: string; kind?: string; name?: string } }).scaleTargetRef;
    if (!target?.name) continue;
    const targetGroup = (target.apiVersion ?? "apps/v1").split("/").length === 2 ? (target.apiVersion ?? "apps/v1").split("/")[0]! : "";
    out.push({ group: targetGroup, kind: target.kind ?? "Deployment", name: target.name, namespace: namespaceOf(d.object) ?? "", jsonPointers: ["/spec/replicas"] });
  }
  return sortedUnique(out, (m) => `${m["group"]}/${m["kind"]}/${m["namespace"]}/${m["name"]}`);
}

export function application(platform: string, env: ArgoEnvironment): Manifest {
  const { delivery } = env.model.platform;
  const production = isProduction(baseEnvironment(env.model));
  const ignoreDifferences = autoscaledReplicas(env.documents);
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "Application",
    metadata: {
      name: applicationName(platform, env.environment),
      namespace: ARGOCD_NAMESPACE,
      labels: labels(platform, env.environment),
      // Deleting a non-production Application removes what it deployed; in production it
      // leaves everything running (a mistaken delete must not take the bank down).
      ...(production ? {} : { finalizers: ["resources-finalizer.argocd.argoproj.io"] }),
    },
    spec: {
      project: platform,
      source: { repoURL: delivery.repo, targetRevision: delivery.revision, path: environmentPath(delivery, env.environment), directory: { recurse: true } },
      destination: destination(env.model),
      ...(ignoreDifferences.length ? { ignoreDifferences } : {}),
      syncPolicy: {
        // Production changes only when a person syncs it (inside the project's window).
        ...(production ? {} : { automated: { enabled: true, prune: true, selfHeal: true, allowEmpty: false } }),
        syncOptions: [
          "CreateNamespace=false",
          "ServerSideApply=true",
          "PruneLast=true",
          "FailOnSharedResource=true",
          ...(ignoreDifferences.length ? ["RespectIgnoreDifferences=true"] : []),
        ],
        retry: { limit: 5, backoff: { duration: "10s", factor: 2, maxDuration: "3m" } },
      },
      revisionHistoryLimit: 10,
    },
  };
}

/**
 * One project for the platform: only its repositories, only the clusters and namespaces its
 * environments deploy to, only the kinds finc emits (cluster-scoped ones listed one by one),
 * and production's sync window.
 */
export function appProject(platform: string, envs: readonly ArgoEnvironment[]): Manifest {
  const repos = sortedUnique(envs.map((e) => e.model.platform.delivery.repo), (r) => r);
  const destinations = sortedUnique(
    envs.flatMap((e) => {
      const dest = destination(e.model);
      const namespaces = new Set(e.documents.map((d) => namespaceOf(d.object)).filter((n): n is string => !!n));
      return [...namespaces].map((namespace) => ({ ...dest, namespace }));
    }),
    (d) => `${"name" in d ? d.name : d.server}/${d.namespace}`,
  );
  const kinds = (scoped: boolean): GroupKind[] =>
    sortedUnique(
      envs.flatMap((e) => e.documents.filter((d) => !!namespaceOf(d.object) === scoped).map((d) => groupKindOf(d.object))),
      (gk) => `${gk.group}/${gk.kind}`,
    );
  const windows = envs.filter((e) => isProduction(baseEnvironment(e.model)) && e.model.platform.delivery.window);
  const syncWindows = sortedUnique(
    windows.map((e) => {
      const w = e.model.platform.delivery.window!;
      return { kind: "allow", schedule: w.schedule, duration: formatDuration(w.durationMs), applications: [applicationName(platform, e.environment)], ...(w.timeZone ? { timeZone: w.timeZone } : {}) };
    }),
    (w) => w.applications[0]!,
  );
  return {
    apiVersion: "argoproj.io/v1alpha1",
    kind: "AppProject",
    metadata: { name: platform, namespace: ARGOCD_NAMESPACE, labels: labels(platform) },
    spec: {
      description: `The ${platform} platform, as finc builds it.`,
      sourceRepos: repos,
      destinations,
      clusterResourceWhitelist: kinds(false),
      namespaceResourceWhitelist: kinds(true),
      // Objects in these namespaces that are not in Git show up in the UI: drift someone applied by hand.
      orphanedResources: { warn: true },
      ...(syncWindows.length ? { syncWindows } : {}),
    },
  };
}
