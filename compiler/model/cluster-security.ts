import { pgNames } from "./database-names.js";
import { serviceEgress } from "./egress-model.js";
import type { PlatformModel, ServiceModel } from "./platform-model.js";

/**
 * Where the cluster-side controls of issue 12 apply (runtime detection, API audit, encryption at
 * rest), and the facts they are derived from. One place, so the emitters and the compliance table
 * agree on the conditions. PCI DSS 4.0.1 requirement IDs are those the controls answer.
 */

/** `compliance pci-dss`: every namespace of the platform is in scope (there is no per-namespace scope). */
export const pciScoped = (model: PlatformModel): boolean => model.platform.compliance.includes("pci-dss");

/** finc writes the control plane's own configuration (audit policy, encryption) only for clusters it does not get from a cloud. */
export const selfManagedControlPlane = (model: PlatformModel): boolean => model.platform.cloud === "onprem";

/** The requirement each control answers (tags of the Falco rules, rows of the compliance table). */
export const PCI_REQUIREMENTS = {
  /** Audit logs capture all individual access to cardholder data / administrative actions. */
  auditIndividualAccess: "10.2.1",
  /** Audit log files are protected from modification. */
  auditProtected: "10.3.3",
  /** Audit log history retained 12 months, 3 immediately available. */
  auditRetention: "10.5.1",
  /** Intrusion detection for traffic and processes. */
  intrusionDetection: "11.5.1",
  /** Change detection on critical files. */
  changeDetection: "11.5.2",
  /** Outbound traffic from the CDE restricted to what is necessary. */
  outboundRestricted: "1.3.2",
  /** Application and system accounts get least privilege. */
  leastPrivilegeAccounts: "7.2.5",
  /** Stored account data rendered unreadable (keys protected). */
  encryptionAtRest: "3.5.1",
} as const;

/** The addresses a workload's container may connect to: what the spec declares, nothing guessed. */
export interface AllowedDestinations {
  /** DNS names (in-cluster Service names fully qualified); wildcard names start with `*.`. */
  readonly hosts: readonly string[];
  readonly cidrs: readonly string[];
  /** The API server, reached by its ClusterIP (`kubernetes.default.svc`). */
  readonly kubernetesApi: boolean;
}

/**
 * From the declared call graph (services and databases it `calls`), its `egress` lines and the
 * features finc configures for it (Kafka, SQS, the API server). What the app's process connects
 * to: a sidecar or egress gateway forwarding the connection does so from its own container.
 */
export function allowedDestinations(model: PlatformModel, s: ServiceModel): AllowedDestinations {
  const hosts = new Set<string>();
  const cidrs = new Set<string>();
  for (const c of s.calls) {
    const callee = model.services.find((x) => x.name === c);
    if (callee) hosts.add(`${callee.name}.${callee.namespace}.svc.cluster.local`);
    const db = model.databases.find((d) => d.name === c);
    if (db) {
      hosts.add(pgNames.primaryHost(db));
      hosts.add(pgNames.readHost(db));
    }
  }
  let api = false;
  for (const d of serviceEgress(model, s)) {
    if (d.kind === "kubernetes-api") api = true;
    else if (d.kind === "cidr") cidrs.add(d.cidr);
    else hosts.add(d.kind === "cluster" && !d.host.endsWith(".cluster.local") ? `${d.host.replace(/\.svc$/, "")}.svc.cluster.local` : d.host);
  }
  const sorted = (x: Set<string>) => [...x].sort();
  return { hosts: sorted(hosts), cidrs: sorted(cidrs), kubernetesApi: api };
}
