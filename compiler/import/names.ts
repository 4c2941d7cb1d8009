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
