// The language server's feature modules, adapted from LSP shapes to Monaco's: the playground
// shows exactly the diagnostics, hovers, completions and tokens the editor extension does.
import type * as Monaco from "monaco-editor/esm/vs/editor/editor.api.js";
import type { CompletionItem, Diagnostic as LspDiagnostic, MarkupContent, Range } from "vscode-languageserver-types";
import { completion } from "../../language-server/src/features/completion.js";
import { fileDiagnostics } from "../../language-server/src/features/diagnostics.js";
import { hover } from "../../language-server/src/features/hover.js";
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from "../../language-server/src/features/semantic-tokens.js";
import { signatureHelp } from "../../language-server/src/features/signature-help.js";
import { createSourceFile } from "../../compiler/syntax/source-file.js";
import { DOCUMENT_PATH, type PlaygroundSession } from "./session.js";

type MonacoApi = typeof Monaco;

const LSP_KIND_NAMES = ["", "Text", "Method", "Function", "Constructor", "Field", "Variable", "Class", "Interface", "Module", "Property", "Unit", "Value", "Enum", "Keyword", "Snippet", "Color", "File", "Reference", "Folder", "EnumMember", "Constant", "Struct", "Event", "Operator", "TypeParameter"] as const;

export function toMonacoRange(r: Range): Monaco.IRange {
  return { startLineNumber: r.start.line + 1, startColumn: r.start.character + 1, endLineNumber: r.end.line + 1, endColumn: r.end.character + 1 };
}

function markdownOf(value: string | MarkupContent | undefined): Monaco.IMarkdownString | undefined {
  if (value === undefined) return undefined;
  return { value: typeof value === "string" ? value : value.value };
}

export function markersOf(monaco: MonacoApi, session: PlaygroundSession): Monaco.editor.IMarkerData[] {
  const program = session.program;
  if (!program) return [];
  const severity = (d: LspDiagnostic): Monaco.MarkerSeverity =>
    d.severity === 1 ? monaco.MarkerSeverity.Error : d.severity === 2 ? monaco.MarkerSeverity.Warning : monaco.MarkerSeverity.Info;
  return fileDiagnostics(program, DOCUMENT_PATH).map((d) => ({ ...toMonacoRange(d.range), message: d.message, severity: severity(d), code: String(d.code ?? ""), source: "finc" }));
}

/**
 * Registers hover, completion, signature help and semantic tokens for `fin`, all computed from
 * the session's program. `compileNow` brings the program up to the model's text first (edits are
 * compiled after a short pause; a hover or the tokens must never describe an older text).
 * Returns what to call after each compilation: it asks Monaco for fresh semantic tokens.
 */
export function registerLanguageFeatures(monaco: MonacoApi, session: PlaygroundSession, compileNow: (model: Monaco.editor.ITextModel) => void): () => void {
  const current = (model: Monaco.editor.ITextModel) => {
    if (session.text !== model.getValue()) compileNow(model);
    return session.program;
  };
  const tokensChanged = new monaco.Emitter<void>();
  const offsetOf = (model: Monaco.editor.ITextModel, p: Monaco.IPosition): number => model.getOffsetAt(p);

  monaco.languages.registerHoverProvider("fin", {
    provideHover(model, position) {
      const program = current(model);
      if (!program) return null;
      const h = hover(program, DOCUMENT_PATH, offsetOf(model, position), { markdown: true });
      if (!h) return null;
      const contents = Array.isArray(h.contents) ? h.contents : [h.contents];
      return {
        contents: contents.map((c) => markdownOf(typeof c === "string" || "kind" in c ? (c as string | MarkupContent) : c.value)!),
        ...(h.range ? { range: toMonacoRange(h.range) } : {}),
      };
    },
  });

  monaco.languages.registerCompletionItemProvider("fin", {
    triggerCharacters: [" ", ".", '"'],
    provideCompletionItems(model, position) {
      // Completion reads the current text (the program may lag one keystroke behind).
      const source = createSourceFile(DOCUMENT_PATH, model.getValue());
      const items: CompletionItem[] = completion(session.program, source, offsetOf(model, position), { snippets: true, markdown: true });
      const word = model.getWordUntilPosition(position);
      const fallback: Monaco.IRange = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      return {
        suggestions: items.map((item) => {
          const edit = item.textEdit && "range" in item.textEdit ? item.textEdit : undefined;
          const kindName = LSP_KIND_NAMES[item.kind ?? 1] ?? "Text";
          const doc = markdownOf(item.documentation);
          return {
            label: item.label,
            kind: monaco.languages.CompletionItemKind[kindName as keyof typeof monaco.languages.CompletionItemKind] as Monaco.languages.CompletionItemKind,
            insertText: edit?.newText ?? item.insertText ?? item.label,
            ...(item.insertTextFormat === 2 ? { insertTextRules: monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet } : {}),
            range: edit ? toMonacoRange(edit.range) : fallback,
            ...(item.detail ? { detail: item.detail } : {}),
            ...(doc ? { documentation: doc } : {}),
            ...(item.sortText ? { sortText: item.sortText } : {}),
            ...(item.filterText ? { filterText: item.filterText } : {}),
          };
        }),
      };
    },
  });

  monaco.languages.registerSignatureHelpProvider("fin", {
    signatureHelpTriggerCharacters: [" "],
    provideSignatureHelp(model, position) {
      const source = createSourceFile(DOCUMENT_PATH, model.getValue());
      const help = signatureHelp(session.program, source, offsetOf(model, position));
      if (!help) return null;
      return {
        value: {
          signatures: help.signatures.map((s) => ({
            label: s.label,
            ...(s.documentation ? { documentation: markdownOf(s.documentation)! } : {}),
            parameters: (s.parameters ?? []).map((p) => ({ label: p.label, ...(p.documentation ? { documentation: markdownOf(p.documentation)! } : {}) })),
          })),
          activeSignature: help.activeSignature ?? 0,
          activeParameter: help.activeParameter ?? 0,
        },
        dispose() {},
      };
    },
  });

  monaco.languages.registerDocumentSemanticTokensProvider("fin", {
    getLegend: () => ({ tokenTypes: [...SEMANTIC_TOKENS_LEGEND.tokenTypes], tokenModifiers: [...SEMANTIC_TOKENS_LEGEND.tokenModifiers] }),
    onDidChange: tokensChanged.event,
    provideDocumentSemanticTokens(model) {
      const program = current(model);
      return { data: new Uint32Array(program ? semanticTokens(program, DOCUMENT_PATH).data : []) };
    },
    releaseDocumentSemanticTokens() {},
  });
  return () => tokensChanged.fire();
}
