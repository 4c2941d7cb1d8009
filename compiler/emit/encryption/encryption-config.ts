import type { JsonValue } from "../shared/yaml.js";

/** What the operator substitutes with a 32-byte key, base64 (`head -c 32 /dev/urandom | base64`): finc never writes a key. */
export const SECRETBOX_KEY_VARIABLE = "FINC_SECRETBOX_KEY";
export const ENCRYPTION_CONFIG_PATH = "/etc/kubernetes/encryption/config.yaml";

/**
 * The EncryptionConfiguration (apiserver.config.k8s.io/v1) of a self-managed control plane
 * (issue 12, item 5; PCI DSS 3.5.1): Secrets are written to etcd with secretbox (XSalsa20-Poly1305)
 * under a key the operator generates; `identity` stays last so Secrets written before the
 * change can still be read until they are rewritten. The key is `${FINC_SECRETBOX_KEY}`, which
 * kube-apiserver rejects as it stands: the file works only once the operator has put a key in.
 */
export function encryptionConfiguration(): JsonValue {
  return {
    apiVersion: "apiserver.config.k8s.io/v1",
    kind: "EncryptionConfiguration",
    resources: [
      {
        resources: ["secrets"],
        providers: [{ secretbox: { keys: [{ name: "finc-key-1", secret: `\${${SECRETBOX_KEY_VARIABLE}}` }] } }, { identity: {} }],
      },
    ],
  };
}
