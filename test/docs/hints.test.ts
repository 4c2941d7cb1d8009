import { describe, expect, it } from "vitest";
import { messages } from "../../compiler/diagnostics/messages.js";
import { compileSources } from "../helpers/compile.js";
import { AWS_STORE, hintBattery } from "./hint-battery.js";

/**
 * Issue 10 item 8: every hint a user can meet says something whole. Driven by a battery of wrong
 * inputs (every field of every kind with no value and with values of the wrong shape, misspelt
 * fields and kinds, unresolved names, plaintext secrets), against a spec whose only store is an
 * AWS Secrets Manager store.
 */
interface Rendered {
  readonly input: string;
  readonly code: string;
  readonly hint: string | undefined;
}

const rendered: Rendered[] = hintBattery().flatMap((c) => compileSources({ "main.fin": c.text }).diagnostics.map((d) => ({ input: c.name, code: d.code, hint: d.hint })));
const hinted = rendered.filter((r): r is Rendered & { hint: string } => r.hint !== undefined);
const show = (r: Rendered): string => `${r.code} (${r.input}): ${r.hint ?? "<no hint>"}`;

/** What is wrong with a hint's text, if anything. */
export function hintProblem(hint: string): string | undefined {
  const text = hint.trim();
  if (!text) return "empty";
  const bare = text.replace(/[.)\s]+$/, "");
  if (bare.endsWith("…")) return "cut off with …";
  if (bare.endsWith(":")) return "ends at a colon, with nothing after it";
  if (/\bExamples?:\s*\S*$/.test(bare) && !/\bExamples?:\s*\S+\s+\S/.test(text)) return "an Example: with no example";
  if (/[.?!]\)?[.?]$/.test(text)) return "doubled punctuation";
  return undefined;
}

describe("rendered hints", () => {
  it("the battery drives many codes and hints (not vacuous)", () => {
    expect(new Set(rendered.map((r) => r.code)).size).toBeGreaterThan(30);
    expect(hinted.length).toBeGreaterThan(500);
  });

  it("the checks catch the broken hints of before (cut-off names, an empty Example:, a dangling colon)", () => {
    expect(hintProblem("Valid names: namespace, timeout, retries, ….")).toBe("cut off with …");
    expect(hintProblem("Example: calls …")).toBe("cut off with …");
    expect(hintProblem("Example:")).toBe("ends at a colon, with nothing after it");
    expect(hintProblem("Keep one; repeatable fields are: .")).toBe("ends at a colon, with nothing after it");
    expect(hintProblem("Declarations are: a, b. Did you mean 'b'?.")).toBe("doubled punctuation");
    expect(hintProblem('Write it in double quotes: "…".')).toBeUndefined();
    expect(hintProblem("Example: calls ledger, fraud")).toBeUndefined();
  });

  it("every code whose message has a hint renders a non-empty one", () => {
    const missing = rendered.filter((r) => (messages as Record<string, { hint?: string }>)[r.code]?.hint && !r.hint?.trim());
    expect([...new Set(missing.map(show))]).toEqual([]);
  });

  it("no hint is cut off, ends in ':' or 'Example:' with nothing after it", () => {
    expect([...new Set(hinted.filter((r) => hintProblem(r.hint)).map((r) => `${show(r)} — ${hintProblem(r.hint)}`))]).toEqual([]);
  });

  it("an unknown field's hint names every field of the kind, image, port and probe included", () => {
    const service = hinted.find((r) => r.code === "FIN2003" && r.input === "service: misspelt field")!;
    for (const f of ["image", "port", "probe", "replicas", "secret"]) expect(service.hint).toMatch(new RegExp(`\\b${f}\\b`));
  });

  it("a hint with a `from <store>` example names the spec's own store (AWS here), never vault", () => {
    const others = hinted.filter((r) => [...r.hint.matchAll(/\bfrom ([a-z][-a-z0-9]*) "/g)].some((m) => m[1] !== AWS_STORE));
    expect([...new Set(others.map(show))]).toEqual([]);
    // Where the provider itself is being written, an example provider is what the user asked for.
    expect(hinted.filter((r) => /provider vault/.test(r.hint) && !r.input.startsWith("secretstore.provider")).map(show)).toEqual([]);
    // The plaintext-secret hint used to say `from vault` whatever the spec's stores.
    expect(hinted.find((r) => r.code === "FIN4001")?.hint).toContain("from <store>");
  });
});
