import type { Manifest } from "../output.js";

/** What kustomize and Helm identify an object by: group/version, kind, namespace and name. */
export interface ObjectId {
  readonly apiVersion: string;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export function objectId(o: Manifest): ObjectId {
  const meta = (o["metadata"] ?? {}) as { name?: string; namespace?: string };
  return { apiVersion: String(o["apiVersion"]), kind: String(o["kind"]), ...(meta.namespace ? { namespace: meta.namespace } : {}), name: String(meta.name) };
}

export function idKey(id: ObjectId): string {
  return `${id.apiVersion}|${id.kind}|${id.namespace ?? ""}|${id.name}`;
}
