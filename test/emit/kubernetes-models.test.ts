import { describe, expect, it } from "vitest";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import { parseAllDocuments } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { REPO, STDLIB } from "../helpers/compile.js";
import { manifestFiles } from "../helpers/schemas.js";

/**
 * A second, independent schema source: the kubernetes-models package (generated from the
 * Kubernetes OpenAPI spec, validated with ajv) checks every built-in kind finc emits.
 * Custom resources are covered by the shared CRD schemas in kubernetes-output.test.ts.
 */
const require = createRequire(import.meta.url);

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

function modelClass(apiVersion: string, kind: string): ModelClass | undefined {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  try {
    const mod = require(`kubernetes-models/${group ? `${group}/` : ""}${version}`) as Record<string, ModelClass>;
    return mod[kind];
  } catch {
    return undefined;
  }
}

describe("built-in kinds validate with kubernetes-models", () => {
  const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples/payments")] });
  const outputs = buildOutputs(program, {});
  const docs = manifestFiles(outputs).flatMap((f) => parseAllDocuments(f.content).map((d) => ({ path: f.path, doc: d.toJS() as { apiVersion: string; kind: string } })));
  // *.k8s.io groups served by add-ons' CRDs, not by the API server itself.
  const crdGroups = ["snapshot.storage.k8s.io", "gateway.networking.k8s.io", "autoscaling.k8s.io", "externaldns.k8s.io"];
  const builtin = docs.filter((d) => {
    const group = d.doc.apiVersion.includes("/") ? d.doc.apiVersion.split("/")[0]! : "";
    return (group === "" || !group.includes(".") || group.endsWith(".k8s.io")) && !crdGroups.includes(group);
  });

  it("finds a model for every built-in kind emitted", () => {
    const missing = [...new Set(builtin.filter((d) => !modelClass(d.doc.apiVersion, d.doc.kind)).map((d) => `${d.doc.apiVersion} ${d.doc.kind}`))];
    expect(missing).toEqual([]);
    // The example's database is a CloudNativePG Cluster (a CRD), so no StatefulSet among the built-in kinds.
    expect(new Set(builtin.map((d) => d.doc.kind)).size).toBeGreaterThan(11);
  });

  it("every built-in document is valid", () => {
    const invalid: string[] = [];
    for (const { path, doc } of builtin) {
      const Cls = modelClass(doc.apiVersion, doc.kind);
      if (!Cls) continue;
      try {
        new Cls(doc).validate();
      } catch (e) {
        invalid.push(`${path}: ${(e as Error).message.slice(0, 300)}`);
      }
    }
    expect(invalid).toEqual([]);
  });
});
