import type { AdmissionRuleId } from "./admission-rules.js";
import type { SubjectId } from "./subjects.js";

/**
 * The compliance profiles as data, in ONE place: each profile is a table of rules, each rule
 * naming its requirement (PCI DSS v4.0.1 section, SOC 2 trust services criterion, GDPR or DORA
 * article), what the compiler checks (`checks`: ids of the functions in
 * compiler/semantic/check-compliance.ts; `diagnostics`: codes other checkers report for it),
 * what the cluster enforces (`admission`: rules of the admission policies finc emits, see
 * admission-rules.ts) and which emitted objects are its evidence (`evidence`, listed for a build
 * by `evidenceOf`). This table is what `finc compliance report` renders; other emitters add
 * their rules here (Falco, audit policy, encryption).
 *
 * A profile is implemented when at least one of its rules checks, enforces or emits something;
 * a profile the spec names that is not is FIN4062 (check-compliance.ts).
 */

export type ProfileId = "pci-dss" | "soc2" | "gdpr" | "dora";

/** Compile-time checks by id; check-compliance.ts maps each id to its function (typed: none can be missing). */
export type CompileCheckId =
  | "restricted-namespaces"
  | "pinned-images"
  | "registry-images"
  | "encrypted-transit"
  | "residency-declared"
  | "monitoring-declared"
  | "database-backups";

/** Emitted objects that show a rule is met: by API group, kind and (optionally) exact name. */
export interface EvidenceSelector {
  readonly group: string;
  readonly kind: string;
  readonly name?: string;
  /** Only objects that cannot change in place: `immutable: true` (ConfigMap, Secret) or an immutable target (`spec.target.immutable`, ExternalSecret; `spec.template.immutable`). */
  readonly immutable?: true;
}

export interface ComplianceRule {
  /** Stable id, `<profile>/<requirement>`, e.g. `pci-dss/1.3.1`. */
  readonly id: string;
  readonly profile: ProfileId;
  /** The requirement as the standard numbers it: "1.3.1", "CC6.1", "Art. 32". */
  readonly requirement: string;
  readonly title: string;
  readonly checks: readonly CompileCheckId[];
  /** Diagnostic codes that enforce the rule at compile time outside check-compliance.ts. */
  readonly diagnostics: readonly string[];
  readonly admission: readonly AdmissionRuleId[];
  readonly evidence: readonly EvidenceSelector[];
  /** What the rule is about when a spec may lack it (subjects.ts): without it the report says "not applicable". */
  readonly subject?: SubjectId;
}

export interface ComplianceProfile {
  readonly id: ProfileId;
  readonly name: string;
  readonly rules: readonly ComplianceRule[];
}

const DEFAULT_DENY: EvidenceSelector = { group: "networking.k8s.io", kind: "NetworkPolicy", name: "default-deny" };
/** The scrapes and rules of a cloud's managed Prometheus (emit/cloud-monitoring): GMP's kinds, ama-metrics' monitors, AMP's scraper role. */
const MANAGED_MONITORING_EVIDENCE: readonly EvidenceSelector[] = [
  { group: "monitoring.googleapis.com", kind: "PodMonitoring" },
  { group: "monitoring.googleapis.com", kind: "Rules" },
  { group: "azmonitoring.coreos.com", kind: "PodMonitor" },
  { group: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "aps-collector-role" },
];
const WORKLOADS: readonly EvidenceSelector[] = [{ group: "apps", kind: "Deployment" }, { group: "apps", kind: "StatefulSet" }, { group: "argoproj.io", kind: "Rollout" }, { group: "batch", kind: "Job" }, { group: "batch", kind: "CronJob" }];

type RuleInput = Omit<ComplianceRule, "id" | "profile" | "checks" | "diagnostics" | "admission" | "evidence"> & Partial<Pick<ComplianceRule, "checks" | "diagnostics" | "admission" | "evidence">>;

function profile(id: ProfileId, name: string, rules: readonly RuleInput[]): ComplianceProfile {
  return { id, name, rules: rules.map((r) => ({ checks: [], diagnostics: [], admission: [], evidence: [], ...r, id: `${id}/${r.requirement}`, profile: id })) };
}

export const COMPLIANCE_PROFILE_TABLE: Readonly<Record<ProfileId, ComplianceProfile>> = {
  "pci-dss": profile("pci-dss", "PCI DSS v4.0.1", [
    { requirement: "1.3.1", title: "Inbound traffic to the CDE is restricted to what is necessary", diagnostics: ["FIN3029"], admission: ["network-policy", "service-exposure"], evidence: [DEFAULT_DENY] },
    { requirement: "1.3.2", title: "Outbound traffic from the CDE is restricted to what is necessary", admission: ["network-policy"], evidence: [DEFAULT_DENY, { group: "networking.istio.io", kind: "Sidecar", name: "default" }] },
    { requirement: "2.2.1", title: "System components are configured to a secure standard (restricted Pod Security)", checks: ["restricted-namespaces"], admission: ["pod-security", "host-isolation"], evidence: [{ group: "", kind: "Namespace" }] },
    { requirement: "4.2.1", title: "Strong cryptography protects cardholder data in transit", checks: ["encrypted-transit"], evidence: [{ group: "security.istio.io", kind: "PeerAuthentication", name: "default" }, { group: "cert-manager.io", kind: "Certificate" }] },
    { requirement: "6.3.2", title: "Software comes from the inventoried registry only", checks: ["registry-images"], admission: ["registry"] },
    { requirement: "6.3.3", title: "The image that was scanned and patched is the one that runs (pinned versions, digests)", checks: ["pinned-images"], diagnostics: ["FIN4057"], admission: ["image-tag", "image-digest"] },
    { requirement: "6.5.1", title: "Changes to production components are made only through the change procedure: `deploy immutable` (images by digest, immutable content-named ConfigMaps and Secrets, so a change is a new object from the reviewed spec)", subject: "immutable-namespaces", diagnostics: ["FIN4074", "FIN4075"], admission: ["image-digest"], evidence: [{ group: "", kind: "ConfigMap", immutable: true }, { group: "external-secrets.io", kind: "ExternalSecret", immutable: true }] },
    { requirement: "7.2.5", title: "Application accounts have least privilege (one ServiceAccount per workload, no API token unless needed)", subject: "workloads", evidence: [{ group: "", kind: "ServiceAccount" }] },
    { requirement: "8.6.2", title: "Passwords of application accounts are not hard-coded in configuration", diagnostics: ["FIN4001", "FIN4032"], admission: ["plaintext-secret-env"], evidence: [{ group: "external-secrets.io", kind: "ExternalSecret" }, { group: "bitnami.com", kind: "SealedSecret" }] },
    { requirement: "10.5.1", title: "Audit log history is kept 12 months, the last 3 immediately available (audit-log retain/hot)", subject: "audit-streams", diagnostics: ["FIN4066", "FIN4067"] },
    { requirement: "11.3.1", title: "Vulnerabilities of the images that run are found by internal scans, and critical and high-risk ones are resolved (Trivy Operator scanning, an alert on critical findings)", evidence: [{ group: "monitoring.coreos.com", kind: "PrometheusRule", name: "finc-vulnerabilities" }] },
    { requirement: "12.5.1", title: "An inventory of system components in scope is kept (ownership labels)", subject: "workloads", admission: ["ownership-labels"], evidence: WORKLOADS },
  ]),
  soc2: profile("soc2", "SOC 2 (Trust Services Criteria 2017, revised 2022)", [
    { requirement: "CC6.1", title: "Logical access to information assets is restricted", admission: ["ownership-labels", "pod-security"], evidence: [{ group: "", kind: "ServiceAccount" }, { group: "rbac.authorization.k8s.io", kind: "Role" }] },
    { requirement: "CC6.6", title: "Boundary protection against threats from outside the system", admission: ["network-policy", "service-exposure"], evidence: [DEFAULT_DENY] },
    { requirement: "CC6.8", title: "Unauthorized or malicious software is prevented", checks: ["pinned-images", "registry-images"], admission: ["image-tag", "registry", "host-isolation"] },
    { requirement: "CC7.2", title: "System components are monitored for anomalies", checks: ["monitoring-declared"], evidence: [{ group: "monitoring.coreos.com", kind: "ServiceMonitor" }, { group: "monitoring.coreos.com", kind: "PrometheusRule" }, ...MANAGED_MONITORING_EVIDENCE] },
  ]),
  gdpr: profile("gdpr", "GDPR (Regulation (EU) 2016/679)", [
    { requirement: "Art. 32", title: "Security of processing: confidentiality and integrity of the systems", admission: ["pod-security", "host-isolation", "plaintext-secret-env", "network-policy"], evidence: [DEFAULT_DENY] },
    { requirement: "Art. 44", title: "Personal data stays in the declared jurisdiction (no transfer by scheduling)", checks: ["residency-declared"], diagnostics: ["FIN4050"], admission: ["residency"], evidence: WORKLOADS },
  ]),
  dora: profile("dora", "DORA (Regulation (EU) 2022/2554)", [
    { requirement: "Art. 9", title: "ICT protection and prevention: least functionality, segmentation, integrity of software", checks: ["registry-images"], admission: ["pod-security", "host-isolation", "network-policy", "registry", "image-tag"], evidence: [DEFAULT_DENY] },
    { requirement: "Art. 10", title: "Anomalous activities are detected", checks: ["monitoring-declared"], evidence: [{ group: "monitoring.coreos.com", kind: "PrometheusRule" }, ...MANAGED_MONITORING_EVIDENCE] },
    { requirement: "Art. 12", title: "Backup policies and recovery: every database is backed up", subject: "databases", checks: ["database-backups"], evidence: [{ group: "postgresql.cnpg.io", kind: "ScheduledBackup" }] },
  ]),
};

export const PROFILE_IDS = Object.keys(COMPLIANCE_PROFILE_TABLE) as ProfileId[];

/** Does a rule do anything? A profile of rules that check, enforce and show nothing is not implemented (FIN4062). */
export const ruleImplemented = (r: ComplianceRule): boolean => r.checks.length + r.diagnostics.length + r.admission.length + r.evidence.length > 0;

/** The rules of the profiles a platform names, in table order (unknown names contribute nothing). */
export function rulesInScope(profiles: readonly string[], table: Readonly<Record<string, ComplianceProfile>> = COMPLIANCE_PROFILE_TABLE): ComplianceRule[] {
  return profiles.flatMap((p) => table[p]?.rules ?? []);
}

/** The admission rules some profile of the platform asks for (the admission emitter adds them to its baseline). */
export function admissionRulesRequired(profiles: readonly string[]): Set<AdmissionRuleId> {
  return new Set(rulesInScope(profiles).flatMap((r) => r.admission));
}

/** Annotation on each admission policy object: the admission rules it carries, comma-separated (how `evidenceOf` finds them). */
export const ADMISSION_RULES_ANNOTATION = "finc.dev/admission-rules";

/** Annotation on an emitted object naming the rules it is evidence for (`pci-dss/6.3.3,…`), for objects no selector can name (their names depend on the spec). */
export const EVIDENCE_FOR_ANNOTATION = "finc.dev/evidence-for";

/** One emitted object that is evidence for a rule. */
export interface EvidenceObject {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

type AnyObject = { readonly [key: string]: unknown };

function isImmutable(object: AnyObject): boolean {
  const spec = (object["spec"] ?? {}) as { target?: { immutable?: unknown }; template?: { immutable?: unknown } };
  return object["immutable"] === true || spec.target?.immutable === true || spec.template?.immutable === true;
}

/**
 * The objects of one environment's build that are a rule's evidence: those its selectors name,
 * and the admission policies that carry one of its admission rules.
 */
export function evidenceOf(rule: ComplianceRule, documents: readonly { readonly object: AnyObject }[]): EvidenceObject[] {
  const out: EvidenceObject[] = [];
  for (const { object } of documents) {
    const apiVersion = String(object["apiVersion"] ?? "");
    const meta = (object["metadata"] ?? {}) as { name?: unknown; namespace?: unknown; annotations?: Record<string, unknown> };
    const id: EvidenceObject = {
      group: apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "",
      kind: String(object["kind"] ?? ""),
      namespace: typeof meta.namespace === "string" ? meta.namespace : "",
      name: String(meta.name ?? ""),
    };
    const carried = String(meta.annotations?.[ADMISSION_RULES_ANNOTATION] ?? "").split(",").map((s) => s.trim());
    const declared = String(meta.annotations?.[EVIDENCE_FOR_ANNOTATION] ?? "").split(",").map((s) => s.trim());
    const selected = rule.evidence.some((s) => s.group === id.group && s.kind === id.kind && (s.name === undefined || s.name === id.name) && (!s.immutable || isImmutable(object)));
    if (selected || declared.includes(rule.id) || rule.admission.some((a) => carried.includes(a))) out.push(id);
  }
  return out;
}

/** One row of a compliance report: a rule in scope and the objects of one environment's build that evidence it. */
export interface EvidenceRow {
  readonly rule: ComplianceRule;
  readonly evidence: readonly EvidenceObject[];
}

/** Every rule of the named profiles with its evidence in `documents` (one environment's build): the data `finc compliance report` renders. */
export function complianceEvidence(profiles: readonly string[], documents: readonly { readonly object: AnyObject }[]): EvidenceRow[] {
  return rulesInScope(profiles).map((rule) => ({ rule, evidence: evidenceOf(rule, documents) }));
}
