import { expect, it } from "vitest";
import { resolve } from "node:path";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { createNodeHost, createOverlayHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";

export const REPO = resolve(import.meta.dirname, "../..");
export const STDLIB = resolve(REPO, "stdlib");
export const VIRTUAL = "/virtual";

/** A minimal valid platform to prepend to snippets under test. */
export const PLATFORM = `platform p {
  environments dev, prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
`;

/** A valid platform with extra platform fields (and environments), a Vault store and a namespace. */
export const platformSpec = (platform: string, envs = "dev, prod") => `platform p {
  environments ${envs}
${platform}
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
`;

/** A minimal service on port 8080, with extra field lines. */
export const serviceSpec = (name: string, fields = "") => `service ${name} {\n  image "r.io/${name}:1.0.0"\n  port http 8080\n${fields}}\n`;

/** Compiles in-memory files (name → text) placed under /virtual, with the real stdlib. */
export function compileSources(files: Record<string, string>): Program {
  const overlay = new Map(Object.entries(files).map(([name, text]) => [`${VIRTUAL}/${name}`, text]));
  const host = createOverlayHost(overlay, createNodeHost(STDLIB));
  return createProgram({ host, roots: [...overlay.keys()] });
}

/** A diagnostic as tests read it: code plus the exact source text its range covers. */
export function summarize(program: Program, d: Diagnostic): { code: string; text: string; line: number } {
  const src = program.getSourceFile(d.range.file)!;
  return { code: d.code, text: src.text.slice(d.range.start, d.range.end), line: src.positionOf(d.range.start).line + 1 };
}

export function diagnosticsOf(files: Record<string, string>): { code: string; text: string; line: number }[] {
  const p = compileSources(files);
  return p.diagnostics.map((d) => summarize(p, d));
}

/** A checker case: a spec, the code it must produce, the exact text the range covers and the line it starts on. */
export interface CheckCase {
  readonly name: string;
  readonly spec: string;
  readonly code: string;
  readonly covers: string;
  readonly line: number;
}

/** One test per case: the diagnostic with that code, range text and line is among those reported. */
export function itReportsEach(cases: readonly CheckCase[]): void {
  for (const c of cases) {
    it(`"${c.code}": ${c.name}`, () => {
      expect(diagnosticsOf({ "main.fin": c.spec })).toContainEqual({ code: c.code, text: c.covers, line: c.line });
    });
  }
}
