import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { isCatchAll } from "../../model/catch-all-host.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { dnsAnnotations, groupBy, hostName, ingressGateway, meshOn, tlsSecretName, type ExposedRoute } from "../istio/common.js";
import { PRIVATE_RANGES } from "../../model/service-exposure.js";
import { document, type EmittedDocument } from "../output.js";

/** The IngressClass AGIC watches (its Helm chart's default). */
export const AGIC_CLASS = "azure-application-gateway";

/**
 * Where Application Gateway's packets come from as a pod sees them: its instances live in their own
 * subnet of the VNet and connect to the pod IPs (Azure CNI / overlay), so an ipBlock of the VNet
 * admits them; finc does not know the VNet's range: the private ranges (as for `ingress alb`).
 * With the mesh it fronts the Istio gateway, whose identity the services admit.
 */
export function agicSourceRanges(model: PlatformModel): readonly string[] {
  return model.platform.ingress === "application-gateway" && !meshOn(model) ? PRIVATE_RANGES : [];
}

function probeAnnotations(s: ServiceModel): Record<string, string> {
  const probe = s.probes.readiness;
  return probe && !probe.check ? { "appgw.ingress.kubernetes.io/health-probe-path": probe.path } : {};
}

/**
 * `ingress application-gateway` (AGIC): the IngressClass and an Ingress per host, namespace and
 * service (probes are per Ingress). Application Gateway terminates TLS with the cert-manager
 * Secret of the host (AGIC uploads it), redirects HTTP to HTTPS, speaks HTTP to the pods, and
 * `ingress application-gateway waf "<WAF policy resource ID>"` attaches a WAF policy to the paths.
 */
export function agicDocuments(model: PlatformModel, routes: readonly ExposedRoute[]): EmittedDocument[] {
  const origin = model.platform.fields["ingress"] ?? model.platform.origin;
  const docs: EmittedDocument[] = [document(`_cluster/ingressclass-${AGIC_CLASS}.yaml`, {
    apiVersion: "networking.k8s.io/v1",
    kind: "IngressClass",
    metadata: metadata(AGIC_CLASS, undefined, labels(model, AGIC_CLASS, "ingress")),
    spec: { controller: "azure/application-gateway" },
  }, origin)];
  const mesh = meshOn(model);
  const g = ingressGateway(model);
  const groups = groupBy(routes, (r) => (mesh ? `${r.host}|${g.namespace}|${g.service}` : `${r.host}|${r.service.namespace}|${r.service.name}`));
  const perHostNs = groupBy([...groups.keys()], (k) => k.split("|").slice(0, 2).join("|"));
  for (const [key, rs] of groups) {
    const [host, ns] = key.split("|") as [string, string];
    const tls = rs.some((r) => r.tls) && !isCatchAll(host);
    const shared = (perHostNs.get(`${host}|${ns}`)?.length ?? 1) > 1;
    const name = shared ? `${hostName(host)}-${rs[0]!.service.name}`.slice(0, 63) : hostName(host);
    const paths = mesh
      ? [{ path: "/", pathType: "Prefix", backend: { service: { name: g.service, port: { number: 80 } } } }]
      : rs.map((r) => ({ path: r.path, pathType: "Prefix", backend: { service: { name: r.service.name, port: { number: r.port } } } }));
    docs.push(document(`${ns}/ingress-${name}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: metadata(name, ns, labels(model, hostName(host), "ingress"), {
        ...dnsAnnotations(model, [host]),
        "appgw.ingress.kubernetes.io/ssl-redirect": String(tls),
        "appgw.ingress.kubernetes.io/backend-protocol": "http",
        ...(mesh ? { "appgw.ingress.kubernetes.io/health-probe-path": "/healthz/ready", "appgw.ingress.kubernetes.io/health-probe-port": "15021" } : probeAnnotations(rs[0]!.service)),
        ...(model.platform.waf ? { "appgw.ingress.kubernetes.io/waf-policy-for-path": model.platform.waf } : {}),
      }),
      spec: {
        ingressClassName: AGIC_CLASS,
        ...(tls ? { tls: [{ hosts: [host], secretName: tlsSecretName(host) }] } : {}),
        rules: [{ ...(isCatchAll(host) ? {} : { host }), http: { paths } }],
      },
    }, rs[0]!.origin, Object.fromEntries(rs.map((r, i) => [`/spec/rules/0/http/paths/${i}`, r.origin]))));
  }
  return docs;
}
