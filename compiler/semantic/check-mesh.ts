import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { gatewayRoutes, sidecarMesh } from "../model/mesh.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * Whether the mesh can run as the platform installs it:
 * - sidecar mode without the Istio CNI injects an `istio-init` container with NET_ADMIN and
 *   NET_RAW into every pod; Pod Security `restricted` and `baseline` reject it (neither allows
 *   adding those capabilities), so the namespace's pods would never be admitted (FIN4045);
 * - `gateway` describes the Istio ingress gateway and does nothing without `ingress istio` (FIN4048);
 * - `egress` targets fit the platform (FIN4046, FIN4047).
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
  checkEgress(model, report);
  if (p.fields["gateway"] && !gatewayRoutes(p))
    report(diag("FIN4048", p.fields["gateway"], { why: `the platform's ingress is ${p.ingress}, so finc emits no Istio Gateway and admits no Istio gateway identity` }));
}

/**
 * `egress` lines: a cloud service of another cloud than the platform's, or a regional AWS
 * service without `regions` to expand it in (FIN4046); address blocks of /8 or wider, which
 * open a good part of the internet or of the private network (FIN4047).
 */
function checkEgress(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const cloud = model.platform.cloud;
  for (const s of model.services) {
    for (const e of s.egress ?? []) {
      if (e.kind === "cloud" && e.cloud !== cloud)
        report(diag("FIN4046", e.targetRange, {
          message: `\`egress ${e.cloud} ${e.service}\` on '${s.name}' names a service of ${e.cloud}, but the platform runs on \`cloud ${cloud}\`.`,
          hint: cloud === "onprem" ? 'Name the host instead: egress "<host>" 443.' : `Use a ${cloud} service, or name the host: egress "<host>" 443.`,
        }));
      else if (e.kind === "cloud" && e.cloud === "aws" && !model.platform.regions.length)
        report(diag("FIN4046", e.targetRange, {
          message: `\`egress aws ${e.service}\` on '${s.name}' needs the platform's regions: AWS endpoints are regional (${e.service}.<region>.amazonaws.com).`,
          hint: "Add `regions eu-west-1 primary, …` to the platform.",
        }));
      if (e.kind === "cidr" && e.prefix <= (e.v6 ? 16 : 8))
        report(diag("FIN4047", e.targetRange, { target: `"${e.cidr}" ${e.port}`, name: s.name, what: e.prefix === 0 ? "every address on that port, including every pod and node of the cluster" : `all of ${e.cidr} on that port` }));
    }
  }
}
