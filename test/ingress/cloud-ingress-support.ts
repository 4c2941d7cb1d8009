import { expect } from "vitest";
import { resolve } from "node:path";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import { REPO, STDLIB } from "../helpers/compile.js";
import { validateManifest } from "../helpers/schemas.js";
import { installRuntimeCheck, runRuntimeCheck, writeBuild } from "../helpers/runtime-check.js";

/** What the cloud-ingress tests (alb, gce, agic) share: their fixture, its documents, and the two checks of the real tools. */
export type Obj = Record<string, any>;

/** The program of test/ingress/fixtures/<name>. */
export const fixtureProgram = (name: string): Program => createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "test/ingress/fixtures", name)] });

export const docsOf = (program: Program, env = "prod"): Obj[] => buildOutputs(program).documents.get(env)!.map((d) => d.object as Obj);

export const find = (docs: Obj[], kind: string, name: string, ns?: string): Obj | undefined =>
  docs.find((d) => d["kind"] === kind && d["metadata"]["name"] === name && (ns === undefined || d["metadata"]["namespace"] === ns));

/** Every document of every environment of each program validates against its schema. */
export function expectEveryDocumentValid(programs: readonly Program[]): void {
  for (const program of programs)
    for (const docs of buildOutputs(program).documents.values())
      for (const d of docs) expect(validateManifest(d.object as Obj), `${String((d.object as Obj)["kind"])} ${String((d.object as Obj)["metadata"]?.["name"])}`).toEqual([]);
}

/** runtime-check (with the needs file) finds no error in dev and prod of the program's build. */
export function expectRuntimeCheckClean(program: Program): void {
  const check = installRuntimeCheck();
  const out = writeBuild(program);
  for (const env of ["dev", "prod"]) {
    const r = runRuntimeCheck(check, out, env, true);
    expect(r.findings.filter((f) => f.startsWith("ERROR")), r.summary).toEqual([]);
    expect(r.summary).toMatch(/runtime-check: 0 errors/);
  }
}
