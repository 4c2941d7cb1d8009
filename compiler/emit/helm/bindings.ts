import type { PlatformModel } from "../../model/platform-model.js";
import { ENVIRONMENT_LABEL } from "../kubernetes/labels.js";
import type { Manifest } from "../output.js";
import { pointerToken } from "../kustomize/json-patch.js";
import { kedaScaled } from "../rollouts/target.js";

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

export interface Binding {
  readonly pointer: string;
  readonly values: readonly string[];
  readonly render: Render;
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
export const COMMON_BINDINGS: readonly Binding[] = [{ pointer: ENV_LABEL, values: ["environment"], render: "scalar" }];

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
        kind: "Deployment",
        name: s.name,
        bindings: [
          ...(replicasOn === "Deployment" ? [{ pointer: "/spec/replicas", values: [...v, "replicas"], render: "scalar" as const }] : []),
          { pointer: `${c0}/image`, values: [...v, "image"], render: "image" },
          ...resources(c0, v),
          ...resources(init0, v),
          { pointer: `/spec/template/metadata/annotations/${pointerToken("finc.dev/config-hash")}`, values: [...v, "config"], render: "config-hash" },
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

export function getPath(o: unknown, path: readonly string[]): unknown {
  let cur = o;
  for (const k of path) cur = cur !== null && typeof cur === "object" ? (cur as Record<string, unknown>)[k] : undefined;
  return cur;
}

export function setPath(o: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let cur = o;
  for (const k of path.slice(0, -1)) cur = (cur[k] ??= {}) as Record<string, unknown>;
  cur[path[path.length - 1]!] = value;
}

/** `registry.example.com/payments/api:1.8.0` → repository + tag (the tag is what varies per install). */
export function splitImage(image: string): { repository: string; tag?: string } {
  const m = /^(.+):([^:/]+)$/.exec(image);
  return m ? { repository: m[1]!, tag: m[2]! } : { repository: image };
}
