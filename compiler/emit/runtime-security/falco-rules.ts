import { allowedDestinations, PCI_REQUIREMENTS as PCI } from "../../model/cluster-security.js";
import type { PlatformModel, ServiceModel } from "../../model/platform-model.js";

/**
 * Falco rules for the platform (issue 12, item 2): what the spec declares becomes the baseline a
 * workload's processes are held to at run time. Every list and macro a condition names is defined
 * here (the rules load with or without Falco's default rule set); the tags carry the PCI DSS 4.0.1
 * requirement each rule gives evidence for.
 */

export type FalcoItem =
  | { readonly list: string; readonly items: readonly string[] }
  | { readonly macro: string; readonly condition: string }
  | { readonly rule: string; readonly desc: string; readonly condition: string; readonly output: string; readonly priority: FalcoPriority; readonly tags: readonly string[] };

export type FalcoPriority = "EMERGENCY" | "ALERT" | "CRITICAL" | "ERROR" | "WARNING" | "NOTICE" | "INFORMATIONAL" | "DEBUG";

const tag = (req: string) => `PCI_DSS_${req}`;
/** Falco expands list items into the condition text: quoted, a name with `/` or `-` stays one value. */
const q = (s: string) => `"${s}"`;
/** Macro/list identifiers: `finc_<namespace>__<workload>` (names are DNS labels: `__` cannot be ambiguous). */
const ident = (...parts: string[]) => ["finc", ...parts.map((p) => p.replace(/-/g, "_"))].join("_").replace(/_{3,}/g, "__");
const workloadId = (s: ServiceModel) => `${ident(s.namespace)}__${s.name.replace(/-/g, "_")}`;

const SHELLS = ["ash", "bash", "csh", "dash", "fish", "ksh", "sh", "tcsh", "zsh"];
const PACKAGE_MANAGERS = ["apk", "apt", "apt-get", "aptitude", "dnf", "dpkg", "gem", "microdnf", "npm", "pip", "pip3", "pnpm", "rpm", "tdnf", "yarn", "yum", "zypper"];
/** Where the kubelet mounts a service-account token (`/run` and `/var/run` are the same directory). */
const TOKEN_DIRS = ["/var/run/secrets/kubernetes.io/serviceaccount", "/run/secrets/kubernetes.io/serviceaccount"];
/** Paths every process writes below without it being a change of the image: devices and its own /proc. */
const ALWAYS_WRITABLE = ["/dev/", "/proc/self/", "/proc/thread-self/"];

const OUTPUT_CONTEXT = "ns=%k8s.ns.name pod=%k8s.pod.name container=%container.name image=%container.image.repository user=%user.name proc=%proc.name cmdline=%proc.cmdline";

/**
 * The workloads Falco checks: every service, worker, job and cronjob. A workload's own container is
 * its namespace and container name (finc names it after the workload, unique in the namespace; the
 * sidecars and init containers are named otherwise): fields every libsinsp version has, unlike
 * `k8s.pod.label[…]`, which older ones do not parse.
 */
const workloads = (model: PlatformModel) => [...model.services].sort((a, b) => (workloadId(a) < workloadId(b) ? -1 : workloadId(a) > workloadId(b) ? 1 : 0));

export function falcoRules(model: PlatformModel): FalcoItem[] {
  const items: FalcoItem[] = [];
  const namespaces = [...new Set(model.namespaces.map((n) => n.name))].sort();
  items.push(
    { list: "finc_shell_binaries", items: SHELLS },
    { list: "finc_package_managers", items: PACKAGE_MANAGERS },
    { list: "finc_namespaces", items: namespaces.map(q) },
    { macro: "finc_spawned_process", condition: "(evt.type in (execve, execveat) and evt.dir=<)" },
    // Attempts count: the root filesystem is read-only, so a write below it fails, and the attempt is the signal.
    { macro: "finc_open_write_attempt", condition: "(evt.type in (open, openat, openat2, creat) and evt.dir=< and evt.is_open_write=true)" },
    { macro: "finc_open_read", condition: "(evt.type in (open, openat, openat2) and evt.dir=< and evt.is_open_read=true and fd.typechar='f' and fd.num>=0)" },
    { macro: "finc_outbound", condition: "(((evt.type = connect and evt.dir=<) or (evt.type in (sendto, sendmsg) and evt.dir=< and fd.l4proto != tcp and fd.connected=false and fd.name_changed=true)) and (fd.typechar = 4 or fd.typechar = 6) and fd.ip != \"0.0.0.0\" and not fd.snet in (\"127.0.0.0/8\") and (evt.rawres >= 0 or evt.res = EINPROGRESS))" },
    { macro: "finc_platform_pod", condition: "(container.id != host and k8s.ns.name in (finc_namespaces))" },
    { macro: "finc_dns_lookup", condition: "(fd.sport = 53)" },
  );
  const all = workloads(model);
  for (const s of all) {
    const id = workloadId(s);
    const to = allowedDestinations(model, s);
    items.push(
      { macro: id, condition: `(container.id != host and k8s.ns.name = ${q(s.namespace)} and container.name = ${q(s.name)})` },
      { list: `${id}_writable`, items: s.writable.map((p) => q(p.replace(/\/+$/, ""))) },
    );
    // Lists only when there is something in them: an empty `fd.snet in ()` does not compile (libsinsp).
    const hosts = to.hosts.filter((h) => !h.startsWith("*."));
    if (hosts.length) items.push({ list: `${id}_hosts`, items: hosts.map(q) });
    if (to.cidrs.length) items.push({ list: `${id}_networks`, items: to.cidrs.map(q) });
    const wildcards = to.hosts.filter((h) => h.startsWith("*.")).map((h) => `fd.sip.name endswith ${q(h.slice(1))}`);
    const api = to.kubernetesApi ? ["fd.sip.name = \"kubernetes.default.svc.cluster.local\""] : [];
    const allowed = ["finc_dns_lookup", ...(hosts.length ? [`fd.sip.name in (${id}_hosts)`] : []), ...(to.cidrs.length ? [`fd.snet in (${id}_networks)`] : []), ...wildcards, ...api].join(" or ");
    items.push({ macro: `${id}_declared_destination`, condition: `(${allowed})` });
  }

  if (pciShell(model)) {
    items.push({
      rule: "finc: shell in a PCI-scoped pod",
      desc: "A shell started in a container of the cardholder-data environment: finc's images run their entrypoint, nobody logs in (kubectl exec, a reverse shell).",
      condition: "finc_spawned_process and finc_platform_pod and proc.name in (finc_shell_binaries)",
      output: `Shell in a PCI-scoped pod (${OUTPUT_CONTEXT} parent=%proc.pname terminal=%proc.tty)`,
      priority: "CRITICAL",
      tags: ["finc", "container", "shell", tag(PCI.auditIndividualAccess), tag(PCI.intrusionDetection), "mitre_execution"],
    });
  }
  items.push({
    rule: "finc: package manager at run time",
    desc: "A package manager ran in a platform container: images are built and scanned in CI, never changed in the running pod.",
    condition: "finc_spawned_process and finc_platform_pod and proc.name in (finc_package_managers)",
    output: `Package manager in a running container (${OUTPUT_CONTEXT})`,
    priority: "ERROR",
    tags: ["finc", "container", "software_mgmt", tag(PCI.changeDetection), "mitre_persistence"],
  });
  for (const s of all) {
    const id = workloadId(s);
    const what = `${s.namespace}/${s.name}`;
    items.push({
      rule: `finc: ${what} connects outside its declared calls and egress`,
      desc: `An outbound connection of ${what} to an address its spec does not declare (calls, databases, egress): the NetworkPolicy should have dropped it; this is the evidence it was tried.`,
      condition: `finc_outbound and ${id} and not ${id}_declared_destination`,
      output: `Undeclared outbound connection (connection=%fd.name server=%fd.sip.name port=%fd.sport ${OUTPUT_CONTEXT})`,
      priority: "WARNING",
      tags: ["finc", "network", tag(PCI.outboundRestricted), tag(PCI.intrusionDetection), "mitre_command_and_control"],
    });
    const writable = [...ALWAYS_WRITABLE.map((p) => `fd.name startswith ${q(p)}`), `fd.name pmatch (${id}_writable)`].join(" or ");
    items.push({
      rule: `finc: ${what} writes below a read-only path`,
      desc: `${what} opened a file for writing outside the directories its spec declares writable (the image, its config and secrets are read-only).`,
      condition: `finc_open_write_attempt and ${id} and not (${writable})`,
      output: `Write below a read-only path (file=%fd.name flags=%evt.arg.flags ${OUTPUT_CONTEXT})`,
      priority: "ERROR",
      tags: ["finc", "filesystem", tag(PCI.changeDetection), "mitre_persistence"],
    });
    if (!s.kubernetesApi)
      items.push({
        rule: `finc: ${what} reads a service-account token`,
        desc: `${what} does not declare \`kubernetes-api yes\`: finc mounts no token into its pod, so a process reading one found it elsewhere.`,
        condition: `finc_open_read and ${id} and (${TOKEN_DIRS.map((d) => `fd.name startswith ${q(d + "/")}`).join(" or ")})`,
        output: `Service-account token read by a workload without API access (file=%fd.name ${OUTPUT_CONTEXT})`,
        priority: "WARNING",
        tags: ["finc", "k8s", tag(PCI.leastPrivilegeAccounts), "mitre_credential_access"],
      });
  }
  return items;
}

/** The shell rule is the PCI one: outside PCI scope, a debugging shell is a team's choice. */
const pciShell = (model: PlatformModel) => model.platform.compliance.includes("pci-dss");
