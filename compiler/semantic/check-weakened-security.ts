import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * Settings that give away part of finc's default security posture are allowed but never silent:
 * FIN4034 says what each one gives away. (`writable` paths outside the app's scratch
 * directories are warned about where they are read: schema/writable-paths.ts.) Under
 * `compliance pci-dss` a namespace below `restricted` is already an error (FIN4005), so it is
 * not reported twice.
 */
export function checkWeakenedSecurity(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const pci = model.platform.compliance.includes("pci-dss");
  for (const ns of model.namespaces) {
    if (ns.security === "restricted" || pci) continue;
    const range = ns.fields["security"] ?? ns.origin;
    if (ns.security === "baseline") {
      report(diag("FIN4034", range, {
        message: `Namespace '${ns.name}' enforces only the baseline Pod Security Standard: pods there may run as root, keep Linux capabilities such as NET_RAW, run without a seccomp profile and escalate privileges, all of which restricted forbids.`,
        hint: "finc's own workloads stay restricted, but anything else deployed into the namespace does not have to; use `security restricted` unless a workload there needs one of these.",
      }));
    } else {
      report(diag("FIN4034", range, {
        message: `Namespace '${ns.name}' enforces no Pod Security Standard (privileged): pods there may be privileged, mount host paths and share the node's network, PID and IPC namespaces, which is enough to take over the node.`,
        hint: "Use `security restricted` (or at least `baseline`); keep privileged namespaces for node agents that truly need them.",
      }));
    }
  }
  for (const s of model.services) {
    if (s.kubernetesApi) {
      const secrets = new Set(s.secrets.map((x) => x.env)).size;
      const readable = [s.config.length ? "the service's ConfigMap" : "", secrets ? `the Secrets holding its ${secrets} secret value${secrets === 1 ? "" : "s"}` : ""].filter(Boolean).join(" and ");
      report(diag("FIN4034", s.fields["kubernetes-api"] ?? s.origin, {
        message: `\`kubernetes-api yes\` mounts a service-account token into every pod of '${s.name}': any code in the pod (an attacker's included) can call the Kubernetes API as system:serviceaccount:${s.namespace}:${s.name}, ${readable ? `read ${readable} through it, ` : ""}and use whatever the cluster grants every authenticated account.`,
        hint: "Set `kubernetes-api no` (the default) unless the application itself calls the API server.",
      }));
    }
    if (s.configMount !== undefined && s.writable.includes(s.configMount)) {
      report(diag("FIN3023", s.fields["config-mount"] ?? s.origin, {
        message: `config-mount ${s.configMount} is also a writable directory of '${s.name}': one path cannot hold both the read-only config and an emptyDir.`,
        hint: "Mount the config in a directory of its own, such as /etc/app.",
      }));
    }
  }
}
