#!/usr/bin/env node
/**
 * Vendors a compact form of the JSON schemas of the kinds finc emits and `override` may patch
 * into compiler/semantic/kube-schema/schemas.json: types, properties, required, enums (from
 * `enum`, or the "Possible enum values" list of a Kubernetes description) and nothing else.
 * Identical sub-schemas are stored once (PodSpec is shared by Deployment, StatefulSet, Job…).
 *
 *   node scripts/vendor-k8s-schemas.mjs [/work/shared/schemas] [output file]
 *
 * Provenance and licences: see compiler/semantic/kube-schema/NOTICE.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const source = process.argv[2] ?? "/work/shared/schemas";
const out = process.argv[3] ?? join(dirname(fileURLToPath(import.meta.url)), "../compiler/semantic/kube-schema/schemas.json");

/** Kind → [apiVersion, schema file relative to `source`]. */
const KINDS = {
  Deployment: ["apps/v1", "kubernetes/v1.31/deployment-apps-v1.json"],
  StatefulSet: ["apps/v1", "kubernetes/v1.31/statefulset-apps-v1.json"],
  Job: ["batch/v1", "kubernetes/v1.31/job-batch-v1.json"],
  CronJob: ["batch/v1", "kubernetes/v1.31/cronjob-batch-v1.json"],
  Service: ["v1", "kubernetes/v1.31/service-v1.json"],
  ConfigMap: ["v1", "kubernetes/v1.31/configmap-v1.json"],
  ServiceAccount: ["v1", "kubernetes/v1.31/serviceaccount-v1.json"],
  Namespace: ["v1", "kubernetes/v1.31/namespace-v1.json"],
  ResourceQuota: ["v1", "kubernetes/v1.31/resourcequota-v1.json"],
  LimitRange: ["v1", "kubernetes/v1.31/limitrange-v1.json"],
  NetworkPolicy: ["networking.k8s.io/v1", "kubernetes/v1.31/networkpolicy-networking-v1.json"],
  Ingress: ["networking.k8s.io/v1", "kubernetes/v1.31/ingress-networking-v1.json"],
  PodDisruptionBudget: ["policy/v1", "kubernetes/v1.31/poddisruptionbudget-policy-v1.json"],
  HorizontalPodAutoscaler: ["autoscaling/v2", "kubernetes/v1.31/horizontalpodautoscaler-autoscaling-v2.json"],
  VirtualService: ["networking.istio.io/v1", "crds/networking.istio.io/virtualservice_v1.json"],
  DestinationRule: ["networking.istio.io/v1", "crds/networking.istio.io/destinationrule_v1.json"],
  ServiceEntry: ["networking.istio.io/v1", "crds/networking.istio.io/serviceentry_v1.json"],
  Sidecar: ["networking.istio.io/v1", "crds/networking.istio.io/sidecar_v1.json"],
  AuthorizationPolicy: ["security.istio.io/v1", "crds/security.istio.io/authorizationpolicy_v1.json"],
  PeerAuthentication: ["security.istio.io/v1", "crds/security.istio.io/peerauthentication_v1.json"],
};

const nodes = [];
const index = new Map();
/** Stores a compact node once; returns its index. */
const intern = (node) => {
  const key = JSON.stringify(node);
  if (!index.has(key)) {
    index.set(key, nodes.length);
    nodes.push(node);
  }
  return index.get(key);
};

const typesOf = (s) => {
  if (s["x-kubernetes-int-or-string"]) return ["integer", "string"];
  const t = Array.isArray(s.type) ? s.type.filter((x) => x !== "null") : s.type ? [s.type] : [];
  // A `oneOf` next to a type only constrains which keys go together (Istio): the type stands.
  if (!t.length && (s.oneOf || s.anyOf)) return [...new Set((s.oneOf ?? s.anyOf).flatMap(typesOf))];
  if (!t.length && s.properties) return ["object"];
  return t;
};

const enumOf = (s) => {
  if (Array.isArray(s.enum)) return s.enum.filter((v) => v !== null);
  const m = /Possible enum values:\n((?:\s*- `"[^"]*"`[^\n]*\n?)+)/.exec(s.description ?? "");
  if (m) return [...m[1].matchAll(/- `"([^"]*)"`/g)].map((x) => x[1]);
  // Older fields list them in prose: "Valid values are 'A', 'B' or 'C'." / "One of Always, OnFailure, Never."
  const prose = /(?:Valid values are|One of) ((?:'?[A-Z][A-Za-z]+'?(?:,? or |, ))+'?[A-Z][A-Za-z]+'?)\./.exec(s.description ?? "");
  return prose ? prose[1].split(/,? or |, /).map((w) => w.replace(/'/g, "")) : undefined;
};

function compact(s) {
  const t = typesOf(s);
  const node = { t: t.length === 0 ? "any" : t.length === 1 ? t[0] : t };
  const e = enumOf(s);
  if (e && e.length) node.e = e;
  if (s.properties) {
    node.p = Object.fromEntries(Object.entries(s.properties).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, compact(v)]));
    if (s.additionalProperties === false) node.c = 1; // closed: no other keys
  }
  if (s.additionalProperties && typeof s.additionalProperties === "object") node.m = compact(s.additionalProperties);
  if (s.items && !Array.isArray(s.items)) node.i = compact(s.items);
  if (Array.isArray(s.required) && s.required.length) node.r = [...s.required].sort();
  return intern(node);
}

const kinds = {};
for (const [kind, [apiVersion, file]] of Object.entries(KINDS)) {
  const schema = JSON.parse(readFileSync(join(source, file), "utf8"));
  kinds[kind] = { apiVersion, root: compact(schema) };
}
writeFileSync(out, JSON.stringify({ source: "see NOTICE", kinds, nodes }) + "\n");
console.log(`${Object.keys(kinds).length} kinds, ${nodes.length} nodes → ${out}`);
