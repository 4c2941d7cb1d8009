import type { FoundWorkload } from "./found.js";

/**
 * The stdlib pattern (stdlib/fintech/) a workload looks like, proposed in a comment above it.
 * Never applied: a pattern brings replicas, probes, limits and tiers of its own, which would
 * change what the imported workload does; the reviewer decides.
 */
export function proposePattern(w: FoundWorkload): { name: string; why: string } | undefined {
  const image = w.image.toLowerCase();
  if (w.decl === "service" && /(^|\/)(redis|valkey|keydb)[:@]/.test(image)) return { name: "cache", why: "a Redis/Valkey image on tcp 6379" };
  if (w.decl === "service" && w.ports.some((p) => p.name.startsWith("grpc")) && !w.expose.length) return { name: "grpc-service", why: "an internal gRPC service" };
  if (w.decl === "service" && w.expose.length) return { name: "public-api", why: "a service exposed on a public host" };
  if (w.decl === "service") return { name: "internal-service", why: "an internal HTTP service" };
  if (w.decl === "worker" && /kafka|queue|consumer|worker/.test(`${w.name} ${w.config.map((c) => c.key).join(" ")}`.toLowerCase())) return { name: "ledger-consumer", why: "a queue or topic consumer" };
  if (w.decl === "cronjob" && /report|statement/.test(w.name)) return { name: "reporting-job", why: "a scheduled report" };
  if (w.decl === "cronjob") return { name: "settlement-batch", why: "a scheduled batch run" };
  return undefined;
}
