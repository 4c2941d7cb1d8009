import type { PlatformModel } from "../../model/platform-model.js";
import type { TfValue } from "./json.js";

type Body = Record<string, TfValue>;

/** The blocks of one `*.tf.json` file: `data`/`resource` by type and name, the rest by name. */
export class TfBlocks {
  readonly data: Record<string, Record<string, Body>> = {};
  readonly resource: Record<string, Record<string, Body>> = {};
  readonly variable: Record<string, Body> = {};
  readonly output: Record<string, Body> = {};
  readonly locals: Body = {};
  addData(type: string, name: string, body: Body): void {
    (this.data[type] ??= {})[name] = body;
  }
  addResource(type: string, name: string, body: Body): void {
    (this.resource[type] ??= {})[name] = body;
  }
  /** The file's top-level object, or undefined when it would be empty. */
  file(extra: Body = {}): Record<string, TfValue> | undefined {
    const f: Record<string, TfValue> = { ...extra };
    for (const k of ["data", "resource", "variable", "output"] as const) if (Object.keys(this[k]).length) f[k] = this[k];
    if (Object.keys(this.locals).length) f["locals"] = this.locals;
    return Object.keys(f).length ? f : undefined;
  }
}

/** The DNS zones of the environment's exposed hosts, none when the platform turns external-dns off (`dns none`). */
export function exposedDnsZones(model: PlatformModel): string[] {
  return model.platform.dns?.provider === "none" ? [] : dnsZones(model.services.flatMap((s) => s.expose.map((e) => e.host)));
}

/** The zones external-dns publishes the exposed hosts in: each host's parent domain (`api.example.com` → `example.com`). */
export function dnsZones(hosts: readonly string[]): string[] {
  return [...new Set(hosts.filter((h) => !h.startsWith("*.") || h.split(".").length > 2).map((h) => h.replace(/^\*\./, "x.").split(".").slice(1).join(".")).filter((d) => d.includes(".")))].sort();
}
