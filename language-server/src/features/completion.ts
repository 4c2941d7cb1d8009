import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type MarkupContent } from "vscode-languageserver";
import { nameSpace } from "../../../compiler/semantic/declarations.js";
import { DATABASE_OUTPUTS } from "../../../compiler/model/platform-model.js";
import type { Program } from "../../../compiler/program.js";
import { describeConfigType, mergeConfig, type ConfigRead } from "../../../compiler/semantic/config-types.js";
import { findTarget } from "../../../compiler/semantic/effective-fields.js";
import { followUps, KIND_SPECS, META_KINDS, PATTERN_FIELDS, type FieldSpec } from "../../../compiler/semantic/schema/index.js";
import { UNIT_SUFFIXES } from "../../../compiler/model/units.js";
import type { SourceFile } from "../../../compiler/syntax/source-file.js";
import { completionContext, type CompletionContext } from "../completion-context.js";

export interface CompletionOptions {
  readonly snippets: boolean;
  readonly markdown: boolean;
}

type UnitKind = keyof typeof UNIT_SUFFIXES;
/** In fields that mix quantities (`quota cpu 4, memory 8Gi`, `replicas 2 to 6 at cpu 70%`) the word before a number decides its unit. */
const UNIT_AFTER_WORD: Readonly<Record<string, UnitKind | null>> = { pods: null, memory: "memory", cpu: "cpu", surge: "percent", unavailable: "percent", every: "duration", keep: "duration", rotate: "duration", ttl: "duration", refresh: "duration", sampling: "percent", "per-try": "duration", in: "duration", eject: "duration", max: "percent" };

/**
 * Completion from the document's current text (`source`) and the last program's names:
 * declaration kinds and whole declarations at the top level, fields of the enclosing
 * kind, enum values, referenced names after `calls`/`from`/`is`, units after numbers
 * and `decl.field` paths inside environments.
 */
export function completion(program: Program | undefined, source: SourceFile, offset: number, options: CompletionOptions): CompletionItem[] {
  const { context, wordStart } = completionContext(source.text, offset);
  let from = wordStart;
  // After a number only its unit is replaced: `512|` + `Mi`.
  const number = context.kind === "value" ? /^[0-9]+(?:\.[0-9]+)?/.exec(context.word) : null;
  if (number) from += number[0].length;
  const range = { start: source.positionOf(from), end: source.positionOf(offset) };
  return itemsFor(program, context, options).map(({ insertText, ...item }, i) => ({
    ...item,
    sortText: item.sortText ?? String(i).padStart(4, "0"),
    textEdit: { range, newText: insertText ?? item.label },
  }));
}

function doc(options: CompletionOptions, text: string, example?: string): string | MarkupContent {
  if (!options.markdown) return example ? `${text}\n\nExample: ${example}` : text;
  return { kind: MarkupKind.Markdown, value: example ? `${text}\n\n\`\`\`fin\n${example}\n\`\`\`` : text };
}

const escapeSnippet = (s: string): string => s.replace(/[\\$}]/g, (c) => `\\${c}`);

function itemsFor(program: Program | undefined, ctx: CompletionContext, options: CompletionOptions): CompletionItem[] {
  switch (ctx.kind) {
    case "none":
      return [];
    case "top":
      return topLevel(program, options);
    case "import":
      return stdlibModules(program).map((m) => ({ label: m, kind: CompletionItemKind.Module, detail: "stdlib module" }));
    case "pattern":
      return patterns(program, ctx.forKind, options);
    case "pattern-target":
      return Object.keys(KIND_SPECS).map((k) => ({ label: k, kind: CompletionItemKind.Keyword, detail: KIND_SPECS[k]!.doc }));
    case "environment-name":
      return (program?.checked.environments ?? []).filter((e) => e !== "default").map((e) => ({ label: e, kind: CompletionItemKind.EnumMember, detail: "environment" }));
    case "field": {
      const fields = fieldItems(ctx.declKind, options, ctx.present);
      if (ctx.pattern) for (const [name, f] of Object.entries(PATTERN_FIELDS)) fields.push({ label: name, kind: CompletionItemKind.Keyword, detail: f.syntax, documentation: doc(options, f.doc) });
      return fields;
    }
    case "override-target":
      return program
        ? program.declarations.all
            .filter((d) => !d.stdlib && d.kind in KIND_SPECS)
            .map((d) => ({ label: d.name, kind: CompletionItemKind.Variable, detail: d.kind, ...(d.node.doc ? { documentation: doc(options, d.node.doc) } : {}) }))
        : [];
    case "override-field": {
      const target = program && findTarget(program.declarations, ctx.target);
      return target ? fieldItems(target.kind, options) : [];
    }
    case "value":
      return valueItems(program, ctx, options);
  }
}

/** The kind's fields, leaving out those set already unless they may repeat (`config`, `secret`, …). */
function fieldItems(kind: string, options: CompletionOptions, present: readonly string[] = []): CompletionItem[] {
  const spec = KIND_SPECS[kind];
  if (!spec) return [];
  return Object.entries(spec.fields).filter(([name, f]) => f.repeatable || !present.includes(name)).map(([name, f]) => ({
    label: name,
    kind: CompletionItemKind.Property,
    detail: f.syntax,
    documentation: doc(options, f.doc, `${name} ${f.example}`),
    ...(options.snippets ? { insertText: `${name} \${1:${escapeSnippet(f.example)}}`, insertTextFormat: InsertTextFormat.Snippet } : {}),
  }));
}

function topLevel(program: Program | undefined, options: CompletionOptions): CompletionItem[] {
  const items: CompletionItem[] = [];
  const kinds = [...Object.keys(KIND_SPECS), ...META_KINDS];
  for (const k of kinds) items.push({ label: k, kind: CompletionItemKind.Keyword, detail: KIND_SPECS[k]?.doc ?? (k === "pattern" ? "Defaults and rules for a kind: `pattern <name> for service { … }`." : k === "configset" ? "Config entries shared by workloads: `configset common { LOG_LEVEL = \"info\" }`, taken with `config from common`." : k === "override" ? "A typed patch on an emitted object: `override deployment/api { spec.template.spec.dnsPolicy \"None\" }`." : "Overrides for one environment: `environment prod { api.replicas 6 to 30 }`.") });
  items.push({ label: "import", kind: CompletionItemKind.Keyword, detail: 'import "fintech/payment-api"' });
  for (const k of kinds) {
    const body = declarationTemplate(program, k, options.snippets);
    items.push({
      label: `${k} …`,
      filterText: k,
      kind: options.snippets ? CompletionItemKind.Snippet : CompletionItemKind.Text,
      detail: `${k} declaration`,
      documentation: doc(options, KIND_SPECS[k]?.doc ?? `A ${k} declaration.`),
      insertText: body,
      ...(options.snippets ? { insertTextFormat: InsertTextFormat.Snippet } : { insertTextFormat: InsertTextFormat.PlainText }),
      sortText: `1${k}`,
    });
  }
  return items;
}

/** A whole declaration: the required fields with their examples as placeholders. */
function declarationTemplate(program: Program | undefined, kind: string, snippets: boolean): string {
  let n = 0;
  const ph = (text: string): string => (snippets ? `\${${++n}:${escapeSnippet(text)}}` : text);
  const choice = (values: string[], fallback: string): string => {
    if (!snippets) return values[0] ?? fallback;
    if (values.length === 0) return ph(fallback);
    return `\${${++n}|${values.map((v) => v.replace(/[,|\\$}]/g, (c) => `\\${c}`)).join(",")}|}`;
  };
  const end = snippets ? "$0" : "";
  if (kind === "pattern") return `pattern ${ph("name")} for ${choice(Object.keys(KIND_SPECS), "service")} {\n  ${end}\n}`;
  if (kind === "override") return `override ${ph("deployment")}/${ph("name")} {\n  ${ph("spec.template.spec.dnsPolicy")} ${ph('"None"')}${end}\n}`;
  if (kind === "configset") return `configset ${ph("name")} {\n  ${ph("KEY")} = ${ph('"value"')}${end}\n}`;
  if (kind === "environment") {
    const envs = (program?.checked.environments ?? []).filter((e) => e !== "default");
    return `environment ${choice(envs, "prod")} {\n  ${end}\n}`;
  }
  const spec = KIND_SPECS[kind]!;
  const pats = program ? program.declarations.all.filter((d) => d.kind === "pattern" && d.node.target?.text === kind).map((d) => d.name) : [];
  const name = ph("name");
  const base = pats.length && snippets ? ` is ${choice(pats, "")}` : "";
  const lines = spec.required.map((f) => `  ${f} ${ph(spec.fields[f]?.example ?? "")}`);
  if (snippets || lines.length === 0) lines.push(`  ${end}`);
  return `${kind} ${name}${base} {\n${lines.join("\n")}\n}`;
}

function patterns(program: Program | undefined, forKind: string | undefined, options: CompletionOptions): CompletionItem[] {
  if (!program) return [];
  return program.declarations.all
    .filter((d) => d.kind === "pattern" && (!forKind || d.node.target?.text === forKind))
    .map((d) => ({
      label: d.name,
      kind: CompletionItemKind.Interface,
      detail: `pattern for ${d.node.target?.text ?? "?"}${d.stdlib ? " (stdlib)" : ""}`,
      ...(d.node.doc ? { documentation: doc(options, d.node.doc) } : {}),
    }));
}

function stdlibModules(program: Program | undefined): string[] {
  if (!program) return [];
  const dir = program.host.stdlibDir;
  try {
    return program.host.listFinFiles(dir).map((p) => p.slice(dir.length + 1).replace(/\.fin$/, ""));
  } catch {
    return [];
  }
}

function valueItems(program: Program | undefined, ctx: Extract<CompletionContext, { kind: "value" }>, options: CompletionOptions): CompletionItem[] {
  let kind = ctx.declKind;
  let owner = ctx.declName;
  if (ctx.target !== undefined) {
    const t = program && findTarget(program.declarations, ctx.target);
    if (!t) return [];
    kind = t.kind;
    owner = t.name;
  }
  if (!kind) return [];
  const spec: FieldSpec | undefined = KIND_SPECS[kind]?.fields[ctx.field];
  const number = /^[0-9]+(?:\.[0-9]+)?/.exec(ctx.word);
  if (number) return units(spec, ctx.field, ctx.before, ctx.word.slice(number[0].length));
  const prev = ctx.before[ctx.before.length - 1];
  const names = (space: string, what: string, itemKind: CompletionItemKind): CompletionItem[] =>
    program ? program.declarations.names(space).filter((n) => n !== owner || space !== "workload").map((n) => ({ label: n, kind: itemKind, detail: what })) : [];
  // A field with its own words after `from` (`env X from pod.namespace`) gets those, not secret stores.
  if ((prev === "from" || prev === "credentials") && !spec?.keywords?.[prev]) {
    const stores = names("secretstore", "secret store", CompletionItemKind.Variable);
    if (ctx.field !== "secret" || !program) return stores;
    const outputs = program.declarations.all
      .filter((d) => d.kind === "database")
      .flatMap((d) => DATABASE_OUTPUTS.map((o) => ({ label: `${d.name}.${o}`, kind: CompletionItemKind.Field, detail: `output of database ${d.name}` })));
    const sealed = { label: "sealed", kind: CompletionItemKind.Keyword, detail: 'from sealed "<kubeseal --raw output>"', documentation: doc(options, "A value sealed with `kubeseal --raw --name <service>-sealed --namespace <ns>`: finc emits a SealedSecret and never sees the plaintext.") };
    return [...stores, ...outputs, sealed];
  }
  if (prev === "tls" && ctx.field === "expose") return names("issuer", "certificate issuer", CompletionItemKind.Variable);
  if (prev === "=" && ctx.field === "config" && program && owner) return configValues(program, kind, owner, ctx.before);
  if (ctx.before.length > 0) {
    // Words that follow the first value: `mesh istio ambient`, `solver dns route53 region`, `KEY enum …`.
    return followUps(spec?.keywords, ctx.before).map((w) => ({ label: w, kind: CompletionItemKind.Keyword, detail: `${ctx.field} ${spec?.syntax ?? ""}`.trim() }));
  }
  if (ctx.field === "calls") {
    return program
      ? program.declarations.all
          .filter((d) => (d.kind === "service" || d.kind === "database") && d.name !== owner)
          .map((d) => ({ label: d.name, kind: CompletionItemKind.Variable, detail: d.kind, ...(d.node.doc ? { documentation: doc(options, d.node.doc) } : {}) }))
      : [];
  }
  if (ctx.field === "namespace") return names("namespace", "namespace", CompletionItemKind.Module);
  if (spec?.values?.length) return spec.values.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: `${ctx.field} value` }));
  // A free-form value (`memory `, `timeout `): the documented example, so the form is one keystroke away.
  return spec ? [{ label: spec.example, kind: CompletionItemKind.Value, detail: `${ctx.field} ${spec.syntax}`, documentation: doc(options, spec.doc), sortText: "9" }] : [];
}

/** After `KEY =`: the allowed values of a typed key (enum values, true/false), wherever the type is declared. */
function configValues(program: Program, kind: string, owner: string, before: readonly string[]): CompletionItem[] {
  const key = before[before.length - 2];
  const decl = program.declarations.lookup(nameSpace(kind), owner);
  const perEnv = decl ? program.checked.values.get(decl) : undefined;
  const values = perEnv?.values().next().value;
  if (!key || !values) return [];
  const entry = mergeConfig(values.all<ConfigRead[]>("config").flat()).find((c) => c.key === key);
  const t = entry?.type;
  const allowed = t?.kind === "enum" ? t.values : t?.kind === "bool" ? ["true", "false"] : [];
  return allowed.map((v) => ({ label: v, kind: CompletionItemKind.EnumMember, detail: `${key}: ${describeConfigType(t!)}` }));
}

/** Units after a number: the field's units (from the schema), narrowed by the word before the number where the field mixes quantities. */
function units(spec: FieldSpec | undefined, field: string, before: readonly string[], typed: string): CompletionItem[] {
  const prev = before[before.length - 1];
  const byWord = prev ? UNIT_AFTER_WORD[prev] : undefined;
  if (byWord === null || (field === "replicas" && !byWord)) return [];
  const narrowed = byWord && field === "replicas" ? "percent" : byWord;
  const fieldUnits = spec?.units;
  let list: readonly string[];
  let what: string;
  if (narrowed && (!fieldUnits || UNIT_SUFFIXES[narrowed].some((u) => fieldUnits.includes(u)))) {
    list = UNIT_SUFFIXES[narrowed];
    what = `${narrowed} unit`;
  } else if (fieldUnits) {
    list = fieldUnits;
    what = `${field} unit`;
  } else if (spec) {
    return [];
  } else {
    list = [...new Set(Object.values(UNIT_SUFFIXES).flat())];
    what = "unit";
  }
  return list.filter((u) => u.startsWith(typed) || typed === "").map((u) => ({ label: u, kind: CompletionItemKind.Unit, detail: what }));
}
