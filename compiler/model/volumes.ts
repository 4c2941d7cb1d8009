import { createHash } from "node:crypto";
import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { PlatformModel } from "./platform-model.js";

/**
 * Files and volumes of a workload: secret files (`secret file …`, `secret files …`), persistent
 * volumes (`volume /data 10Gi fast [per-replica]`) and sized scratch space (`scratch /tmp 1Gi
 * [memory]`). Plain data; the Kubernetes emitter turns it into volumes, mounts, PVCs and, for
 * per-replica storage, a StatefulSet (emit/kubernetes/pod-volumes.ts, stateful-service.ts).
 */

/** Where a secret file lands: an absolute file path and its permission bits (0400 by default). */
export interface SecretFileTarget {
  readonly path: string;
  readonly mode: number;
}

/** The default permission of a secret file: readable by its owner only (the kubelet adds group read for fsGroup). */
export const DEFAULT_SECRET_FILE_MODE = 0o400;

/** `volume /data 10Gi fast`: a ReadWriteOnce PersistentVolumeClaim mounted at `path`. */
export interface PersistentVolume {
  readonly path: string;
  /** As written (`10Gi`), and in bytes. */
  readonly size: string;
  readonly bytes: number;
  /** A finc tier (its encrypted `finc-<tier>` StorageClass), or a StorageClass of the cluster by name. */
  readonly storage: { readonly tier: "fast" | "standard" | "archive" } | { readonly className: string };
  /** `per-replica`: each replica gets its own claim (a StatefulSet's volumeClaimTemplates). */
  readonly perReplica: boolean;
  readonly origin: SourceRange;
}

/** `scratch /tmp 1Gi [memory]`: a sized emptyDir (memory-backed: tmpfs, counted in the container's memory). */
export interface ScratchVolume {
  readonly path: string;
  readonly size: string;
  readonly bytes: number;
  readonly memory: boolean;
  readonly origin: SourceRange;
}

export interface ServiceVolumes {
  readonly volumes?: readonly PersistentVolume[];
  readonly scratch?: readonly ScratchVolume[];
}

/** Does the workload keep per-replica state (a StatefulSet instead of a Deployment)? */
export function isStateful(s: ServiceVolumes): boolean {
  return (s.volumes ?? []).some((v) => v.perReplica);
}

/** The headless Service of a per-replica workload (the pods' stable DNS names): `<workload>-pods`. */
export const statefulServiceName = (workload: string): string => `${workload}-pods`;

/** The StorageClass a volume's claim names. */
export function volumeStorageClass(v: PersistentVolume, tierClass: (tier: string) => string): string {
  return "tier" in v.storage ? tierClass(v.storage.tier) : v.storage.className;
}

/**
 * The key of a secret file in the workload's Secret (and the Vault agent's secret name):
 * `file-<basename>` (`file-signing.pem`), with 8 hex of the path's sha256 when two files of the
 * workload share a basename. Env var names never contain `-`, so no env key can collide.
 */
export function secretFileKey(path: string, allPaths: readonly string[]): string {
  const base = path.slice(path.lastIndexOf("/") + 1).replace(/[^-._a-zA-Z0-9]/g, "-").slice(0, 40);
  const shared = allPaths.filter((p) => p !== path && p.slice(p.lastIndexOf("/") + 1) === path.slice(path.lastIndexOf("/") + 1)).length > 0;
  return shared ? `file-${base}-${createHash("sha256").update(path).digest("hex").slice(0, 8)}` : `file-${base}`;
}

/** `/etc/jwt/signing.pem` → `/etc/jwt`, `signing.pem`. */
export function splitFilePath(path: string): { dir: string; name: string } {
  const i = path.lastIndexOf("/");
  return { dir: i <= 0 ? "/" : path.slice(0, i), name: path.slice(i + 1) };
}

/** `0o400` → `"0400"` (as `mode` is written, and as the Vault agent's `agent-inject-perms` takes it). */
export const formatMode = (mode: number): string => "0" + mode.toString(8);

/** The finc storage tiers the workloads' volumes use, with the line of the first (their StorageClasses are emitted with the databases'). */
export function volumeTiers(model: PlatformModel): { tier: string; origin: SourceRange }[] {
  return model.services.flatMap((s) => (s.volumes ?? []).flatMap((v) => ("tier" in v.storage ? [{ tier: v.storage.tier, origin: v.origin }] : [])));
}
