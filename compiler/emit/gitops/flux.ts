import type { DeliveryModel } from "../../model/delivery-model.js";
import { environmentPath } from "../../model/delivery-model.js";
import { isProduction } from "../../model/environment-kind.js";
import type { Manifest } from "../output.js";

/** Flux's own namespace (`flux bootstrap` installs there). */
export const FLUX_NAMESPACE = "flux-system";
/** The directory of an environment's cluster-scoped objects in finc's output. */
const CLUSTER_DIR = "_cluster";

const labels = (platform: string, environment: string): Record<string, string> => ({
  "app.kubernetes.io/part-of": platform,
  "app.kubernetes.io/managed-by": "finc",
  "finc.dev/environment": environment,
});

/** The Secret with the repository's credentials the platform team creates (`flux create secret git`). */
export const gitSecretName = (platform: string): string => `${platform}-git`;

/** Flux takes ssh remotes only as URLs: `git@host:org/repo.git` → `ssh://git@host/org/repo.git`. */
export function fluxUrl(repo: string): string {
  const scp = /^([\w.-]+@[A-Za-z0-9.-]+):(.+)$/.exec(repo);
  return scp && !repo.includes("://") ? `ssh://${scp[1]}/${scp[2]}` : repo;
}

/** A revision as Flux's GitRepository ref: a full commit SHA, a full ref name, else a branch. */
function ref(revision: string): Record<string, string> {
  if (/^[0-9a-f]{40}$/.test(revision)) return { commit: revision };
  if (revision.startsWith("refs/")) return { name: revision };
  return { branch: revision };
}

/** The source of the namespaced Kustomization: the same repository without the cluster-scoped directories. */
export const namespacedSource = (platform: string): string => `${platform}-namespaced`;

/**
 * The repository twice: whole, for the cluster-scoped Kustomization, and without every
 * `_cluster/` directory (a .sourceignore rule; Flux's Kustomization has no path filter), so that
 * no object is managed by two Kustomizations.
 */
export function gitRepositories(platform: string, environment: string, delivery: DeliveryModel): Manifest[] {
  const spec = { interval: "1m", url: fluxUrl(delivery.repo), ref: ref(delivery.revision), secretRef: { name: gitSecretName(platform) }, timeout: "60s" };
  const meta = (name: string) => ({ name, namespace: FLUX_NAMESPACE, labels: labels(platform, environment) });
  return [
    { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: meta(platform), spec },
    { apiVersion: "source.toolkit.fluxcd.io/v1", kind: "GitRepository", metadata: meta(namespacedSource(platform)), spec: { ...spec, ignore: `# Applied by the cluster-scoped Kustomization.\n${CLUSTER_DIR}/\n` } },
  ];
}

/**
 * Two Kustomizations per environment, run by the Flux of that environment's cluster: the
 * cluster-scoped objects (storage and priority classes, cluster-wide stores and issuers) first,
 * then the namespaces and everything in them, which depends on it. Production is suspended:
 * a person resumes it (`flux resume kustomization …`) to deploy, as with Argo CD's manual sync;
 * deleting its Kustomization orphans, never deletes, what it deployed.
 */
export function kustomizations(platform: string, environment: string, delivery: DeliveryModel, production = isProduction(environment)): Manifest[] {
  const root = environmentPath(delivery, environment);
  const name = `${platform}-${environment}`;
  const common = {
    interval: "10m",
    retryInterval: "1m",
    timeout: "5m",
    prune: true,
    wait: true,
    deletionPolicy: production ? "Orphan" : "Delete",
    ...(production ? { suspend: true } : {}),
  };
  const meta = (n: string) => ({ name: n, namespace: FLUX_NAMESPACE, labels: labels(platform, environment) });
  return [
    { apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", metadata: meta(`${name}-cluster`), spec: { ...common, sourceRef: { kind: "GitRepository", name: platform }, path: `./${root}/${CLUSTER_DIR}` } },
    { apiVersion: "kustomize.toolkit.fluxcd.io/v1", kind: "Kustomization", metadata: meta(name), spec: { ...common, sourceRef: { kind: "GitRepository", name: namespacedSource(platform) }, path: `./${root}`, dependsOn: [{ name: `${name}-cluster` }] } },
  ];
}
