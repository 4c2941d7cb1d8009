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
const replicas = (min: number) => ({ type: "integer", minimum: min });

export function valuesSchema(models: ReadonlyMap<string, PlatformModel>, configKeys: ReadonlyMap<string, ReadonlySet<string>>): Schema {
  const ref = [...models.values()][0]!;
  const services: Record<string, Schema> = {};
  for (const s of ref.services) {
    const keys = [...(configKeys.get(s.name) ?? [])].sort();
    // ConfigMap data are strings: a typed key is a string constrained to its type's syntax or allowed values.
    const entry = (k: string) => [...models.values()].flatMap((m) => m.services.find((x) => x.name === s.name)?.config ?? []).find((c) => c.key === k);
    const config: Schema = { type: "object", description: "application config: the ConfigMap data", additionalProperties: false, properties: Object.fromEntries(keys.map((k) => [k, configJsonSchema(entry(k)?.type, entry(k)?.doc)])) };
    services[s.name] = object({
      image: { type: "object", additionalProperties: false, required: ["repository"], properties: { repository: { type: "string", minLength: 1 }, tag: { type: "string", pattern: "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$" } } },
      replicas: replicas(0),
      autoscaling: kedaScaled(s)
        ? object({ enabled: bool, minReplicas: replicas(0), maxReplicas: replicas(1), triggers: { type: "array", items: { type: "object" }, minItems: 1 } }, "KEDA ScaledObject")
        : object({ enabled: bool, minReplicas: replicas(1), maxReplicas: replicas(1), metrics: { type: "array", items: { type: "object" }, minItems: 1 } }),
      ...(s.scaling?.rollout?.kind === "blue-green" ? { rollout: object({ autoPromotionEnabled: bool }, "Argo Rollouts blue-green") } : {}),
      podDisruptionBudget: object({ enabled: bool }),
      resources: object({ requests: object({ cpu: CPU, memory: MEMORY }), limits: object({ cpu: CPU, memory: MEMORY }) }),
      config,
    }, s.doc);
  }
  const databases: Record<string, Schema> = {};
  for (const db of ref.databases) {
    databases[db.name] = object({ instances: replicas(1), storage: STORAGE, podDisruptionBudget: object({ enabled: bool }) }, db.doc);
  }
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: `${ref.platform.name} values`,
    ...object({
      environment: { type: "string", enum: [...models.keys()], description: "the environment label every object carries" },
      services: object(services),
      databases: object(databases),
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
