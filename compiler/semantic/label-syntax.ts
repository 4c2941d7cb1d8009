/**
 * Kubernetes label and annotation syntax (apimachinery validation: IsQualifiedName,
 * IsValidLabelValue), and the keys finc owns. A user's `labels` / `annotations` must not
 * set a key finc relies on (selectors, environment, config hash) or one that would take
 * a pod out of a guarantee: Istio's sidecar/traffic keys can bypass the mesh or its
 * egress control, Vault's injector keys and Kubernetes' own prefixes change how the pod runs.
 */

const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const SUBDOMAIN_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Why `key` is not a qualified name (`[prefix/]name`), or undefined when it is one. */
export function qualifiedNameProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined) {
    if (!prefix) return "the prefix before '/' is empty";
    if (prefix.length > 253) return `the prefix is ${prefix.length} characters, at most 253`;
    if (!prefix.split(".").every((l) => SUBDOMAIN_LABEL.test(l))) return `the prefix '${prefix}' is not a DNS subdomain (lower-case letters, digits, '-' and '.')`;
  }
  if (!name) return "the name is empty";
  if (name.length > 63) return `the name is ${name.length} characters, at most 63`;
  if (!NAME.test(name)) return `the name '${name}' must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'`;
  return undefined;
}

/** Why `value` is not a label value (at most 63 characters, empty or a name), or undefined. */
export function labelValueProblem(value: string): string | undefined {
  if (value === "") return undefined;
  if (value.length > 63) return `the value is ${value.length} characters, at most 63`;
  if (!NAME.test(value)) return "a label value must start and end with a letter or digit and hold only letters, digits, '-', '_' and '.'";
  return undefined;
}

/** Keys finc sets itself: a user value would break selectors, rollouts or the config hash. */
const FINC_KEYS = new Set([
  "app.kubernetes.io/name",
  "app.kubernetes.io/instance",
  "app.kubernetes.io/component",
  "app.kubernetes.io/part-of",
  "app.kubernetes.io/managed-by",
  "app.kubernetes.io/version",
]);

/** Why finc refuses the key, or undefined when the user may set it. */
export function ownedKeyProblem(key: string): string | undefined {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : "";
  if (FINC_KEYS.has(key)) return `finc sets '${key}' itself (selectors and tooling read it)`;
  if (prefix === "finc.dev" || prefix.endsWith(".finc.dev")) return `'${prefix}/' keys belong to finc`;
  if (prefix === "istio.io" || prefix.endsWith(".istio.io"))
    return `'${prefix}/' keys control the Istio mesh (sidecar injection, traffic interception, mTLS): one could take the pod out of the mesh or past its egress control`;
  if (prefix === "vault.hashicorp.com") return "'vault.hashicorp.com/' keys drive the Vault Agent Injector, which finc configures from the secret stores";
  if (prefix === "kubernetes.io" || prefix === "k8s.io" || /\.(kubernetes|k8s)\.io$/.test(prefix))
    return `'${prefix}/' is reserved for Kubernetes components (some of its keys change the pod's security profile or scheduling)`;
  return undefined;
}
