// Shared by the test/kustomize, test/helm and test/secrets suites: compile examples, write outputs, parse manifests.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import YAML from "yaml";
import { buildOutputs, DEFAULT_TARGETS, type BuildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import type { OutputFile } from "../../compiler/emit/output.js";
import { manifestFiles } from "../helpers/schemas.js";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const EXAMPLES = join(REPO, "examples");

/** Every example: a directory under examples/. */
export function exampleDirs(): string[] {
  return readdirSync(EXAMPLES).map((n) => join(EXAMPLES, n)).filter((p) => statSync(p).isDirectory()).sort();
}

export function compile(root: string): Program {
  return createProgram({ host: createNodeHost(), roots: [root] });
}

export function build(program: Program, targets: string[], environments?: string[]): BuildOutputs {
  return buildOutputs(program, { targets, ...(environments ? { environments } : {}) });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `finc-${prefix}-`));
}

export function writeFiles(dir: string, files: readonly OutputFile[]): void {
  for (const f of files) {
    mkdirSync(dirname(join(dir, f.path)), { recursive: true });
    writeFileSync(join(dir, f.path), f.content);
  }
}

export type Obj = Record<string, unknown> & { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } };

export function objectKey(o: Obj): string {
  return `${o.apiVersion}|${o.kind}|${o.metadata.namespace ?? ""}|${o.metadata.name}`;
}

/** Parses multi-document YAML text strictly (errors throw) into non-empty objects. */
export function parseDocs(text: string): Obj[] {
  return YAML.parseAllDocuments(text)
    .map((d) => {
      if (d.errors.length) throw d.errors[0];
      return d.toJSON() as Obj | null;
    })
    .filter((o): o is Obj => o !== null);
}

export function byKey(objs: Obj[]): Map<string, Obj> {
  const m = new Map<string, Obj>();
  for (const o of objs) {
    if (m.has(objectKey(o))) throw new Error(`duplicate object ${objectKey(o)}`);
    m.set(objectKey(o), o);
  }
  return m;
}

/** The objects `finc build --env <env>` (default targets) writes, parsed back from their YAML text. */
export function directBuild(program: Program, env: string): Map<string, Obj> {
  return byKey(manifestFiles(build(program, [...DEFAULT_TARGETS], [env])).flatMap((f) => parseDocs(f.content)));
}

/** kubectl on PATH (or /usr/bin/kubectl), or undefined. */
/** A kubectl whose built-in Kustomize is v5 or later (the overlays use the `labels` transformer and `patches`). */
export function findKubectl(): string | undefined {
  for (const c of ["kubectl", "/usr/bin/kubectl", "/usr/local/bin/kubectl"]) {
    try {
      const version = execFileSync(c, ["version", "--client"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
      const kustomize = /Kustomize Version: v(\d+)/.exec(version);
      if (kustomize && Number(kustomize[1]) >= 5) return c;
    } catch {
      /* not this one */
    }
  }
  return undefined;
}

export { existsSync };
