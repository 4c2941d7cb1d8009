import type { FieldValues } from "../semantic/read-fields.js";
import type { SecretRead } from "../semantic/schema/service.js";
import type { ScratchRead, VolumeRead } from "../semantic/schema/volume-fields.js";
import type { SecretEnv } from "./platform-model.js";
import { secretFileKey, type ServiceVolumes } from "./volumes.js";

/** Later lines win per path (an environment's `volume /data 50Gi` resizes the base's /data). */
function lastByPath<T extends { path: string }>(items: readonly T[]): T[] {
  const m = new Map<string, T>();
  for (const i of items) {
    m.delete(i.path);
    m.set(i.path, i);
  }
  return [...m.values()];
}

/** `volume` and `scratch` lines → the workload's volumes. */
export function lowerVolumes(v: FieldValues): ServiceVolumes {
  const volumes = lastByPath(v.all<VolumeRead[]>("volume").flat()).map(({ range, ...rest }) => ({ ...rest, origin: range }));
  const scratch = lastByPath(v.all<ScratchRead[]>("scratch").flat()).map(({ range, ...rest }) => ({ ...rest, origin: range }));
  return { ...(volumes.length ? { volumes } : {}), ...(scratch.length ? { scratch } : {}) };
}

/** `secret file(s) …` lines → one SecretEnv per file, keyed `file-<name>` in the workload's Secret (later lines win per file). */
export function lowerSecretFiles(v: FieldValues): SecretEnv[] {
  const files = lastByPath(
    v.all<SecretRead[]>("secret").flat().flatMap((s) =>
      s.kind === "files" ? s.files.map((f) => ({ path: f.file, key: f.key, read: s })) : [],
    ),
  );
  const paths = files.map((f) => f.path);
  return files.map(({ path, key, read }) => ({
    env: secretFileKey(path, paths),
    origin: read.range,
    source: { kind: "store", store: read.store.name, path: read.path, key, ...(read.refreshMs !== undefined ? { refreshMs: read.refreshMs } : {}) },
    file: { path, mode: read.mode },
  }));
}
