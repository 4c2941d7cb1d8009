import type { SourceRange } from "../../diagnostics/diagnostic.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata } from "./labels.js";
import { serviceAccountAnnotations } from "../../model/cloud-identity.js";

/**
 * One ServiceAccount per workload, and a Role granting exactly read access to the
 * workload's own ConfigMap and Secrets by name (least privilege; most workloads never
 * call the API at all, and then their token is not even mounted).
 */
export function rbacDocuments(
  model: PlatformModel,
  w: { name: string; namespace: string; origin: SourceRange },
  component: string,
  readable: { configMaps: string[]; secrets: string[] },
  registrySecret: string | undefined,
): EmittedDocument[] {
  const l = labels(model, w.name, component);
  const dir = w.namespace;
  const rules: Record<string, unknown>[] = [];
  if (readable.configMaps.length) rules.push({ apiGroups: [""], resources: ["configmaps"], resourceNames: readable.configMaps, verbs: ["get"] });
  if (readable.secrets.length) rules.push({ apiGroups: [""], resources: ["secrets"], resourceNames: readable.secrets, verbs: ["get"] });
  const docs = [
    document(`${dir}/serviceaccount-${w.name}.yaml`, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: metadata(w.name, w.namespace, l, serviceAccountAnnotations(model, w.namespace, w.name)),
      automountServiceAccountToken: false,
      ...(registrySecret ? { imagePullSecrets: [{ name: registrySecret }] } : {}),
    }, w.origin),
  ];
  if (rules.length) {
    docs.push(
      document(`${dir}/role-${w.name}.yaml`, { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: metadata(w.name, w.namespace, l), rules }, w.origin),
      document(`${dir}/rolebinding-${w.name}.yaml`, {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: metadata(w.name, w.namespace, l),
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: w.name },
        subjects: [{ kind: "ServiceAccount", name: w.name, namespace: w.namespace }],
      }, w.origin),
    );
  }
  return docs;
}
