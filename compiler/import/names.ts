/**
 * finc names are lower-case DNS labels (FIN3008); Kubernetes allows dots (DNS subdomains) in most
 * object names. An input name that is not a label becomes the nearest one: lower-cased, every other
 * character a '-', at most 50 characters, starting with a letter.
 */
export function finName(name: string): string {
  let n = name.toLowerCase().replace(/[^a-z0-9-]+/g, "-").replace(/-+/g, "-").replace(/^-+|-+$/g, "");
  if (!/^[a-z]/.test(n)) n = `x-${n}`;
  return n.slice(0, 50).replace(/-+$/, "");
}

/** Namespaces finc does not declare (Kubernetes' own): their objects go to the platform's namespace. */
export const SYSTEM_NAMESPACES: ReadonlySet<string> = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

/** Env variable names finc accepts (config keys, secret env, downward API). */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A CPU quantity in a form finc reads: `0.5` → `500m` (finc takes whole millicores). */
export function cpuQuantity(q: string): string {
  return /^\d*\.\d+$/.test(q) ? `${Math.round(Number(q) * 1000)}m` : q;
}

/** A Kubernetes quantity finc's lexer reads as one token: `500m`, `1.5`, `2Gi`. */
export const isQuantity = (v: unknown): v is string | number => (typeof v === "string" || typeof v === "number") && /^[0-9]+(\.[0-9]+)?[a-zA-Z]*$/.test(String(v));

/** A path finc's lexer reads as one token: `/data`, `/api/v1` (no spaces, quotes or `?`). */
export const isPath = (v: unknown): v is string => typeof v === "string" && /^\/([A-Za-z0-9_\-.~{}*]+\/?)*$/.test(v);

/** A host name (or `*.` wildcard) for `expose`. */
export const isHost = (v: unknown): v is string => typeof v === "string" && /^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(v);

/** A whole number in [min, max]. */
export const isInt = (v: unknown, min = 0, max = 2 ** 31 - 1): v is number => typeof v === "number" && Number.isInteger(v) && v >= min && v <= max;

/** A size finc reads (memory, storage): a whole number with a unit, `512Mi`, `20Gi`, `1G`. */
export const isSize = (v: unknown): v is string => typeof v === "string" && /^[1-9][0-9]*(Ki|Mi|Gi|Ti|k|M|G|T)$/.test(v);

/** A cron schedule: five fields (finc's `schedule` checks each, FIN3016) or a `@daily`-style macro. */
export const isSchedule = (v: unknown): v is string => typeof v === "string" && (/^\S+( \S+){4}$/.test(v.trim()) || /^@(yearly|annually|monthly|weekly|daily|midnight|hourly)$/.test(v.trim()));
