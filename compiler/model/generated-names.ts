import { createHash } from "node:crypto";

/**
 * Names finc derives from the spec for objects of its own, in one place so that the
 * emitters (which create the objects) and the checker (which reserves the names,
 * FIN2014) agree on them.
 *
 * Two policies (issue 8, "no generated-name collisions"):
 * - Where two correct inputs could map to one name (hosts `a-b.example.com` and
 *   `a.b-example.com`, a long host cut at 63 characters, a namespace and a database
 *   joined with `-`), the name is made collision-free by construction: it stays readable
 *   when the mapping is unambiguous, and otherwise ends in `--` and 8 hex digits of the
 *   SHA-256 of the exact input. Unambiguous names never contain `--`, so the two forms
 *   never meet, and two hashed names meet only if their hashes do.
 * - Where a user's declaration takes a name finc gives to an object of its own
 *   (`<service>-preview`, `<service>-<version>`, `<service>-metrics`, `allow-nothing`…),
 *   the checker refuses the declaration (FIN2014, check-reserved-names.ts): renaming
 *   finc's object would change names people and tools already rely on.
 */

const PLAIN_LABEL = /^[a-z0-9]+$/;

function hashSuffix(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 8);
}

/** A readable prefix and `--<8 hex>`, at most `max` characters. */
function hashed(readable: string, exact: string, max: number): string {
  const prefix = readable.slice(0, max - 10).replace(/-+$/, "");
  return `${prefix}--${hashSuffix(exact)}`;
}

/**
 * A host as a DNS label: `api.example.com` → `api-example-com`. Hosts with a `-`, a
 * wildcard or too long for `max` get the hash suffix (`*.example.com` →
 * `wildcard-example-com--1a2b3c4d`).
 */
export function hostLabel(host: string, max = 63): string {
  const labels = host.split(".");
  if (labels.every((l) => PLAIN_LABEL.test(l)) && host.length <= max) return labels.join("-");
  // The catch-all host `*` (catch-all-host.ts) reads "any-host".
  const readable = host.replace(/^\*$/, "any-host").replace(/^\*\./, "wildcard.").replace(/[^a-z0-9]+/gi, "-").toLowerCase().replace(/^-+/, "");
  return hashed(readable, host, max);
}

/**
 * `<namespace>-<name>` for objects of several namespaces gathered in one (Velero's
 * Schedules): as is when the namespace has no `-` and the result has no `--` and fits.
 */
export function namespacedLabel(namespace: string, name: string, max = 63): string {
  const joined = `${namespace}-${name}`;
  if (PLAIN_LABEL.test(namespace) && !joined.includes("--") && joined.length <= max) return joined;
  return hashed(joined, `${namespace}/${name}`, max);
}

/** Fixed names of objects finc creates in every namespace it manages. */
export const MESH_DENY_ALL = "allow-nothing";
/** The ambient waypoint's name, which is also its service account (its SPIFFE identity). */
export const WAYPOINT = "waypoint";
export const WAYPOINT_DENY_ALL = `${WAYPOINT}-allow-nothing`;
export const REGISTRY_SECRET = "registry-credentials";

export const derivedNames = {
  /** The Deployment of a split's additional version. */
  splitDeployment: (service: string, version: string) => `${service}-${version}`,
  /** The blue-green preview Service when `rollout blue-green` names none. */
  previewService: (service: string) => `${service}-preview`,
  /** The NetworkPolicy and AuthorizationPolicy that let Prometheus scrape a `metrics` port. */
  metricsPolicy: (service: string) => `${service}-metrics`,
  /** Ambient: the AuthorizationPolicy on the waypoint for a service's callers. */
  waypointPolicy: (workload: string) => `${workload}-waypoint`,
  dbCredentials: (db: string) => `${db}-credentials`,
};
