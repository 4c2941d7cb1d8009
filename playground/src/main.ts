// The playground page: Monaco with the compiler and the language server's features running
// in the browser, the YAML of the chosen environment beside it, the spec in the URL fragment.
// edcore.main: every editor feature (hover, suggest, markers…) and no bundled language but YAML.
import * as monacoCore from "monaco-editor/esm/vs/editor/edcore.main.js";
import type * as MonacoApi from "monaco-editor/esm/vs/editor/editor.api.js";
import "monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js";
import EXAMPLES from "virtual:examples";
import STDLIB from "virtual:stdlib";
import { FIN_THEME, registerFinLanguage } from "./fin-language.js";
import { markersOf, registerLanguageFeatures } from "./monaco-adapters.js";
import { PlaygroundSession } from "./session.js";
import { decodeState, encodeState } from "./share.js";

interface Example {
  readonly name: string;
  readonly text: string;
  readonly files: Readonly<Record<string, string>>;
}

declare global {
  interface Window {
    /** For the end-to-end test and the curious: the live objects of the page. */
    finPlayground?: { editor: MonacoApi.editor.IStandaloneCodeEditor; monaco: typeof MonacoApi; compiles: number; files(environment: string): readonly { path: string; content: string }[] };
  }
}

// Monaco's own worker (diffing, links); from file:// browsers refuse workers and Monaco runs it inline.
window.MonacoEnvironment = { getWorker: () => new Worker(new URL("editor.worker.js", location.href)) };

const monaco = monacoCore as typeof MonacoApi;
const examples = EXAMPLES as readonly Example[];
const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const exampleSelect = $<HTMLSelectElement>("example");
const envSelect = $<HTMLSelectElement>("environment");
const fileSelect = $<HTMLSelectElement>("file");
const problems = $<HTMLUListElement>("problems");
const status = $<HTMLSpanElement>("status");

registerFinLanguage(monaco);
monaco.editor.defineTheme("fin", FIN_THEME);
const session = new PlaygroundSession(STDLIB as Record<string, string>);
const tokensChanged = registerLanguageFeatures(monaco, session, () => compile());

const model = monaco.editor.createModel("", "fin", monaco.Uri.parse("file:///playground/main.fin"));
const editor = monaco.editor.create($("editor"), { model, theme: "fin", automaticLayout: true, minimap: { enabled: false }, "semanticHighlighting.enabled": true, fixedOverflowWidgets: true, tabSize: 2 });
const output = monaco.editor.create($("output"), { language: "yaml", readOnly: true, automaticLayout: true, minimap: { enabled: false }, theme: "fin" });
let timer: ReturnType<typeof setTimeout> | undefined;
let sideFiles: Readonly<Record<string, string>> = {};
let compiles = 0;

for (const ex of examples) exampleSelect.add(new Option(ex.name, ex.name));

function compile(): void {
  clearTimeout(timer);
  const started = performance.now();
  const program = session.update(model.getValue(), sideFiles);
  compiles++;
  const markers = markersOf(monaco, session);
  monaco.editor.setModelMarkers(model, "finc", markers);
  problems.replaceChildren(
    ...markers.map((m) => {
      const li = document.createElement("li");
      li.className = `problem severity-${m.severity}`;
      li.textContent = `${m.code} ${m.startLineNumber}:${m.startColumn} ${m.message.split("\n")[0]}`;
      li.onclick = () => {
        editor.setPosition({ lineNumber: m.startLineNumber, column: m.startColumn });
        editor.focus();
      };
      return li;
    }),
  );
  const errors = program.diagnostics.filter((d) => d.severity === "error").length;
  status.textContent = errors ? `${errors} error${errors === 1 ? "" : "s"}` : `compiled in ${Math.round(performance.now() - started)} ms`;
  const envs = session.environments;
  const chosen = envs.includes(envSelect.value) ? envSelect.value : envs[0];
  envSelect.replaceChildren(...envs.map((e) => new Option(e, e, false, e === chosen)));
  showFiles();
  tokensChanged();
  window.finPlayground = { editor, monaco, compiles, files: (env) => session.filesOf(env) };
}

function showFiles(): void {
  const files = envSelect.value ? session.filesOf(envSelect.value) : [];
  const chosen = files.some((f) => f.path === fileSelect.value) ? fileSelect.value : files[0]?.path;
  fileSelect.replaceChildren(...files.map((f) => new Option(f.path, f.path, false, f.path === chosen)));
  const file = files.find((f) => f.path === chosen);
  output.setValue(file ? file.content : session.program?.diagnostics.some((d) => d.severity === "error") ? "# Fix the errors to see the output." : "# No output.");
}

model.onDidChangeContent(() => {
  clearTimeout(timer);
  timer = setTimeout(() => {
    compile();
    void encodeState(model.getValue()).then((s) => history.replaceState(null, "", `#${s}`));
  }, 150);
});
envSelect.onchange = showFiles;
fileSelect.onchange = showFiles;
exampleSelect.onchange = () => load(examples.find((e) => e.name === exampleSelect.value) ?? examples[0]!);

function load(example: Example, text = example.text): void {
  sideFiles = example.files;
  exampleSelect.value = example.name;
  model.setValue(text);
  clearTimeout(timer);
  compile();
}

void decodeState(location.hash).then((shared) => {
  load(examples[0]!, shared ?? examples[0]!.text);
  document.body.dataset["ready"] = "true";
});
