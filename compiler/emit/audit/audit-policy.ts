import { pciScoped } from "../../model/cluster-security.js";
import type { PlatformModel } from "../../model/platform-model.js";
import type { JsonValue } from "../shared/yaml.js";

/** Verbs that change an object (what PCI DSS 10.2.1 wants recorded with its content). */
const CHANGES = ["create", "update", "patch", "delete", "deletecollection"];

/** Objects whose content is a credential or may hold one: never logged beyond Metadata. */
export const METADATA_ONLY_RESOURCES = [
  { group: "", resources: ["secrets", "configmaps", "serviceaccounts/token"] },
  { group: "authentication.k8s.io", resources: ["tokenreviews"] },
  { group: "certificates.k8s.io", resources: ["certificatesigningrequests"] },
] as const;

/**
 * The kube-apiserver audit policy (audit.k8s.io/v1) of a self-managed control plane (issue 12,
 * item 3). The API server applies the FIRST rule an event matches, so the order is the policy:
 * 1. health probes and leader-election heartbeats: nothing (noise that would bury the rest);
 * 2. Secrets, ConfigMaps, token requests: who, what, when, never the body (a RequestResponse
 *    rule for Secrets would write their values into the log);
 * 3. exec/attach/port-forward and the proxies: who ran what in which pod (the command is in the URI);
 * 4. RBAC changes with request and response (who granted what);
 * 5. under `compliance pci-dss`, every change in the platform's namespaces with its content;
 * 6. everything else: Metadata.
 */
export function auditPolicy(model: PlatformModel): JsonValue {
  const namespaces = [...new Set(model.namespaces.map((n) => n.name))].sort();
  const rules: JsonValue[] = [
    { level: "None", nonResourceURLs: ["/healthz*", "/livez*", "/readyz*", "/version", "/metrics"] },
    { level: "None", verbs: ["get", "update", "watch"], resources: [{ group: "coordination.k8s.io", resources: ["leases"] }] },
    { level: "None", users: ["system:kube-proxy"], verbs: ["watch"], resources: [{ group: "", resources: ["endpoints", "services", "services/status"] }, { group: "discovery.k8s.io", resources: ["endpointslices"] }] },
    { level: "Metadata", resources: METADATA_ONLY_RESOURCES.map((r) => ({ group: r.group, resources: [...r.resources] })) },
    { level: "Metadata", resources: [{ group: "", resources: ["pods/exec", "pods/attach", "pods/portforward", "pods/proxy", "pods/ephemeralcontainers", "services/proxy", "nodes/proxy"] }] },
    { level: "RequestResponse", verbs: CHANGES, resources: [{ group: "rbac.authorization.k8s.io" }] },
  ];
  if (pciScoped(model) && namespaces.length) {
    // Events are written by every controller all the time and carry no cardholder-data access.
    rules.push({ level: "Metadata", namespaces, resources: [{ group: "", resources: ["events"] }, { group: "events.k8s.io", resources: ["events"] }] });
    rules.push({ level: "RequestResponse", namespaces, verbs: CHANGES });
  }
  rules.push({ level: "Metadata" });
  return { apiVersion: "audit.k8s.io/v1", kind: "Policy", omitStages: ["RequestReceived"], rules };
}

/** Where the install notes put the policy and the log on the control-plane nodes. */
export const AUDIT_POLICY_PATH = "/etc/kubernetes/audit/policy.yaml";
export const AUDIT_LOG_PATH = "/var/log/kubernetes/audit/audit.log";

/** The kube-apiserver flags the notes give (the log file is rotated locally; the log store keeps the 12 months). */
export const AUDIT_FLAGS = [
  `--audit-policy-file=${AUDIT_POLICY_PATH}`,
  `--audit-log-path=${AUDIT_LOG_PATH}`,
  "--audit-log-format=json",
  "--audit-log-maxage=30",
  "--audit-log-maxbackup=10",
  "--audit-log-maxsize=100",
];
