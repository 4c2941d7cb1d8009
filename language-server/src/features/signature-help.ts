import type { ParameterInformation, SignatureHelp, SignatureInformation } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { findTarget } from "../../../compiler/semantic/effective-fields.js";
import { KIND_SPECS } from "../../../compiler/semantic/schema/index.js";
import type { SourceFile } from "../../../compiler/syntax/source-file.js";
import { completionContext } from "../completion-context.js";

/** The field's syntax split into its forms at top-level `|` (not inside `[…]`, `<…>` or quotes). */
export function fieldForms(syntax: string): string[] {
  const forms: string[] = [];
  let depth = 0;
  let quoted = false;
  let from = 0;
  for (let i = 0; i < syntax.length; i++) {
    const c = syntax[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "[" || c === "<")) depth++;
    else if (!quoted && (c === "]" || c === ">")) depth--;
    else if (!quoted && depth === 0 && c === "|") {
      forms.push(syntax.slice(from, i).trim());
      from = i + 1;
    }
  }
  forms.push(syntax.slice(from).trim());
  return forms.filter((f) => f.length > 0);
}

/** Tokens of a form: words, `<placeholders>`, `"<quoted>"` and `[optional …]` groups, with their offsets in `label`. */
function formTokens(label: string, offset: number): { text: string; start: number; end: number }[] {
  const out: { text: string; start: number; end: number }[] = [];
  const re = /\[[^\]]*\]|"[^"]*"|<[^>]*>[^\s,]*|[^\s,]+/g;
  for (let m = re.exec(label.slice(offset)); m; m = re.exec(label.slice(offset))) out.push({ text: m[0], start: offset + m.index, end: offset + m.index + m[0].length });
  return out;
}

const isParameter = (t: string): boolean => t.includes("<") || t.startsWith("[") || t.startsWith('"');

/**
 * Signature help for a field's value: one signature per form of its syntax (`scale on kafka … |
 * on queue sqs … | …`), the active one the first whose literal words agree with what is typed in
 * the current term, and the active parameter the placeholder at the typed position.
 */
export function signatureHelp(program: Program | undefined, source: SourceFile, offset: number): SignatureHelp | null {
  const { context } = completionContext(source.text, offset);
  if (context.kind !== "value") return null;
  let kind = context.declKind;
  if (context.target !== undefined) kind = program ? findTarget(program.declarations, context.target)?.kind : undefined;
  const spec = kind ? KIND_SPECS[kind]?.fields[context.field] : undefined;
  if (!spec) return null;
  const typed = [...context.before, ...(context.word ? [context.word] : [])];
  const position = context.before.length;
  const signatures: SignatureInformation[] = [];
  let active = -1;
  let activeParameter = 0;
  for (const form of fieldForms(spec.syntax)) {
    const label = `${context.field} ${form}`;
    const tokens = formTokens(label, context.field.length + 1);
    const parameters: ParameterInformation[] = tokens.filter((t) => isParameter(t.text)).map((t) => ({ label: [t.start, t.end] }));
    signatures.push({ label, documentation: spec.doc, parameters });
    const agrees = typed.every((w, i) => {
      const t = tokens[i];
      return !t || isParameter(t.text) || t.text === w || (i === typed.length - 1 && !!context.word && t.text.startsWith(w));
    });
    if (active < 0 && agrees) {
      active = signatures.length - 1;
      const at = tokens.slice(0, position + 1).filter((t) => isParameter(t.text)).length - 1;
      activeParameter = Math.max(0, tokens[position] && isParameter(tokens[position]!.text) ? at : at + 1);
    }
  }
  if (!signatures.length) return null;
  return { signatures, activeSignature: Math.max(0, active), activeParameter: Math.min(activeParameter, Math.max(0, (signatures[Math.max(0, active)]!.parameters?.length ?? 1) - 1)) };
}
