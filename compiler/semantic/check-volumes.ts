import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel, ServiceModel } from "../model/platform-model.js";
import { agentStore } from "../model/vault.js";
import { formatMemory } from "../model/units.js";
import { splitFilePath } from "../model/volumes.js";
import { isBatch } from "../model/workload-kind.js";

/**
 * Files and volumes on the effective values of each environment:
 * - FIN3031: two mounts at the same directory or one inside the other (`writable`, `config-mount`,
 *   secret file directories, `volume`, `scratch`); a `scratch` at a `writable` path only sizes it.
 * - FIN3032: a shared `volume` (one ReadWriteOnce claim) under more than one replica, an
 *   autoscaler or a progressive rollout (a second pod on another node would never start); a
 *   `per-replica` volume on a job or cron job (one pod per run: nothing to keep per replica).
 * - FIN3033: `per-replica` with `rollout` or `split` (both run Deployments); a memory-backed
 *   scratch as large as the container's memory limit (tmpfs pages count against it); a disk
 *   scratch larger than the `ephemeral-storage` limit (emptyDir usage counts against it).
 */

interface Mount {
  readonly path: string;
  readonly what: string;
  readonly range: SourceRange;
}

const inside = (path: string, dir: string): boolean => path === dir || dir === "/" || path.startsWith(dir + "/");

function mountsOf(model: PlatformModel, s: ServiceModel): Mount[] {
  const at = (field: string) => s.fields[field] ?? s.origin;
  const out: Mount[] = [];
  for (const p of s.writable) if (!(s.scratch ?? []).some((x) => x.path === p)) out.push({ path: p, what: `writable ${p}`, range: p === "/tmp" && !s.fields["writable"] ? s.origin : at("writable") });
  if (s.configMount && s.config.length) out.push({ path: s.configMount, what: `config-mount ${s.configMount}`, range: at("config-mount") });
  // The Vault agent's own files live in /vault/secrets.
  if (s.secrets.some((sec) => !sec.file && agentStore(model, sec))) out.push({ path: "/vault/secrets", what: "the Vault agent's /vault/secrets", range: at("secret") });
  const dirs = new Set<string>();
  for (const sec of s.secrets) {
    if (!sec.file) continue;
    const dir = splitFilePath(sec.file.path).dir;
    const how = agentStore(model, sec) ? "agent" : "eso";
    // Files of one delivery in one directory share its mount.
    if (dirs.has(`${how}:${dir}`)) continue;
    dirs.add(`${how}:${dir}`);
    out.push({ path: dir, what: `the secret files' directory ${dir}`, range: sec.origin });
  }
  for (const v of s.volumes ?? []) out.push({ path: v.path, what: `volume ${v.path}`, range: v.origin });
  for (const x of s.scratch ?? []) out.push({ path: x.path, what: `scratch ${x.path}`, range: x.origin });
  return out;
}

function checkOverlaps(model: PlatformModel, s: ServiceModel, report: (d: Diagnostic) => void): void {
  // The later line is the offending one.
  const mounts = mountsOf(model, s).sort((a, b) => (a.range.file === b.range.file ? a.range.start - b.range.start : a.range.file < b.range.file ? -1 : 1));
  mounts.forEach((m, i) => {
    const prior = mounts.slice(0, i).find((o) => inside(m.path, o.path) || inside(o.path, m.path));
    if (!prior) return;
    const same = prior.path === m.path;
    report(diag("FIN3031", m.range, {
      message: same
        ? `${m.what} is mounted at the same directory as ${prior.what} in '${s.name}': one would hide the other.`
        : `${m.what} overlaps ${prior.what} in '${s.name}': the inner mount hides part of the outer one.`,
      hint: m.what.startsWith("the secret files") ? "Put the secret files in a directory of their own, such as /etc/<name>." : "Give each volume, scratch, writable, config-mount and secret-file directory its own path, none inside another.",
    }, { related: [{ message: `${prior.what} is here`, range: prior.range }] }));
  });
}

function checkReplicas(s: ServiceModel, report: (d: Diagnostic) => void): void {
  const rollout = s.scaling?.rollout;
  for (const v of s.volumes ?? []) {
    if (v.perReplica) {
      if (isBatch(s))
        report(diag("FIN3032", v.origin, {
          message: `'${s.name}' runs one pod per run: per-replica storage does not apply to a ${s.workload}.`,
          hint: `Drop per-replica: \`volume ${v.path} ${v.size}\` is one claim the runs share.`,
        }));
      else if (rollout || s.traffic?.split)
        report(diag("FIN3033", v.origin, {
          message: `'${s.name}' keeps per-replica storage in a StatefulSet, but ${rollout ? "`rollout`" : "`split`"} runs its pods from Deployments.`,
          hint: rollout ? "Remove `rollout` (a StatefulSet rolls replica by replica) or use a shared volume with one replica." : "Remove `split` or the per-replica volume.",
        }));
      continue;
    }
    const many = s.replicas.max > 1 ? `${s.replicas.min === s.replicas.max ? "" : "up to "}${s.replicas.max} replicas` : rollout ? "a progressive rollout (old and new pods side by side)" : undefined;
    const storage = "tier" in v.storage ? (v.storage.tier === "standard" ? "" : ` ${v.storage.tier}`) : ` ${v.storage.className}`;
    if (many && !isBatch(s))
      report(diag("FIN3032", v.origin, {
        message: `volume ${v.path} is one ReadWriteOnce claim, which only one node can attach, but '${s.name}' runs ${many}: pods on other nodes would never start.`,
        hint: `Give each replica its own storage: \`volume ${v.path} ${v.size}${storage} per-replica\` (a StatefulSet); or run one replica: \`replicas 1\`${rollout ? " without `rollout`" : ""}.`,
      }));
  }
}

function checkMemoryScratch(s: ServiceModel, report: (d: Diagnostic) => void): void {
  const limit = s.resources.memory.limit;
  for (const x of s.scratch ?? [])
    if (x.memory && x.bytes >= limit)
      report(diag("FIN3033", x.origin, {
        message: `scratch ${x.path} ${x.size} memory is a tmpfs whose contents count against the container's memory limit (${formatMemory(limit)}): filling it would get '${s.name}' OOM-killed.`,
        hint: `Make it smaller than the limit and raise the limit by its size (\`memory … to ${formatMemory(limit + x.bytes)}\`), or drop \`memory\` to use the node's disk.`,
      }));
}

/** A disk-backed scratch larger than the pod's `ephemeral-storage` limit: the kubelet evicts the pod before the scratch is full. */
function checkDiskScratch(s: ServiceModel, report: (d: Diagnostic) => void): void {
  const limit = s.ephemeralStorage?.limit;
  if (limit === undefined) return;
  for (const x of s.scratch ?? [])
    if (!x.memory && x.bytes > limit)
      report(diag("FIN3033", x.origin, {
        message: `scratch ${x.path} ${x.size} is larger than '${s.name}''s ephemeral-storage limit (${formatMemory(limit)}): emptyDir contents count against it, so the kubelet evicts the pod before the scratch is full.`,
        hint: `Raise the limit to at least the scratch size (\`ephemeral-storage … to ${x.size}\`), or make the scratch smaller.`,
      }));
}

export function checkVolumes(model: PlatformModel, report: (d: Diagnostic) => void): void {
  for (const s of model.services) {
    checkOverlaps(model, s, report);
    checkReplicas(s, report);
    checkMemoryScratch(s, report);
    checkDiskScratch(s, report);
  }
}
