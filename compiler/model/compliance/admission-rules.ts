/**
 * The rules finc's admission policies enforce in the cluster (compiler/emit/admission), by id.
 * Each is one validation of the policy finc writes per namespace (native CEL, Kyverno or
 * Gatekeeper: `policy` on the platform); the compliance profiles (profiles.ts) name the rules
 * that carry their requirements, and the policies name the requirements back in their messages.
 */
export const ADMISSION_RULES = {
  "pod-security": "Containers run as non-root, without privilege escalation, with every capability dropped, a read-only root filesystem and the RuntimeDefault seccomp profile (restricted namespaces)",
  "host-isolation": "No hostPath volumes, host network, host PID or host IPC, no privileged containers",
  "registry": "Images come only from the platform's registry",
  "image-digest": "Images are pinned by a @sha256 digest",
  "image-tag": "Images name a version: no `latest`, no untagged image",
  "plaintext-secret-env": "No plaintext env value for a secret-looking name (PASSWORD, SECRET, TOKEN, API_KEY, PRIVATE_KEY, CREDENTIAL): it comes from a Secret",
  "ownership-labels": "Workloads carry app.kubernetes.io/name and app.kubernetes.io/part-of, their pods app.kubernetes.io/name",
  "network-policy": "Every workload's pods are selected by a NetworkPolicy (the namespace's default-deny stays in place)",
  "residency": "Pods of a residency-bound namespace are required onto nodes of the allowed regions",
  "service-exposure": "No Service of type NodePort or LoadBalancer but the ones the spec declares",
} as const;

export type AdmissionRuleId = keyof typeof ADMISSION_RULES;

export const ADMISSION_RULE_IDS = Object.keys(ADMISSION_RULES) as AdmissionRuleId[];
