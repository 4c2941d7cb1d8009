import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { Cloud, IngressController, PlatformModel } from "../model/platform-model.js";

/** The cloud whose load balancers each cloud-native ingress controller provisions. */
const CLOUD_OF: Partial<Record<IngressController, { cloud: Cloud; controller: string }>> = {
  alb: { cloud: "aws", controller: "the AWS Load Balancer Controller provisions Application Load Balancers in AWS only" },
  gce: { cloud: "gcp", controller: "the GKE Ingress controller runs on GKE only" },
  "application-gateway": { cloud: "azure", controller: "the Application Gateway Ingress Controller configures an Azure Application Gateway" },
};

/**
 * A cloud-native ingress runs on its own cloud only: `ingress alb` elsewhere would leave every
 * Ingress unreconciled (no controller watches its class) and the hosts unreachable.
 */
export function checkIngressCloud(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  const native = CLOUD_OF[p.ingress];
  if (native && native.cloud !== p.cloud)
    report(diag("FIN4093", p.fields["ingress"] ?? p.origin, { field: `ingress ${p.ingress}`, why: `needs \`cloud ${native.cloud}\` (the platform is on ${p.cloud}): ${native.controller}`, hint: "Use the ingress of the platform's cloud (`alb` on aws, `gce` on gcp, `application-gateway` on azure), or one that runs anywhere (`istio`, `nginx`, `traefik`)." }));
}
