import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * `service-type` where it would bypass a guarantee (FIN3029):
 * - under `compliance pci-dss`, a node port opens the port on every node's address, past any
 *   ingress control point (PCI DSS 1.3: inbound traffic from untrusted networks only through a
 *   controlled point), and an internet-facing balancer forwards raw TCP from the internet straight
 *   to the pods, with no TLS termination finc can vouch for (4.2). An internal balancer stays
 *   inside the private network and is accepted. The public way in is `expose … tls <issuer>`.
 * - with `mesh istio`, the pods accept only mTLS (STRICT), which the balancer's plaintext is not:
 *   the Service would be unreachable. The way in is the mesh's ingress gateway (`expose`).
 */
export function checkServiceExposure(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const pci = model.platform.compliance.includes("pci-dss");
  for (const s of model.services) {
    const t = s.serviceType;
    const range = (t && t.kind !== "cluster-ip" ? t.origin : undefined) ?? s.fields["service-type"];
    if (!t || t.kind === "cluster-ip" || !range) continue;
    const open = t.kind === "node-port" || !t.internal;
    const what = t.kind === "node-port" ? "a node port" : t.internal ? "an internal load balancer" : "an internet-facing load balancer";
    if (pci && open)
      report(diag("FIN3029", range, {
        message: `Under \`compliance pci-dss\` '${s.name}' cannot be reached through ${what}: it takes traffic from outside the cluster straight to the pods, past the ingress that terminates TLS (PCI DSS 1.3, 4.2).`,
        hint: `Expose it through the ingress: \`expose "<host>" tls <issuer>\`; or keep it inside the private network: \`service-type load-balancer internal\`.`,
      }));
    else if (model.platform.mesh === "istio")
      report(diag("FIN3029", range, {
        message: `'${s.name}' cannot be reached through ${what} with \`mesh istio\`: its pods accept only mutual TLS from the mesh, and the balancer's traffic is plain.`,
        hint: `Route outside traffic through the mesh's ingress gateway: \`expose "<host>" tls <issuer>\`.`,
      }));
  }
}
