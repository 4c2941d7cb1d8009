// What a user does in the VS Code workbench, as Playwright steps: only keyboard shortcuts a user
// would press and what the page shows (no VS Code API), so the assertions are about the screen.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Locator, Page } from "playwright-core";

export const ARTIFACTS = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../../test-artifacts/vscode");

/** Chromium flags: headless, nothing that phones home or needs a GPU or a sandbox. */
export const CHROMIUM_ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file });
  return file;
}

/** The text of the visible editor lines (VS Code renders spaces as no-break spaces). */
export async function editorText(page: Page): Promise<string> {
  const lines = await page.locator(".editor-instance .monaco-editor .view-lines .view-line").evaluateAll((els) =>
    els
      .map((e) => ({ top: parseFloat((e as HTMLElement).style.top || "0"), text: e.textContent ?? "" }))
      .sort((a, b) => a.top - b.top)
      .map((l) => l.text),
  );
  return lines.join("\n").replace(/\u00a0/g, " ");
}

/** Opens a workspace file with Quick Open (Ctrl+P), as a user would. */
export async function openFile(page: Page, name: string): Promise<void> {
  await page.keyboard.press("Control+P");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(name);
  await page.locator(".quick-input-widget .monaco-list-row", { hasText: name }).first().waitFor();
  await page.keyboard.press("Enter");
  await page.locator(".editor-instance .monaco-editor").first().waitFor();
}

/** Moves the cursor with Go to Line (Ctrl+G) `line:column` (1-based), as a user would. */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press("Control+G");
  const input = page.locator(".quick-input-widget input");
  await input.waitFor({ state: "visible" });
  await input.fill(`:${line}:${column}`); // Go to Line is Quick Open's ":" mode: keep the prefix
  await page.keyboard.press("Enter");
  await input.waitFor({ state: "hidden" });
}

/** The rendered token `word` on the editor's visible lines (the grammar makes each word a span). */
export function token(page: Page, word: string): Locator {
  return page.locator(".editor-instance .view-lines .view-line span > span", { hasText: new RegExp(`^\\s*${word}\\s*$`) }).first();
}
