import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { effectiveSolver } from "../model/acme-solver.js";
import { isCatchAll } from "../model/catch-all-host.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * Pod details and hosts that only the whole model can judge:
 * - FIN3036: a `drain` that is not shorter than `grace` (the kubelet kills the container when the
 *   grace period ends, preStop included: the app would never get SIGTERM to finish its requests);
 * - FIN3034: an `env … from pod.*` name that a `secret` (or the env config) also sets;
 * - FIN3037: the catch-all host with TLS (no certificate names every host) or under pci-dss (a
 *   cardholder-data environment serves named, certified hosts only), and a wildcard host whose
 *   issuer solves HTTP-01 (ACME issues wildcards over DNS-01 only, RFC 8555 §7.1.3 / Let's Encrypt).
 */
export function checkPodDetails(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const pci = model.platform.compliance.includes("pci-dss");
  for (const s of model.services) {
    const drainRange = s.fields["drain"];
    if (drainRange && s.drainSeconds !== undefined && s.drainSeconds >= s.terminationGraceSeconds)
      report(diag("FIN3036", drainRange, {
        message: `'${s.name}' drains for ${s.drainSeconds}s but its grace period is ${s.terminationGraceSeconds}s: the container would be killed before it gets SIGTERM.`,
        hint: `Make \`grace\` longer than \`drain\` by the time the app needs to finish its requests, e.g. \`drain ${s.drainSeconds}s\` with \`grace ${s.drainSeconds + 20}s\`.`,
      }));
    const taken = new Map<string, string>();
    for (const sec of s.secrets) taken.set(sec.env, "secret");
    if (s.configMount === undefined) for (const c of s.config) taken.set(c.key, "config");
    for (const e of s.downwardEnv ?? []) {
      const by = taken.get(e.env);
      if (by)
        report(diag("FIN3034", e.origin, {
          message: `'${e.env}' is set both by \`env … from ${e.source}\` and by \`${by}\` on '${s.name}': one value would silently replace the other.`,
          hint: `Give the downward-API variable its own name, e.g. \`env POD_${e.env.replace(/^POD_/, "")} from ${e.source}\`.`,
        }));
    }
    for (const e of s.expose) {
      if (isCatchAll(e.host)) {
        if (e.tls)
          report(diag("FIN3037", e.tlsRange ?? e.origin, {
            message: `The catch-all host of '${s.name}' cannot have TLS: no certificate names every host, so clients would reject it.`,
            hint: 'Serve the catch-all host as plain HTTP on a demo or internal gateway (`expose "*"`), or name the hosts: `expose "*.example.com" tls <dns-01 issuer>`.',
          }));
        if (pci)
          report(diag("FIN3037", e.origin, {
            message: `Under \`compliance pci-dss\` '${s.name}' cannot be exposed on the catch-all host: it answers any Host header in plain HTTP (PCI DSS 4.2 strong cryptography, 1.2 documented entry points).`,
            hint: 'Expose named hosts with TLS: `expose "api.example.com" tls <issuer>`.',
          }));
        continue;
      }
      if (!e.host.startsWith("*.") || !e.tls) continue;
      const issuer = (model.issuers ?? []).find((i) => i.name === e.tls);
      if (issuer && effectiveSolver(model.platform, issuer)?.kind === "http")
        report(diag("FIN3037", e.tlsRange ?? e.origin, {
          message: `The issuer '${issuer.name}' solves HTTP-01, which cannot issue the wildcard certificate for '${e.host}' (ACME issues wildcards over DNS-01 only).`,
          hint: `Give the issuer a DNS-01 solver (\`solver dns route53\`, \`solver dns cloudflare "<token secret>"\`, …), use a CA issuer, or expose named hosts.`,
        }));
    }
  }
}
