import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { cloudServiceHosts, serviceEgress } from "../model/egress-model.js";
import { egressGatewayOf } from "../model/egress-gateway.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * `egress-gateway` where it cannot work (FIN4058):
 * - without `mesh istio`: there is no sidecar to send traffic to the gateway;
 * - in ambient mode: there are no sidecars; ambient egress goes through a waypoint, which finc
 *   does not emit;
 * - a wildcard host: the gateway forwards to the host the sidecar named (SNI), and Istio can only
 *   resolve a concrete host there (arbitrary subdomains need an SNI proxy behind the gateway);
 * - one host on two ports: the sidecar reaches the gateway on one port with the host as SNI, so
 *   the gateway cannot tell the two ports apart.
 */
export function checkEgressGateway(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const p = model.platform;
  const at = p.fields["egress-gateway"];
  if (!at || !p.egressGateway) return;
  if (p.mesh !== "istio")
    return report(diag("FIN4058", at, {
      message: "`egress-gateway` needs `mesh istio`: without sidecars nothing sends the workloads' traffic to the egress gateway.",
      hint: "Add `mesh istio sidecar cni` to the platform, or remove `egress-gateway`.",
    }));
  if (p.meshMode === "ambient")
    return report(diag("FIN4058", at, {
      message: "`egress-gateway` routes egress through the sidecars, and `mesh istio ambient` has none (ambient egress goes through a waypoint, which finc does not emit).",
      hint: "Use `mesh istio sidecar cni`, or remove `egress-gateway`.",
    }));
  if (!egressGatewayOf(model)) return;
  const regions = p.regions.map((r) => r.name);
  const ports = new Map<string, number>();
  const claim = (host: string, port: number, range: SourceRange, name: string) => {
    const first = ports.get(host);
    if (first === undefined) ports.set(host, port);
    else if (first !== port)
      report(diag("FIN4058", range, {
        message: `'${name}' reaches ${host} on port ${port}, and ${host} is also reached on port ${first}: through the egress gateway a host has one port (the sidecar names the host to the gateway, not the port).`,
        hint: `Use one port for ${host}, or a second name for the host (a CNAME).`,
      }));
  };
  for (const s of model.services) {
    for (const e of s.egress ?? []) {
      const wildcard = e.kind === "host" ? (e.host.startsWith("*.") ? e.host : undefined) : e.kind === "cloud" ? cloudServiceHosts(e.cloud, e.service, regions).find((h) => h.startsWith("*.")) : undefined;
      if (wildcard)
        report(diag("FIN4058", e.kind === "host" ? e.range : e.targetRange, {
          message: `'${s.name}' reaches the wildcard host ${wildcard}, which cannot leave through the egress gateway: the gateway forwards to the host it is told, and Istio resolves only concrete hosts there (any subdomain needs an SNI proxy behind the gateway).`,
          hint: e.kind === "cloud" ? `Name each host the service uses (e.g. "<bucket>.s3.<region>.amazonaws.com") instead of \`egress ${e.cloud} ${e.service}\`.` : "Name each host: egress \"<host>\" <port>, …",
        }));
      else if (e.kind === "host") claim(e.host, e.port, e.range, s.name);
    }
    // Hosts finc adds for its own features (Kafka brokers outside the cluster, SQS, STS).
    for (const d of serviceEgress(model, s))
      if (d.kind === "host" && d.reason !== "egress") claim(d.host, d.port, s.fields["scale"] ?? s.origin, s.name);
  }
}
