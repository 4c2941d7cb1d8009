import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CodeAction, CompletionItem, CompletionList, Diagnostic, DocumentSymbol, Hover, InlayHint, Location, MarkupContent, PublishDiagnosticsParams, TextEdit, WorkspaceEdit } from "vscode-languageserver-protocol";
import { copyExample, positionOf, startClient, wordRange, type Client } from "./lsp-harness.js";

const items = (r: CompletionItem[] | CompletionList | null): string[] => (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => i.label);
const markdown = (h: Hover | null): string => (h && typeof h.contents === "object" && "value" in h.contents ? (h.contents as MarkupContent).value : "");

/** Applies non-overlapping LSP edits of one document to its text. */
function apply(text: string, edits: readonly TextEdit[]): string {
  const offset = (p: { line: number; character: number }): number => {
    const lines = text.split("\n");
    return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  };
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
}

/**
 * The newer syntax end to end over stdio: environments as reference targets, issuers
 * (rename, symbols, effective solver on hover), completion of follow-up words, and the
 * quick fixes of FIN2004/2006/3007/3015/4013/4014.
 */
describe("finc language server: environments, issuers, follow-up words, quick fixes", () => {
  let ws: ReturnType<typeof copyExample>;
  let client: Client;
  let platform: string;
  let services: string;

  beforeAll(async () => {
    ws = copyExample();
    client = await startClient(ws.dir);
    platform = readFileSync(ws.path("platform.fin"), "utf8");
    services = readFileSync(ws.path("services.fin"), "utf8");
    const published = client.diagnostics(ws.uri("services.fin"));
    client.open(ws.uri("services.fin"), services);
    client.open(ws.uri("platform.fin"), platform);
    await published;
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
    ws?.dispose();
  });

  const req = <R>(method: string, uri: string, text: string, needle: string, delta = 0, extra: Record<string, unknown> = {}): Promise<R> =>
    client.request<R>(method, { textDocument: { uri }, position: positionOf(text, needle, delta), ...extra });

  it("goes from `environment prod` to `prod` in the platform's environments list, and back", async () => {
    const def = await req<Location>("textDocument/definition", ws.uri("services.fin"), services, "environment prod", 13);
    expect(def.uri).toBe(ws.uri("platform.fin"));
    expect(def.range).toEqual(wordRange(platform, "prod\n", "prod"));
    const refs = await req<Location[]>("textDocument/references", ws.uri("platform.fin"), platform, "staging, prod", 10, { context: { includeDeclaration: true } });
    expect(refs).toContainEqual({ uri: ws.uri("platform.fin"), range: wordRange(platform, "prod\n", "prod") });
    expect(refs).toContainEqual({ uri: ws.uri("services.fin"), range: wordRange(services, "prod {", "prod") });
    expect(refs).toHaveLength(2);
    const hover = markdown(await req<Hover>("textDocument/hover", ws.uri("services.fin"), services, "environment dev", 13));
    expect(hover).toContain("environment dev");
    expect(hover).toContain("platform `payments`");
    const rename = await req<WorkspaceEdit>("textDocument/rename", ws.uri("platform.fin"), platform, "staging, prod", 10, { newName: "production" });
    expect(Object.values(rename.changes ?? {}).flat().map((e) => e.newText)).toEqual(["production", "production"]);
    await expect(req("textDocument/rename", ws.uri("platform.fin"), platform, "staging, prod", 10, { newName: "dev" })).rejects.toThrow(/already has an environment/);
  });

  it("renames an issuer with its `tls` uses, lists it as a symbol and hovers its effective ACME solver", async () => {
    const edit = await req<WorkspaceEdit>("textDocument/rename", ws.uri("services.fin"), services, "tls letsencrypt", 5, { newName: "public-ca" });
    expect(edit.changes?.[ws.uri("platform.fin")]).toEqual([{ range: wordRange(platform, "letsencrypt {"), newText: "public-ca" }]);
    expect(edit.changes?.[ws.uri("services.fin")]).toEqual([{ range: wordRange(services, "letsencrypt\n"), newText: "public-ca" }]);
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: ws.uri("platform.fin") } });
    const issuer = symbols.find((s) => s.name === "letsencrypt");
    expect(issuer?.detail).toBe("issuer");
    expect(issuer?.children?.map((c) => c.name)).toEqual(["acme"]);
    const wsSymbols = await client.request<{ name: string; kind: number }[]>("workspace/symbol", { query: "letsenc" });
    expect(wsSymbols.find((s) => s.name === "letsencrypt")?.kind).toBeTypeOf("number");
    const hover = markdown(await req<Hover>("textDocument/hover", ws.uri("platform.fin"), platform, "issuer letsencrypt", 8));
    // ingress istio on aws, no `solver`: DNS-01 through Route 53 in the primary region.
    expect(hover).toContain("**ACME solver (dev):** DNS-01 via Route 53 (zone looked up by name), region `eu-west-1` (the platform's default)");
    expect(hover).toContain("ClusterIssuer");
  });

  it("hovers a field with the layer the compiler says set it, and keywords inside values", async () => {
    const replicas = markdown(await req<Hover>("textDocument/hover", ws.uri("services.fin"), services, "api.replicas", 5));
    expect(replicas).toMatch(/\| dev \| `1 to 2` \| \[environment dev\]/);
    expect(replicas).not.toContain("staging");
    const memory = markdown(await req<Hover>("textDocument/hover", ws.uri("services.fin"), services, "memory  512Mi to 1Gi", 2));
    expect(memory).toMatch(/\*\*Value \(every environment\):\*\* `512Mi to 1Gi` — from \[declaration\]/);
    const mesh = markdown(await req<Hover>("textDocument/hover", ws.uri("platform.fin"), platform, "mesh         istio", 14));
    expect(mesh).toContain("istio [sidecar [cni] | cni | ambient] | none");
    const enumType = markdown(await req<Hover>("textDocument/hover", ws.uri("services.fin"), services, "LOG_LEVEL enum", 11));
    expect(enumType).toContain("config <KEY> enum");
    const hints = await client.request<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri: ws.uri("services.fin") }, range: { start: { line: 0, character: 0 }, end: { line: 100, character: 0 } } });
    // One hint per declaration; each inherited field is a label part whose tooltip is its value.
    const parts = hints.flatMap((h) => (Array.isArray(h.label) ? h.label : []));
    const replicasPart = parts.find((p) => String(p.tooltip).includes("replicas 3 to 12 at cpu 70%  (from payment-api)"));
    expect(replicasPart).toBeDefined();
    expect(new Set(hints.map((h) => h.position.line)).size).toBe(hints.length);
  });

  it("completes the words after a first value from the schema", async () => {
    const uri = ws.uri("scratch.fin");
    const text = [
      "platform scratch {\n  mesh istio \n}",
      "issuer a {\n  solver dns \n}",
      "issuer b {\n  solver dns route53 \n}",
      "issuer c {\n  solver dns azure \"sub\" \n}",
      "service s {\n  config MODE \n  config LOG_LEVEL = \n  secret K from \n  expose \"s.example.com\" tls \n}",
      "secretstore v {\n  scope \n}",
      "database d {\n  credentials from vault \"d\" \n}",
    ].join("\n");
    client.open(uri, text);
    const at = async (needle: string): Promise<string[]> => items(await req("textDocument/completion", uri, text, needle, needle.length));
    expect(await at("mesh istio ")).toEqual(["sidecar", "ambient", "cni"]);
    expect(await at("solver dns ")).toEqual(["route53", "cloudflare", "google", "azure"]);
    expect(await at("solver dns route53 ")).toEqual(["region"]);
    expect(await at('azure "sub" ')).toEqual(["group"]);
    expect(await at("config MODE ")).toEqual(["string", "int", "bool", "duration", "url", "enum"]);
    expect(await at("scope ")).toEqual(["namespace", "cluster"]);
    expect(await at('credentials from vault "d" ')).toEqual(["key", "rotate"]);
    expect(await at("secret K from ")).toEqual(expect.arrayContaining(["vault", "sealed", "ledger-db.url"]));
    expect(await at("tls ")).toEqual(expect.arrayContaining(["letsencrypt", "a"]));
    expect(await at("tls ")).not.toContain("vault");
    client.notify("textDocument/didClose", { textDocument: { uri } });
  });

  it("completes the allowed values of a typed config key after `=`", async () => {
    const text = services.replace("api.config          LOG_LEVEL = debug", "api.config          LOG_LEVEL = ");
    client.change(ws.uri("services.fin"), 2, [{ text }]);
    const list = items(await req("textDocument/completion", ws.uri("services.fin"), text, "LOG_LEVEL = \n", 12));
    expect(list).toEqual(["debug", "info", "warn", "error"]);
    client.change(ws.uri("services.fin"), 3, [{ text: services }]);
  });

  describe("quick fixes over textDocument/codeAction", () => {
    const actionsFor = async (uri: string, d: Diagnostic): Promise<CodeAction[]> =>
      client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range: d.range, context: { diagnostics: [d], only: ["quickfix"] } });
    const diagnosticsOf = async (uri: string, version: number, code: string): Promise<Diagnostic[]> => {
      const p: PublishDiagnosticsParams = await client.diagnostics(uri, (x) => x.version === version && x.diagnostics.some((d) => d.code === code), 10_000);
      return p.diagnostics.filter((d) => d.code === code);
    };
    let v = 10;
    const fix = async (uri: string, text: string, code: string): Promise<{ actions: CodeAction[]; fixed: string }> => {
      const version = ++v;
      client.change(uri, version, [{ text }]);
      const [d] = await diagnosticsOf(uri, version, code);
      const actions = await actionsFor(uri, d!);
      expect(actions.length).toBeGreaterThan(0);
      expect(actions.every((a) => a.diagnostics?.[0]?.code === code)).toBe(true);
      return { actions, fixed: apply(text, actions[0]!.edit!.changes![uri]!) };
    };
    const restore = (uri: string, text: string): void => client.change(uri, ++v, [{ text }]);

    it("FIN2004: replaces a misspelt call with the declared name", async () => {
      const { actions, fixed } = await fix(ws.uri("services.fin"), services.replace("calls   payments, fraud", "calls   paymnts, fraud"), "FIN2004");
      expect(actions[0]!.title).toBe("Change to 'payments'");
      expect(fixed).toBe(services);
    });

    it("FIN2006: replaces a misspelt pattern", async () => {
      const { fixed } = await fix(ws.uri("services.fin"), services.replace("api is payment-api", "api is payment-apj"), "FIN2006");
      expect(fixed).toBe(services);
    });

    it("FIN3007: replaces an invalid enum word with the closest allowed value", async () => {
      const { actions, fixed } = await fix(ws.uri("platform.fin"), platform.replace("mesh         istio", "mesh         itsio"), "FIN3007");
      expect(actions[0]!.title).toBe("Change to 'istio'");
      expect(fixed).toBe(platform);
    });

    it("FIN3015: replaces an invalid config value with the closest allowed value", async () => {
      const { actions, fixed } = await fix(ws.uri("services.fin"), services.replace("LOG_LEVEL = debug", "LOG_LEVEL = debg"), "FIN3015");
      expect(actions).toHaveLength(1);
      expect(actions[0]!.title).toBe("Change to debug");
      expect(fixed).toBe(services);
    });

    it("FIN4014: writes the DNS-01 solver the hint names", async () => {
      const platformUri = ws.uri("platform.fin");
      const noIngress = platform.replace("ingress      istio", "ingress      none");
      // Written `solver http`: replaced.
      const written = noIngress.replace('email "ops@example.com"\n', 'email "ops@example.com"\n  solver http\n');
      const a = await fix(platformUri, written, "FIN4014");
      expect(a.fixed).toBe(written.replace("solver http", "solver dns route53"));
      // The default solver off AWS is HTTP-01: the line is added after `acme`.
      const gcp = noIngress.replace("cloud        aws", "cloud        gcp");
      const b = await fix(platformUri, gcp, "FIN4014");
      expect(b.actions[0]!.title).toContain('solver dns google "<project>"');
      expect(b.fixed).toBe(gcp.replace('email "ops@example.com"\n', 'email "ops@example.com"\n  solver dns google "<project>"\n'));
      restore(platformUri, platform);
    });

    it("FIN4013: removes `solver` from a CA issuer", async () => {
      const platformUri = ws.uri("platform.fin");
      const ca = platform.replace('issuer letsencrypt {\n  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"\n}', 'issuer letsencrypt {\n  ca "root-ca"\n  solver http\n}');
      const { actions, fixed } = await fix(platformUri, ca, "FIN4013");
      expect(actions[0]!.title).toContain("Remove `solver`");
      expect(fixed).toBe(ca.replace("  solver http\n", ""));
      restore(platformUri, platform);
    });
  });

  it("never logged an internal error", () => {
    expect(client.errors).toEqual([]);
  });
});
