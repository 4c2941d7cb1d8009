import { evaluate } from "@marcbachmann/cel-js";

/**
 * Evaluates a ValidatingAdmissionPolicy as the API server does, with the CEL implementation
 * @marcbachmann/cel-js: matchConstraints (by resource), matchConditions, lazily evaluated
 * variables, then every validation. Kubernetes-specific CEL used by finc's policies is only
 * `upperAscii()` (Kubernetes' strings library), which this implementation has built in.
 *
 * Objects are JSON; the API server gives CEL integers as int, so integral numbers are turned
 * into BigInt (cel-js's int) before evaluation.
 */

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Obj = Record<string, unknown>;

export interface AdmissionRequest {
  readonly operation: "CREATE" | "UPDATE" | "DELETE";
  readonly username: string;
  /** The object as sent (null for DELETE). */
  readonly object: Obj | null;
  readonly oldObject?: Obj | null;
}

export type Verdict = { readonly kind: "not-matched" } | { readonly kind: "admitted" } | { readonly kind: "denied"; readonly messages: readonly string[] };

const RESOURCES: Record<string, string> = {
  Pod: "pods", Service: "services", ConfigMap: "configmaps", Deployment: "deployments", ReplicaSet: "replicasets", StatefulSet: "statefulsets",
  DaemonSet: "daemonsets", Job: "jobs", CronJob: "cronjobs", Rollout: "rollouts", NetworkPolicy: "networkpolicies",
};

function toCel(v: unknown): unknown {
  if (typeof v === "number" && Number.isInteger(v)) return BigInt(v);
  if (Array.isArray(v)) return v.map(toCel);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toCel(x)]));
  return v;
}

interface PolicySpec {
  matchConstraints: { resourceRules: { apiGroups: string[]; operations: string[]; resources: string[] }[] };
  matchConditions?: { name: string; expression: string }[];
  variables?: { name: string; expression: string }[];
  validations: { expression: string; message: string }[];
}

const groupOf = (o: Obj): string => {
  const v = String(o["apiVersion"] ?? "");
  return v.includes("/") ? v.slice(0, v.indexOf("/")) : "";
};

/** The policy's verdict on one request (the binding's namespace selection is the caller's). */
export function admit(policy: Obj, req: AdmissionRequest): Verdict {
  const spec = policy["spec"] as unknown as PolicySpec;
  const target = (req.object ?? req.oldObject)!;
  const resource = RESOURCES[String(target["kind"])];
  const matched = spec.matchConstraints.resourceRules.some((r) => r.apiGroups.includes(groupOf(target)) && r.operations.includes(req.operation) && !!resource && r.resources.includes(resource));
  if (!matched) return { kind: "not-matched" };
  const context: Record<string, unknown> = {
    object: toCel(req.object),
    oldObject: toCel(req.oldObject ?? null),
    request: { operation: req.operation, userInfo: { username: req.username } },
  };
  // Kubernetes evaluates a variable on first use only: a getter does the same here.
  const variables: Record<string, unknown> = {};
  const cache = new Map<string, unknown>();
  for (const v of spec.variables ?? [])
    Object.defineProperty(variables, v.name, { enumerable: true, get: () => (cache.has(v.name) ? cache.get(v.name) : (cache.set(v.name, evaluate(v.expression, context)), cache.get(v.name))) });
  context["variables"] = variables;
  for (const c of spec.matchConditions ?? []) if (evaluate(c.expression, context) !== true) return { kind: "not-matched" };
  const messages = spec.validations.filter((v) => evaluate(v.expression, context) !== true).map((v) => v.message);
  return messages.length ? { kind: "denied", messages } : { kind: "admitted" };
}

export type { Json };
