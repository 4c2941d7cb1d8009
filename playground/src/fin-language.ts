// The `fin` language for Monaco: editing behaviour from the VS Code extension's
// language-configuration.json (one source), a small Monarch tokenizer for the first paint,
// then the compiler's own semantic tokens (monaco-adapters.ts) classify every word.
import type * as Monaco from "monaco-editor/esm/vs/editor/editor.api.js";
import configuration from "../../vscode-extension/language-configuration.json";
import { ALL_KINDS } from "../../compiler/semantic/schema/index.js";

type MonacoApi = typeof Monaco;
type Pair = [string, string];

export function registerFinLanguage(monaco: MonacoApi): void {
  monaco.languages.register({ id: "fin", extensions: [".fin"], aliases: ["fin"] });
  monaco.languages.setLanguageConfiguration("fin", {
    comments: { lineComment: configuration.comments.lineComment },
    brackets: configuration.brackets as Pair[],
    autoClosingPairs: configuration.autoClosingPairs,
    surroundingPairs: configuration.surroundingPairs.map(([open, close]) => ({ open: open!, close: close! })),
    wordPattern: new RegExp(configuration.wordPattern),
    indentationRules: {
      increaseIndentPattern: new RegExp(configuration.indentationRules.increaseIndentPattern),
      decreaseIndentPattern: new RegExp(configuration.indentationRules.decreaseIndentPattern),
    },
  });
  monaco.languages.setMonarchTokensProvider("fin", {
    kinds: [...ALL_KINDS, "import", "environment"],
    tokenizer: {
      root: [
        [/\/\/\/.*$/, "comment.doc"],
        [/\/\/.*$/, "comment"],
        [/"(?:[^"\\]|\\.)*"?/, "string"],
        [/[0-9]+(?:\.[0-9]+)?(?:[A-Za-z]+|%|\/[a-z]+)?/, "number"],
        [/[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*/, { cases: { "@kinds": "keyword", "is|for": "keyword", "@default": "identifier" } }],
        [/[{}[\]]/, "@brackets"],
      ],
    },
  });
}

/** Colours for the compiler's semantic token types (language-server/src/features/semantic-tokens.ts). */
export const FIN_THEME: Monaco.editor.IStandaloneThemeData = {
  base: "vs",
  inherit: true,
  rules: [
    { token: "keyword", foreground: "0000c0", fontStyle: "bold" },
    { token: "type", foreground: "267f99" },
    { token: "class", foreground: "267f99", fontStyle: "bold" },
    { token: "property", foreground: "795e26" },
    { token: "string", foreground: "a31515" },
    { token: "number", foreground: "098658" },
    { token: "comment", foreground: "008000", fontStyle: "italic" },
    { token: "comment.doc", foreground: "008000", fontStyle: "italic" },
    { token: "variable", foreground: "001080" },
    { token: "enumMember", foreground: "0070c1" },
    { token: "operator", foreground: "000000" },
  ],
  colors: {},
};
