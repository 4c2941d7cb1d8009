import { TextDocument } from "vscode-languageserver-textdocument";
import {
  CodeActionKind,
  createConnection,
  ErrorCodes,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type InitializeParams,
  type InitializeResult,
} from "vscode-languageserver/node.js";
import type { Program } from "../../compiler/program.js";
import { liveSourceCache } from "./live-source.js";
import { createCompileScheduler } from "./compile-scheduler.js";
import { codeActions } from "./features/code-actions.js";
import { completion } from "./features/completion.js";
import { definition } from "./features/definition.js";
import { documentHighlight } from "./features/document-highlight.js";
import { documentSymbols } from "./features/document-symbols.js";
import { foldingRanges } from "./features/folding-ranges.js";
import { formatting } from "./features/formatting.js";
import { hover } from "./features/hover.js";
import { inlayHints } from "./features/inlay-hints.js";
import { preview, type PreviewParams, type PreviewResult } from "./features/preview.js";
import { references } from "./features/references.js";
import { prepareRename, rename } from "./features/rename.js";
import { SEMANTIC_TOKENS_LEGEND, semanticTokens } from "./features/semantic-tokens.js";
import { signatureHelp } from "./features/signature-help.js";
import { workspaceSymbols } from "./features/workspace-symbols.js";
import { toOffset } from "./positions.js";
import { uriToPath } from "./uri.js";
import { createWorkspace } from "./workspace.js";

export const PREVIEW_REQUEST = "finc/preview";
import { MEMORY_REQUEST } from "./debug-requests.js";
export { MEMORY_REQUEST };

interface ClientOptions {
  snippets: boolean;
  completionMarkdown: boolean;
  hoverMarkdown: boolean;
  dynamicWatch: boolean;
  workspaceFolders: boolean;
  environment?: string;
}

let started = false;

/** Starts the finc language server on the transport named on the command line (--stdio, --node-ipc, --socket=…). */
export function startServer(): void {
  if (started) return;
  started = true;
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  const workspace = createWorkspace();
  const liveSource = liveSourceCache();
  const client: ClientOptions = { snippets: false, completionMarkdown: false, hoverMarkdown: false, dynamicWatch: false, workspaceFolders: false };
  let lastError = "";
  const logError = (what: string, e: unknown): void => {
    const message = `finc: ${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`;
    // The same failure on every keystroke is logged once.
    if (message === lastError) return;
    lastError = message;
    try {
      connection.console.error(message);
    } catch {
      // the connection itself is gone: nothing left to tell
    }
  };
  const scheduler = createCompileScheduler({
    workspace,
    delayMs: 15,
    publish: (p) => void connection.sendDiagnostics(p),
    onError: (e) => logError("compile", e),
  });

  /** After `shutdown` the protocol allows only `exit`: every other request gets InvalidRequest. */
  let shutDown = false;
  /** Every handler answers: an internal error is logged and turns into an empty result. ResponseErrors are deliberate answers. */
  const guard =
    <P, R>(what: string, fallback: R, fn: (params: P) => R) =>
    (params: P): R => {
      if (shutDown) throw new ResponseError(ErrorCodes.InvalidRequest, `The server is shut down: '${what}' is not answered after 'shutdown'.`);
      try {
        return fn(params);
      } catch (e) {
        if (e instanceof ResponseError) throw e;
        logError(what, e);
        return fallback;
      }
    };
  /** Notifications have no answer: after `shutdown` they are dropped; an internal error is logged. */
  const onEvent =
    <P>(what: string, fn: (params: P) => void) =>
    (params: P): void => {
      if (shutDown) return;
      try {
        fn(params);
      } catch (e) {
        logError(what, e);
      }
    };
  /** The up-to-date program and the document's path and offset, or undefined when the file is not part of it. */
  const at = (uri: string, position?: { line: number; character: number }): { program: Program; path: string; offset: number } | undefined => {
    const program = scheduler.flush();
    const path = uriToPath(uri);
    const source = program?.getSourceFile(path);
    if (!program || !source) return undefined;
    return { program, path, offset: position ? toOffset(source, position) : 0 };
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const caps = params.capabilities;
    const item = caps.textDocument?.completion?.completionItem;
    client.snippets = item?.snippetSupport === true;
    client.completionMarkdown = item?.documentationFormat?.includes("markdown") === true;
    client.hoverMarkdown = caps.textDocument?.hover?.contentFormat?.includes("markdown") === true;
    client.dynamicWatch = caps.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    client.workspaceFolders = caps.workspace?.workspaceFolders === true;
    const init = params.initializationOptions as { environment?: unknown } | undefined;
    if (typeof init?.environment === "string" && init.environment.trim()) client.environment = init.environment.trim();
    const folders = params.workspaceFolders?.map((f) => f.uri) ?? (params.rootUri ? [params.rootUri] : []);
    workspace.setFolders(folders.filter((u) => u.startsWith("file:")).map(uriToPath));
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
        completionProvider: { triggerCharacters: [".", " "] },
        hoverProvider: true,
        signatureHelpProvider: { triggerCharacters: [" "], retriggerCharacters: [","] },
        definitionProvider: true,
        referencesProvider: true,
        documentHighlightProvider: true,
        renameProvider: { prepareProvider: true },
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        foldingRangeProvider: true,
        semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
        documentFormattingProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        inlayHintProvider: true,
        ...(client.workspaceFolders ? { workspace: { workspaceFolders: { supported: true, changeNotifications: true } } } : {}),
      },
      serverInfo: { name: "finc", version: "0.1.0" },
    };
  });

  connection.onInitialized(() => {
    if (client.dynamicWatch) {
      connection.client
        .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: "**/*.fin" }] })
        .then(() => workspace.setWatching(true), (e: unknown) => logError("registering the file watcher", e));
    }
    if (client.workspaceFolders) {
      connection.workspace.onDidChangeWorkspaceFolders(
        onEvent("workspace folders", (e) => {
          for (const f of e.removed) workspace.removeFolder(uriToPath(f.uri));
          for (const f of e.added) if (f.uri.startsWith("file:")) workspace.addFolder(uriToPath(f.uri));
          scheduler.schedule();
        }),
      );
    }
    scheduler.schedule();
  });

  documents.onDidChangeContent(
    onEvent("didChange", (e) => {
      workspace.open(e.document.uri, uriToPath(e.document.uri), e.document.version, e.document.getText());
      scheduler.schedule();
    }),
  );
  documents.onDidClose(
    onEvent("didClose", (e) => {
      workspace.close(uriToPath(e.document.uri));
      scheduler.schedule();
    }),
  );
  connection.onDidChangeWatchedFiles(
    onEvent("didChangeWatchedFiles", (p) => {
      workspace.filesChanged(p.changes.map((c) => uriToPath(c.uri)));
      scheduler.schedule();
    }),
  );

  connection.onCompletion(
    guard("completion", [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) return [];
      // Completion reads the live text; the names come from the last program (no compile on the keystroke path).
      const program = workspace.snapshot?.program ?? scheduler.flush();
      const source = liveSource(program, uriToPath(doc.uri), doc.getText());
      return completion(program, source, doc.offsetAt(p.position), { snippets: client.snippets, markdown: client.completionMarkdown });
    }),
  );
  connection.onHover(
    guard("hover", null, (p) => {
      const a = at(p.textDocument.uri, p.position);
      return a ? hover(a.program, a.path, a.offset, { markdown: client.hoverMarkdown, ...(client.environment ? { environment: client.environment } : {}) }) : null;
    }),
  );
  connection.onDefinition(
    guard("definition", null, (p) => {
      const a = at(p.textDocument.uri, p.position);
      return a ? definition(a.program, a.path, a.offset) : null;
    }),
  );
  connection.onReferences(
    guard("references", [], (p) => {
      const a = at(p.textDocument.uri, p.position);
      return a ? references(a.program, a.path, a.offset, p.context.includeDeclaration) : [];
    }),
  );
  connection.onPrepareRename(
    guard("prepareRename", null, (p) => {
      const a = at(p.textDocument.uri, p.position);
      return a ? prepareRename(a.program, a.path, a.offset) : null;
    }),
  );
  connection.onRenameRequest(
    guard("rename", null, (p) => {
      const a = at(p.textDocument.uri, p.position);
      return a ? rename(a.program, a.path, a.offset, p.newName) : null;
    }),
  );
  connection.onSignatureHelp(
    guard("signatureHelp", null, (p) => {
      const doc = documents.get(p.textDocument.uri);
      if (!doc) return null;
      // Like completion: the live text, the names of the last program.
      const source = liveSource(workspace.snapshot?.program, uriToPath(doc.uri), doc.getText());
      return signatureHelp(workspace.snapshot?.program, source, source.offsetOf(p.position.line, p.position.character));
    }),
  );
  connection.onDocumentHighlight(
    guard("documentHighlight", [], (p) => {
      const a = at(p.textDocument.uri, p.position);
      return a ? documentHighlight(a.program, a.path, a.offset) : [];
    }),
  );
  connection.onDocumentSymbol(
    guard("documentSymbol", [], (p) => {
      const a = at(p.textDocument.uri);
      return a ? documentSymbols(a.program, a.path) : [];
    }),
  );
  connection.onWorkspaceSymbol(
    guard("workspaceSymbol", [], (p) => {
      const program = scheduler.flush();
      return program ? workspaceSymbols(program, p.query) : [];
    }),
  );
  connection.onFoldingRanges(
    guard("foldingRange", [], (p) => {
      const a = at(p.textDocument.uri);
      return a ? foldingRanges(a.program, a.path) : [];
    }),
  );
  connection.languages.semanticTokens.on(
    guard("semanticTokens", { data: [] }, (p) => {
      const a = at(p.textDocument.uri);
      return a ? semanticTokens(a.program, a.path) : { data: [] };
    }),
  );
  connection.onDocumentFormatting(
    guard("formatting", [], (p) => {
      const doc = documents.get(p.textDocument.uri);
      return doc ? formatting(liveSource(workspace.snapshot?.program, uriToPath(doc.uri), doc.getText()), p.options) : [];
    }),
  );
  connection.onCodeAction(
    guard("codeAction", [], (p) => {
      const a = at(p.textDocument.uri);
      return a ? codeActions(a.program, a.path, p.range, p.context) : [];
    }),
  );
  connection.languages.inlayHint.on(
    guard("inlayHint", [], (p) => {
      const a = at(p.textDocument.uri);
      return a ? inlayHints(a.program, a.path, p.range) : [];
    }),
  );
  connection.onRequest(
    PREVIEW_REQUEST,
    guard("preview", { files: [] } as PreviewResult, (p: PreviewParams) => {
      const a = at(p.uri);
      return a ? preview(a.program, a.path, p.environment) : { files: [] };
    }),
  );
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) {
    connection.onRequest(MEMORY_REQUEST, () => {
      gc();
      gc();
      const m = process.memoryUsage();
      return { heapUsed: m.heapUsed, rss: m.rss, external: m.external };
    });
  }
  connection.onShutdown(() => {
    shutDown = true;
    scheduler.dispose();
  });

  process.on("uncaughtException", (e) => logError("an internal task", e));
  process.on("unhandledRejection", (e) => logError("an internal task", e));

  documents.listen(connection);
  connection.listen();
}
