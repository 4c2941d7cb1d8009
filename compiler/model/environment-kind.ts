/**
 * Environments named prod or production are production: a blue-green preview waits for a
 * person to promote it, and GitOps syncs them only by hand.
 */
export function isProduction(environment: string): boolean {
  return /^prod(uction)?$/.test(environment);
}
