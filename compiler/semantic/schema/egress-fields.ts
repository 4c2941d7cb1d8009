import { diag } from "../../diagnostics/messages.js";
import { CLOUD_SERVICES, parseCidr, type EgressRead } from "../../model/egress-model.js";
import { eachTerm, rangeOf, type TermReader } from "../readers.js";
import { isHostname } from "./common-fields.js";
import { field } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";

const CLOUDS = Object.keys(CLOUD_SERVICES) as (keyof typeof CLOUD_SERVICES)[];

function port(r: TermReader): number | undefined {
  return r.count(RANGES.port);
}

function readTarget(r: TermReader): EgressRead | undefined {
  const range = rangeOf(r.ctx, r.term);
  const first = r.peek();
  if (first?.kind === "String") {
    const s = r.string()!;
    if (/^[0-9a-fA-F.:]+\/[0-9]*$/.test(s.value)) {
      const cidr = parseCidr(s.value);
      if (!cidr) {
        r.ctx.report(diag("FIN4046", s.range, {
          message: `'${s.value}' is not an address block: write a CIDR such as "10.20.0.0/16", with no bits set past the prefix.`,
          hint: cidrHint(s.value),
        }));
        return undefined;
      }
      const p = port(r);
      return p === undefined ? undefined : { kind: "cidr", cidr: cidr.text, prefix: cidr.prefix, v6: cidr.v6, port: p, range, targetRange: s.range };
    }
    const host = s.value.toLowerCase();
    if (!isHostname(host)) {
      r.ctx.report(diag("FIN3010", s.range, { host: s.value }));
      return undefined;
    }
    const p = port(r);
    return p === undefined ? undefined : { kind: "host", host, port: p, range, targetRange: s.range };
  }
  const cloud = r.oneOf(CLOUDS, "cloud (or a quoted host or CIDR)");
  if (!cloud) return undefined;
  const services = Object.keys(CLOUD_SERVICES[cloud]);
  const atom = r.peek();
  const service = r.oneOf(services, `${cloud} service`);
  if (!service) return undefined;
  return { kind: "cloud", cloud, service, range, targetRange: rangeOf(r.ctx, { start: first!.start, end: atom!.end }) };
}

/** A block with host bits set (`10.20.0.1/16`): say which block was meant. */
function cidrHint(text: string): string {
  const [ip, len] = text.split("/");
  const fixed = ip && len ? parseCidr(`${ip}/${len}`, true) : undefined;
  return fixed ? `Did you mean "${fixed.text}"?` : 'IPv4: "10.20.0.0/16"; IPv6: "2001:db8::/32".';
}

/**
 * `egress …` on a service: what it talks to outside the call graph. Each line's targets become
 * NetworkPolicy egress rules and, with the mesh, ServiceEntries (see model/egress-model.ts).
 */
export const serviceEgressFields = {
  egress: field({
    doc:
      "What the service talks to outside the declared call graph: an external host and port (`\"api.stripe.com\" 443`, wildcards `\"*.stripe.com\" 443`), an address block (`\"10.20.0.0/16\" 5432`), or a cloud service in the platform's regions (`aws sqs`, `aws s3`, `gcp storage`, `azure servicebus` …). " +
      "Each becomes a NetworkPolicy egress rule (a host: every public address on that port, as a NetworkPolicy cannot name a host) and, with `mesh istio`, an Istio ServiceEntry. finc adds what it configures itself: Kafka brokers for `scale on kafka`, SQS for `scale on queue`, the API server for `kubernetes-api yes`.",
    syntax: '"<host>" <port> | "<cidr>" <port> | aws|gcp|azure <service>, …',
    example: '"api.stripe.com" 443',
    numbers: [RANGES.port],
    repeatable: true,
    values: CLOUDS,
    keywords: Object.fromEntries(CLOUDS.map((c) => [c, Object.keys(CLOUD_SERVICES[c])])),
    read: (ctx) => eachTerm(ctx, readTarget),
  }),
};
