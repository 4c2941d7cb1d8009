import type { OverrideValue } from "../../model/override-model.js";

/**
 * What finc guarantees about every pod it emits (restricted Pod Security, read-only root
 * filesystem, no service-account token unless asked) and the namespace `security` level at which
 * an override may give each part up. The levels follow the Pod Security Standards: what
 * `restricted` forbids but `baseline` allows needs `security baseline`; what both forbid needs
 * `security privileged`. finc's own extras (read-only root, no token) are allowed from baseline.
 */
export type SecurityLevel = "restricted" | "baseline" | "privileged";

export const LEVEL_ORDER: Readonly<Record<SecurityLevel, number>> = { restricted: 0, baseline: 1, privileged: 2 };

type Path = readonly (string | number)[];

export interface BrokenGuarantee {
  readonly guarantee: string;
  readonly level: SecurityLevel;
}

/** Capabilities the baseline standard lets a container add; restricted allows only NET_BIND_SERVICE. */
const BASELINE_CAPABILITIES = new Set(["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"]);

/** The last string key, and the one before it, skipping list indexes (`capabilities.add.0` → add, capabilities). */
function keys(path: Path): [string | undefined, string | undefined] {
  const names = path.filter((p): p is string => typeof p === "string" && p !== "+");
  return [names[names.length - 1], names[names.length - 2]];
}

function capabilityLevel(values: readonly OverrideValue[]): SecurityLevel {
  const caps = values.map((v) => String(v).toUpperCase().replace(/^CAP_/, ""));
  if (caps.every((c) => c === "NET_BIND_SERVICE")) return "restricted";
  return caps.every((c) => BASELINE_CAPABILITIES.has(c)) ? "baseline" : "privileged";
}

/** The guarantee a value written at `path` gives up, if any. `path` ends at the leaf (or list) written. */
export function brokenBy(path: Path, value: OverrideValue): BrokenGuarantee | undefined {
  const [key, parent] = keys(path);
  if (path.includes("hostPath")) return { guarantee: "no hostPath volumes (a pod could read and write the node's files)", level: "privileged" };
  switch (key) {
    case "privileged":
      return value === true ? { guarantee: "no privileged containers", level: "privileged" } : undefined;
    case "hostNetwork":
    case "hostPID":
    case "hostIPC":
      return value === true ? { guarantee: `pods do not share the node's ${key.slice(4)} namespace (${key})`, level: "privileged" } : undefined;
    case "hostPort":
      return typeof value === "number" && value !== 0 ? { guarantee: "no host ports", level: "privileged" } : undefined;
    case "procMount":
      return value === "Unmasked" ? { guarantee: "the default /proc mask (procMount)", level: "privileged" } : undefined;
    case "allowPrivilegeEscalation":
      return value === true ? { guarantee: "no privilege escalation (allowPrivilegeEscalation false)", level: "baseline" } : undefined;
    case "runAsUser":
    case "runAsGroup":
      return value === 0 && key === "runAsUser" ? { guarantee: "containers never run as root (runAsUser 0)", level: "baseline" } : undefined;
    case "runAsNonRoot":
      return value === false ? { guarantee: "containers never run as root (runAsNonRoot true)", level: "baseline" } : undefined;
    case "readOnlyRootFilesystem":
      return value === false ? { guarantee: "a read-only root filesystem", level: "baseline" } : undefined;
    case "automountServiceAccountToken":
      return value === true ? { guarantee: "no Kubernetes API token in pods that do not call the API (`kubernetes-api yes` on the workload grants it)", level: "baseline" } : undefined;
    case "type":
      if ((parent === "seccompProfile" || parent === "appArmorProfile") && value === "Unconfined") return { guarantee: `a confined ${parent === "seccompProfile" ? "seccomp" : "AppArmor"} profile (RuntimeDefault)`, level: "privileged" };
      return undefined;
    case "add":
      if (parent !== "capabilities") return undefined;
      {
        const level = capabilityLevel(Array.isArray(value) ? value : [value]);
        return level === "restricted" ? undefined : { guarantee: "all Linux capabilities dropped (capabilities.add)", level };
      }
    case "drop":
      // Replacing the list, or one element of it, with something other than ALL (adding to it only drops more).
      if (path[path.length - 1] === "+") return undefined;
      return parent === "capabilities" && !(Array.isArray(value) ? value : [value]).includes("ALL") ? { guarantee: "all Linux capabilities dropped (capabilities.drop [ALL])", level: "baseline" } : undefined;
    default:
      return undefined;
  }
}

/** The guarantee removed with `before` (the subtree a `delete` takes away), if it held one. */
export function brokenByDelete(path: Path, before: unknown): BrokenGuarantee | undefined {
  const safe: BrokenGuarantee[] = [];
  const visit = (p: Path, v: unknown): void => {
    const [key, parent] = keys(p);
    if (Array.isArray(v) && key === "drop" && parent === "capabilities" && v.includes("ALL")) safe.push({ guarantee: "all Linux capabilities dropped (capabilities.drop [ALL])", level: "baseline" });
    else if (v && typeof v === "object") for (const [k, x] of Object.entries(v as Record<string, unknown>)) visit([...p, Array.isArray(v) ? Number(k) : k], x);
    else if (key === "runAsNonRoot" && v === true) safe.push({ guarantee: "containers never run as root (runAsNonRoot true)", level: "baseline" });
    else if (key === "readOnlyRootFilesystem" && v === true) safe.push({ guarantee: "a read-only root filesystem", level: "baseline" });
    else if (key === "allowPrivilegeEscalation" && v === false) safe.push({ guarantee: "no privilege escalation (allowPrivilegeEscalation false)", level: "baseline" });
    else if (key === "automountServiceAccountToken" && v === false) safe.push({ guarantee: "no Kubernetes API token in pods that do not call the API", level: "baseline" });
    else if (key === "type" && parent === "seccompProfile" && v === "RuntimeDefault") safe.push({ guarantee: "a confined seccomp profile (RuntimeDefault)", level: "baseline" });
  };
  visit(path, before);
  return safe.sort((a, b) => LEVEL_ORDER[b.level] - LEVEL_ORDER[a.level])[0];
}
