import { createHash } from "node:crypto";
import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { ImageSigningRead } from "../semantic/schema/image-signing-field.js";
import type { ScanningRead, ScanSeverity } from "../semantic/schema/scanning-field.js";
import type { PlatformModel, ServiceModel } from "./platform-model.js";

/** Supply chain (mission area 9): how the images the platform runs must be signed. */
export interface PlatformSupplyChain {
  readonly imageSigning?: (
    | { readonly kind: "key"; readonly key: string }
    | { readonly kind: "keyless"; readonly issuer: string; readonly subject: string }
  ) & { readonly origin: SourceRange };
  /**
   * Image scanning in the cluster by the Trivy Operator: `scanning trivy [severity …]`, or by
   * default under `compliance pci-dss` (severity high; origin: the compliance line). Absent: off.
   */
  readonly scanning?: { readonly tool: "trivy"; readonly severity: ScanSeverity; readonly origin: SourceRange };
}

export function lowerPlatformSupplyChain(v: FieldValues): PlatformSupplyChain {
  const s = v.get<ImageSigningRead>("image-signing");
  const scanning = lowerScanning(v);
  return {
    ...(s ? { imageSigning: s.kind === "key" ? { kind: "key", key: s.key, origin: s.range } : { kind: "keyless", issuer: s.issuer, subject: s.subject, origin: s.range } } : {}),
    ...(scanning ? { scanning } : {}),
  };
}

function lowerScanning(v: FieldValues): PlatformSupplyChain["scanning"] {
  const read = v.get<ScanningRead>("scanning");
  if (read) return read.tool === "none" ? undefined : { tool: "trivy", severity: read.severity, origin: read.range };
  const compliance = v.get<string[]>("compliance") ?? [];
  const origin = v.origins["compliance"];
  return compliance.includes("pci-dss") && origin ? { tool: "trivy", severity: "high", origin } : undefined;
}

/**
 * `deploy immutable` on a namespace (PCI scope, PCI DSS v4.0.1 6.5.1): what runs there changes only by a
 * new object from the reviewed spec — images pinned by digest (FIN4074), ConfigMaps and Secrets
 * `immutable: true` under content-hashed names, and the admission digest rule denies instead of warns.
 */
export interface NamespaceSupplyChain {
  readonly deploy?: "immutable";
}

export function lowerNamespaceSupplyChain(v: FieldValues): NamespaceSupplyChain {
  return v.get<string>("deploy") === "immutable" ? { deploy: "immutable" } : {};
}

/** Set on the services of a `deploy immutable` namespace (withImmutableDeploy): their Secrets are immutable and content-named. */
export interface ServiceSupplyChain {
  /** `secretsHash`: 10 hex of sha256 over what the service's synced Secret holds (its secret lines and the databases they read). */
  readonly deployImmutable?: { readonly secretsHash: string };
}

/** `<image>@sha256:<64 hex>`: the only reference that names exactly one image. */
export const DIGEST_PINNED = /@sha256:[0-9a-f]{64}$/;

/** Every image a service's pods run, with the field that names it: its own, its migration's, its split versions' and its init containers'. */
export function podImages(s: ServiceModel): { image: string; field: string }[] {
  return [
    { image: s.image, field: "image" },
    ...(s.migrate ? [{ image: s.migrate.image, field: "migrate" }] : []),
    ...(s.traffic?.split ?? []).flatMap((v) => (v.image ? [{ image: v.image, field: "split" }] : [])),
    ...(s.inits ?? []).map((i) => ({ image: i.image, field: "init" })),
  ];
}

export const immutableNamespaces = (model: PlatformModel): Set<string> => new Set(model.namespaces.filter((n) => n.deploy === "immutable").map((n) => n.name));

/**
 * The model as the emitters see it: the services of `deploy immutable` namespaces get
 * `config-immutable yes` (an immutable, content-named ConfigMap) and `deployImmutable` (immutable,
 * content-named Secrets). Other services are the same objects.
 */
export function withImmutableDeploy(model: PlatformModel): PlatformModel {
  const immutable = immutableNamespaces(model);
  if (!immutable.size) return model;
  return { ...model, services: model.services.map((s) => (immutable.has(s.namespace) ? { ...s, configImmutable: true, deployImmutable: { secretsHash: secretsHash(model, s) } } : s)) };
}

/** Source positions and docs are not content: moving a line must not rename (and roll) a Secret. */
const NOT_CONTENT = new Set(["origin", "fields", "range", "doc"]);

/**
 * A hash of everything an immutable Secret of the service is made of: its secret lines (store
 * paths and keys, database outputs) and the databases those read (host, port, database name and
 * owner go into connection strings). Changing any of them names a new Secret; a change to the
 * database unrelated to its connection renames it too (a needless roll, never a stale Secret).
 */
function secretsHash(model: PlatformModel, s: ServiceModel): string {
  const secrets = s.secrets.filter((sec) => sec.source.kind !== "sealed");
  const databases = model.databases.filter((d) => secrets.some((sec) => sec.source.kind === "output" && sec.source.database === d.name));
  const text = JSON.stringify({ secrets, databases }, (key, value: unknown) => (NOT_CONTENT.has(key) ? undefined : value));
  return createHash("sha256").update(text).digest("hex").slice(0, 10);
}
