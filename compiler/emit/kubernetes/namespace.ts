import type { NamespaceModel, PlatformModel } from "../../model/platform-model.js";
import { formatCpu, formatMemory } from "../../model/units.js";
import { meshNamespaceAnnotations, meshNamespaceLabels } from "../istio/ambient.js";
import { document, type EmittedDocument } from "../output.js";
import { costCenterLabels, labels, metadata } from "./labels.js";

/** Namespace with Pod Security Standards labels (PSP was removed in 1.25), quota, limits and default-deny networking. */
export function namespaceDocuments(model: PlatformModel, ns: NamespaceModel): EmittedDocument[] {
  const dir = ns.name;
  const l = labels(model, ns.name, "namespace");
  const pss = {
    "pod-security.kubernetes.io/enforce": ns.security,
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": ns.security,
    "pod-security.kubernetes.io/warn": ns.security,
  };
  const docs: EmittedDocument[] = [
    document(`${dir}/namespace.yaml`, {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: metadata(ns.name, undefined, { ...l, ...costCenterLabels(model, ns.name), ...pss, ...meshNamespaceLabels(model) }, meshNamespaceAnnotations(model)),
    }, ns.origin, { "/metadata/labels/pod-security.kubernetes.io~1enforce": ns.fields["security"] }),
  ];
  if (ns.quota) {
    const hard: Record<string, string> = {};
    if (ns.quota.cpuMillis !== undefined) Object.assign(hard, { "limits.cpu": formatCpu(ns.quota.cpuMillis), "requests.cpu": formatCpu(ns.quota.cpuMillis) });
    if (ns.quota.memoryBytes !== undefined) Object.assign(hard, { "limits.memory": formatMemory(ns.quota.memoryBytes), "requests.memory": formatMemory(ns.quota.memoryBytes) });
    if (ns.quota.pods !== undefined) hard["pods"] = String(ns.quota.pods);
    docs.push(document(`${dir}/resourcequota-${ns.name}.yaml`, {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: metadata(ns.name, ns.name, l),
      spec: { hard },
    }, ns.fields["quota"] ?? ns.origin, { "/spec/hard": ns.fields["quota"] }));
  }
  // Defaults for any container that does not state its resources (finc's own always do).
  docs.push(document(`${dir}/limitrange-${ns.name}.yaml`, {
    apiVersion: "v1",
    kind: "LimitRange",
    metadata: metadata(ns.name, ns.name, l),
    spec: {
      limits: [{ type: "Container", default: { cpu: "500m", memory: "256Mi" }, defaultRequest: { cpu: "100m", memory: "128Mi" } }],
    },
  }, ns.origin));
  docs.push(document(`${dir}/networkpolicy-default-deny.yaml`, {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadata("default-deny", ns.name, l),
    spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
  }, ns.origin));
  docs.push(document(`${dir}/networkpolicy-allow-dns.yaml`, {
    apiVersion: "networking.k8s.io/v1",
    kind: "NetworkPolicy",
    metadata: metadata("allow-dns", ns.name, l),
    spec: {
      podSelector: {},
      policyTypes: ["Egress"],
      egress: [{
        to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
        ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
      }],
    },
  }, ns.origin));
  return docs;
}
