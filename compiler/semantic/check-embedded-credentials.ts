import type { CodeFix, Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { Atom, Block, Comment, FileNode, Member, Term } from "../syntax/ast.js";
import type { SourceFile } from "../syntax/source-file.js";
import type { CheckResult } from "./check.js";
import { CONFIG_TYPES, mergeConfig, type ConfigRead } from "./config-types.js";
import { findCredentials, isSecretName, type CredentialMatch } from "./credential-patterns.js";
import type { DeclarationTable } from "./declarations.js";
import { nextScanCache } from "./credential-scan-cache.js";
import { secretStoreForm } from "./secret-store-form.js";

/**
 * FIN4032: no credential in any string of the user's spec. The walk is over the syntax tree,
 * not over fields, so every string, word and path of every field (and every field added later)
 * is scanned; doc comments too, since they reach the Helm chart. The stdlib is trusted.
 *
 * Not scanned here: the value of `secret X = "…"` and the ciphertext of `secret X from sealed "…"`
 * (FIN4001 owns both), and plain `//` comments, which never reach any output.
 *
 * A true false positive is acknowledged with a trailing `// finc:allow-plaintext <reason>` on the
 * line; under `compliance pci-dss` nothing can be acknowledged.
 */
export interface CredentialScanFile {
  readonly source: SourceFile;
  readonly ast: FileNode;
  readonly stdlib: boolean;
}

const ACK = /^\/\/\/?\s*finc:allow-plaintext(?=\s|$)(.*)$/;
/** Words that are settings, not secrets, even after a secret-named key (`API_KEY_CHECK = none`). */
const SETTING_WORDS = new Set(["true", "false", "yes", "no", "none", "null", "on", "off", "enabled", "disabled"]);

type Ack = { kind: "none" } | { kind: "reasoned" } | { kind: "unreasoned" };

interface Scope {
  readonly file: CredentialScanFile;
  readonly pci: boolean;
  readonly store: string;
  /** `file:offset` of config values whose key is typed other than string in some layer. */
  readonly nonStringValues: ReadonlySet<string>;
  readonly report: (d: Diagnostic) => void;
  readonly acks: Map<number, Ack>;
}

export function checkEmbeddedCredentials(files: readonly CredentialScanFile[], table: DeclarationTable, checked: CheckResult, report: (d: Diagnostic) => void): void {
  const user = files.filter((f) => !f.stdlib);
  if (!user.length) return;
  const pci = [...checked.models.values()].some((m) => m.platform.compliance.includes("pci-dss"));
  const store = table.all.find((d) => d.kind === "secretstore" && !d.stdlib)?.name ?? "vault";
  const nonStringValues = nonStringConfigValues(checked);
  const cache = nextScanCache();
  for (const file of user) {
    const scope: Scope = { file, pci, store, nonStringValues, report, acks: acknowledgements(file) };
    const nonString = nonStringOffsets(nonStringValues, file.ast.path);
    let n = 0;
    for (const decl of file.ast.declarations) {
      // The scan of a declaration depends only on the text of its lines (acknowledgements are
      // per line), the file, the platform's settings and which of its values are typed: an
      // unchanged declaration that moved (an edit above it) reuses its diagnostics, shifted.
      const text = file.source.text;
      const from = text.lastIndexOf("\n", decl.start - 1) + 1;
      const lineEnd = text.indexOf("\n", decl.end);
      const to = lineEnd < 0 ? text.length : lineEnd;
      while (n < nonString.length && nonString[n]! < decl.start) n++;
      let typed = "";
      for (let k = n; k < nonString.length && nonString[k]! < decl.end; k++) typed += `${nonString[k]! - from},`;
      const key = `${pci}|${store}|${file.ast.path}|${typed}|${text.slice(from, to)}`;
      let found = cache.get(key, file.ast.path, from);
      if (!found) {
        found = [];
        walkBlock({ ...scope, report: found.push.bind(found) }, decl.body, false);
        cache.set(key, file.ast.path, from, found);
      }
      found.forEach(report);
    }
    for (const c of file.ast.comments) if (c.doc) scanDoc(scope, c);
  }
}

/** Offsets of the config values in one file that are typed other than string, ascending. */
function nonStringOffsets(values: ReadonlySet<string>, path: string): number[] {
  const out: number[] = [];
  const prefix = `${path}:`;
  for (const v of values) if (v.startsWith(prefix)) out.push(Number(v.slice(prefix.length)));
  return out.sort((a, b) => a - b);
}

/** A key typed int, bool, duration, url or enum holds no secret by its name alone (`TOKEN_TTL_SECONDS int = 3600`). */
function nonStringConfigValues(checked: CheckResult): Set<string> {
  const out = new Set<string>();
  // A declaration no environment overrides has one FieldValues for all of them: read it once.
  const seen = new Set<object>();
  for (const perEnv of checked.values.values()) {
    for (const v of perEnv.values()) {
      if (seen.has(v)) continue;
      seen.add(v);
      for (const c of mergeConfig(v.all<ConfigRead[]>("config").flat())) {
        if (c.value && c.type && c.type.kind !== "string") out.add(`${c.value.range.file}:${c.value.range.start}`);
      }
    }
  }
  return out;
}

/** The `finc:allow-plaintext` comments of a file, by 0-based line. */
function acknowledgements(file: CredentialScanFile): Map<number, Ack> {
  const out = new Map<number, Ack>();
  for (const c of file.ast.comments) {
    const m = ACK.exec(c.text);
    if (m) out.set(file.source.positionOf(c.start).line, m[1]!.trim() ? { kind: "reasoned" } : { kind: "unreasoned" });
  }
  return out;
}

function walkBlock(scope: Scope, block: Block, inConfig: boolean): void {
  for (const member of block.members) {
    const field = member.path[member.path.length - 1]?.text ?? "";
    if (inConfig) {
      // `config { KEY [type] = value }`: the member's name is the key.
      scanConfigEntry(scope, member, member.path.map((p) => p.text).join("."), member.terms[0]?.atoms ?? [], false);
      member.terms.forEach((t) => scanTerm(scope, t, `config ${member.path.map((p) => p.text).join(".")}`));
    } else {
      for (const term of member.terms) {
        const key = field === "config" && term.atoms[0]?.kind === "Word" ? term.atoms[0].parts.map((p) => p.text).join(".") : undefined;
        if (key !== undefined) scanConfigEntry(scope, member, key, term.atoms.slice(1), member.terms.length === 1 && !member.block);
        scanTerm(scope, term, key !== undefined ? `config ${key}` : field, field === "secret");
      }
    }
    if (member.block) walkBlock(scope, member.block, !inConfig && field === "config");
  }
}

/** `KEY [type …] = value` after the key: the secret-named-key rule. */
function scanConfigEntry(scope: Scope, member: Member, key: string, atoms: readonly Atom[], fixable: boolean): void {
  if (!isSecretName(key)) return;
  const eq = atoms.findIndex((a) => a.kind === "Operator" && a.op === "=");
  if (eq < 0) return;
  const type = atoms[0]?.kind === "Word" && eq > 0 ? atoms[0].parts[0]!.text : undefined;
  if (type && type !== "string" && (CONFIG_TYPES as readonly string[]).includes(type)) return;
  const value = atoms[eq + 1];
  if (!value || scope.nonStringValues.has(`${scope.file.ast.path}:${value.start}`)) return;
  let range: SourceRange;
  if (value.kind === "String") {
    if (value.value === "" || findCredentials(value.value).length) return; // empty, or reported by the content rules
    range = contentRange(scope, value, 0, value.value.length);
  } else if (value.kind === "Word") {
    const text = value.parts.map((p) => p.text).join(".");
    if (SETTING_WORDS.has(text.toLowerCase()) || findCredentials(text).length) return;
    range = { file: scope.file.ast.path, start: value.start, end: value.end };
  } else return;
  const fix = fixable ? configFix(scope, member, key) : undefined;
  emit(scope, range, `The config value of ${key}`, storeHint(scope, key), fix);
}

/** Replaces the whole `config KEY = "…"` line (one entry, inline) with the `secret` line. */
function configFix(scope: Scope, member: Member, key: string): CodeFix {
  const field = member.path[member.path.length - 1]!;
  return {
    title: "Read the value from a secret store",
    edits: [{ range: { file: scope.file.ast.path, start: field.start, end: member.end }, newText: `secret ${secretStoreForm(key, scope.store)}` }],
  };
}

function scanTerm(scope: Scope, term: Term, field: string, secretLine = false): void {
  term.atoms.forEach((atom, i) => {
    const before = term.atoms[i - 1];
    // FIN4001 owns `secret X = "…"` and `secret X from sealed "…"`.
    if (secretLine && atom.kind === "String" && before && ((before.kind === "Operator" && before.op === "=") || (before.kind === "Word" && before.parts[0]!.text === "sealed"))) return;
    scanAtom(scope, atom, field);
  });
}

function scanAtom(scope: Scope, atom: Atom, field: string): void {
  switch (atom.kind) {
    case "String":
      for (const m of findCredentials(atom.value)) emit(scope, contentRange(scope, atom, m.start, m.end), describe(m, field, "string"), matchHint(scope, m), undefined);
      return;
    case "Word":
    case "Path": {
      const text = atom.kind === "Word" ? atom.parts.map((p) => p.text).join(".") : atom.value;
      for (const m of findCredentials(text)) emit(scope, { file: scope.file.ast.path, start: atom.start + m.start, end: atom.start + m.end }, describe(m, field, atom.kind === "Word" ? "word" : "path"), matchHint(scope, m), undefined);
      return;
    }
    case "List":
      for (const t of atom.items) scanTerm(scope, t, field);
      return;
    default:
      return;
  }
}

function scanDoc(scope: Scope, c: Comment): void {
  for (const m of findCredentials(c.text)) {
    emit(scope, { file: scope.file.ast.path, start: c.start + m.start, end: c.start + m.end }, `This doc comment (${m.label})`, "Doc comments reach the output (the Helm chart's descriptions): remove the credential from it, and keep the value in a secret store.", undefined, false);
  }
}

function describe(m: CredentialMatch, field: string, what: string): string {
  if (m.kind === "url") return `${m.label === "a URL with a password" ? "The URL" : "The address"} in \`${field}\``;
  return `This ${what} in \`${field}\` (${m.label})`;
}

function storeHint(scope: Scope, key: string): string {
  return `Keep the value in a secret store and read it from there: \`secret ${secretStoreForm(key, scope.store)}\`.`;
}

function matchHint(scope: Scope, m: CredentialMatch): string {
  const form = `\`secret ${secretStoreForm("<ENV>", scope.store)}\``;
  return m.kind === "url"
    ? `Write the URL without \`user:password@\` and give the application the credentials from a secret store: ${form} (or \`secret <ENV> from <database>.url\` for a database's URL).`
    : `Keep the value in a secret store and read it from there: ${form}.`;
}

/**
 * The range of [start, end) inside a string's value: exact when the source spells the value
 * without escapes, else the whole string.
 */
function contentRange(scope: Scope, atom: Extract<Atom, { kind: "String" }>, start: number, end: number): SourceRange {
  const raw = scope.file.source.text.slice(atom.start + 1, atom.end - 1);
  const file = scope.file.ast.path;
  return raw === atom.value ? { file, start: atom.start + 1 + start, end: atom.start + 1 + end } : { file, start: atom.start, end: atom.end };
}

function emit(scope: Scope, range: SourceRange, what: string, hint: string, fix: CodeFix | undefined, acknowledgeable = true): void {
  const ack = scope.acks.get(scope.file.source.positionOf(range.start).line) ?? { kind: "none" };
  if (acknowledgeable && ack.kind === "reasoned" && !scope.pci) return;
  let tail = "";
  if (scope.pci) tail = ack.kind === "none" ? " Under `compliance pci-dss` no acknowledgement is accepted." : " The `// finc:allow-plaintext` on this line is not accepted: under `compliance pci-dss` no plaintext credential can be acknowledged.";
  else if (!acknowledgeable) tail = "";
  else if (ack.kind === "unreasoned") tail = " The `// finc:allow-plaintext` on this line is ignored: write the reason after it (`// finc:allow-plaintext <why this is not a credential>`).";
  else tail = " If it is not a credential, end the line with `// finc:allow-plaintext <why>`.";
  scope.report(diag("FIN4032", range, { what, hint: hint + tail }, fix ? { fixes: [fix] } : {}));
}
