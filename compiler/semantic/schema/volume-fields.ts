import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { diag } from "../../diagnostics/messages.js";
import { UNIT_SUFFIXES } from "../../model/units.js";
import { eachTerm, rangeOf, type FieldContext, type TermReader } from "../readers.js";
import { field } from "./field-spec.js";
import { RANGES, type ValueRange } from "./value-ranges.js";
import { readMountPath, systemPathProblem } from "./writable-paths.js";

/**
 * `volume /data 10Gi [fast|standard|archive|<storage class>] [per-replica]` and
 * `scratch /tmp 1Gi [memory]`: a workload's own storage. Paths are literal absolute directories
 * outside the system directories (FIN3023); overlaps with each other, `writable`, `config-mount`
 * and secret files, and a shared volume under several replicas, are checked on the effective
 * values (check-volumes.ts).
 */

const MI = 1024 ** 2;
const TI = 1024 ** 4;

export const VOLUME_TIERS = ["fast", "standard", "archive"] as const;

/** A scratch emptyDir's sizeLimit: at least 1Mi, at most what a node could hold. */
export const SCRATCH_SIZE: ValueRange = { kind: "memory", what: "The scratch size", target: "emptyDir sizeLimit (quantity)", min: MI, max: 16 * TI, step: 1 };

export interface VolumeRead {
  readonly path: string;
  readonly size: string;
  readonly bytes: number;
  readonly storage: { readonly tier: (typeof VOLUME_TIERS)[number] } | { readonly className: string };
  readonly perReplica: boolean;
  readonly range: SourceRange;
}

export interface ScratchRead {
  readonly path: string;
  readonly size: string;
  readonly bytes: number;
  readonly memory: boolean;
  readonly range: SourceRange;
}

/** A mount path outside the system directories (FIN3023 at the path otherwise). */
function readOwnPath(r: TermReader, what: string): { path: string; range: SourceRange } | undefined {
  const p = readMountPath(r);
  if (!p) return undefined;
  const system = systemPathProblem(p.path, what);
  if (system) {
    r.ctx.report(diag("FIN3023", p.range, { message: `${system}: the ${what} mounted there hides what the image has in it.`, hint: "Mount it in the app's own directory: /data, /var/lib/<app>, /app/<dir>." }));
    return undefined;
  }
  return p;
}

/** A StorageClass name as the cluster has it: a DNS subdomain. */
const CLASS_NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

function readVolume(ctx: FieldContext, r: TermReader): VolumeRead | undefined {
  const p = readOwnPath(r, "volume");
  if (!p) return undefined;
  const size = r.memory(RANGES.storage);
  if (!size) return undefined;
  let storage: VolumeRead["storage"] = { tier: "standard" };
  let perReplica = false;
  while (!r.done) {
    if (r.accept("per-replica")) {
      perReplica = true;
      continue;
    }
    const a = r.peek()!;
    const name = a.kind === "String" ? a.value : a.kind === "Word" && a.parts.length === 1 ? a.parts[0]!.text : undefined;
    if (name === undefined) return r.mismatch("a storage tier (fast, standard, archive), a storage class or per-replica", a);
    r.next();
    if ((VOLUME_TIERS as readonly string[]).includes(name)) storage = { tier: name as (typeof VOLUME_TIERS)[number] };
    else if (CLASS_NAME.test(name) && name.length <= 253) storage = { className: name };
    else {
      ctx.report(diag("FIN3033", rangeOf(ctx, a), { message: `'${name}' is not a storage tier or a StorageClass name.`, hint: "Write fast, standard or archive (finc's encrypted classes), or the name of a StorageClass of the cluster (lower case, digits, '-', '.')." }));
      return undefined;
    }
  }
  return { path: p.path, size: size.raw, bytes: size.bytes, storage, perReplica, range: rangeOf(ctx, r.term) };
}

function readScratch(ctx: FieldContext, r: TermReader): ScratchRead | undefined {
  const p = readOwnPath(r, "scratch");
  if (!p) return undefined;
  const size = r.memory(SCRATCH_SIZE);
  if (!size) return undefined;
  const memory = r.accept("memory");
  return { path: p.path, size: size.raw, bytes: size.bytes, memory, range: rangeOf(ctx, r.term) };
}

export const serviceVolumeFields = {
  volume: field({
    doc: "A persistent volume mounted at a directory: a ReadWriteOnce PersistentVolumeClaim `<workload>-<dir>` on finc's encrypted StorageClass of the tier (`finc-fast`, `finc-standard`, `finc-archive`, as for databases; default standard) or on a StorageClass of the cluster named here. A shared claim can only be attached to one node: with more than one replica it is FIN3032, and its Deployment replaces pods (Recreate) instead of surging a second one. `per-replica` gives each replica its own claim: the workload becomes a StatefulSet with volumeClaimTemplates and a headless Service `<workload>-pods` (its NetworkPolicy, disruption budget, mesh and probes unchanged).",
    syntax: "/<dir> <size> [fast | standard | archive | <storage class>] [per-replica]",
    example: "/data 10Gi fast",
    repeatable: true,
    keywords: { "#": [...VOLUME_TIERS, "per-replica"], fast: ["per-replica"], standard: ["per-replica"], archive: ["per-replica"] },
    units: UNIT_SUFFIXES.memory,
    numbers: [RANGES.storage],
    read: (ctx) => eachTerm(ctx, (r) => readVolume(ctx, r)),
  }),
  scratch: field({
    doc: "Sized scratch space at a directory: an emptyDir with that sizeLimit (the pod is evicted when it writes more), on the node's disk, or with `memory` a tmpfs (`medium: Memory`) whose contents count against the container's memory limit, so a memory-backed scratch as large as the limit is FIN3033; on disk it counts against the pod's `ephemeral-storage` limit, and one larger than that limit is FIN3033 too. `scratch /tmp 1Gi` resizes the always-writable /tmp (256Mi otherwise), and on any `writable` path it sizes that path; at or inside a volume, config-mount or secret-file directory it is FIN3031.",
    syntax: "/<dir> <size> [memory]",
    example: "/var/cache/app 1Gi",
    repeatable: true,
    keywords: { "#": ["memory"] },
    units: UNIT_SUFFIXES.memory,
    numbers: [SCRATCH_SIZE],
    read: (ctx) => eachTerm(ctx, (r) => readScratch(ctx, r)),
  }),
};
