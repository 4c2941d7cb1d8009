import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type {
  CodeAction, CompletionItem, CompletionList, DocumentSymbol, FoldingRange, Hover, InlayHint, Location, MarkupContent,
  Range, SemanticTokens, TextEdit, WorkspaceEdit,
} from "vscode-languageserver-protocol";
import { codes, copyExample, positionOf, prng, rangeOf, REPO, startClient, wordRange, type Client } from "./lsp-harness.js";

const CHECKOUT_BROKEN = `/// Checkout orchestrates a purchase.
service checkout is internal-service {
  image    "registry.example.com/payments/checkout:1.0.0"
  replicsa 3
  calls    ledgr

}
`;

const items = (r: CompletionItem[] | CompletionList | null): CompletionItem[] => (Array.isArray(r) ? r : (r?.items ?? []));
const markdown = (h: Hover | null): string => (h && typeof h.contents === "object" && "value" in h.contents ? (h.contents as MarkupContent).value : "");

describe("finc language server over stdio", () => {
  let ws: ReturnType<typeof copyExample>;
  let client: Client;
  let checkoutUri: string;
  let text = CHECKOUT_BROKEN;
  let version = 1;

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build.mjs"], { cwd: REPO, stdio: "inherit" });
    ws = copyExample();
    client = await startClient(ws.dir);
    checkoutUri = ws.uri("checkout.fin");
  }, 60_000);

  afterAll(async () => {
    await client?.stop();
    ws?.dispose();
  });

  /** Replaces `needle` in the open checkout document through an incremental didChange. */
  const edit = (needle: string, replacement: string): number => {
    const range = rangeOf(text, needle);
    const at = text.indexOf(needle);
    text = text.slice(0, at) + replacement + text.slice(at + needle.length);
    client.change(checkoutUri, ++version, [{ range, text: replacement }]);
    return version;
  };

  it("publishes diagnostics for an open document with the expected codes and ranges", async () => {
    const published = client.diagnostics(checkoutUri, (p) => p.version === 1);
    client.open(checkoutUri, text, version);
    const p = await published;
    expect(codes(p.diagnostics)).toEqual(["FIN2003", "FIN2004"]);
    expect(p.diagnostics[0]!.range).toEqual(rangeOf(text, "replicsa"));
    expect(p.diagnostics[0]!.message).toContain("Did you mean 'replicas'");
    expect(p.diagnostics[0]!.source).toBe("finc");
    expect(p.diagnostics[1]!.range).toEqual(rangeOf(text, "ledgr"));
  });

  it("offers the did-you-mean quick fix for an unknown field", async () => {
    const diagnostic = client.published.get(checkoutUri)!.diagnostics[0]!;
    const actions = await client.request<CodeAction[]>("textDocument/codeAction", {
      textDocument: { uri: checkoutUri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic], only: ["quickfix"] },
    });
    expect(actions).toHaveLength(1);
    expect(actions[0]!.title).toBe("Change to 'replicas'");
    expect(actions[0]!.kind).toBe("quickfix");
    expect(actions[0]!.diagnostics?.[0]?.code).toBe("FIN2003");
    expect(actions[0]!.edit?.changes?.[checkoutUri]).toEqual([{ range: rangeOf(text, "replicsa"), newText: "replicas" }]);
  });

  it("re-publishes with the document version as edits fix the errors, ending with an empty list", async () => {
    const v1 = edit("replicsa", "replicas");
    const p1 = await client.diagnostics(checkoutUri, (p) => p.version === v1);
    expect(codes(p1.diagnostics)).toEqual(["FIN2004"]);
    const v2 = edit("ledgr", "ledger");
    const p2 = await client.diagnostics(checkoutUri, (p) => p.version === v2);
    expect(p2.diagnostics).toEqual([]);
  });

  it("completes field names with their documentation inside a service block", async () => {
    const list = items(await client.request("textDocument/completion", { textDocument: { uri: checkoutUri }, position: positionOf(text, "\n\n}", 1) }));
    const cpu = list.find((i) => i.label === "cpu");
    expect(cpu).toBeDefined();
    expect((cpu!.documentation as MarkupContent).value).toContain("cpu 500m to 2");
    expect(cpu!.detail).toContain("<request> [to <limit>]");
    expect(list.map((i) => i.label)).not.toContain("engine");
    // `replicas` is set on another line by now (the quick fix above): not offered again.
    expect(list.map((i) => i.label)).not.toContain("replicas");
  });

  it("completes declared services after `calls` and patterns after `is`", async () => {
    const calls = items(await client.request("textDocument/completion", { textDocument: { uri: checkoutUri }, position: positionOf(text, "ledger\n") }));
    expect(calls.map((i) => i.label)).toEqual(expect.arrayContaining(["api", "payments", "fraud", "ledger", "ledger-db"]));
    expect(calls.map((i) => i.label)).not.toContain("checkout");
    const patterns = items(await client.request("textDocument/completion", { textDocument: { uri: checkoutUri }, position: positionOf(text, "internal-service {") }));
    const labels = patterns.map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(["internal-service", "payment-api"]));
    expect(labels).not.toContain("ledger-db");
  });

  it("completes enum values, units and environment override paths", async () => {
    const probe = "\n  tier \n  memory 512\n";
    const v = edit("\n\n}", `${probe}}`);
    await client.diagnostics(checkoutUri, (p) => p.version === v);
    const tier = items(await client.request("textDocument/completion", { textDocument: { uri: checkoutUri }, position: positionOf(text, "tier ", 5) }));
    expect(tier.map((i) => i.label)).toEqual(expect.arrayContaining(["critical", "standard"]));
    const unit = items(await client.request("textDocument/completion", { textDocument: { uri: checkoutUri }, position: positionOf(text, "512", 3) }));
    expect(unit.map((i) => i.label)).toEqual(expect.arrayContaining(["Mi", "Gi"]));
    edit(`${probe}}`, "\n\n}");

    const servicesUri = ws.uri("services.fin");
    const services = ws.path("services.fin");
    const { readFileSync } = await import("node:fs");
    const original = readFileSync(services, "utf8");
    const withEnv = original.replace("environment prod {\n", "environment prod {\n  fraud.\n");
    client.open(servicesUri, withEnv);
    const fields = items(await client.request("textDocument/completion", { textDocument: { uri: servicesUri }, position: positionOf(withEnv, "fraud.\n", 6) }));
    expect(fields.map((i) => i.label)).toEqual(expect.arrayContaining(["replicas", "cpu", "memory"]));
    client.change(servicesUri, 2, [{ text: original }]);
  });

  it("hovers a field with its doc and effective value per environment", async () => {
    const h = await client.request<Hover>("textDocument/hover", { textDocument: { uri: checkoutUri }, position: positionOf(text, "replicas", 2) });
    const value = markdown(h);
    expect(value).toContain("Replica count");
    expect(value).toContain("declaration");
    expect(h.range).toEqual(rangeOf(text, "replicas"));
    const servicesUri = ws.uri("services.fin");
    const services = (await import("node:fs")).readFileSync(ws.path("services.fin"), "utf8");
    const api = markdown(await client.request<Hover>("textDocument/hover", { textDocument: { uri: servicesUri }, position: positionOf(services, "memory", 1) }));
    expect(api).toContain("memory");
    const cpu = markdown(await client.request<Hover>("textDocument/hover", { textDocument: { uri: servicesUri }, position: positionOf(services, "api.replicas", 5) }));
    expect(cpu).toMatch(/dev/);
    expect(cpu).toContain("environment dev");
  });

  it("hovers a declaration with its doc, pattern and Kubernetes objects", async () => {
    const value = markdown(await client.request<Hover>("textDocument/hover", { textDocument: { uri: checkoutUri }, position: positionOf(text, "checkout is", 2) }));
    expect(value).toContain("Checkout orchestrates a purchase.");
    expect(value).toContain("internal-service");
    expect(value).toContain("Deployment");
    const pattern = markdown(await client.request<Hover>("textDocument/hover", { textDocument: { uri: checkoutUri }, position: positionOf(text, "internal-service", 3) }));
    expect(pattern).toContain("pattern internal-service for service");
  });

  it("goes to definitions in the workspace and in the stdlib", async () => {
    const def = await client.request<Location>("textDocument/definition", { textDocument: { uri: checkoutUri }, position: positionOf(text, "ledger\n", 2) });
    expect(def.uri).toBe(ws.uri("services.fin"));
    const services = (await import("node:fs")).readFileSync(ws.path("services.fin"), "utf8");
    expect(def.range).toEqual(wordRange(services, "ledger is"));
    const std = await client.request<Location>("textDocument/definition", { textDocument: { uri: ws.uri("services.fin") }, position: positionOf(services, "is payment-api", 5) });
    expect(std.uri).toMatch(/\/stdlib\/fintech\/payment-api\.fin$/);
    expect(std.uri.startsWith("file://")).toBe(true);
    expect(std.range.start.line).toBeGreaterThan(0);
  });

  it("finds references, with and without the declaration", async () => {
    const services = (await import("node:fs")).readFileSync(ws.path("services.fin"), "utf8");
    const params = { textDocument: { uri: ws.uri("services.fin") }, position: positionOf(services, "ledger is", 1) };
    const withDecl = await client.request<Location[]>("textDocument/references", { ...params, context: { includeDeclaration: true } });
    const without = await client.request<Location[]>("textDocument/references", { ...params, context: { includeDeclaration: false } });
    expect(withDecl.length).toBe(without.length + 1);
    expect(withDecl).toContainEqual({ uri: ws.uri("services.fin"), range: wordRange(services, "ledger is") });
    expect(without).not.toContainEqual({ uri: ws.uri("services.fin"), range: wordRange(services, "ledger is") });
    expect(without).toContainEqual({ uri: checkoutUri, range: wordRange(text, "ledger\n") });
    expect(without).toContainEqual({ uri: ws.uri("services.fin"), range: wordRange(services, "ledger.replicas") });
    expect(without).toContainEqual({ uri: ws.uri("services.fin"), range: wordRange(services, "ledger, fraud") });
  });

  it("renames a declaration everywhere and refuses invalid, clashing and stdlib names", async () => {
    const position = positionOf(text, "checkout is", 1);
    const prep = await client.request<{ range: Range; placeholder: string }>("textDocument/prepareRename", { textDocument: { uri: checkoutUri }, position });
    expect(prep.placeholder).toBe("checkout");
    const services = (await import("node:fs")).readFileSync(ws.path("services.fin"), "utf8");
    const ledger = { textDocument: { uri: ws.uri("services.fin") }, position: positionOf(services, "ledger is", 1) };
    const edit = await client.request<WorkspaceEdit>("textDocument/rename", { ...ledger, newName: "ledger-v2" });
    const all = Object.values(edit.changes ?? {}).flat();
    expect(all.every((e) => e.newText === "ledger-v2")).toBe(true);
    expect(Object.keys(edit.changes ?? {})).toEqual(expect.arrayContaining([checkoutUri, ws.uri("services.fin")]));
    expect(all.length).toBeGreaterThanOrEqual(4);

    await expect(client.request("textDocument/rename", { ...ledger, newName: "fraud" })).rejects.toThrow(/already exists/);
    await expect(client.request("textDocument/rename", { ...ledger, newName: "Ledger_V2" })).rejects.toThrow(/not a valid name/);
    const stdlib = { textDocument: { uri: ws.uri("services.fin") }, position: positionOf(services, "is payment-api", 5) };
    await expect(client.request("textDocument/prepareRename", stdlib)).rejects.toThrow(/stdlib/);
    await expect(client.request("textDocument/rename", { ...stdlib, newName: "my-api" })).rejects.toThrow(/stdlib/);
  });

  it("lists document symbols, folding ranges and semantic tokens", async () => {
    const symbols = await client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri: checkoutUri } });
    expect(symbols.map((s) => s.name)).toEqual(["checkout"]);
    expect(symbols[0]!.children!.map((c) => c.name)).toEqual(["image", "replicas", "calls"]);
    const folds = await client.request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri: checkoutUri } });
    expect(folds).toContainEqual({ startLine: 1, endLine: 5 });
    const tokens = await client.request<SemanticTokens>("textDocument/semanticTokens/full", { textDocument: { uri: checkoutUri } });
    expect(tokens.data.length % 5).toBe(0);
    // first token: the doc comment on line 0
    expect(tokens.data.slice(0, 5)).toEqual([0, 0, "/// Checkout orchestrates a purchase.".length, 6, 0]);
    const ws2 = await client.request<{ name: string }[]>("workspace/symbol", { query: "ledg" });
    expect(ws2.map((s) => s.name)).toEqual(expect.arrayContaining(["ledger", "ledger-db"]));
  });

  it("shows inherited pattern fields as inlay hints on the declaration's `{` line", async () => {
    const hints = await client.request<InlayHint[]>("textDocument/inlayHint", { textDocument: { uri: checkoutUri }, range: { start: { line: 0, character: 0 }, end: { line: 10, character: 0 } } });
    // One compact hint: the pattern, then the inherited fields as parts with their values as tooltips.
    expect(hints).toHaveLength(1);
    const parts = hints[0]!.label as { value: string; tooltip?: string }[];
    expect(parts[0]!.value).toBe("internal-service: ");
    expect(parts.some((p) => p.value === "cpu" && /^cpu \S.*\(from internal-service\)/.test(String(p.tooltip)))).toBe(true);
    expect(parts.some((p) => p.value === "replicas")).toBe(false);
    expect(hints[0]!.position.line).toBe(1);
  });

  it("formats the document as one whole-document edit", async () => {
    const messy = text.replace("  image    ", "    image ").replace("  calls    ", "  calls  ");
    client.change(checkoutUri, ++version, [{ text: messy }]);
    const edits = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri: checkoutUri }, options: { tabSize: 2, insertSpaces: true } });
    expect(edits).toHaveLength(1);
    // The canonical layout also drops the blank line before `}`.
    text = text.replace("\n\n}", "\n}");
    expect(edits[0]!.newText).toBe(text);
    client.change(checkoutUri, ++version, [{ text }]);
    const none = await client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri: checkoutUri }, options: { tabSize: 2, insertSpaces: true } });
    expect(none).toEqual([]);
  });

  it("answers finc/preview with the YAML files of the document", async () => {
    const result = await client.request<{ files: { path: string; content: string }[] }>("finc/preview", { uri: checkoutUri });
    expect(result.files.length).toBeGreaterThan(0);
    expect(result.files.every((f) => f.path.startsWith("dev/"))).toBe(true);
    const deployment = result.files.find((f) => /\bkind: Deployment\b/.test(f.content));
    expect(deployment?.content).toContain("checkout");
    const prod = await client.request<{ files: { path: string }[] }>("finc/preview", { uri: checkoutUri, environment: "prod" });
    expect(prod.files.every((f) => f.path.startsWith("prod/"))).toBe(true);
  });

  it("never logged an internal error", () => {
    expect(client.errors).toEqual([]);
  });
});


describe("finc language server under random edits", () => {
  let ws: ReturnType<typeof copyExample>;
  let client: Client;

  beforeAll(async () => {
    ws = copyExample();
    client = await startClient(ws.dir);
  }, 30_000);

  afterAll(async () => {
    await client?.stop();
    ws?.dispose();
  });

  it("survives 300+ random edits, answering every request", async () => {
    const { readFileSync } = await import("node:fs");
    const uri = ws.uri("services.fin");
    let text = readFileSync(ws.path("services.fin"), "utf8");
    const random = prng(20241126);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const fragments = ["{", "}", "\n", " ", ",", ".", '"', "is ", "for ", "service x ", "calls ", "replicas 3 to 9 at cpu 70%", "512Mi", "é", "😀", "//", "///", "[", "]", "=", "environment prod {", "api.", "import \"fintech/", "\t", "\r\n", "-", "0", "%"];
    const position = (offset: number) => {
      const before = text.slice(0, offset);
      const line = before.split("\n").length - 1;
      return { line, character: offset - (before.lastIndexOf("\n") + 1) };
    };
    client.open(uri, text, 1);
    let version = 1;
    const pending: Promise<unknown>[] = [];
    for (let i = 0; i < 320; i++) {
      const start = Math.floor(random() * (text.length + 1));
      const deleting = random() < 0.4;
      const end = deleting ? Math.min(text.length, start + Math.floor(random() * 12)) : start;
      const insert = deleting ? "" : Array.from({ length: 1 + Math.floor(random() * 3) }, () => pick(fragments)).join("");
      // Never split a surrogate pair: the server would see a different string.
      const safe = (o: number) => (o > 0 && o < text.length && /[\uDC00-\uDFFF]/.test(text[o]!) ? o + 1 : o);
      const s = safe(start);
      const e = Math.max(s, safe(end));
      const range = { start: position(s), end: position(e) };
      text = text.slice(0, s) + insert + text.slice(e);
      client.change(uri, ++version, [{ range, text: insert }]);
      if (i % 4 === 0) {
        const at = position(safe(Math.floor(random() * (text.length + 1))));
        const method = pick(["textDocument/completion", "textDocument/hover", "textDocument/definition", "textDocument/semanticTokens/full", "textDocument/documentSymbol", "textDocument/inlayHint", "textDocument/codeAction"]);
        const params: Record<string, unknown> = { textDocument: { uri }, position: at };
        if (method === "textDocument/inlayHint" || method === "textDocument/codeAction") Object.assign(params, { range: { start: { line: 0, character: 0 }, end: at }, context: { diagnostics: [] } });
        pending.push(client.request(method, params, 10_000));
      }
      if (i % 50 === 0) await new Promise((r) => setTimeout(r, 30));
    }
    await Promise.all(pending);
    expect(pending.length).toBeGreaterThanOrEqual(80);
    expect(client.child.exitCode).toBeNull();

    // The final state: diagnostics for the last version arrive, and a fresh valid document still works.
    const last = await client.diagnostics(uri, (p) => p.version === version, 10_000).catch(() => client.published.get(uri));
    expect(last?.version).toBe(version);
    const original = readFileSync(ws.path("services.fin"), "utf8");
    client.change(uri, ++version, [{ text: original }]);
    const hover = await client.request<Hover>("textDocument/hover", { textDocument: { uri }, position: positionOf(original, "service api", 9) });
    expect(markdown(hover)).toContain("merchant-facing REST API");
    // Compiler crashes are survived (and reported as a diagnostic); every feature handler must be clean.
    const crashes = client.errors.filter((e) => e.startsWith("finc: compile failed"));
    if (crashes.length) console.warn(`the compiler threw on ${crashes.length} fuzzed input(s):\n${crashes.map((c) => c.split("\n").slice(0, 3).join("\n")).join("\n")}`);
    expect(client.errors.filter((e) => !e.startsWith("finc: compile failed"))).toEqual([]);
  }, 60_000);
});
