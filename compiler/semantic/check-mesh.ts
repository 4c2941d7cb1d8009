import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { sidecarMesh } from "../model/mesh.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * Whether the mesh can run as the platform installs it:
 * - sidecar mode without the Istio CNI injects an `istio-init` container with NET_ADMIN and
 *   NET_RAW into every pod; Pod Security `restricted` and `baseline` reject it (neither allows
 *   adding those capabilities), so the namespace's pods would never be admitted (FIN4045);
 * - `gateway` describes the Istio ingress gateway and does nothing without `ingress istio` (FIN4048).
 */
export function checkMesh(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  if (sidecarMesh(model) && !p.meshCni) {
    for (const ns of model.namespaces) {
      if (ns.security === "privileged") continue;
      const security = ns.fields["security"];
      report(diag("FIN4045", p.fields["mesh"] ?? p.origin, { namespace: ns.name, level: ns.security }, {
        related: [{ message: security ? `'${ns.name}' enforces ${ns.security} here` : `'${ns.name}' is restricted by default`, range: security ?? ns.origin }],
      }));
    }
  }
  if (p.fields["gateway"] && p.ingress !== "istio")
    report(diag("FIN4048", p.fields["gateway"], { why: `the platform's ingress is ${p.ingress}, so finc emits no Istio Gateway and admits no Istio gateway identity` }));
}
