import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node.js";
import type { Diagnostic, Position, PublishDiagnosticsParams, Range } from "vscode-languageserver-protocol";

export const REPO = resolve(import.meta.dirname, "../..");
export const SERVER = join(REPO, "dist/server.cjs");

/** A copy of examples/payments in a temp folder: the workspace the server is started on. */
export function copyExample(): { dir: string; uri: (name: string) => string; path: (name: string) => string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), "finc-lsp-"));
  cpSync(join(REPO, "examples/payments"), dir, { recursive: true });
  return {
    dir,
    path: (name) => join(dir, name),
    uri: (name) => pathToFileURL(join(dir, name)).href,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export interface Client {
  readonly connection: MessageConnection;
  readonly child: ChildProcess;
  /** Error-level log messages of the server (internal errors it survived). */
  readonly errors: string[];
  request<R>(method: string, params: unknown, timeoutMs?: number): Promise<R>;
  notify(method: string, params: unknown): void;
  /** The next publishDiagnostics for `uri` that satisfies `accept`. */
  diagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  /** The latest diagnostics published for every uri. */
  readonly published: Map<string, PublishDiagnosticsParams>;
  open(uri: string, text: string, version?: number): void;
  change(uri: string, version: number, changes: { range?: Range; text: string }[]): void;
  stop(): Promise<void>;
}

export async function startClient(workspaceDir: string, capabilities: Record<string, unknown> = defaultCapabilities(), nodeArgs: readonly string[] = []): Promise<Client> {
  const child = spawn(process.execPath, [...nodeArgs, SERVER, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
  child.stderr!.on("data", () => {});
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const errors: string[] = [];
  const published = new Map<string, PublishDiagnosticsParams>();
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  connection.onNotification("window/logMessage", (p: { type: number; message: string }) => {
    if (p.type === 1) errors.push(p.message);
  });
  connection.onNotification("textDocument/publishDiagnostics", (p: PublishDiagnosticsParams) => {
    published.set(p.uri, p);
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(i, 1);
        w.resolve(p);
      }
    }
  });
  connection.onRequest("client/registerCapability", () => null);
  connection.onRequest("workspace/configuration", () => []);
  connection.listen();

  const withTimeout = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
    new Promise<T>((res, rej) => {
      const t = setTimeout(() => rej(new Error(`timed out after ${ms} ms: ${what}`)), ms);
      p.then(
        (v) => (clearTimeout(t), res(v)),
        (e: unknown) => (clearTimeout(t), rej(e)),
      );
    });

  const client: Client = {
    connection,
    child,
    errors,
    published,
    request: <R>(method: string, params: unknown, timeoutMs = 5000) => withTimeout(connection.sendRequest<R>(method, params), timeoutMs, method),
    notify: (method, params) => void connection.sendNotification(method, params),
    diagnostics: (uri, accept = () => true, timeoutMs = 5000) =>
      withTimeout(new Promise<PublishDiagnosticsParams>((resolve) => waiters.push({ uri, accept, resolve })), timeoutMs, `diagnostics for ${uri}`),
    open: (uri, text, version = 1) => client.notify("textDocument/didOpen", { textDocument: { uri, languageId: "fin", version, text } }),
    change: (uri, version, changes) => client.notify("textDocument/didChange", { textDocument: { uri, version }, contentChanges: changes }),
    async stop() {
      try {
        await withTimeout(connection.sendRequest("shutdown"), 2000, "shutdown");
        void connection.sendNotification("exit");
      } catch {
        // already gone
      }
      await new Promise<void>((res) => {
        if (child.exitCode !== null) return res();
        const t = setTimeout(() => (child.kill(), res()), 2000);
        child.on("exit", () => (clearTimeout(t), res()));
      });
      connection.dispose();
    },
  };
  const folder = pathToFileURL(workspaceDir).href;
  await client.request("initialize", {
    processId: process.pid,
    rootUri: folder,
    workspaceFolders: [{ uri: folder, name: "payments" }],
    capabilities,
    initializationOptions: {},
  });
  client.notify("initialized", {});
  return client;
}

export function defaultCapabilities(): Record<string, unknown> {
  return {
    textDocument: {
      completion: { completionItem: { snippetSupport: true, documentationFormat: ["markdown", "plaintext"] } },
      hover: { contentFormat: ["markdown", "plaintext"] },
      publishDiagnostics: { relatedInformation: true, versionSupport: true },
      rename: { prepareSupport: true },
    },
    workspace: { workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
  };
}

/** Position of the `nth` occurrence of `needle` in `text` (plus `delta` characters). */
export function positionOf(text: string, needle: string, delta = 0, nth = 0): Position {
  let at = -1;
  for (let i = 0; i <= nth; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`'${needle}' not found`);
  }
  const offset = at + delta;
  const before = text.slice(0, offset);
  const line = before.split("\n").length - 1;
  return { line, character: offset - (before.lastIndexOf("\n") + 1) };
}

export function rangeOf(text: string, needle: string, nth = 0): Range {
  return { start: positionOf(text, needle, 0, nth), end: positionOf(text, needle, needle.length, nth) };
}

/** Range of `word` where it starts the `nth` occurrence of `needle` (`word` defaults to the needle's first word). */
export function wordRange(text: string, needle: string, word = needle.split(/[^\w-]/)[0]!, nth = 0): Range {
  const start = positionOf(text, needle, needle.indexOf(word), nth);
  return { start, end: { line: start.line, character: start.character + word.length } };
}

export const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => String(d.code));

export { prng } from "../helpers/prng.js";
