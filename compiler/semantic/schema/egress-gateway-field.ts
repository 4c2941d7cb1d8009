import type { GatewayRead } from "../../model/mesh.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";
import { readGatewayPlacement } from "./gateway-field.js";

/**
 * `egress-gateway yes | istioctl | helm <release> [namespace <ns>] [account <sa>] [labels k=v …]`:
 * external hosts leave through the Istio egress gateway, which runs as installed (defaults in
 * model/egress-gateway.ts). Read like `gateway`, its ingress counterpart.
 */
export const egressGatewayField = field({
  doc:
    "Route every external host the workloads declare (`egress \"<host>\" <port>`, cloud services, Kafka brokers outside the cluster) through the Istio egress gateway: the workloads' NetworkPolicy then reaches only the gateway's pods, the sidecars send each host to the gateway inside Istio mTLS, and an AuthorizationPolicy on the gateway admits per host only the workloads that declared it. Needs `mesh istio` with sidecars. " +
    "`yes`: Istio's `gateway` Helm chart as release `istio-egressgateway` in namespace `istio-egress` (service account and Service `istio-egressgateway`, pods labelled `istio: egressgateway`, listening on 443). " +
    "`istioctl`: istioctl's `istio-egressgateway` (namespace `istio-system`, service account `istio-egressgateway-service-account`, Service 443 → pod 8443). `helm <release>`: the chart's names for that release. `namespace`, `account` and `labels` override any of them.",
  syntax: "yes | istioctl | helm <release> [namespace <ns>] [account <service account>] [labels <key>=<value> …]",
  example: "yes",
  values: ["yes", "istioctl", "helm", "namespace", "account", "labels"],
  keywords: { "*": ["namespace", "account", "labels"], yes: ["namespace", "account", "labels"], istioctl: ["namespace", "account", "labels"] },
  read: (ctx) =>
    single(ctx, (r): GatewayRead | undefined => {
      r.accept("yes");
      return readGatewayPlacement(r, "egress-gateway yes, egress-gateway istioctl, or egress-gateway helm istio-egressgateway namespace istio-egress");
    }),
});
