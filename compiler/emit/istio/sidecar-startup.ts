import { sidecarMesh } from "../../model/mesh.js";
import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { isBatch } from "../../model/workload-kind.js";

/**
 * A `migrate` init container talks to the database before the app starts, but a classic
 * Istio sidecar starts after all init containers, while the redirection (istio-init or the
 * CNI) is already in place: the migration's connection goes to a proxy that is not running.
 *
 * finc turns on native sidecars for such pods (`sidecar.istio.io/nativeSidecar: "true"`,
 * Kubernetes ≥ 1.29 — finc targets 1.31 — and Istio ≥ 1.20): istio-proxy becomes an init
 * container with `restartPolicy: Always` that starts before `migrate`, so the migration's
 * traffic goes through the mesh with the pod's identity and passes the database's STRICT mTLS
 * and AuthorizationPolicy. The alternative, `traffic.sidecar.istio.io/excludeOutboundPorts`
 * for the database port, would send the migration's traffic around the proxy in plain TCP,
 * which the database's sidecar rejects under STRICT mTLS — and it would bypass the mesh for
 * the app container's connections to that port too.
 *
 * A Job's or CronJob's pod needs native sidecars too: a classic istio-proxy container keeps
 * running after the job's container exits, so the pod never completes and the Job never
 * finishes (nor does a Forbid CronJob ever run again). A native sidecar is stopped by the
 * kubelet once the main containers have exited.
 *
 * The same for `init` containers (they run before the app, like `migrate`), and for a `drain`
 * (pod-details.ts): a classic istio-proxy gets SIGTERM with the app and exits after its own
 * drain (5s by default), so the app, still serving through its preStop sleep and then finishing
 * its requests, would lose the mesh under it; a native sidecar stops only after the app exits.
 */
export function sidecarStartupAnnotations(model: PlatformModel, s: ServiceModel): Record<string, string> {
  return sidecarMesh(model) && (s.migrate || s.inits?.length || s.drainSeconds !== undefined || isBatch(s)) ? { "sidecar.istio.io/nativeSidecar": "true" } : {};
}
