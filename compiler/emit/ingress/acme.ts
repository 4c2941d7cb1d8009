import type { PlatformModel } from "../../model/platform-model.js";
import type { AcmeSolver } from "../../model/traffic-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { ingressGateway, fqdn, hostName, type ExposedRoute } from "../istio/common.js";
import { document, type EmittedDocument } from "../output.js";

/**
 * ACME challenge solvers (cert-manager ClusterIssuer `spec.acme.solvers[]`), and how
 * HTTP-01 gets through an Istio gateway that redirects HTTP to HTTPS.
 *
 * The Gateway's `tls.httpsRedirect` answers every request on port 80 with a 301 before
 * any route is consulted, so `/.well-known/acme-challenge/<token>` never reaches
 * cert-manager's solver (istio/istio#33593, #27643). For a host whose certificate comes
 * from an HTTP-01 issuer, finc therefore leaves the port-80 server without the redirect
 * and binds a VirtualService to it that (1) routes the challenge prefix to the solver pod
 * and (2) redirects everything else to HTTPS; the host's application routes only match
 * port 443. The solver pod runs in the Certificate's namespace (the gateway's) and
 * carries `acme.cert-manager.io/http-domain: <adler32 of the host>`, which a per-host
 * Service selects. cert-manager's own solver Ingress gets a class no controller serves,
 * so Istio's Kubernetes-Ingress support does not add a second virtual host for the host.
 */

/** The HTTP path prefix of ACME HTTP-01 challenges (RFC 8555 §8.3). */
export const ACME_CHALLENGE_PREFIX = "/.well-known/acme-challenge/";
/** The port cert-manager's acmesolver listens on. */
export const ACME_SOLVER_PORT = 8089;
/** The IngressClass name given to cert-manager's solver Ingress behind an Istio gateway: served by no controller. */
export const ISTIO_SOLVER_INGRESS_CLASS = "finc-acme-unserved";

/** Adler-32 (RFC 1950), as cert-manager hashes a challenge's DNS name into the solver pod's label. */
export function adler32(text: string): number {
  let a = 1;
  let b = 0;
  for (const byte of new TextEncoder().encode(text)) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return (b * 65536 + a) >>> 0;
}

/** One entry of `spec.acme.solvers`. */
export function solverSpec(model: PlatformModel, solver: AcmeSolver): Record<string, unknown> {
  switch (solver.kind) {
    case "http": {
      const ingress = model.platform.ingress;
      // Behind Istio the gateway routes challenges itself (see above); ClusterIP: the default NodePort is for GCE ingress.
      return { http01: { ingress: ingress === "istio" ? { ingressClassName: ISTIO_SOLVER_INGRESS_CLASS, serviceType: "ClusterIP" } : { ingressClassName: ingress === "application-gateway" ? "azure-application-gateway" : ingress } } };
    }
    case "route53":
      // No credentials: cert-manager's service account assumes its IAM role (IRSA / Pod Identity).
      return { dns01: { route53: { ...(solver.region ? { region: solver.region } : {}), ...(solver.hostedZoneId ? { hostedZoneID: solver.hostedZoneId } : {}) } } };
    case "cloudflare":
      return { dns01: { cloudflare: { apiTokenSecretRef: { name: solver.secret, key: solver.key } } } };
    case "google":
      // No serviceAccountSecretRef: cert-manager authenticates with workload identity.
      return { dns01: { cloudDNS: { project: solver.project, ...(solver.zone ? { hostedZoneName: solver.zone } : {}) } } };
    case "azure":
      // No client secret: cert-manager authenticates with its managed / workload identity.
      return {
        dns01: {
          azureDNS: {
            subscriptionID: solver.subscription,
            resourceGroupName: solver.resourceGroup,
            environment: "AzurePublicCloud",
            ...(solver.zone ? { hostedZoneName: solver.zone } : {}),
          },
        },
      };
  }
}

export function solverServiceName(host: string): string {
  return `acme-http01-${hostName(host, 51)}`;
}

/**
 * For each TLS host certified over HTTP-01 behind the Istio gateway: the Service that
 * reaches its solver pod and the VirtualService on the gateway's port 80 (challenge
 * prefix → solver, everything else → HTTPS).
 */
export function istioHttp01Documents(model: PlatformModel, gateway: string, hosts: readonly { host: string; origin: ExposedRoute["origin"] }[]): EmittedDocument[] {
  const ns = ingressGateway(model).namespace;
  return hosts.flatMap(({ host, origin }) => {
    const name = solverServiceName(host);
    const l = labels(model, hostName(host), "certificates");
    return [
      document(`${ns}/service-${name}.yaml`, {
        apiVersion: "v1",
        kind: "Service",
        metadata: metadata(name, ns, l),
        spec: {
          type: "ClusterIP",
          selector: { "acme.cert-manager.io/http01-solver": "true", "acme.cert-manager.io/http-domain": String(adler32(host)) },
          ports: [{ name: "http", port: ACME_SOLVER_PORT, targetPort: ACME_SOLVER_PORT, protocol: "TCP" }],
        },
      }, origin),
      document(`${ns}/virtualservice-${name}.yaml`, {
        apiVersion: "networking.istio.io/v1",
        kind: "VirtualService",
        metadata: metadata(name, ns, l),
        spec: {
          hosts: [host],
          gateways: [`${ns}/${gateway}`],
          http: [
            {
              name: "acme-http01",
              match: [{ port: 80, uri: { prefix: ACME_CHALLENGE_PREFIX } }],
              route: [{ destination: { host: fqdn(name, ns), port: { number: ACME_SOLVER_PORT } } }],
            },
            { name: "https-redirect", match: [{ port: 80 }], redirect: { scheme: "https", redirectCode: 301 } },
          ],
        },
      }, origin),
    ];
  });
}
