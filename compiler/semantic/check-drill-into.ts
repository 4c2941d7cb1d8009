import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { DatabaseModel, PlatformModel } from "../model/platform-model.js";

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** `<db>-restore` and CloudNativePG's `-rw`/`-1` suffixes must stay DNS labels. */
const NAMESPACE_MAX = 63;

/**
 * `drill … into namespace <scratch>` (FIN4078 on the namespace's name): the scratch namespace is
 * finc's own — a Namespace it emits, where the drill's Role may create Clusters — so it must not
 * be one the spec declares; the form is built on cloud aws and gcp (IRSA or GKE Workload Identity on the restored Cluster), and not
 * yet with a `registry` (the scratch namespace has no pull secret, and the kubectl image is Docker Hub's).
 */
export function checkDrillInto(model: PlatformModel, db: DatabaseModel, report: (d: Diagnostic) => void): void {
  const into = db.drill?.into;
  if (!into) return;
  const say = (why: string, hint: string) => report(diag("FIN4078", into.origin, { name: db.name, why, hint }));
  const p = model.platform;
  if (p.cloud !== "aws" && p.cloud !== "gcp") return say(`\`into namespace\` form restores a Cluster with IRSA or GKE Workload Identity and is built on \`cloud aws\` and \`cloud gcp\` only, not on \`cloud ${p.cloud}\``, "Drop `into namespace …`: the drill then restores inside its own pod, which works on every cloud finc creates an object store on.");
  if (!DNS_LABEL.test(into.name) || into.name.length > NAMESPACE_MAX) return say(`scratch namespace '${into.name}' is not a Kubernetes namespace name (lower-case letters, digits and '-', at most ${NAMESPACE_MAX})`, "Name it e.g. `into namespace drill-scratch`.");
  if (into.name === db.namespace || model.namespaces.some((n) => n.name === into.name)) return say(`scratch namespace '${into.name}' is a namespace the spec declares: finc emits the scratch namespace itself, and the drill's Role there may create and delete PostgreSQL Clusters`, `Name a namespace of its own, e.g. \`into namespace ${db.name}-drill\`.`);
  if (p.registry) return say(`\`into namespace\` form does not yet carry the registry's pull secret into the scratch namespace, and its kubectl image (alpine/k8s) is not from ${p.registry.host}`, "Drop `into namespace …` on a platform with a `registry`: the drill then restores inside its own pod.");
}
