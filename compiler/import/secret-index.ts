import { diag } from "../diagnostics/messages.js";
import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import type { FoundStore, SecretSource } from "./found.js";
import { finName } from "./names.js";
import type { InputObject } from "./yaml-input.js";

/** A range of the input that must never be shown: a literal secret value (masked when diagnostics quote a line). */
export type Redaction = SourceRange;

const CNPG_OUTPUTS: Readonly<Record<string, "url" | "host" | "port" | "name" | "username" | "password">> = {
  uri: "url", "jdbc-uri": "url", host: "host", port: "port", dbname: "name", user: "username", username: "username", password: "password",
};

interface ExternalTarget {
  readonly obj: InputObject;
  readonly store: string;
  readonly data: ReadonlyMap<string, { path: string; key?: string }>;
  readonly extract: string[];
}

/**
 * Where each Secret an input workload reads comes from: an ExternalSecret's remote key, a
 * CloudNativePG cluster's generated `<cluster>-app` Secret (a database output), or a literal
 * Secret of the input — whose values are never copied: they become placeholders in a store,
 * each with FIN6001 at the value and a redaction so no rendering can show it.
 */
export class SecretIndex {
  readonly diagnostics: Diagnostic[] = [];
  readonly redactions: Redaction[] = [];
  /** Secrets read by some workload, for the import table. */
  readonly used = new Set<InputObject>();
  private readonly literal = new Map<string, InputObject>();
  private readonly external = new Map<string, ExternalTarget>();
  private readonly warned = new Set<string>();
  /** Databases by the `ns/<cluster>-app|-superuser` Secret names CloudNativePG generates. */
  private readonly dbSecrets = new Map<string, string>();

  constructor(objects: readonly InputObject[], private readonly placeholderStore: () => string, private readonly storeNamed: (name: string) => string) {
    for (const o of objects) {
      if (o.kind === "Secret") {
        this.literal.set(`${o.namespace ?? ""}/${o.name}`, o);
        for (const field of ["data", "stringData"]) {
          const m = o.value[field];
          if (m && typeof m === "object") for (const k of Object.keys(m)) this.redactions.push(valueRange(o, `/${field}/${esc(k)}`));
        }
      } else if (o.kind === "ExternalSecret") {
        const spec = (o.value["spec"] ?? {}) as Record<string, unknown>;
        const target = String(((spec["target"] ?? {}) as Record<string, unknown>)["name"] ?? o.name);
        const ref = ((spec["secretStoreRef"] ?? {}) as Record<string, unknown>)["name"];
        const store = typeof ref === "string" ? this.storeNamed(finName(ref)) : this.placeholderStore();
        const data = new Map<string, { path: string; key?: string }>();
        for (const d of (Array.isArray(spec["data"]) ? spec["data"] : []) as Record<string, unknown>[]) {
          const ref = (d?.["remoteRef"] ?? {}) as Record<string, unknown>;
          if (typeof ref["key"] === "string") data.set(String(d["secretKey"]), { path: safePath(ref["key"]), ...(typeof ref["property"] === "string" ? { key: ref["property"] } : {}) });
        }
        const extract = (Array.isArray(spec["dataFrom"]) ? (spec["dataFrom"] as Record<string, unknown>[]) : []).map((d) => ((d?.["extract"] ?? {}) as Record<string, unknown>)["key"]).filter((k): k is string => typeof k === "string" && k !== "").map(safePath);
        this.external.set(`${o.namespace ?? ""}/${target}`, { obj: o, store, data, extract });
      } else if (o.kind === "Cluster" && o.apiVersion.startsWith("postgresql.cnpg.io/")) {
        for (const suffix of ["app", "superuser"]) this.dbSecrets.set(`${o.namespace ?? ""}/${o.name}-${suffix}`, o.name);
      }
    }
  }

  /** The source of key `key` of Secret `secret` in `namespace`, read as env `env`. */
  resolve(namespace: string, secret: string, key: string, env: string): SecretSource {
    const id = `${namespace}/${secret}`;
    const db = this.dbSecrets.get(id);
    const out = CNPG_OUTPUTS[key];
    if (db && out) return { type: "database", database: db, output: out };
    const ext = this.external.get(id);
    if (ext) {
      this.used.add(ext.obj);
      const d = ext.data.get(key);
      if (d) return { type: "store", store: ext.store, path: d.path, ...(d.key ? { key: d.key } : {}), placeholder: false };
      if (ext.extract[0]) return { type: "store", store: ext.store, path: ext.extract[0], key, placeholder: false };
    }
    const lit = this.literal.get(id);
    const store = this.placeholderStore();
    const path = `${namespace}/${secret}`;
    if (lit) {
      this.used.add(lit);
      const field = has(lit.value["stringData"], key) ? "stringData" : has(lit.value["data"], key) ? "data" : undefined;
      if (field && !this.warned.has(`${id}#${key}`)) {
        this.warned.add(`${id}#${key}`);
        this.diagnostics.push(
          diag("FIN6001", lit.locate(`/${field}/${esc(key)}`), { what: `Secret '${secret}' key '${key}'`, env, store, path, key }),
        );
      }
    }
    return { type: "store", store, path, key, placeholder: lit ? "literal" : "missing" };
  }

  /** A literal env value that looks like a secret: FIN6001 at the value, which is redacted. */
  literalEnv(o: InputObject, pointer: string, namespace: string, workload: string, env: string, valueAt = "/value"): SecretSource {
    const store = this.placeholderStore();
    const path = `${namespace}/${workload}`;
    const key = env.toLowerCase().replace(/_/g, "-");
    this.redactions.push(valueRange(o, pointer + valueAt));
    this.diagnostics.push(diag("FIN6001", o.locate(pointer + valueAt), { what: o.kind === "ConfigMap" ? `ConfigMap '${o.name}' key '${env}'` : `The value of env ${env}`, env, store, path, key }));
    return { type: "store", store, path, key, placeholder: "literal" };
  }

  /** Literal Secrets no workload reads: still never copied, still listed (FIN6001 for each key). */
  unusedLiterals(): InputObject[] {
    return [...this.literal.values()].filter((o) => !this.used.has(o));
  }
}

/** The store finc import writes when the input's Secrets were literal: it says nothing about where they belong. */
export function placeholderStore(name: string): FoundStore {
  return { name, provider: "vault", server: "https://vault.example.com:8200", placeholder: true };
}

/** finc refuses secret paths with glob or template characters (FIN4033): they become '-'. */
function safePath(p: string): string {
  return p.replace(/[*?[\]${}]/g, "-") || "imported";
}

function has(m: unknown, key: string): boolean {
  return m !== null && typeof m === "object" && key in (m as object);
}

function esc(k: string): string {
  return k.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** The range of just the value of a mapping entry (the entry's range minus its key). */
function valueRange(o: InputObject, pointer: string): Redaction {
  return o.locateValue(pointer);
}
