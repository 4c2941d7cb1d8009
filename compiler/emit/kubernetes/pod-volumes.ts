import { createHash } from "node:crypto";
import type { PlatformModel, SecretEnv, ServiceModel } from "../../model/platform-model.js";
import { agentStore } from "../../model/vault.js";
import { formatMode, isStateful, splitFilePath, volumeStorageClass, type PersistentVolume } from "../../model/volumes.js";
import { document, type EmittedDocument } from "../output.js";
import { labels, metadata } from "./labels.js";
import { names } from "./names.js";
import { serviceSecretName } from "./immutable-secret.js";
import { storageClassName } from "./storage.js";

/**
 * The pod side of a workload's files and volumes (model/volumes.ts):
 * - secret files synced by ESO: the workload's Secret mounted read-only per directory, projecting
 *   only the file keys (`items`) with each file's mode, so env keys never appear as files;
 * - secret files from a `delivery vault-agent` store: the agent writes them (annotations below);
 * - `volume`: a shared claim (`persistentVolumeClaim`), or per replica a StatefulSet claim
 *   template (stateful-service.ts) the container mounts by the same name;
 * - `scratch`: a sized emptyDir (tmpfs with `memory`), replacing the 256Mi default of a writable path.
 */

/** A DNS-label volume name for a directory: `<prefix>-<dir as a slug>`, or the slug cut short with 10 hex of its sha256. */
function mountName(prefix: string, dir: string): string {
  const plain = `${prefix}${dir.replace(/\//g, "-")}`;
  if (/^(\/[a-z0-9]+)+$/.test(dir) && plain.length <= 63) return plain;
  const slug = `${prefix}-${dir.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`.slice(0, 51).replace(/-+$/, "");
  return `${slug}--${createHash("sha256").update(dir).digest("hex").slice(0, 10)}`;
}

/** The secret files ESO syncs into the workload's Secret, grouped by the directory they are mounted in. */
function esoFileDirs(model: PlatformModel, s: ServiceModel): Map<string, SecretEnv[]> {
  const dirs = new Map<string, SecretEnv[]>();
  for (const sec of s.secrets) {
    if (!sec.file || agentStore(model, sec)) continue;
    const { dir } = splitFilePath(sec.file.path);
    dirs.set(dir, [...(dirs.get(dir) ?? []), sec]);
  }
  return new Map([...dirs].sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** The claim's name in the pod (and a claim template's name): `data` for /data, `data-var-lib-app` for /var/lib/app. */
export function claimVolumeName(v: PersistentVolume): string {
  return mountName("data", v.path).replace(/^data-data$/, "data");
}

/** The shared PersistentVolumeClaim of a volume: `<workload>-<volume name>`. */
export function claimName(s: ServiceModel, v: PersistentVolume): string {
  return `${s.name}-${claimVolumeName(v)}`;
}

/** The emptyDir of a writable path (`scratch` at that path sets its size and medium). */
export function writableVolume(s: ServiceModel, path: string, name: string): Record<string, unknown> {
  const scratch = s.scratch?.find((x) => x.path === path);
  return { name, emptyDir: scratch ? { ...(scratch.memory ? { medium: "Memory" } : {}), sizeLimit: scratch.size } : { sizeLimit: "256Mi" } };
}

/** Scratch directories that are not also a writable path (those are sized by writableVolume). */
const ownScratch = (s: ServiceModel) => (s.scratch ?? []).filter((x) => !s.writable.includes(x.path));

/** The app's (and init containers') mounts for secret files, volumes and scratch space. */
export function podVolumeMounts(model: PlatformModel, s: ServiceModel, writableName: (path: string) => string): Record<string, unknown>[] {
  return [
    ...[...esoFileDirs(model, s).keys()].map((dir) => ({ name: mountName("secret", dir), mountPath: dir, readOnly: true })),
    ...(s.volumes ?? []).map((v) => ({ name: claimVolumeName(v), mountPath: v.path })),
    ...ownScratch(s).map((x) => ({ name: writableName(x.path), mountPath: x.path })),
  ];
}

/** The pod's volumes for the mounts above (per-replica claims come from the StatefulSet's templates). */
export function podVolumes(model: PlatformModel, s: ServiceModel, writableName: (path: string) => string): Record<string, unknown>[] {
  return [
    ...[...esoFileDirs(model, s)].map(([dir, files]) => ({
      name: mountName("secret", dir),
      secret: {
        secretName: serviceSecretName(s),
        defaultMode: Math.min(...files.map((f) => f.file!.mode)),
        items: files.map((f) => ({ key: f.env, path: splitFilePath(f.file!.path).name, mode: f.file!.mode })),
      },
    })),
    ...(s.volumes ?? []).filter((v) => !v.perReplica).map((v) => ({ name: claimVolumeName(v), persistentVolumeClaim: { claimName: claimName(s, v) } })),
    ...ownScratch(s).map((x) => writableVolume(s, x.path, writableName(x.path))),
  ];
}

/** The claim's spec: one node reads and writes it (ReadWriteOnce), on the tier's encrypted class or the named one. */
export function claimSpec(v: PersistentVolume): Record<string, unknown> {
  return { accessModes: ["ReadWriteOnce"], storageClassName: volumeStorageClass(v, storageClassName), resources: { requests: { storage: v.size } } };
}

/** The PersistentVolumeClaims of a workload's shared volumes. */
export function persistentVolumeClaimDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  return (s.volumes ?? []).filter((v) => !v.perReplica).map((v) =>
    document(`${s.namespace}/persistentvolumeclaim-${claimName(s, v)}.yaml`, {
      apiVersion: "v1",
      kind: "PersistentVolumeClaim",
      metadata: metadata(claimName(s, v), s.namespace, labels(model, s.name, "storage")),
      spec: claimSpec(v),
    }, v.origin),
  );
}

/** Does a Deployment of this workload need `Recreate`? A shared ReadWriteOnce claim cannot be attached to a surged second pod on another node. */
export function needsRecreate(s: ServiceModel): boolean {
  return !isStateful(s) && (s.volumes ?? []).length > 0;
}

/**
 * A secret file the Vault agent renders: into the directory of the file (`secret-volume-path`,
 * the injector mounts its in-memory volume there), under the file's name, with its mode.
 */
export function agentFileAnnotations(sec: SecretEnv): Record<string, string> {
  if (!sec.file) return {};
  const { dir, name } = splitFilePath(sec.file.path);
  return {
    [`vault.hashicorp.com/secret-volume-path-${sec.env}`]: dir,
    [`vault.hashicorp.com/agent-inject-file-${sec.env}`]: name,
    [`vault.hashicorp.com/agent-inject-perms-${sec.env}`]: formatMode(sec.file.mode),
  };
}
