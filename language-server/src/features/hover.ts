import { MarkupKind, type Hover } from "vscode-languageserver";
import type { SourceRange } from "../../../compiler/diagnostics/diagnostic.js";
import type { Program } from "../../../compiler/program.js";
import type { DeclInfo } from "../../../compiler/semantic/declarations.js";
import { KIND_SPECS } from "../../../compiler/semantic/schema/index.js";
import { toRange } from "../positions.js";
import { defaultEnvironment, documentsOf, outputsFor } from "../outputs.js";
import { fieldOf, lookupOverrideTarget, nodeAt, referenceAt, type FieldRef } from "../syntax-query.js";
import { pathToUri } from "../uri.js";

export interface HoverOptions {
  readonly markdown: boolean;
  /** The environment whose Kubernetes objects a declaration's hover lists. */
  readonly environment?: string;
}

/** What each kind compiles to, for when the emitters cannot run (e.g. the spec has errors). */
const OBJECTS_BY_KIND: Readonly<Record<string, readonly string[]>> = {
  service: ["Deployment", "Service", "ServiceAccount", "Role", "RoleBinding", "ConfigMap", "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget"],
  database: ["StatefulSet", "Service", "PersistentVolumeClaim", "NetworkPolicy", "ExternalSecret"],
  namespace: ["Namespace", "ResourceQuota", "LimitRange", "NetworkPolicy"],
  secretstore: ["SecretStore"],
  platform: ["StorageClass", "PriorityClass"],
};

const KIND_DOCS: Readonly<Record<string, string>> = {
  pattern: "A pattern: defaults, required fields and minimums for every declaration of its kind that says `is <pattern>`.",
  environment: "Overrides for one environment of the platform: `environment prod { api.replicas 6 to 30 }`.",
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
    if (target.kind === "platform" && target.nameRange.start !== target.node.name?.start) {
      return answer(`\`\`\`fin\nenvironment ${source.text.slice(ref.range.start, ref.range.end)}\n\`\`\`\nAn environment of platform \`${target.name}\`.`, ref.range);
    }
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
      return at.info ? answer(declarationHover(program, at.info, options), on.name) : null;
    case "base": {
      const p = program.declarations.lookup("pattern", on.name.text);
      return p ? answer(declarationHover(program, p, options), on.name) : null;
    }
    case "path": {
      if (at.declaration?.keyword.text === "environment" && at.members.length === 1 && on.index === 0) {
        const t = lookupOverrideTarget(program, on.name.text);
        return t ? answer(declarationHover(program, t, options), on.name) : null;
      }
      const f = fieldOf(program, at);
      if (!f || !f.spec) return null;
      const span = { start: f.names[0]!.start, end: f.names[f.names.length - 1]!.end };
      return answer(fieldHover(program, f, md), span);
    }
    case "atom":
      return null;
  }
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
  const objects = producedObjects(program, d, options.environment);
  if (objects) parts.push(objects);
  return parts.join("\n\n");
}

function producedObjects(program: Program, d: DeclInfo, preferred?: string): string | undefined {
  const env = defaultEnvironment(program, preferred);
  if (!KIND_SPECS[d.kind] || d.stdlib) return undefined;
  try {
    const out = env ? outputsFor(program, env) : undefined;
    const docs = out && env ? documentsOf(out, env, d) : [];
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
      rows.push(origin ? { env, value: valueText(program, origin), from: layerOf(program, owner, origin, md) } : { env, value: "—", from: "not set (built-in default)" });
    }
    const same = rows.length > 1 && rows.every((r) => r.value === rows[0]!.value && r.from === rows[0]!.from);
    if (same || (rows.length === 1 && rows[0]!.env === "default")) parts.push(`**Value${rows.length > 1 ? " (every environment)" : ""}:** \`${rows[0]!.value}\` — from ${rows[0]!.from}`);
    else if (rows.length) parts.push(`**Effective value of \`${owner.name}\`:**\n\n| environment | value | from |\n|---|---|---|\n${rows.map((r) => `| ${r.env} | \`${r.value}\` | ${r.from} |`).join("\n")}`);
  }
  return parts.join("\n\n");
}

/** Where an effective value comes from: a pattern of the chain, the declaration, or an environment block. */
export function layerOf(program: Program, owner: DeclInfo, origin: SourceRange, md: boolean): string {
  const inside = (d: DeclInfo): boolean => origin.file === d.file && origin.start >= d.node.start && origin.end <= d.node.end;
  const where = (label: string): string => (md ? `[${label}](${link(program, origin)})` : label);
  for (const p of program.checked.patterns.get(owner) ?? []) if (inside(p)) return where(`pattern ${p.name}`);
  if (inside(owner)) return where("declaration");
  const env = program.declarations.all.find((d) => d.kind === "environment" && inside(d));
  return where(env ? `environment ${env.name}` : "elsewhere");
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
