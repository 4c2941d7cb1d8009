import type { ServiceModel } from "../../model/platform-model.js";
import { names } from "./names.js";

/**
 * The Secret a service's store and database secrets are synced into: `<service>-secrets`, or in a
 * `deploy immutable` namespace `<service>-secrets-<hash of its content>` (model/supply-chain.ts),
 * so that a change is a new immutable Secret the changed pod template rolls onto, like
 * `config-immutable` ConfigMaps.
 */
export function serviceSecretName(s: ServiceModel): string {
  const base = names.secret(s.name);
  return s.deployImmutable ? `${base}-${s.deployImmutable.secretsHash}` : base;
}

/** The ExternalSecret of an immutable service: ESO creates its target Secret `immutable: true` and never rewrites it. */
export function withImmutableTarget(es: Record<string, unknown>, s: ServiceModel): Record<string, unknown> {
  if (!s.deployImmutable) return es;
  const spec = es["spec"] as { target: Record<string, unknown> };
  return { ...es, spec: { ...spec, target: { ...spec.target, immutable: true } } };
}
