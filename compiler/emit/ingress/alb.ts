import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { containerPortOf } from "../../model/platform-model.js";
import { PRIVATE_RANGES } from "../../model/service-exposure.js";
import { isCatchAll } from "../../model/catch-all-host.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { dnsAnnotations, groupBy, hostName, ingressGateway, meshOn, type ExposedRoute } from "../istio/common.js";
import { document, type EmittedDocument } from "../output.js";

/** The IngressClass, its IngressClassParams and the IngressGroup every exposed host shares: one ALB. */
export const ALB_CLASS = "alb";
/** TLS 1.2 and 1.3 only (AWS's recommended policy for new listeners). */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Where the ALB's packets come from as a pod's NetworkPolicy sees them: with `target-type: ip`
 * the ALB's own ENIs (in the VPC's subnets) connect to the pod IPs, so only an ipBlock of the
 * VPC admits them. finc does not know the VPC's CIDR: the private ranges, as for an internal NLB
 * (service-exposure.ts). With the mesh the ALB targets the Istio gateway instead, whose identity
 * the services admit (ingressController in model/mesh.ts): no ipBlock on the services then.
 */
export function albSourceRanges(model: PlatformModel): readonly string[] {
  return model.platform.ingress === "alb" && !meshOn(model) ? PRIVATE_RANGES : [];
}

/** Health check of the target group from the service's HTTP readiness probe (the ALB's default `/` may 404). */
function healthCheckAnnotations(s: ServiceModel): Record<string, string> {
  const probe = s.probes.readiness;
  if (!probe || probe.check) return {};
  const port = s.ports.find((p) => p.name === probe.port);
  return {
    "alb.ingress.kubernetes.io/healthcheck-path": probe.path,
    ...(port ? { "alb.ingress.kubernetes.io/healthcheck-port": String(containerPortOf(port)) } : {}),
  };
}

function listenerAnnotations(tls: boolean): Record<string, string> {
  // The redirect needs the HTTP listener it redirects from; without TLS there is only HTTP.
  return tls
    ? { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]', "alb.ingress.kubernetes.io/ssl-redirect": "443" }
    : { "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80}]' };
}

function classDocuments(model: PlatformModel): EmittedDocument[] {
  const origin = model.platform.fields["ingress"] ?? model.platform.origin;
  const l = labels(model, ALB_CLASS, "ingress");
  return [
    document(`_cluster/ingressclass-${ALB_CLASS}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "IngressClass",
      metadata: metadata(ALB_CLASS, undefined, l),
      spec: { controller: "ingress.k8s.aws/alb", parameters: { apiGroup: "elbv2.k8s.aws", kind: "IngressClassParams", name: ALB_CLASS } },
    }, origin),
    document(`_cluster/ingressclassparams-${ALB_CLASS}.yaml`, {
      apiVersion: "elbv2.k8s.aws/v1beta1",
      kind: "IngressClassParams",
      metadata: metadata(ALB_CLASS, undefined, l),
      // One IngressGroup: every Ingress of the class shares one ALB (one per host would cost one ALB each).
      spec: { scheme: "internet-facing", group: { name: model.platform.name }, sslPolicy: ALB_SSL_POLICY, targetType: "ip" },
    }, origin),
  ];
}

function ingressDocument(model: PlatformModel, name: string, namespace: string, host: string, tls: boolean, annotations: Record<string, string>, paths: { path: string; service: string; port: number; origin: ExposedRoute["origin"] }[]): EmittedDocument {
  return document(`${namespace}/ingress-${name}.yaml`, {
    apiVersion: "networking.k8s.io/v1",
    kind: "Ingress",
    metadata: metadata(name, namespace, labels(model, hostName(host), "ingress"), {
      ...dnsAnnotations(model, [host]),
      "alb.ingress.kubernetes.io/target-type": "ip",
      ...listenerAnnotations(tls),
      // The web ACL is per ALB: every Ingress of the group names the same one.
      ...(model.platform.waf ? { "alb.ingress.kubernetes.io/wafv2-acl-arn": model.platform.waf } : {}),
      ...annotations,
    }),
    spec: {
      ingressClassName: ALB_CLASS,
      // No secretName: the ALB serves an ACM certificate, which the controller discovers by these hosts.
      ...(tls && !isCatchAll(host) ? { tls: [{ hosts: [host] }] } : {}),
      rules: [{
        ...(isCatchAll(host) ? {} : { host }),
        http: { paths: paths.map((p) => ({ path: p.path, pathType: "Prefix", backend: { service: { name: p.service, port: { number: p.port } } } })) },
      }],
    },
  }, paths[0]!.origin, Object.fromEntries(paths.map((p, i) => [`/spec/rules/0/http/paths/${i}`, p.origin])));
}

/**
 * `ingress alb` (AWS Load Balancer Controller). Without a mesh: an Ingress per host, namespace
 * and service (health checks are per Ingress), pods as targets. With the mesh: the ALB is in front of
 * the Istio ingress gateway (its Gateway and VirtualServices route as with `ingress istio`), one
 * Ingress per host in the gateway's namespace, to the gateway's HTTP port: the ALB terminates TLS
 * and sends no SNI, which an HTTPS Gateway server with hosts needs (istio/gateway.ts serves HTTP then).
 */
export function albDocuments(model: PlatformModel, routes: readonly ExposedRoute[]): EmittedDocument[] {
  const docs = classDocuments(model);
  if (meshOn(model)) {
    const g = ingressGateway(model);
    for (const [host, rs] of groupBy(routes, (r) => r.host)) {
      const tls = rs.some((r) => r.tls);
      docs.push(ingressDocument(model, hostName(host), g.namespace, host, tls, {
        // The gateway's readiness endpoint (its status port), not a service's path.
        "alb.ingress.kubernetes.io/healthcheck-path": "/healthz/ready",
        "alb.ingress.kubernetes.io/healthcheck-port": "15021",
      }, [{ path: "/", service: g.service, port: 80, origin: rs[0]!.origin }]));
    }
    return docs;
  }
  const groups = groupBy(routes, (r) => `${r.host}|${r.service.namespace}|${r.service.name}`);
  const perHostNs = groupBy([...groups.keys()], (k) => k.split("|").slice(0, 2).join("|"));
  // The group's rules are evaluated by `group.order`, then by namespace/name: the order of the
  // routes (longest path first, exposedRoutes) keeps `/cart` ahead of `/` across Ingresses.
  for (const [order, [key, rs]] of [...groups].entries()) {
    const [host, ns] = key.split("|") as [string, string];
    const s = rs[0]!.service;
    const shared = (perHostNs.get(`${host}|${ns}`)?.length ?? 1) > 1;
    const name = shared ? `${hostName(host)}-${s.name}`.slice(0, 63) : hostName(host);
    docs.push(ingressDocument(model, name, ns, host, rs.some((r) => r.tls), { "alb.ingress.kubernetes.io/group.order": String(Math.min(order + 1, 1000)), ...healthCheckAnnotations(s) },
      rs.map((r) => ({ path: r.path, service: r.service.name, port: r.port, origin: r.origin }))));
  }
  return docs;
}
