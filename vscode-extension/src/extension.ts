import * as path from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

/** `finc/preview`: the manifests one .fin file compiles to (custom request answered by dist/server.cjs). */
interface PreviewParams { uri: string; environment?: string }
interface PreviewResult { files: { path: string; content: string }[] }

const PREVIEW_SCHEME = "finc-preview";
let client: LanguageClient | undefined;

const environment = (): string => vscode.workspace.getConfiguration("finc").get<string>("environment", "").trim();

export function activate(context: vscode.ExtensionContext): void {
  const module = context.asAbsolutePath(path.join("dist", "server.cjs"));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ["--nolazy", "--inspect=6009"] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: "file", language: "fin" }, { scheme: "untitled", language: "fin" }],
    initializationOptions: { environment: environment() },
  };
  const lc = (client = new LanguageClient("finc", "finc language server", serverOptions, clientOptions));
  const ready = lc.start();

  // finc-preview:/<name>.yaml?<source uri> shows the YAML the source compiles to.
  const changed = new vscode.EventEmitter<vscode.Uri>();
  const provider: vscode.TextDocumentContentProvider = {
    onDidChange: changed.event,
    async provideTextDocumentContent(uri) {
      try {
        await ready;
        const env = environment();
        const params: PreviewParams = { uri: uri.query, ...(env ? { environment: env } : {}) };
        const result = await lc.sendRequest<PreviewResult>("finc/preview", params);
        return result.files.map((f) => `# ${f.path}\n${f.content.replace(/\n?$/, "\n")}`).join("---\n");
      } catch (err) {
        return `# finc: preview failed\n# ${String(err instanceof Error ? err.message : err).replace(/\n/g, "\n# ")}\n`;
      }
    },
  };
  const refresh = (): void => {
    for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === PREVIEW_SCHEME) changed.fire(doc.uri);
  };

  context.subscriptions.push(
    changed,
    vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, provider),
    vscode.workspace.onDidSaveTextDocument((doc) => doc.languageId === "fin" && refresh()),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration("finc.environment") && refresh()),
    vscode.commands.registerCommand("finc.preview", async () => {
      const source = vscode.window.activeTextEditor?.document;
      if (source?.languageId !== "fin") return void vscode.window.showWarningMessage("finc: open a .fin file to preview.");
      const name = path.basename(source.uri.path).replace(/\.fin$/, "") || "untitled";
      const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/${name}.yaml`, query: source.uri.toString() });
      const doc = await vscode.languages.setTextDocumentLanguage(await vscode.workspace.openTextDocument(uri), "yaml");
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true, preview: true });
    }),
    vscode.commands.registerCommand("finc.build", () => {
      const uri = vscode.window.activeTextEditor?.document.uri;
      const folder = (uri && vscode.workspace.getWorkspaceFolder(uri)) ?? vscode.workspace.workspaceFolders?.[0];
      const dir = folder?.uri.fsPath ?? (uri?.scheme === "file" ? path.dirname(uri.fsPath) : undefined);
      if (!dir) return void vscode.window.showWarningMessage("finc: open a folder or a .fin file to build.");
      const env = environment();
      const cli = context.asAbsolutePath(path.join("dist", "finc.cjs"));
      const terminal = vscode.window.terminals.find((t) => t.name === "finc") ?? vscode.window.createTerminal({ name: "finc", cwd: dir });
      terminal.show();
      terminal.sendText(`node "${cli}" build "${dir}"${env ? ` --env "${env}"` : ""}`);
    }),
  );
  ready.catch(() => undefined); // the client already reports a failed start in its output channel
}

export function deactivate(): Thenable<void> | undefined {
  return client?.stop();
}
