import { diag } from "../../diagnostics/messages.js";
import { CATCH_ALL_HOST } from "../../model/catch-all-host.js";
import { rangeOf, type FieldContext, type TermReader } from "../readers.js";
import { isHostname } from "./common-fields.js";

/**
 * The host of an `expose` line: a DNS name (`"api.example.com"`, `"*.example.com"`), or the
 * catch-all host for demo and internal gateways, written `"*"` or `any` (every Host header;
 * the checker refuses it under pci-dss and with TLS: check-pod-details.ts).
 */
export function readExposeHost(ctx: FieldContext, r: TermReader): { value: string; range: ReturnType<typeof rangeOf> } | undefined {
  const a = r.peek();
  if (a?.kind === "Word" && a.parts.length === 1 && a.parts[0]!.text === "any") {
    r.next();
    return { value: CATCH_ALL_HOST, range: rangeOf(ctx, a) };
  }
  const host = r.string('a hostname (or "*" / any for every host)');
  if (!host) return undefined;
  if (host.value !== CATCH_ALL_HOST && !isHostname(host.value)) ctx.report(diag("FIN3010", host.range, { host: host.value }));
  return host;
}
