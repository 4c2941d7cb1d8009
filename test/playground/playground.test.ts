// The playground (npm run playground → dist/playground/) in headless Chromium: the compiler and
// the language server's features run in the page. Types an error and expects the squiggle with
// its FIN code, fixes it and expects the YAML, then reloads from the URL fragment and expects the
// same source. Screenshots go to test-artifacts/playground/. Skips, saying why, without Chromium.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { exampleDocuments } from "../../scripts/playground-embed.mjs";
import { CHROMIUM_ARGS } from "../vscode-e2e/workbench.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CHROMIUM = "/usr/bin/chromium";
const site = path.join(root, "dist/playground");
const shots = path.join(root, "test-artifacts/playground");
const missing = existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (Debian's chromium; .ci/run installs it)`;
if (missing) console.warn(`playground test skipped: ${missing}`);

const TYPES: Record<string, string> = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".ttf": "font/ttf" };

/** A static server on 127.0.0.1 for dist/playground (what `npx serve dist/playground` would do). */
function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    const rel = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname).replace(/^\/+/, "") || "index.html";
    const file = path.join(site, rel);
    if (!file.startsWith(site + path.sep) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, "127.0.0.1", () => ok(server)));
}

const SPEC = `platform shop {
  cloud        aws
  regions      eu-west-1 primary
  kubernetes   "1.31"
  environments dev, prod
}

namespace shop {
  security restricted
}

/// The storefront.
service web {
  image "registry.example.com/shop/web:1.0.0"
  port  http 8080
}
`;

async function markers(page: Page): Promise<{ code: string; line: number; message: string }[]> {
  return page.evaluate(() => {
    const p = window.finPlayground!;
    return p.monaco.editor.getModelMarkers({ owner: "finc" }).map((m) => ({ code: String(m.code), line: m.startLineNumber, message: m.message }));
  });
}

/** The text of the read-only YAML editor (its DOM shows spaces as no-break spaces). */
function outputIncludes(text: string): () => boolean {
  return new Function(`return window.finPlayground.monaco.editor.getModels().find((m) => m.getLanguageId() === "yaml")?.getValue().includes(${JSON.stringify(text)}) ?? false;`) as () => boolean;
}

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

describe.skipIf(missing !== undefined)("the playground in headless Chromium", () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build-playground.mjs"], { cwd: root, stdio: "pipe" });
    server = await serve();
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(String(e)));
    await page.goto(url);
    await page.waitForSelector("body[data-ready=true]", { timeout: 60_000 }).catch((e: unknown) => {
      throw new Error(`the page did not start: ${errors.join("; ") || String(e)}`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it("compiles the first example in the page and shows its YAML", async () => {
    expect(await markers(page)).toEqual([]);
    await page.waitForFunction(outputIncludes("apiVersion"));
    const envs = await page.$$eval("#environment option", (os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(envs.length).toBeGreaterThan(1);
    // The bundle (browser hashing and paths, in-memory host) writes what the CLI writes.
    const example = exampleDocuments(root)[0]!;
    const fromDisk = createProgram({ host: createNodeHost(), roots: [path.join(root, "examples", example.name)] });
    const expected = buildOutputs(fromDisk, { environments: [envs[0]!] }).files.map((f) => ({ path: f.path, content: f.content }));
    expect(await page.evaluate((env) => window.finPlayground!.files(env), envs[0]!)).toEqual(expected);
    await shot(page, "1-example");
  });

  it("types an error and shows the squiggle with its FIN code", async () => {
    await page.evaluate((text) => window.finPlayground!.editor.setValue(text), SPEC);
    await page.waitForFunction(outputIncludes("apiVersion"));
    // Type a misspelt field at the end of the service, key by key, as a user would.
    await page.evaluate(() => {
      const e = window.finPlayground!.editor;
      e.focus();
      e.setPosition({ lineNumber: 15, column: 1 });
    });
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("replicsa 3", { delay: 20 });
    await page.waitForFunction(() => window.finPlayground!.monaco.editor.getModelMarkers({ owner: "finc" }).length > 0, undefined, { timeout: 20_000 });
    const found = await markers(page);
    expect(found).toContainEqual(expect.objectContaining({ code: "FIN2003", line: 16 }));
    await page.waitForSelector(".squiggly-error");
    expect(await page.textContent("#problems")).toContain("FIN2003 16:");
    await page.waitForFunction(outputIncludes("Fix the errors"));
    await shot(page, "2-error");
  });

  it("shows a hover and completion from the language server's features", async () => {
    await page.evaluate(() => {
      const e = window.finPlayground!.editor;
      e.setPosition({ lineNumber: 14, column: 4 });
      e.trigger("test", "editor.action.showHover", {});
    });
    await page.waitForSelector(".monaco-hover-content", { timeout: 10_000 });
    expect(await page.textContent(".monaco-hover-content")).toMatch(/image/i);
    await page.keyboard.press("Escape");
    // On a new line of the service: the fields it can still take.
    await page.evaluate(() => window.finPlayground!.editor.setPosition({ lineNumber: 16, column: 1 }));
    await page.keyboard.press("End");
    await page.keyboard.press("Enter");
    await page.evaluate(() => window.finPlayground!.editor.trigger("test", "editor.action.triggerSuggest", {}));
    await page.waitForSelector(".suggest-widget .monaco-list-row", { timeout: 10_000 });
    expect(await page.textContent(".suggest-widget")).toContain("replicas");
    await shot(page, "3-completion");
    await page.keyboard.press("Escape");
  });

  it("fixes the error and shows the Deployment of the chosen environment", async () => {
    await page.evaluate((text) => window.finPlayground!.editor.setValue(text), SPEC.replace("  port  http 8080\n", "  port  http 8080\n  replicas 3\n"));
    await page.waitForFunction(() => window.finPlayground!.monaco.editor.getModelMarkers({ owner: "finc" }).length === 0, undefined, { timeout: 20_000 });
    const files = await page.$$eval("#file option", (os) => os.map((o) => (o as HTMLOptionElement).value));
    const deployment = files.find((f) => /deployment/i.test(f) && f.includes("web"));
    expect(deployment, files.join(", ")).toBeDefined();
    await page.selectOption("#file", deployment!);
    await page.waitForFunction(outputIncludes("kind: Deployment"));
    const yaml = await page.evaluate(() => window.finPlayground!.monaco.editor.getModels().find((m) => m.getLanguageId() === "yaml")!.getValue());
    expect(yaml).toContain("kind: Deployment");
    expect(yaml).toContain("replicas: 3");
    expect(yaml).toContain("registry.example.com/shop/web:1.0.0");
    await shot(page, "4-fixed");
  });

  it("works opened from a file, without a server", async () => {
    const local = await browser.newPage();
    await local.goto(pathToFileURL(path.join(site, "index.html")).href);
    await local.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    await local.waitForFunction(outputIncludes("apiVersion"));
    expect(await markers(local)).toEqual([]);
    await local.close();
  });

  it("restores the same source from the URL fragment", async () => {
    await page.waitForFunction(() => location.hash.startsWith("#s="), undefined, { timeout: 10_000 });
    const source = await page.evaluate(() => window.finPlayground!.editor.getValue());
    const shared = await page.evaluate(() => location.href);
    const other = await browser.newPage();
    await other.goto(shared);
    await other.waitForSelector("body[data-ready=true]", { timeout: 60_000 });
    expect(await other.evaluate(() => window.finPlayground!.editor.getValue())).toBe(source);
    await other.close();
  });
});
