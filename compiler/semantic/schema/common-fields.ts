import { diag } from "../../diagnostics/messages.js";
import { rangeOf, single, eachTerm, type Ref, type TermReader } from "../readers.js";
import { UNIT_SUFFIXES } from "../../model/units.js";
import { field } from "./field-spec.js";
import { checkSecretPath } from "./secret-path.js";
import { RANGES } from "./value-ranges.js";

/** `cpu 500m to 2`: request, optionally a different limit. */
export const cpuField = field({
  doc: "CPU request and limit in cores or millicores. `cpu 500m to 2` requests half a core and caps at two; a single value sets both.",
  syntax: "<request> [to <limit>]",
  example: "500m to 2",
  keywords: { "*": ["to"] },
  units: UNIT_SUFFIXES.cpu,
  numbers: [RANGES.cpu],
  read: (ctx) =>
    single(ctx, (r) => {
      const request = r.cpu(RANGES.cpu);
      if (request === undefined) return undefined;
      const limit = r.accept("to") ? r.cpu(RANGES.cpu) : request;
      if (limit === undefined) return undefined;
      if (request > limit) {
        ctx.report(diag("FIN3005", rangeOf(ctx, r.term), { resource: "cpu", request: atomRaw(r, 0), limit: atomRaw(r, 2) }));
      }
      return { request, limit };
    }),
});

export const memoryField = field({
  doc: "Memory request and limit. `memory 512Mi to 2Gi` requests 512 MiB and caps at 2 GiB; a single value sets both (recommended: the limit equals the request for memory).",
  syntax: "<request> [to <limit>]",
  example: "512Mi to 1Gi",
  keywords: { "*": ["to"] },
  units: UNIT_SUFFIXES.memory,
  numbers: [RANGES.memory],
  read: (ctx) =>
    single(ctx, (r) => {
      const request = r.memory(RANGES.memory);
      if (request === undefined) return undefined;
      const limit = r.accept("to") ? r.memory(RANGES.memory) : request;
      if (limit === undefined) return undefined;
      if (request.bytes > limit.bytes) {
        ctx.report(diag("FIN3005", rangeOf(ctx, r.term), { resource: "memory", request: request.raw, limit: limit.raw }));
      }
      return { request: request.bytes, limit: limit.bytes };
    }),
});

function atomRaw(r: TermReader, i: number): string {
  const a = r.term.atoms[i];
  return a?.kind === "Number" ? a.raw : "?";
}

export const namespaceField = field({
  doc: "The namespace this workload runs in. May be left out when the spec declares exactly one namespace.",
  syntax: "<namespace>",
  example: "payments",
  read: (ctx) => single(ctx, (r) => r.word("a namespace name")),
});

export function wordList(ctx: Parameters<typeof single>[0], what: string): Ref[] {
  return eachTerm(ctx, (r) => r.word(what));
}

const DNS_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
export function isDnsLabel(name: string, max = 63): boolean {
  return name.length <= max && DNS_LABEL.test(name);
}

const HOST = /^(?=.{1,253}$)(\*\.)?([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
export function isHostname(host: string): boolean {
  return HOST.test(host);
}

/** registry[:port]/path[:tag][@sha256:digest] as the OCI distribution spec allows. */
const IMAGE = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*(?::[0-9]+)?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
export function isImageRef(image: string): boolean {
  return IMAGE.test(image);
}
export function isMutableTag(image: string): boolean {
  if (image.includes("@sha256:")) return false;
  const last = image.split("/").pop()!;
  return !last.includes(":") || last.endsWith(":latest");
}

/** `from <store> "path" key "k"`: a reference into a declared secret store. */
export function readStoreRef(r: TermReader): { store: Ref; path: string; key: string } | undefined {
  const store = r.word("a secret store name");
  if (!store) return undefined;
  const path = r.string("a secret path in the store");
  if (!path || !checkSecretPath(r.ctx, path)) return undefined;
  let key = "value";
  if (r.accept("key")) {
    const k = r.string("a key inside the secret");
    if (!k) return undefined;
    key = k.value;
  }
  return { store, path: path.value, key };
}
