import { MarkupKind, type Hover } from "vscode-languageserver";
import type { SourceRange } from "../../../compiler/diagnostics/diagnostic.js";
import type { Program } from "../../../compiler/program.js";
import { effectiveSolver } from "../../../compiler/model/acme-solver.js";
import type { AcmeSolver } from "../../../compiler/model/traffic-model.js";
import { CONFIG_TYPES } from "../../../compiler/semantic/config-types.js";
import type { DeclInfo } from "../../../compiler/semantic/declarations.js";
import { findTarget } from "../../../compiler/semantic/effective-fields.js";
import type { FieldLayer } from "../../../compiler/semantic/read-fields.js";
import { KIND_SPECS } from "../../../compiler/semantic/schema/index.js";
import { toRange } from "../positions.js";
import { defaultEnvironment } from "../outputs.js";
import { producedDocuments } from "../produced-documents.js";
import { fieldOf, nodeAt, referenceAt, type FieldRef } from "../syntax-query.js";
import { pathToUri } from "../uri.js";
import { overrideHover } from "./override-hover.js";

export interface HoverOptions {
  readonly markdown: boolean;
  /** The environment whose Kubernetes objects a declaration's hover lists. */
  readonly environment?: string;
}

/** What each kind compiles to, for when the emitters cannot run (e.g. the spec has errors). */
const OBJECTS_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  service: ["Deployment", "Service", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget"],
  worker: ["Deployment", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget"],
  job: ["Job", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "NetworkPolicy"],
  cronjob: ["CronJob", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "NetworkPolicy", "PrometheusRule"],
  database: ["StatefulSet", "Service", "PersistentVolumeClaim", "NetworkPolicy", "ExternalSecret"],
  namespace: ["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy"],
  secretstore: ["SecretStore"],
  platform: ["StorageClass", "PriorityClass"],
  issuer: ["ClusterIssuer"],
};

/** What the words of a typed config entry mean (`LOG_LEVEL enum debug info = info`). */
const CONFIG_TYPE_DOCS: Readonly<Record<(typeof CONFIG_TYPES)[number], string>> = {
  string: "Any text (the default for untyped keys).",
  int: "A whole number, e.g. 10000.",
  bool: "true or false.",
  duration: "A duration with a unit: 300ms, 30s, 5m, 6h, 30d.",
  url: 'An absolute URL, e.g. "https://ledger:8080".',
  enum: "One of the words that follow, e.g. `enum debug info warn error = info`.",
};

const KIND_DOCS: Readonly<Record<string, string>> = {
  pattern: "A pattern: defaults, required fields and minimums for every declaration of its kind that says `is <pattern>`.",
  environment: "Overrides for one environment of the platform: `environment prod { api.replicas 6 to 30 }`.",
  override: "A typed patch on one emitted object, applied after every target: `override deployment/api { spec.template.spec.dnsPolicy \"None\" }`. Paths and values are checked against the kind's schema.",
};

export function hover(program: Program, path: string, offset: number, options: HoverOptions): Hover | null {
  const at = nodeAt(program, path, offset);
  if (!at) return null;
  const source = at.file.source;
  const md = options.markdown;
  const answer = (value: string, span: { start: number; end: number }): Hover => ({
    contents: md ? { kind: MarkupKind.Markdown, value } : { kind: MarkupKind.PlainText, value: value.replace(/```fin\n|```/g, "").replace(/\*\*/g, "").replace(/`/g, "") },
    range: toRange(source, span.start, span.end),
  });

  if (at.import) {
    const target = at.file.imports[at.file.ast.imports.indexOf(at.import)];
    return answer(`\`\`\`fin\nimport "${at.import.path}"\n\`\`\`\n${target ? `\`${target}\`` : ""}`, at.import);
  }
  const on = at.on;
  if (!on) return null;

  const ref = referenceAt(program, path, offset);
  if (ref && (on.kind === "atom" || on.kind === "base" || on.kind === "path" || on.kind === "name")) {
    const target = ref.target;
    // Environment names refer to the platform's list; show the environment itself.
    if (target.kind === "environment") return answer(environmentHover(program, target), ref.range);
    return answer(declarationHover(program, target, options), ref.range);
  }

  switch (on.kind) {
    case "keyword":
    case "target": {
      const kind = on.name.text;
      const text = KIND_SPECS[kind]?.doc ?? KIND_DOCS[kind];
      return text ? answer(`\`\`\`fin\n${kind}\n\`\`\`\n${text}`, on.name) : null;
    }
    case "name":
      if (at.info?.kind === "override") return answer(overrideHover(program, at.info, defaultEnvironment(program, options.environment)), on.name);
      return at.info ? answer(declarationHover(program, at.info, options), on.name) : null;
    case "base": {
      const p = program.declarations.lookup("pattern", on.name.text);
      return p ? answer(declarationHover(program, p, options), on.name) : null;
    }
    case "path": {
      if (at.info?.kind === "override" && at.members.length) return answer(overrideHover(program, at.info, defaultEnvironment(program, options.environment), at.members[at.members.length - 1]), on.name);
      if (at.declaration?.keyword.text === "environment" && at.members.length === 1 && on.index === 0) {
        const t = findTarget(program.declarations, on.name.text);
        return t ? answer(declarationHover(program, t, options), on.name) : null;
      }
      const f = fieldOf(program, at);
      if (!f || !f.spec) return null;
      const span = { start: f.names[0]!.start, end: f.names[f.names.length - 1]!.end };
      return answer(fieldHover(program, f, md), span);
    }
    case "atom": {
      // A keyword inside a value (`mesh istio ambient`, `solver dns route53`): the field's syntax and doc.
      if (on.atom.kind !== "Word" || on.atom.parts.length !== 1) return null;
      const word = on.atom.parts[0]!.text;
      const env = program.checked.environmentTargets.get(word);
      if (env && env.file === path && env.nameRange.start === on.atom.start) return answer(environmentHover(program, env), on.atom);
      const f = fieldOf(program, at);
      if (f?.field === "config" && (CONFIG_TYPES as readonly string[]).includes(word)) {
        return answer(`\`\`\`fin\nconfig <KEY> ${word}${word === "enum" ? " <value> …" : ""} [= <value>]\n\`\`\`\n${CONFIG_TYPE_DOCS[word as (typeof CONFIG_TYPES)[number]]}`, on.atom);
      }
      if (!f?.spec || !("example" in f.spec)) return null;
      const spec = f.spec;
      const known = spec.values?.includes(word) || Object.entries(spec.keywords ?? {}).some(([k, ws]) => k === word || ws.includes(word));
      return known ? answer(`\`\`\`fin\n${f.field} ${spec.syntax}\n\`\`\`\n${spec.doc}`, on.atom) : null;
    }
  }
}

function environmentHover(program: Program, env: DeclInfo): string {
  const platform = program.declarations.all.find((d) => d.kind === "platform" && d.node === env.node);
  const blocks = program.declarations.all.filter((d) => d.kind === "environment" && d.name === env.name);
  const overrides = blocks.reduce((n, b) => n + b.node.body.members.length, 0);
  return [
    `\`\`\`fin\nenvironment ${env.name}\n\`\`\``,
    `An environment of platform \`${platform?.name ?? "?"}\`.`,
    blocks.length ? `${overrides} override${overrides === 1 ? "" : "s"} in ${blocks.length} \`environment ${env.name}\` block${blocks.length === 1 ? "" : "s"}.` : "No overrides.",
  ].join("\n\n");
}

function declarationHover(program: Program, d: DeclInfo, options: HoverOptions): string {
  const n = d.node;
  const head = `${d.kind} ${d.name}${n.base ? ` is ${n.base.text}` : ""}${n.target ? ` for ${n.target.text}` : ""}`;
  const parts = [`\`\`\`fin\n${head}\n\`\`\``];
  if (n.doc) parts.push(n.doc);
  else if (KIND_SPECS[d.kind]) parts.push(`*${KIND_SPECS[d.kind]!.doc}*`);
  const chain = program.checked.patterns.get(d) ?? [];
  if (chain.length) parts.push(`**Pattern:** ${chain.map((p) => `[\`${p.name}\`](${link(program, p.nameRange)})${p.stdlib ? " (stdlib)" : ""}`).join(" → ")}`);
  if (d.kind === "pattern") {
    const fields = n.body.members.map((m) => `- \`${oneLine(program.getSourceFile(d.file)?.text.slice(m.start, m.end) ?? "")}\``);
    if (fields.length) parts.push(fields.join("\n"));
  }
  if (d.kind === "issuer") {
    const solver = solverText(program, d, options.environment);
    if (solver) parts.push(solver);
  }
  const objects = producedObjects(program, d, options.environment);
  if (objects) parts.push(objects);
  return parts.join("\n\n");
}

function producedObjects(program: Program, d: DeclInfo, preferred?: string): string | undefined {
  const env = defaultEnvironment(program, preferred);
  if (!KIND_SPECS[d.kind] || d.stdlib) return undefined;
  try {
    const docs = env ? producedDocuments(program, env, d) : [];
    if (docs.length) {
      const list = docs.map((doc) => {
        const meta = (doc.object["metadata"] ?? {}) as { name?: string };
        return `${String(doc.object["kind"] ?? "?")} \`${meta.name ?? ""}\``;
      });
      return `**Produces${env && env !== "default" ? ` (${env})` : ""}:** ${list.join(", ")}`;
    }
  } catch {
    // fall back to the rule of thumb below
  }
  const kinds = OBJECTS_BY_KIND[d.kind];
  return kinds ? `**Produces:** ${kinds.join(", ")}` : undefined;
}

function fieldHover(program: Program, f: FieldRef, md: boolean): string {
  const spec = f.spec!;
  const parts = [`\`\`\`fin\n${f.field} ${spec.syntax}\n\`\`\``, spec.doc];
  if ("example" in spec) parts.push(`Example: \`${f.field} ${spec.example}\``);
  const owner = f.owner;
  const perEnv = owner ? program.checked.values.get(owner) : undefined;
  if (owner && perEnv) {
    const rows: { env: string; value: string; from: string }[] = [];
    for (const [env, values] of perEnv) {
      if (f.environment && env !== f.environment) continue;
      const origin = values.origins[f.field];
      const layer = values.layers[f.field];
      rows.push(origin && layer ? { env, value: valueText(program, origin), from: layerLabel(program, layer, origin, md) } : { env, value: "—", from: "not set (built-in default)" });
    }
    const same = rows.length > 1 && rows.every((r) => r.value === rows[0]!.value && r.from === rows[0]!.from);
    if (same || (rows.length === 1 && rows[0]!.env === "default")) parts.push(`**Value${rows.length > 1 ? " (every environment)" : ""}:** \`${rows[0]!.value}\` — from ${rows[0]!.from}`);
    else if (rows.length) parts.push(`**Effective value of \`${owner.name}\`:**\n\n| environment | value | from |\n|---|---|---|\n${rows.map((r) => `| ${r.env} | \`${r.value}\` | ${r.from} |`).join("\n")}`);
  }
  return parts.join("\n\n");
}

/** Where an effective value comes from (the compiler's layer), linked to the line that sets it. */
export function layerLabel(program: Program, layer: FieldLayer, origin: SourceRange, md: boolean): string {
  const label = layer.layer === "pattern" ? `pattern ${layer.pattern ?? "?"}` : layer.layer === "environment" ? `environment ${layer.environment ?? "?"}` : "declaration";
  return md ? `[${label}](${link(program, origin)})` : label;
}

/** The ACME solver an issuer uses in the hovered environment (written, or the platform's default). */
function solverText(program: Program, d: DeclInfo, preferred?: string): string | undefined {
  const env = defaultEnvironment(program, preferred);
  const model = env ? program.checked.models.get(env) : undefined;
  const issuer = model?.issuers?.find((i) => i.name === d.name);
  if (!model || !issuer?.acme) return undefined;
  const solver = effectiveSolver(model.platform, issuer);
  const how = issuer.solver ? "" : " (the platform's default)";
  if (!solver) return `**ACME solver:** none — HTTP-01 needs an ingress, and the platform has \`ingress none\` (FIN4014).`;
  return `**ACME solver${env && env !== "default" ? ` (${env})` : ""}:** ${describeSolver(solver)}${how}`;
}

export function describeSolver(s: AcmeSolver): string {
  switch (s.kind) {
    case "http":
      return "HTTP-01 through the ingress";
    case "route53":
      return `DNS-01 via Route 53${s.hostedZoneId ? `, hosted zone \`${s.hostedZoneId}\`` : " (zone looked up by name)"}${s.region ? `, region \`${s.region}\`` : ""}`;
    case "cloudflare":
      return `DNS-01 via Cloudflare, API token from Secret \`${s.secret}\` key \`${s.key}\``;
    case "google":
      return `DNS-01 via Cloud DNS, project \`${s.project}\`${s.zone ? `, zone \`${s.zone}\`` : ""}`;
    case "azure":
      return `DNS-01 via Azure DNS, subscription \`${s.subscription}\`, resource group \`${s.resourceGroup}\`${s.zone ? `, zone \`${s.zone}\`` : ""}`;
  }
}

/** The value part of a field line: the text of the member without its name. */
export function valueText(program: Program, origin: SourceRange): string {
  const text = program.getSourceFile(origin.file)?.text.slice(origin.start, origin.end) ?? "";
  return oneLine(text.replace(/^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*\s*/, ""));
}

function oneLine(text: string, max = 80): string {
  const s = text.replace(/\s+/g, " ").trim();
  return s.length > max ? s.slice(0, max - 1) + "…" : s;
}

function link(program: Program, range: SourceRange): string {
  const line = (program.getSourceFile(range.file)?.positionOf(range.start).line ?? 0) + 1;
  return `${pathToUri(range.file)}#L${line}`;
}
