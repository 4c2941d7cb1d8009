import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel, ServiceModel } from "../model/platform-model.js";
import { COMPLIANCE_PROFILE_TABLE, ruleImplemented, type CompileCheckId, type ComplianceProfile, type ComplianceRule } from "../model/compliance/profiles.js";
import { isMutableTag } from "./schema/common-fields.js";

type Report = (d: Diagnostic) => void;
type CompileCheck = (model: PlatformModel, rule: ComplianceRule, report: Report) => void;

/**
 * The compile-time side of the compliance profiles (compiler/model/compliance/profiles.ts):
 * every rule of every profile the platform names runs its checks, each check once per build
 * even when several profiles ask for it. A named profile with no implemented rule is FIN4062.
 */
export function checkCompliance(model: PlatformModel, report: Report, table: Readonly<Record<string, ComplianceProfile>> = COMPLIANCE_PROFILE_TABLE): void {
  const p = model.platform;
  const ran = new Set<CompileCheckId>();
  for (const name of p.compliance) {
    const profile = table[name];
    if (!profile || !profile.rules.some(ruleImplemented)) {
      report(diag("FIN4062", p.fields["compliance"] ?? p.origin, { profile: name, implemented: Object.values(table).filter((t) => t.rules.some(ruleImplemented)).map((t) => t.id).join(", ") }));
      continue;
    }
    for (const rule of profile.rules)
      for (const id of rule.checks) {
        if (ran.has(id)) continue;
        ran.add(id);
        COMPLIANCE_CHECKS[id](model, rule, report);
      }
  }
}

const named = (rule: ComplianceRule): string => `${COMPLIANCE_PROFILE_TABLE[rule.profile]?.name ?? rule.profile} ${rule.requirement}`;

/** Every image a service's pods run: its own, its migration's, and its split versions'. */
function imagesOf(s: ServiceModel): { image: string; field: string }[] {
  return [
    { image: s.image, field: "image" },
    ...(s.migrate ? [{ image: s.migrate.image, field: "migrate" }] : []),
    ...(s.traffic?.split ?? []).flatMap((v) => (v.image ? [{ image: v.image, field: "split" }] : [])),
  ];
}

/** Typed by CompileCheckId: a check the table names cannot be missing here. */
export const COMPLIANCE_CHECKS: Readonly<Record<CompileCheckId, CompileCheck>> = {
  "restricted-namespaces": (model, rule, report) => {
    for (const ns of model.namespaces)
      if (ns.security !== "restricted")
        report(diag("FIN4005", ns.fields["security"] ?? ns.origin, { message: `Namespace '${ns.name}' must enforce the restricted Pod Security Standard.`, profile: rule.profile }));
  },
  "pinned-images": (model, rule, report) => {
    for (const s of model.services)
      if (isMutableTag(s.image)) report(diag("FIN4005", s.fields["image"] ?? s.origin, { message: `Service '${s.name}' must pin its image to a version or digest.`, profile: rule.profile }));
  },
  // Mirrors the admission rule `registry`: an image finc writes from elsewhere would be denied in the cluster.
  "registry-images": (model, rule, report) => {
    const registry = model.platform.registry?.host;
    if (!registry) return;
    for (const s of model.services)
      for (const { image, field } of imagesOf(s))
        if (!image.startsWith(`${registry}/`))
          report(diag("FIN4065", s.fields[field] ?? s.origin, {
            message: `'${s.name}' runs '${image}', which is not from the platform's registry ${registry}: the admission policy finc writes for ${named(rule)} would deny its pods.`,
            hint: `Mirror the image into the registry and name it "${registry}/<repository>:<tag>".`,
          }));
    // A standalone database's StatefulSet runs Docker Hub's postgres image (database.ts); the operator's pods are exempt by its identity.
    for (const d of model.databases)
      if (d.mode === "standalone")
        report(diag("FIN4065", d.fields["engine"] ?? d.origin, {
          message: `The standalone database '${d.name}' runs docker.io/library/postgres:${d.version}, which is not from the platform's registry ${registry}: the admission policy finc writes for ${named(rule)} would deny its StatefulSet.`,
          hint: "Drop `standalone`: the CloudNativePG operator runs the database (its `image` may name an image in the registry).",
        }));
  },
  "encrypted-transit": (model, rule, report) => {
    const p = model.platform;
    if (p.mesh === "none")
      report(diag("FIN4063", p.fields["mesh"] ?? p.fields["compliance"] ?? p.origin, { requirement: named(rule) }));
  },
  "residency-declared": (model, rule, report) => {
    for (const ns of model.namespaces)
      if (!ns.residency)
        report(diag("FIN4064", ns.origin, {
          message: `Namespace '${ns.name}' does not say where its data may live (${named(rule)}): its pods could be scheduled onto nodes in any region of the platform.`,
          hint: "Add `residency <jurisdiction>` to the namespace, e.g. `residency eu`: its pods are then required onto nodes of the platform's regions in it.",
        }));
  },
  "monitoring-declared": (model, rule, report) => {
    const p = model.platform;
    if (!p.monitoring)
      report(diag("FIN4064", p.fields["monitoring"] ?? p.fields["compliance"] ?? p.origin, {
        message: `The platform is not monitored (${named(rule)}): without \`monitoring\` no alert fires on an anomaly.`,
        hint: "Add `monitoring prometheus` to the platform (ServiceMonitors, SLO alerts and dashboards for every service).",
      }));
  },
  "database-backups": (model, rule, report) => {
    for (const d of model.databases)
      if (!d.backup)
        report(diag("FIN4064", d.origin, {
          message: `Database '${d.name}' has no backup (${named(rule)}): a lost volume or a bad migration cannot be recovered.`,
          hint: "Add `backup every 6h keep 30d` to the database.",
        }));
  },
};
