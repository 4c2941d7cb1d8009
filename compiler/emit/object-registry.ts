import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { EmittedDocument, Manifest } from "./output.js";

/**
 * Every generated object is registered under its identity — API group (not version:
 * `v1` and `v1beta1` of one group are the same object to the API server), kind,
 * namespace (empty for cluster-scoped objects) and name — and under the file it is
 * written to. A second object with the same identity or the same file would silently
 * replace the first (in the cluster, or on disk): that is FIN5001, at the second
 * object's spec location with the first one's as related information.
 *
 * `buildOutputs` runs every environment's documents and every packaged file through
 * here, so no emitter can bypass it; the checker (FIN2014) refuses the collisions it can
 * foresee at the declaration that causes them, and this is the safety net for the rest.
 */

export interface ObjectIdentity {
  readonly group: string;
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
}

export function identityOf(o: Manifest): ObjectIdentity {
  const apiVersion = String(o["apiVersion"] ?? "");
  const metadata = (o["metadata"] ?? {}) as { name?: unknown; namespace?: unknown };
  return {
    group: apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "",
    kind: String(o["kind"] ?? ""),
    namespace: typeof metadata.namespace === "string" ? metadata.namespace : "",
    name: String(metadata.name ?? ""),
  };
}

/** `Service 'web-preview' in namespace 'apps'`, `PriorityClass 'finc-critical'` (with the API group when there is one). */
export function describeIdentity(id: ObjectIdentity): string {
  return `${id.kind} '${id.name}'${id.namespace ? ` in namespace '${id.namespace}'` : ""}${id.group ? ` (API group ${id.group})` : ""}`;
}

/** Per namespace: the ServiceAccount pods run as by default, and the cluster CA bundle. */
const BUILT_INS: readonly (readonly [string, string])[] = [["ServiceAccount", "default"], ["ConfigMap", "kube-root-ca.crt"]];

const keyOf = (id: ObjectIdentity): string => `${id.group}\0${id.kind}\0${id.namespace}\0${id.name}`;

interface Entry {
  readonly label: string;
  readonly origin: SourceRange | undefined;
}

/** Collects registrations and reports each second claim on an identity or a file once. */
export class ObjectRegistry {
  private readonly identities = new Map<string, Entry>();
  private readonly files = new Map<string, Entry>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(private readonly fallback: SourceRange) {}

  /** One environment's object, written to `path` (relative to the output directory). */
  registerDocument(env: string, doc: EmittedDocument, path: string): void {
    const id = identityOf(doc.object);
    if (id.group === "" && id.kind === "Namespace") this.registerBuiltIns(env, id.name, doc.origin);
    const inEnv = env ? ` in environment '${env}'` : "";
    const entry = { label: path, origin: doc.origin };
    // One report per object: a second claim on an identity usually comes with the same file too.
    if (this.claim(this.identities, `${env}\0${keyOf(id)}`, entry, `${describeIdentity(id)}${inEnv}`)) this.files.set(path, this.files.get(path) ?? entry);
    else this.claim(this.files, path, { label: describeIdentity(id), origin: doc.origin }, `written to ${path}`);
  }

  /** Objects Kubernetes itself creates in every namespace: an object of finc's with their identity would take them over. */
  private registerBuiltIns(env: string, namespace: string, origin: SourceRange): void {
    for (const [kind, name] of BUILT_INS) {
      const key = `${env}\0${keyOf({ group: "", kind, namespace, name })}`;
      if (!this.identities.has(key)) this.identities.set(key, { label: `the ${kind} '${name}' Kubernetes creates in namespace '${namespace}'`, origin });
    }
  }

  /**
   * Drops the identities registered so far: an identity is keyed by its environment, so once
   * an environment has been registered in full nothing later can claim one of its identities
   * (a streaming build calls this after each environment; files stay registered).
   */
  forgetIdentities(): void {
    this.identities.clear();
  }

  /** A file of any target; `origin` is the declaration behind it when known. */
  registerFile(path: string, origin: SourceRange | undefined): void {
    this.claim(this.files, path, { label: path, origin }, `written to ${path}`);
  }

  /** Registers `key`; reports and returns true when it was already taken. */
  private claim(table: Map<string, Entry>, key: string, entry: Entry, what: string): boolean {
    const first = table.get(key);
    if (!first) {
      table.set(key, entry);
      return false;
    }
    const range = entry.origin ?? first.origin ?? this.fallback;
    const related = first.origin ?? this.fallback;
    const which = first.label === entry.label ? first.label : `${first.label} and ${entry.label}`;
    this.diagnostics.push(diag("FIN5001", range, { identity: what, which }, {
      related: [{ message: `the other object (${first.label}) comes from here`, range: related }],
    }));
    return true;
  }
}

/** The collisions among one environment's documents (paths as written: `<env>/<document path>`). */
export function findCollisions(env: string, docs: readonly EmittedDocument[]): Diagnostic[] {
  const registry = new ObjectRegistry(docs[0]?.origin ?? { file: "", start: 0, end: 0 });
  for (const d of docs) registry.registerDocument(env, d, `${env}/${d.path}`);
  return registry.diagnostics;
}
