import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { complianceEvidence, type ComplianceRule, type EvidenceObject } from "../../model/compliance/profiles.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { notApplicableReason } from "../../model/compliance/subjects.js";
import type { EmittedDocument, OutputFile } from "../output.js";

/** A spec location as an auditor reads it. */
export interface SpecLine {
  readonly file: string;
  readonly line: number;
}

/**
 * - `enforced`: met, and enforced in the cluster (an admission policy carrying the rule is emitted)
 * - `met`: met, with the emitted objects that show it
 * - `checked`: met at compile time (the spec compiled without the rule's diagnostics; nothing to emit)
 * - `not-applicable`: what the rule is about is not in the spec (no `audit-log`, no database …: subjects.ts)
 * - `not-met`: the rule expects evidence in the output and the build has none
 */
export type RequirementStatus = "enforced" | "met" | "checked" | "not-applicable" | "not-met";

export interface EvidenceEntry extends EvidenceObject {
  /** The output file, relative to the output directory, and the JSON pointer of the object in it ("" = the whole document). */
  readonly file: string;
  readonly pointer: string;
  /** The declarations and field lines behind the object. */
  readonly spec: readonly SpecLine[];
}

export interface RequirementRow {
  readonly id: string;
  readonly profile: string;
  readonly requirement: string;
  readonly title: string;
  readonly status: RequirementStatus;
  /** Why a requirement is not applicable or not met, in one line. */
  readonly reason?: string;
  /** Compile-time checks and diagnostic codes that hold the rule (they passed: the build has no errors). */
  readonly checkedBy: readonly string[];
  readonly admission: readonly string[];
  readonly evidence: readonly EvidenceEntry[];
  /** Where the spec asks for the profile. */
  readonly spec: readonly SpecLine[];
}

export interface ComplianceReport {
  readonly platform: string;
  readonly environment: string;
  readonly profiles: readonly string[];
  readonly summary: Readonly<Record<RequirementStatus, number>>;
  readonly requirements: readonly RequirementRow[];
}

const STATUS_TEXT: Readonly<Record<RequirementStatus, string>> = {
  enforced: "met, enforced in the cluster",
  met: "met, with evidence in the output",
  checked: "met (checked at compile time)",
  "not-applicable": "not applicable",
  "not-met": "NOT MET",
};

/** What a rule expects in the output, for the reason of a NOT MET row. */
function expected(rule: ComplianceRule): string {
  const objects = rule.evidence.map((e) => `${e.kind}${e.name ? ` ${e.name}` : ""}`);
  const policies = rule.admission.length ? [`an admission policy carrying ${rule.admission.join(", ")}`] : [];
  return [...objects, ...policies].join(" or ");
}

function statusOf(model: PlatformModel, rule: ComplianceRule, evidence: readonly EvidenceObject[]): { status: RequirementStatus; reason?: string } {
  const na = notApplicableReason(rule.subject, model);
  if (na) return { status: "not-applicable", reason: na };
  const expectsEvidence = rule.evidence.length + rule.admission.length > 0;
  if (expectsEvidence && !evidence.length) return { status: "not-met", reason: `the build has no ${expected(rule)}` };
  if (rule.admission.length && evidence.some((e) => e.group === "admissionregistration.k8s.io" || e.group === "kyverno.io" || e.group === "templates.gatekeeper.sh" || e.group === "constraints.gatekeeper.sh")) return { status: "enforced" };
  return { status: evidence.length ? "met" : "checked" };
}

const keyOf = (e: { group: string; kind: string; namespace: string; name: string }) => `${e.group}/${e.kind}/${e.namespace}/${e.name}`;

function identity(d: EmittedDocument): string {
  const apiVersion = String(d.object["apiVersion"] ?? "");
  const meta = (d.object["metadata"] ?? {}) as { name?: string; namespace?: string };
  return keyOf({ group: apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "", kind: String(d.object["kind"] ?? ""), namespace: meta.namespace ?? "", name: meta.name ?? "" });
}

/**
 * The compliance report of one environment's build (issue 12 item 7): every requirement of the
 * platform's profiles (model/compliance/profiles.ts), its status, and its evidence — each emitted
 * object by output file and JSON pointer, with the spec lines behind it. Pure: `locate` turns a
 * spec range into a file and line (the CLI passes the program's sources).
 */
export function complianceReport(model: PlatformModel, documents: readonly EmittedDocument[], locate: (r: SourceRange) => SpecLine): ComplianceReport {
  const byIdentity = new Map(documents.map((d) => [identity(d), d] as const));
  const profileLine = locate(model.platform.fields["compliance"] ?? model.platform.origin);
  const uniqueLines = (ranges: readonly (SourceRange | undefined)[]): SpecLine[] => {
    const seen = new Map<string, SpecLine>();
    for (const r of ranges) if (r) { const l = locate(r); seen.set(`${l.file}:${l.line}`, l); }
    return [...seen.values()].sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  };
  const requirements = complianceEvidence(model.platform.compliance, documents).map(({ rule, evidence }): RequirementRow => {
    const { status, reason } = statusOf(model, rule, evidence);
    // A rule that does not apply lists no evidence: objects its selectors match (a Namespace …) would read as proof of something absent.
    const shown = status === "not-applicable" ? [] : evidence;
    return {
      id: rule.id,
      profile: rule.profile,
      requirement: rule.requirement,
      title: rule.title,
      status,
      ...(reason ? { reason } : {}),
      checkedBy: [...rule.checks, ...rule.diagnostics],
      admission: [...rule.admission],
      evidence: shown.map((e) => {
        const d = byIdentity.get(keyOf(e))!;
        return { ...e, file: `${model.environment}/${d.path}`, pointer: "", spec: uniqueLines([d.origin, ...Object.values(d.fields)].slice(0, 8)) };
      }),
      spec: [profileLine],
    };
  });
  const summary = { enforced: 0, met: 0, checked: 0, "not-applicable": 0, "not-met": 0 };
  for (const r of requirements) summary[r.status]++;
  return { platform: model.platform.name, environment: model.environment, profiles: [...model.platform.compliance], summary, requirements };
}

const cell = (s: string) => s.replace(/\|/g, "\\|");

export function renderMarkdown(r: ComplianceReport): string {
  const lines = [
    `# Compliance report: ${r.platform}, environment ${r.environment}`,
    "",
    `Profiles: ${r.profiles.join(", ")}. Generated by finc from the spec; every evidence row names the output file and the spec lines behind it.`,
    "",
    "| status | requirements |",
    "| --- | --- |",
    ...(Object.keys(STATUS_TEXT) as RequirementStatus[]).map((s) => `| ${STATUS_TEXT[s]} | ${r.summary[s]} |`),
    "",
    "| requirement | title | status | checked by | evidence |",
    "| --- | --- | --- | --- | --- |",
    ...r.requirements.map((q) => `| ${cell(q.id)} | ${cell(q.title)} | ${STATUS_TEXT[q.status]}${q.reason ? `: ${cell(q.reason)}` : ""} | ${cell(q.checkedBy.join(", ") || "—")} | ${q.evidence.length} object${q.evidence.length === 1 ? "" : "s"} |`),
    "",
  ];
  for (const q of r.requirements) {
    lines.push(`## ${q.id}: ${q.title}`, "", `Status: **${STATUS_TEXT[q.status]}**${q.reason ? ` (${q.reason})` : ""}. The spec asks for it at ${q.spec.map((l) => `${l.file}:${l.line}`).join(", ")}.`);
    if (q.checkedBy.length) lines.push("", `Checked at compile time by: ${q.checkedBy.join(", ")}.`);
    if (q.admission.length) lines.push("", `Admission rules in the cluster: ${q.admission.join(", ")}.`);
    if (q.evidence.length) {
      lines.push("", "| object | output | spec |", "| --- | --- | --- |");
      for (const e of q.evidence) lines.push(`| ${cell(`${e.kind} ${e.namespace ? `${e.namespace}/` : ""}${e.name}`)} | ${cell(`${e.file}#${e.pointer || "/"}`)} | ${cell(e.spec.map((l) => `${l.file}:${l.line}`).join(", "))} |`);
    }
    lines.push("");
  }
  return lines.join("\n");
}

/** The report files of the built environments, for the CLI to write with the rest of the build. */
export function complianceReportFiles(models: readonly PlatformModel[], documents: ReadonlyMap<string, readonly EmittedDocument[]>, locate: (r: SourceRange) => SpecLine): OutputFile[] {
  return models.filter((m) => m.platform.compliance.length).flatMap((m) => {
    const r = complianceReport(m, documents.get(m.environment) ?? [], locate);
    return [
      { path: `compliance/${m.environment}/report.json`, content: JSON.stringify(r, null, 2) + "\n" },
      { path: `compliance/${m.environment}/report.md`, content: renderMarkdown(r) },
    ];
  });
}
