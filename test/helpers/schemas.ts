import { Ajv, type ValidateFunction } from "ajv";
import addFormatsModule from "ajv-formats";
// ajv-formats is CommonJS: its default export is the module object under NodeNext.
const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { REPO } from "./compile.js";

/** The independent schema set (Kubernetes 1.31 built-ins and operators' CRDs), kubeconform naming. */
export const SCHEMAS = resolve(REPO, "../shared/schemas");
/** Schemas of kinds the shared set lacks (Flux), vendored with their licenses (test/schemas/README.md). */
export const VENDORED_SCHEMAS = resolve(REPO, "test/schemas");

/** Go's RE2 patterns in CRDs (AlertmanagerConfig's time intervals) use inline `(?i)`, which JavaScript lacks: apply it to the whole pattern. */
const goRegExp = Object.assign((pattern: string, flags: string) => (pattern.includes("(?i)") ? new RegExp(pattern.replaceAll("(?i)", ""), flags + "i") : new RegExp(pattern, flags)), { code: "new RegExp" });
const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true, code: { regExp: goRegExp } });
addFormats(ajv);
// Kubernetes' OpenAPI uses these formats; the API server, not the schema, validates them.
for (const f of ["int32", "int64", "double", "float", "byte", "int-or-string", "quantity"]) ajv.addFormat(f, true);
const cache = new Map<string, ValidateFunction>();

export function schemaPath(apiVersion: string, kind: string): string | undefined {
  const [group, version] = apiVersion.includes("/") ? (apiVersion.split("/") as [string, string]) : ["", apiVersion];
  const k = kind.toLowerCase();
  const builtin = join(SCHEMAS, "kubernetes/v1.31", group ? `${k}-${group.split(".")[0]}-${version}.json` : `${k}-${version}.json`);
  if (existsSync(builtin)) {
    const gvk = (JSON.parse(readFileSync(builtin, "utf8")) as { "x-kubernetes-group-version-kind"?: { group: string; version: string; kind: string }[] })["x-kubernetes-group-version-kind"];
    if (gvk?.some((g) => g.group === group && g.version === version && g.kind === kind)) return builtin;
  }
  const crd = join(SCHEMAS, "crds", group, `${k}_${version}.json`);
  if (existsSync(crd)) return crd;
  const vendored = join(VENDORED_SCHEMAS, "crds", group, `${k}_${version}.json`);
  return existsSync(vendored) ? vendored : undefined;
}

/** Validates one manifest; returns the list of errors (empty when valid). */
export function validateManifest(doc: { apiVersion?: unknown; kind?: unknown }): string[] {
  const path = typeof doc.apiVersion === "string" && typeof doc.kind === "string" ? schemaPath(doc.apiVersion, doc.kind) : undefined;
  if (!path) return [`no schema for ${String(doc.apiVersion)} ${String(doc.kind)}`];
  let validate = cache.get(path);
  if (!validate) {
    validate = ajv.compile(JSON.parse(readFileSync(path, "utf8")) as object);
    cache.set(path, validate);
  }
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ""}`);
}

export const schemasAvailable = existsSync(SCHEMAS);

/**
 * The Kubernetes manifests of a build: the files of its environments' directories. Whole-build
 * targets also write files that are no Kubernetes objects (Falco chart values, the CI workflow,
 * audit policies for kube-apiserver), which a schema or model check must not read as one.
 */
export function manifestFiles<F extends { readonly path: string }>(outputs: { readonly files: readonly F[]; readonly documents: ReadonlyMap<string, unknown> }): F[] {
  const envs = new Set(outputs.documents.keys());
  return outputs.files.filter((f) => envs.has(f.path.slice(0, f.path.indexOf("/"))));
}
