import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";
import { ENVIRONMENT_LABEL } from "../kubernetes/labels.js";
import type { Manifest } from "../output.js";
import { pointerToken } from "../kustomize/json-patch.js";
import { kedaScaled } from "../rollouts/target.js";
import { batchRules } from "./batch-bindings.js";
import { isCatchAll } from "../../model/catch-all-host.js";
import { isStateful } from "../../model/volumes.js";

/**
 * Where the chart's values go in the Kubernetes documents. A binding ties one JSON
 * pointer of one document to one value path; the values of an environment are READ
 * from that environment's documents at those pointers, and the templates WRITE an
 * expression at the same pointers. So `helm template -f values-<env>.yaml` renders the
 * documents of `finc build --env <env>` by construction (tested in test/helm).
 */
export type Render =
  | "scalar" //       {{ index .Values … }} (| quote for strings)
  | "block" //        key:{{- toYaml (index .Values …) | nindent N }}
  | "image" //        "{{ repository }}:{{ tag }}"
  | "config-hash"; // {{ index .Values … "config" | toJson | sha256sum | trunc 16 | quote }}

/** A value path: map keys, and list indexes as numbers (`services.api.hosts.0` → ["services", "api", "hosts", 0]). */
export type ValuePath = readonly (string | number)[];

export interface Binding {
  readonly pointer: string;
  readonly values: ValuePath;
  readonly render: Render;
  /**
   * The value is set elsewhere (the environment name, a service's hosts from the model, the
   * image tag from the Deployment, an override): this pointer only follows it, and the
   * values are not read from it.
   */
  readonly follows?: true;
}

/** The documents a binding set applies to: kind + name, and the value-path condition under which the document exists. */
export interface DocumentRule {
  readonly kind: string;
  readonly name: string;
  readonly bindings: readonly Binding[];
  /** A boolean value path: the document is rendered only when it is true. */
  readonly condition?: readonly string[];
}

const ENV_LABEL = `/metadata/labels/${pointerToken(ENVIRONMENT_LABEL)}`;
/** Every document carries the environment label. */
export const COMMON_BINDINGS: readonly Binding[] = [{ pointer: ENV_LABEL, values: ["environment"], render: "scalar", follows: true }];

const VERSION_LABEL = "app.kubernetes.io/version";
const CONFIG_HASH = `/spec/template/metadata/annotations/${pointerToken("finc.dev/config-hash")}`;
const c0 = "/spec/template/spec/containers/0";
const init0 = "/spec/template/spec/initContainers/0";

function resources(prefix: string, base: string[]): Binding[] {
  return ["requests", "limits"].flatMap((rl) => ["cpu", "memory"].map((r) => ({ pointer: `${prefix}/resources/${rl}/${r}`, values: [...base, "resources", rl, r], render: "scalar" as const })));
}

/** Rules for the documents of every service and database of the platform (the same in every environment). */
export function documentRules(model: PlatformModel): DocumentRule[] {
  const rules: DocumentRule[] = [];
  for (const s of model.services) {
    const v = ["services", s.name];
    // With `rollout …` the Rollout carries the replicas and the Deployment is fixed at 0 (emit/rollouts).
    const replicasOn = s.scaling?.rollout ? "Rollout" : "Deployment";
    rules.push(
      {
        // `volume … per-replica` runs the pods from a StatefulSet (emit/kubernetes/stateful-service.ts).
        kind: isStateful(s) ? "StatefulSet" : "Deployment",
        name: s.name,
        bindings: [
          ...(replicasOn === "Deployment" ? [{ pointer: "/spec/replicas", values: [...v, "replicas"], render: "scalar" as const }] : []),
          { pointer: `${c0}/image`, values: [...v, "image"], render: "image" },
          ...resources(c0, v),
          ...resources(init0, v),
          { pointer: CONFIG_HASH, values: [...v, "config"], render: "config-hash" },
        ],
      },
      { kind: "ConfigMap", name: `${s.name}-config`, bindings: [{ pointer: "/data", values: [...v, "config"], render: "block" }] },
      {
        kind: "HorizontalPodAutoscaler",
        name: s.name,
        condition: [...v, "autoscaling", "enabled"],
        bindings: [
          { pointer: "/spec/minReplicas", values: [...v, "autoscaling", "minReplicas"], render: "scalar" },
          { pointer: "/spec/maxReplicas", values: [...v, "autoscaling", "maxReplicas"], render: "scalar" },
          { pointer: "/spec/metrics", values: [...v, "autoscaling", "metrics"], render: "block" },
        ],
      },
      { kind: "PodDisruptionBudget", name: s.name, condition: [...v, "podDisruptionBudget", "enabled"], bindings: [] },
      ...scalingRules(s, v),
      ...batchRules(s, v),
    );
    if (replicasOn === "Rollout")
      rules.push({
        kind: "Rollout",
        name: s.name,
        bindings: [
          { pointer: "/spec/replicas", values: [...v, "replicas"], render: "scalar" },
          { pointer: "/spec/strategy/blueGreen/autoPromotionEnabled", values: [...v, "rollout", "autoPromotionEnabled"], render: "scalar" },
        ],
      });
  }
  for (const db of model.databases) {
    const v = ["databases", db.name];
    if (db.mode === "operator") {
      rules.push({
        kind: "Cluster",
        name: db.name,
        bindings: [
          { pointer: "/spec/instances", values: [...v, "instances"], render: "scalar" },
          { pointer: "/spec/storage/size", values: [...v, "storage"], render: "scalar" },
        ],
      });
      continue;
    }
    rules.push(
      {
        kind: "StatefulSet",
        name: db.name,
        bindings: [
          { pointer: "/spec/replicas", values: [...v, "instances"], render: "scalar" },
          { pointer: "/spec/volumeClaimTemplates/0/spec/resources/requests/storage", values: [...v, "storage"], render: "scalar" },
        ],
      },
      { kind: "PodDisruptionBudget", name: db.name, condition: [...v, "podDisruptionBudget", "enabled"], bindings: [] },
    );
  }
  return rules;
}

/** KEDA's ScaledObject takes the HPA's values (`autoscaling`); the VPA's bounds are the service's limits. */
function scalingRules(s: PlatformModel["services"][number], v: readonly string[]): DocumentRule[] {
  const rules: DocumentRule[] = [];
  if (kedaScaled(s))
    rules.push({
      kind: "ScaledObject",
      name: s.name,
      condition: [...v, "autoscaling", "enabled"],
      bindings: [
        { pointer: "/spec/minReplicaCount", values: [...v, "autoscaling", "minReplicas"], render: "scalar" },
        { pointer: "/spec/maxReplicaCount", values: [...v, "autoscaling", "maxReplicas"], render: "scalar" },
        { pointer: "/spec/triggers", values: [...v, "autoscaling", "triggers"], render: "block" },
      ],
    });
  if (s.scaling?.rightSize)
    rules.push({
      kind: "VerticalPodAutoscaler",
      name: s.name,
      bindings: ["cpu", "memory"].map((r) => ({ pointer: `/spec/resourcePolicy/containerPolicies/0/maxAllowed/${r}`, values: [...v, "resources", "limits", r], render: "scalar" as const })),
    });
  return rules;
}

/**
 * The hosts a service exposes, once each, in the order of its `expose` lines: the chart value `services.<svc>.hosts`.
 * Not the catch-all host `*`: it names no install's host, and bound by value it would capture every other `"*"`.
 */
export function serviceHosts(s: ServiceModel): string[] {
  return [...new Set(s.expose.map((e) => e.host).filter((h) => !isCatchAll(h)))];
}


/**
 * Bindings found by value in one document (read against the model of the environment the
 * document was taken from), for what users expect to vary per install:
 * - a string that is exactly a host some service exposes (Ingress rules and TLS hosts, Gateway
 *   servers, VirtualService hosts, Certificate dnsNames, a one-host external-dns annotation) →
 *   `services.<svc>.hosts.<i>` of the first service exposing it (spec order);
 * - the `app.kubernetes.io/version` label of a service's objects → that service's image tag value.
 * Nothing at or under an already `bound` pointer is bound again. Object names derived from a
 * host (`api-example-com`) stay as they are: they are identities, not addresses.
 */
export function derivedBindings(model: PlatformModel, o: Manifest, bound: readonly string[]): Binding[] {
  const hosts = new Map<string, ValuePath>();
  for (const s of model.services) serviceHosts(s).forEach((h, i) => hosts.has(h) || hosts.set(h, ["services", s.name, "hosts", i]));
  const out: Binding[] = [];
  const isBound = (p: string) => bound.some((b) => p === b || p.startsWith(`${b}/`));
  const walk = (v: unknown, p: string): void => {
    if (isBound(p)) return;
    if (typeof v === "string") {
      const path = hosts.get(v);
      if (path) out.push({ pointer: p, values: path, render: "scalar", follows: true });
    } else if (Array.isArray(v)) v.forEach((x, i) => walk(x, `${p}/${i}`));
    else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, `${p}/${pointerToken(k)}`);
  };
  if (hosts.size) walk(o, "");
  const labels = (o["metadata"] as { labels?: Record<string, string> } | undefined)?.labels ?? {};
  const service = model.services.find((s) => s.name === labels["app.kubernetes.io/name"]);
  if (!service) return out;
  const pointer = `/metadata/labels/${pointerToken(VERSION_LABEL)}`;
  if (labels[VERSION_LABEL] !== undefined && labels[VERSION_LABEL] === splitImage(service.image).tag && !isBound(pointer))
    out.push({ pointer, values: ["services", service.name, "image", "tag"], render: "scalar", follows: true });
  // The Deployments of a `split`'s other versions use the service's ConfigMap: their pods roll with its config too.
  if (getPointer(o, CONFIG_HASH) !== undefined && !isBound(CONFIG_HASH)) out.push({ pointer: CONFIG_HASH, values: ["services", service.name, "config"], render: "config-hash" });
  return out;
}

export function ruleFor(rules: readonly DocumentRule[], o: Manifest): DocumentRule | undefined {
  const name = (o["metadata"] as { name?: string } | undefined)?.name;
  return rules.find((r) => r.kind === o["kind"] && r.name === name);
}

export function getPointer(o: unknown, pointer: string): unknown {
  let cur: unknown = o;
  for (const t of pointer.split("/").slice(1).map((x) => x.replace(/~1/g, "/").replace(/~0/g, "~"))) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string, unknown>)[t];
  }
  return cur;
}

export function setPointer(o: unknown, pointer: string, value: unknown): void {
  const tokens = pointer.split("/").slice(1).map((x) => x.replace(/~1/g, "/").replace(/~0/g, "~"));
  let cur = o as Record<string, unknown>;
  for (const t of tokens.slice(0, -1)) cur = cur[t] as Record<string, unknown>;
  cur[tokens[tokens.length - 1]!] = value;
}

export function getPath(o: unknown, path: ValuePath): unknown {
  let cur = o;
  for (const k of path) cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

export function setPath(o: Record<string, unknown>, path: ValuePath, value: unknown): void {
  let cur = o;
  path.slice(0, -1).forEach((k, i) => (cur = (cur[k] ??= typeof path[i + 1] === "number" ? [] : {}) as Record<string, unknown>));
  cur[path[path.length - 1]!] = value;
}

/**
 * `registry.example.com/payments/api:1.8.0` → repository + tag (the tag is what varies per install).
 * A digest-pinned reference (`…@sha256:…`) has no tag value: it is the repository value whole.
 */
export function splitImage(image: string): { repository: string; tag?: string } {
  if (image.includes("@")) return { repository: image };
  const m = /^(.+):([^:/]+)$/.exec(image);
  return m ? { repository: m[1]!, tag: m[2]! } : { repository: image };
}
