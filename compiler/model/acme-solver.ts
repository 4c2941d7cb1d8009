import type { PlatformInfo } from "./platform-model.js";
import type { AcmeSolver, IssuerModel } from "./traffic-model.js";

/**
 * The solver an ACME issuer uses: the one it names, else the platform's default.
 *
 * With `ingress istio` (or no ingress) the default is DNS-01 on the platform's cloud,
 * which needs no route through the gateway and also issues wildcard hosts. Only Route 53
 * can be defaulted (the zone is looked up by name, credentials come from cert-manager's
 * IRSA role); Cloud DNS and Azure DNS need a project or subscription the platform does
 * not state, so other clouds fall back to HTTP-01 — which the Istio gateway serves
 * (see emit/ingress/acme.ts). Everything else defaults to HTTP-01 through the ingress.
 *
 * Returns undefined for a CA issuer, and for HTTP-01 without an ingress to solve it
 * through (the checker reports that: FIN4014).
 */
export function effectiveSolver(platform: PlatformInfo, issuer: IssuerModel): AcmeSolver | undefined {
  if (!issuer.acme) return undefined;
  const solver = issuer.solver ?? defaultSolver(platform);
  if (solver.kind === "http" && platform.ingress === "none") return undefined;
  return solver;
}

export function defaultSolver(platform: PlatformInfo): AcmeSolver {
  if ((platform.ingress === "istio" || platform.ingress === "alb" || platform.ingress === "none") && platform.cloud === "aws") {
    const region = (platform.regions.find((r) => r.primary) ?? platform.regions[0])?.name;
    return { kind: "route53", ...(region ? { region } : {}) };
  }
  return { kind: "http" };
}

/** Issuers answering HTTP-01 challenges, by name. */
export function http01Issuers(platform: PlatformInfo, issuers: readonly IssuerModel[]): Set<string> {
  return new Set(issuers.filter((i) => effectiveSolver(platform, i)?.kind === "http").map((i) => i.name));
}
