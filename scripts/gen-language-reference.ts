// Renders docs/language.md from the field specs (KIND_SPECS): the checker, the completion and
// this reference read the same objects, so a field cannot exist without being documented here.
// scripts/gen-language-reference.mjs writes the file; test/docs/language-reference.test.ts
// fails when the file is not what this renders.
import { ALL_KINDS, KIND_SPECS, META_KINDS, PATTERN_FIELDS } from "../compiler/semantic/schema/index.js";
import type { FieldSpec, KindSpec } from "../compiler/semantic/schema/field-spec.js";
import { describeBound } from "../compiler/semantic/schema/value-ranges.js";

/** The name each kind's sample declaration gets in the reference (any name works; these read well). */
const SAMPLE_NAMES: Readonly<Record<string, string>> = { platform: "payments", namespace: "payments", secretstore: "vault", issuer: "letsencrypt", service: "api", worker: "consumer", job: "seed", cronjob: "settlement", database: "ledger-db" };

export function sampleName(kind: string): string {
  return SAMPLE_NAMES[kind] ?? `my-${kind}`;
}

/** A field line as written in a declaration: `replicas 2 to 10 at cpu 70%`. */
export function fieldLine(name: string, spec: FieldSpec): string {
  return spec.example ? `${name} ${spec.example}` : name;
}

/** The field's example, then the values its number ranges give to show a number the example has not (`update surge 25%`). */
export function examplesOf(spec: FieldSpec): string[] {
  return [...new Set([spec.example, ...(spec.numbers ?? []).flatMap((r) => (r.example ? [r.example] : []))])];
}

/** The smallest declaration of a kind: its required fields with their examples, plus `extra` lines. */
export function minimalDeclaration(kind: string, name: string, extra: readonly string[] = []): string {
  const spec = KIND_SPECS[kind]!;
  const extraNames = new Set(extra.map((l) => l.split(/\s/)[0]));
  const lines = [...spec.required.filter((f) => !extraNames.has(f)).map((f) => fieldLine(f, spec.fields[f]!)), ...extra];
  return `${kind} ${name} {\n${lines.map((l) => `  ${l}\n`).join("")}}\n`;
}

/** Top-level alternatives of a syntax line (`a | b [c | d]` → `a`, `b [c | d]`). */
export function forms(syntax: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < syntax.length; i++) {
    const c = syntax[i]!;
    if ("[(<{".includes(c)) depth++;
    else if ("])>}".includes(c)) depth--;
    else if (depth === 0 && syntax.startsWith(" | ", i)) {
      out.push(syntax.slice(start, i).trim());
      start = i + 3;
      i += 2;
    }
  }
  out.push(syntax.slice(start).trim());
  return out.filter(Boolean);
}

/** Markdown code span that survives backticks and pipes inside tables. */
function code(text: string): string {
  const fence = text.includes("`") ? "``" : "`";
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function anchor(kind: string, field?: string): string {
  return field ? `${kind}-${field}`.replace(/[^a-z0-9-]/g, "") : kind.replace(/[^a-z0-9-]/g, "");
}

function renderField(kind: string, name: string, spec: FieldSpec, required: boolean): string {
  const out: string[] = [`<a id="${anchor(kind, name)}"></a>`, `#### \`${name}\`${required ? " (required)" : ""}`, "", spec.doc, ""];
  const alternatives = forms(spec.syntax);
  const wordsOnly = alternatives.length > 1 && alternatives.every((a) => /^[a-z0-9][-a-z0-9.]*$/i.test(a));
  if (alternatives.length > 1 && !wordsOnly) {
    out.push("Forms:", "", ...alternatives.map((a) => `- ${code(`${name} ${a}`)}`), "");
  } else out.push(`Syntax: ${code(`${name} ${spec.syntax}`)}`, "");
  const facts: string[] = [];
  const values = spec.values ?? (wordsOnly ? alternatives : undefined);
  if (values?.length) facts.push(`${wordsOnly ? "Values" : "Words it starts with"}: ${values.map(code).join(", ")}.`);
  if (spec.units?.length) facts.push(`Units: ${spec.units.map(code).join(", ")}.`);
  for (const r of spec.numbers ?? []) facts.push(`${r.what}: ${describeBound(r)}; it lands in ${r.target}.`);
  if (spec.repeatable) facts.push(spec.replaceInEnvironment ? "Repeatable (several lines add up); an environment's lines replace the base list." : "Repeatable: several lines (and a pattern's lines) add up.");
  if (spec.block) facts.push(`Also written as a block: ${code(`${name} { … }`)}, one entry per line.`);
  if (facts.length) out.push(...facts.map((f) => `- ${f}`), "");
  const examples = examplesOf(spec);
  out.push(examples.length > 1 ? "Examples:" : "Example:", "", "```fin", ...examples.map((e) => `${name} ${e}`), "```", "");
  return out.join("\n");
}

function renderKind(kind: string, spec: KindSpec): string {
  const names = Object.keys(spec.fields).sort();
  const out: string[] = [`<a id="${anchor(kind)}"></a>`, `## \`${kind}\``, "", spec.doc, ""];
  out.push(`Required fields: ${spec.required.length ? spec.required.map((f) => `[${code(f)}](#${anchor(kind, f)})`).join(", ") : "none"}.`, "");
  if (spec.outputs?.length) out.push(`Outputs other declarations may reference as ${code(`${sampleName(kind)}.<output>`)}: ${spec.outputs.map(code).join(", ")}.`, "");
  out.push("The smallest valid declaration:", "", "```fin", minimalDeclaration(kind, sampleName(kind)).trimEnd(), "```", "");
  out.push("| field | syntax |", "| --- | --- |", ...names.map((n) => `| [${code(n)}](#${anchor(kind, n)}) | ${cell(code(spec.fields[n]!.syntax))} |`), "");
  const refused = Object.entries(spec.refused ?? {}).sort(([a], [b]) => a.localeCompare(b));
  if (refused.length) {
    out.push(`Fields of a related kind that a \`${kind}\` refuses, with the diagnostic it reports:`, "", "| field | code | why |", "| --- | --- | --- |");
    out.push(...refused.map(([n, r]) => `| ${code(n)} | ${r.code} | ${cell(`${r.message} ${r.hint}`)} |`), "");
  }
  out.push(`### Fields of \`${kind}\``, "");
  for (const n of names) out.push(renderField(kind, n, spec.fields[n]!, spec.required.includes(n)));
  return out.join("\n");
}

/**
 * The kinds with their own structure (META_KINDS) have no field spec: their entry is written
 * here, with an example the test compiles. A new meta kind without an entry fails the build of
 * the reference (and so its test).
 */
export const META_DOCS: Readonly<Record<string, { readonly summary: string; readonly doc: string; readonly example: string }>> = {
  pattern: {
    summary: "Defaults for a kind's fields.",
    doc: "`pattern NAME for KIND { … }` gives defaults for any field of KIND; a declaration uses it with `KIND NAME is PATTERN { … }` and overrides what it needs. A pattern may extend another pattern for the same kind, `pattern strict-api is payment-api for service { … }`: the base's fields come first, then the extending pattern's (a cycle is FIN2016).",
    example: 'pattern internal-api for service {\n  replicas 2 to 6 at cpu 70%\n  require image\n  minimum replicas 2 in prod\n}\n\nservice orders is internal-api {\n  image "registry.example.com/payments/orders:1.0.0"\n  port http 8080\n}\n',
  },
  environment: {
    summary: "Per-environment overrides.",
    doc: "`environment NAME { … }` overrides fields for one of the platform's `environments`: `DECL.FIELD value` (`api.replicas 1 to 2`) or `DECL { FIELD value }`. Every field of every kind above may be overridden; repeatable fields add to the base list unless their entry above says an environment's lines replace it.",
    example: "environment dev {\n  ledger.replicas 1\n  fraud {\n    cpu 100m\n  }\n}\n",
  },
  configset: {
    summary: "Config entries shared by several workloads.",
    doc: "`configset NAME { KEY = \"value\", … }` holds config entries in the form of a `config { … }` block (one or more per line, typed keys allowed); a `service`, `worker`, `job` or `cronjob` (or a pattern, or an environment) takes them with `config from NAME[, NAME …]`. Sets merge in the order named, and the layer's own `config` keys win wherever the `from` line is written. An unknown set is FIN2004.",
    example: 'configset common {\n  LOG_LEVEL = "info"\n  REGION = "eu-west-1"\n}\n\nservice orders {\n  image "registry.example.com/payments/orders:1.0.0"\n  port http 8080\n  config from common\n}\n',
  },
  override: {
    summary: "A typed patch on one emitted object (the escape hatch).",
    doc: "`override KIND/NAME [for ENV] { PATH VALUE … }` changes an object finc emits (`deployment`, `statefulset`, `job`, `cronjob`, `service`, `configmap`, `serviceaccount`, `networkpolicy`, `poddisruptionbudget`, `horizontalpodautoscaler`, `virtualservice`, `destinationrule`, … and the other kinds with a vendored schema), in every environment or only in ENV, after every target has run. `a.b.c VALUE` sets a field (a `{ … }` block merges key by key), `list.0.field VALUE` addresses a list element, `list append VALUE` or `list append { … }` adds one, `a.b delete` removes. Paths and values are checked against the kind's Kubernetes/Istio schema at compile time (FIN3038, FIN3039); an object the build does not emit is FIN3041; undoing a security guarantee (privileged, host namespaces or paths, root, added capabilities, Unconfined seccomp, a writable root filesystem, a service-account token) is FIN3040 unless the namespace's `security` level allows it.",
    example: 'override deployment/ledger {\n  spec.progressDeadlineSeconds 900\n  spec.template.spec.dnsConfig {\n    options append {\n      name "ndots"\n      value "2"\n    }\n  }\n}\n',
  },
};

function metaDoc(kind: string): (typeof META_DOCS)[string] {
  const m = META_DOCS[kind];
  if (!m) throw new Error(`scripts/gen-language-reference.ts: no reference entry for the declaration kind '${kind}' (add it to META_DOCS)`);
  return m;
}

function renderMeta(): string {
  const out: string[] = [];
  for (const kind of META_KINDS) {
    const m = metaDoc(kind);
    out.push(`<a id="${anchor(kind)}"></a>`, `## \`${kind}\``, "", m.doc, "");
    if (kind === "pattern") {
      out.push("Besides the fields of its kind, a pattern may use:", "");
      for (const [name, f] of Object.entries(PATTERN_FIELDS)) out.push(`- ${code(`${name} ${f.syntax}`)}: ${f.doc}`);
      out.push("");
    }
    out.push("Example:", "", "```fin", m.example.trimEnd(), "```", "");
  }
  return out.join("\n");
}

/** The whole of docs/language.md. */
export function renderLanguageReference(): string {
  const kinds = Object.entries(KIND_SPECS);
  const fieldCount = kinds.reduce((n, [, k]) => n + Object.keys(k.fields).length, 0);
  const head = [
    "# The finc language reference",
    "",
    "<!-- Generated by `npm run docs` (scripts/gen-language-reference.mjs) from the field specs in compiler/semantic/schema/. Do not edit: test/docs/language-reference.test.ts fails when this file differs from what the generator writes. -->",
    "",
    "A `.fin` file holds `import` lines and declarations `KIND NAME [is PATTERN] { … }`. Each line of a block is a field: its name, then comma-separated values (strings, numbers with units, words, dotted references, paths and lists). `//` starts a comment; `///` documents the next declaration or field.",
    "",
    `This reference lists every declaration kind (${ALL_KINDS.map(code).join(", ")}) and every one of their ${fieldCount} fields, from the same field specs the checker and the editor use: each field's forms, the words and units it takes, the range of each number, and an example. Every example is compiled by the test suite inside the smallest valid declaration of its kind.`,
    "",
    "| declaration | what it is | fields |",
    "| --- | --- | --- |",
    ...kinds.map(([kind, k]) => `| [${code(kind)}](#${anchor(kind)}) | ${cell(k.doc)} | ${Object.keys(k.fields).length} |`),
    ...META_KINDS.map((m) => `| [${code(m)}](#${anchor(m)}) | ${cell(metaDoc(m).summary)} | |`),
    "",
  ];
  return [...head, ...kinds.map(([kind, k]) => renderKind(kind, k)), renderMeta()].join("\n").replace(/\n{3,}/g, "\n\n").trimEnd() + "\n";
}
