import type { PlatformModel } from "../../model/platform-model.js";
import type { ConfigType } from "../../model/config-type.js";
import { kedaScaled } from "../rollouts/target.js";

/**
 * values.schema.json from the spec's types: every service and database the spec
 * declares, each value with the type (and unit syntax) the spec language gives it,
 * and no other keys, so `helm install/template` rejects a mistyped or misspelled value.
 */
type Schema = Record<string, unknown>;

const CPU = { type: "string", pattern: "^([0-9]+m|[0-9]+(\\.[0-9]+)?)$", description: "CPU quantity: 250m, 1, 1.5" };
const MEMORY = { type: "string", pattern: "^[0-9]+(Ki|Mi|Gi|Ti|K|M|G|T)?$", description: "memory quantity: 512Mi, 1Gi" };
const STORAGE = { ...MEMORY, description: "storage quantity: 200Gi" };
const object = (properties: Record<string, Schema>, description?: string): Schema => ({
  type: "object",
  ...(description ? { description } : {}),
  additionalProperties: false,
  required: Object.keys(properties),
  properties,
});
const bool = { type: "boolean" };
const HOST = { type: "string", pattern: "^(\\*\\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$", description: "a host name the service is exposed on" };

/** `overrides`: per document id, per JSON pointer, the reference environment's value (its type is the leaf's type). */
export type OverrideLeaves = ReadonlyMap<string, ReadonlyMap<string, unknown>>;

export interface SchemaExtras {
  /** Services with `expose` in some environment: they get `hosts`. */
  readonly hosts: ReadonlySet<string>;
  /** Ids of the documents only some environments have (`documents.<id>`: rendered or not). */
  readonly documents: readonly string[];
  readonly overrides: OverrideLeaves;
  /** The reference values: a service's or database's keys are exactly those it has there (a service that never autoscales has no `autoscaling`). */
  readonly values: Readonly<Record<string, unknown>>;
}

/** Keeps the properties the values have (every environment's values have the same keys: see valuesFor). */
function only(properties: Record<string, Schema>, present: unknown): Record<string, Schema> {
  const keys = new Set(Object.keys((present ?? {}) as object));
  return Object.fromEntries(Object.entries(properties).filter(([k]) => keys.has(k)));
}

function leafSchema(v: unknown, id: string, pointer: string): Schema {
  const type = typeof v === "number" ? (Number.isInteger(v) ? "integer" : "number") : typeof v === "boolean" ? "boolean" : "string";
  return { type, description: `${pointer} of ${id}: differs between environments and no named value covers it` };
}
const replicas = (min: number) => ({ type: "integer", minimum: min });

export function valuesSchema(models: ReadonlyMap<string, PlatformModel>, configKeys: ReadonlyMap<string, ReadonlySet<string>>, extras: SchemaExtras): Schema {
  const ref = [...models.values()][0]!;
  const services: Record<string, Schema> = {};
  const all = (name: string) => [...models.values()].flatMap((m) => m.services.filter((x) => x.name === name));
  for (const s of ref.services) {
    const keys = [...(configKeys.get(s.name) ?? [])].sort();
    // ConfigMap data are strings: a typed key is a string constrained to its type's syntax or allowed values.
    const entry = (k: string) => [...models.values()].flatMap((m) => m.services.find((x) => x.name === s.name)?.config ?? []).find((c) => c.key === k);
    const config: Schema = { type: "object", description: "application config: the ConfigMap data", additionalProperties: false, properties: Object.fromEntries(keys.map((k) => [k, configJsonSchema(entry(k)?.type, entry(k)?.doc)])) };
    services[s.name] = object(only({
      image: { type: "object", additionalProperties: false, required: ["repository"], properties: { repository: { type: "string", minLength: 1 }, tag: { type: "string", pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" } } },
      replicas: replicas(0),
      // HPA `metrics` or KEDA `triggers`, or both where KEDA scales the service in some environments only.
      autoscaling: object(only({
        enabled: bool,
        minReplicas: replicas(all(s.name).some(kedaScaled) ? 0 : 1),
        maxReplicas: replicas(1),
        metrics: { type: "array", items: { type: "object" }, minItems: 1 },
        triggers: { type: "array", items: { type: "object" }, minItems: 1 },
      }, (extras.values["services"] as Record<string, Record<string, unknown>> | undefined)?.[s.name]?.["autoscaling"]), all(s.name).every(kedaScaled) ? "KEDA ScaledObject" : undefined),
      ...(all(s.name).some((x) => x.scaling?.rollout?.kind === "blue-green") ? { rollout: object({ autoPromotionEnabled: bool }, "Argo Rollouts blue-green") } : {}),
      podDisruptionBudget: object({ enabled: bool }),
      // A cron job's CronJob suspend (helm/batch-bindings.ts).
      suspend: bool,
      resources: object({ requests: object({ cpu: CPU, memory: MEMORY }), limits: object({ cpu: CPU, memory: MEMORY }) }),
      config,
      ...(extras.hosts.has(s.name) ? { hosts: { type: "array", items: HOST, description: "the hosts of its `expose` lines, in order: the hosts of its Ingress, Gateway and VirtualService routes and certificates" } } : {}),
    }, (extras.values["services"] as Record<string, unknown> | undefined)?.[s.name]), s.doc);
  }
  const databases: Record<string, Schema> = {};
  for (const db of ref.databases) {
    databases[db.name] = object(only({ instances: replicas(1), storage: STORAGE, podDisruptionBudget: object({ enabled: bool }) }, (extras.values["databases"] as Record<string, unknown> | undefined)?.[db.name]), db.doc);
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `${ref.platform.name} values`,
    ...object({
      environment: { type: "string", enum: [...models.keys()], description: "the environment label every object carries" },
      services: object(services),
      databases: object(databases),
      ...(extras.documents.length ? { documents: object(Object.fromEntries([...extras.documents].sort().map((id) => [id, bool])), "objects only some environments have: whether this install renders them") } : {}),
      ...(extras.overrides.size
        ? {
            overrides: object(
              Object.fromEntries([...extras.overrides].sort(([a], [b]) => (a < b ? -1 : 1)).map(([id, leaves]) => [id, object(Object.fromEntries([...leaves].map(([p, v]) => [p, leafSchema(v, id, p)])))])),
              "fields that differ between environments with no named value: per object (Kind/namespace/name), per JSON pointer",
            ),
          }
        : {}),
    }),
  };
}

/** The JSON Schema of a config value in the Helm chart: ConfigMap data are strings, so every type is a constrained string. */
export function configJsonSchema(t: ConfigType | undefined, doc: string | undefined): Record<string, unknown> {
  const description = doc ? { description: doc } : {};
  switch (t?.kind) {
    case undefined:
    case "string": return { type: "string", ...description };
    case "int": return { type: "string", pattern: "^-?[0-9]+$", ...description };
    case "bool": return { type: "string", enum: ["true", "false"], ...description };
    case "duration": return { type: "string", pattern: "^[0-9]+(\\.[0-9]+)?(ms|s|m|h|d)$", ...description };
    case "url": return { type: "string", pattern: "^[a-z][a-z0-9+.-]*://\\S+$", ...description };
    case "enum": return { type: "string", enum: [...t.values], ...description };
  }
}
