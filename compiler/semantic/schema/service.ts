import { diag } from "../../diagnostics/messages.js";
import { DATABASE_OUTPUTS } from "../../model/platform-model.js";
import { eachTerm, rangeOf, single, TermReader, type Ref, type FieldContext } from "../readers.js";
import { cpuField, memoryField, namespaceField, isImageRef, readStoreRef, wordList } from "./common-fields.js";
import { field, type KindSpec } from "./field-spec.js";
import { readCommand } from "./command.js";
import { RANGES } from "./value-ranges.js";
import { readRollingUpdate } from "./rolling-update.js";
import { readConfigMountPath, readWritablePaths } from "./writable-paths.js";
import { serviceEgressFields } from "./egress-fields.js";
import { serviceAuditFields } from "./audit-log-field.js";
import { serviceTrafficFields } from "./traffic-fields.js";
import { serviceScalingFields } from "./scaling-fields.js";
import { serviceObservabilityFields } from "./observability-fields.js";
import { serviceTypeField } from "./service-type-field.js";
import { probeField } from "./probe-field.js";
import { smokeTestField } from "./smoke-test-field.js";
import { serviceVolumeFields } from "./volume-fields.js";
import { podDetailFields } from "./pod-detail-fields.js";
import { schedulingFields } from "./scheduling-fields.js";
import { profileField } from "./profiling-field.js";
import { readExposeHost } from "./expose-host.js";
import type { SourceRange } from "../../diagnostics/diagnostic.js";
import type { Atom } from "../../syntax/ast.js";
import { CONFIG_TYPES, type ConfigRead, type ConfigType, type ConfigValue } from "../config-types.js";
import { secretKeyName, secretStoreForm } from "../secret-store-form.js";
import { isSecretFileTerm, readSecretFiles, type SecretFilesRead } from "./secret-file-field.js";

export type SecretRead =
  | { env: string; range: SourceRange; kind: "store"; store: Ref; path: string; key: string; refreshMs?: number }
  | { env: string; range: SourceRange; kind: "output"; database: Ref; output: Ref }
  | { env: string; range: SourceRange; kind: "sealed"; ciphertext: string }
  | SecretFilesRead;

/**
 * Does the text look like a Bitnami Sealed Secrets ciphertext? `kubeseal --raw` prints
 * base64 of: a 2-byte big-endian length of the RSA-OAEP-encrypted session key (256, 384
 * or 512 bytes for 2048-, 3072- and 4096-bit keys), that key, then the AES-GCM sealed value
 * (at least its 16-byte tag). Anything else is refused: it may be the plaintext itself.
 */
export function looksSealed(text: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return false;
  const bytes = Buffer.from(text, "base64");
  if (bytes.length < 2) return false;
  const keyLength = bytes.readUInt16BE(0);
  return [256, 384, 512].includes(keyLength) && bytes.length >= 2 + keyLength + 16;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkEnvName(ctx: FieldContext, ref: Ref): boolean {
  if (ENV_NAME.test(ref.name)) return true;
  ctx.report(diag("FIN3001", ref.range, { field: ctx.field, expected: "an environment variable name (letters, digits, _)", found: `'${ref.name}'`, hint: "Environment variable names look like LOG_LEVEL." }));
  return false;
}

/** `KEY [<type>] [= <value>]`: an untyped string, or a typed key with an optional default. */
function readConfigEntry(ctx: FieldContext, r: TermReader, key: Ref | undefined, doc: string | undefined): ConfigRead | undefined {
  if (!key || !checkEnvName(ctx, key)) return undefined;
  const range = rangeOf(ctx, r.term);
  let type: ConfigType | undefined;
  let typeRange: SourceRange | undefined;
  const w = r.peekWord();
  if (w && (CONFIG_TYPES as readonly string[]).includes(w)) {
    const first = r.next()!;
    let last: Atom = first;
    if (w === "enum") {
      const values: string[] = [];
      for (let a = r.peek(); a && a.kind !== "Operator"; a = r.peek()) {
        if (a.kind === "Word") values.push(a.parts.map((p) => p.text).join("."));
        else if (a.kind === "String") values.push(a.value);
        else if (a.kind === "Number") values.push(a.raw);
        else return r.mismatch("an allowed value of the enum", a);
        last = r.next()!;
      }
      if (!values.length) return r.mismatch("the allowed values", r.peek(), "Example: LOG_LEVEL enum debug info warn error = info");
      type = { kind: "enum", values };
    } else type = { kind: w as Exclude<ConfigType["kind"], "enum"> };
    typeRange = rangeOf(ctx, { start: first.start, end: last.end });
  }
  const base = { key: key.name, keyRange: key.range, range, ...(type ? { type, typeRange } : {}), ...(doc ? { doc } : {}) };
  const eq = r.acceptOperator("=");
  if (type && !eq && r.done) return base;
  const a = r.next();
  const value = (text: string, atom: ConfigValue["atom"], unit = ""): ConfigRead => ({ ...base, value: { text, atom, unit, range: rangeOf(ctx, a!) } });
  if (a?.kind === "String") return value(a.value, "String");
  if (a?.kind === "Number") return value(a.raw, "Number", a.unit);
  if (a?.kind === "Word") return value(a.parts.map((p) => p.text).join("."), "Word");
  return r.mismatch(type ? "'=' and a value" : "a string, number or word", a);
}

/** `config KEY = "v", …` inline, or a `config { KEY = "v" }` block with one entry per line. */
function readConfigEntries(ctx: FieldContext): ConfigRead[] {
  const inlineDoc = ctx.member.terms.length === 1 ? ctx.member.doc : undefined;
  const entries = eachTerm(ctx, (r) => readConfigEntry(ctx, r, r.word("a config key"), inlineDoc));
  for (const m of ctx.member.block?.members ?? []) {
    const key = m.path.length === 1 ? { name: m.path[0]!.text, range: rangeOf(ctx, m.path[0]!) } : undefined;
    const entryCtx = { ...ctx, member: m };
    const term = m.terms[0] ?? { atoms: [], start: m.end, end: m.end };
    const r = new TermReader(entryCtx, { ...term, start: m.start });
    const entry = readConfigEntry(entryCtx, r, key, m.doc);
    if (entry) {
      r.end();
      entries.push(entry);
    }
    // `LOG_LEVEL = "info", REGION = "eu-west-1"`: further entries on the same line.
    for (const t of m.terms.slice(1)) {
      const more = new TermReader(entryCtx, t);
      const e = readConfigEntry(entryCtx, more, more.word("a config key"), undefined);
      if (e) {
        more.end();
        entries.push(e);
      }
    }
  }
  return entries;
}

export const serviceSpec: KindSpec = {
  doc: "A long-running workload: a Deployment with its Service, ServiceAccount, RBAC, NetworkPolicies, ConfigMap and secret wiring.",
  required: ["image", "port"],
  fields: {
    namespace: namespaceField,
    ...serviceTrafficFields,
    ...serviceScalingFields,
    ...serviceObservabilityFields,
    ...serviceEgressFields,
    ...serviceAuditFields,
    ...serviceVolumeFields,
    ...podDetailFields,
    ...schedulingFields,
    profile: profileField,
    image: field({
      doc: "The container image, pinned to a version tag or a sha256 digest.",
      syntax: '"<registry>/<repository>:<tag>"',
      example: '"registry.example.com/payments/api:1.0.0"',
      read: (ctx) =>
        single(ctx, (r) => {
          const s = r.string("an image reference");
          if (s && !isImageRef(s.value)) ctx.report(diag("FIN3009", s.range, { image: s.value }));
          return s;
        }),
    }),
    port: field({
      doc: "Named ports: `port http 8080, metrics 9102`. The name sets the protocol (http, grpc or tcp) for probes and the mesh. `port http 80 -> 8080`: callers use the Service on 80, the container listens on 8080 (network policies and probes use 8080).",
      syntax: "<name> <number> [-> <container port>], …",
      example: "http 8080",
      values: ["http", "grpc", "metrics", "tcp"],
      numbers: [RANGES.port],
      read: (ctx) =>
        eachTerm(ctx, (r) => {
          const first = r.peek();
          const name = first?.kind === "Word" ? r.word("a port name") : { name: "http", range: rangeOf(ctx, r.term) };
          if (!name) return undefined;
          const port = r.count(RANGES.port);
          if (port === undefined) return undefined;
          const containerPort = r.acceptOperator("->") ? r.count(RANGES.port) : port;
          if (containerPort === undefined) return undefined;
          if (name.name.length > 15 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name.name)) {
            ctx.report(diag("FIN3008", name.range, { name: name.name, max: 15 }));
            return undefined;
          }
          const protocol = name.name.startsWith("grpc") ? ("grpc" as const) : name.name.startsWith("http") || name.name === "metrics" || name.name === "web" ? ("http" as const) : ("tcp" as const);
          return { name: name.name, port, ...(containerPort !== port ? { containerPort } : {}), protocol, range: rangeOf(ctx, r.term) };
        }),
    }),
    replicas: field({
      doc: "Replica count, or a range autoscaled on CPU and/or memory utilisation: `replicas 3 to 30 at cpu 70%, memory 80%`.",
      syntax: "<n> | <min> to <max> [at cpu <p>%[, memory <p>%]]",
      example: "2 to 10 at cpu 70%",
      numbers: [RANGES.replicas, RANGES.maxReplicas, RANGES.utilization],
      read: (ctx) => {
        const [first, ...rest] = ctx.member.terms;
        if (!first) return undefined;
        const out: { min: number; max: number; cpuTarget?: number; memoryTarget?: number; range: SourceRange } = { min: 0, max: 0, range: rangeOf(ctx, ctx.member) };
        const r = eachTerm({ ...ctx, member: { ...ctx.member, terms: [first] } }, (r) => {
          const min = r.count(RANGES.replicas);
          if (min === undefined) return undefined;
          const max = r.accept("to") ? r.count(RANGES.maxReplicas) : min;
          if (max === undefined) return undefined;
          out.min = min;
          out.max = max;
          if (min > max) ctx.report(diag("FIN3006", rangeOf(ctx, r.term), { min, max }));
          if (r.accept("at")) {
            const metric = r.oneOf(["cpu", "memory"] as const, "scaling metric");
            const p = metric && r.percent(RANGES.utilization);
            if (metric && p !== undefined) out[metric === "cpu" ? "cpuTarget" : "memoryTarget"] = p;
          }
          return out;
        });
        if (!r.length) return undefined;
        eachTerm({ ...ctx, member: { ...ctx.member, terms: rest } }, (r) => {
          const metric = r.oneOf(["cpu", "memory"] as const, "scaling metric");
          const p = metric && r.percent(RANGES.utilization);
          if (metric && p !== undefined) out[metric === "cpu" ? "cpuTarget" : "memoryTarget"] = p;
          return p;
        });
        return out;
      },
    }),
    cpu: cpuField,
    memory: memoryField,
    config: field({
      doc: "Application configuration, delivered as a ConfigMap in the environment: `config LOG_LEVEL = \"info\", REGION = eu` or a `config { … }` block. A key may be typed, with an optional default: `LOG_LEVEL enum debug info warn error = info`, `MAX_AMOUNT int = 10000`, `FEATURE_X bool = false`, `TIMEOUT duration = 5s`, `LEDGER_URL url = \"http://ledger:8080\"`; every environment's value is checked against the type. `config from common` takes the entries of `configset common { … }` (sets merge in the order named; the workload's own keys win). A string may compose a database's addresses, resolved per environment: `JDBC_URL = \"jdbc:postgresql://${ledger-db.host}:${ledger-db.port}/${ledger-db.name}\"` (host, port, name, read-host; a credential-bearing output such as url or password is FIN3028).",
      syntax: "<KEY> [string|int|bool|duration|url|enum <v> …] [= <value>], … | from <configset>, …",
      example: 'LOG_LEVEL = "info"',
      repeatable: true,
      block: true,
      read: readConfigEntries,
    }),
    "config-mount": field({
      doc: "Deliver the config as files instead of environment variables: the ConfigMap is mounted read-only at this directory, one file per key. The kubelet refreshes mounted files when the ConfigMap changes, so the pods are not restarted (the application re-reads the files).",
      syntax: "/<directory>",
      example: "/etc/app",
      read: (ctx) => single(ctx, (r) => {
        const p = readConfigMountPath(r);
        return p === undefined ? undefined : { path: p.path, range: rangeOf(ctx, r.term) };
      }),
    }),
    "config-immutable": field({
      doc: "An immutable ConfigMap whose name carries a hash of its content (`api-config-<hash>`): a change of config creates a new object and rolls the pods onto it, and the API server never has to watch it.",
      syntax: "yes | no",
      example: "yes",
      values: ["yes", "no"],
      read: (ctx) => single(ctx, (r) => r.oneOf(["yes", "no"] as const, "yes/no value")),
    }),
    secret: field({
      doc: "A secret environment variable, read from a secret store or from a database's outputs: `secret STRIPE_KEY from vault \"payments/stripe\" key \"api-key\"`, `secret DATABASE_URL from ledger.url`; `refresh 5m` after a store reference re-reads that secret at least every 5 minutes; or, for pure GitOps, a value already sealed with `kubeseal --raw --name <service>-sealed --namespace <ns>`: `secret WEBHOOK_KEY from sealed \"AgB…\"` (a SealedSecret; only the cluster's controller can decrypt it). As files: `secret file /etc/jwt/signing.pem from vault \"payments/jwt\" key \"private-key\" [mode 0400]` puts one key at a file path, `secret files /etc/tls from vault \"payments/tls\" keys \"tls.crt\" \"tls.key\"` several keys of one entry in a directory (one file per key); the directory is mounted read-only (ESO: the workload's Secret with `items` and the mode; `delivery vault-agent`: the agent writes the files there), mode octal 0400 (default) to 0777. Plain values are never written in the spec.",
      syntax: '<ENV> from <store> "<path>" [key "<key>"] [refresh <duration>] | <ENV> from <database>.<output> | <ENV> from sealed "<ciphertext>" | file /<path> from <store> "<path>" [key "<key>"] [mode 0400] | files /<dir> from <store> "<path>" keys "<key>" … [mode 0400]',
      example: 'API_KEY from vault "team/app" key "api-key"',
      numbers: [{ ...RANGES.refresh, example: 'API_KEY from vault "team/app" key "api-key" refresh 5m' }],
      repeatable: true,
      read: (ctx) =>
        eachTerm(ctx, (r): SecretRead | undefined => {
          if (isSecretFileTerm(r)) return readSecretFiles(r);
          const env = r.word("an environment variable name");
          if (!env || !checkEnvName(ctx, env)) return undefined;
          const next = r.peek();
          if (next?.kind === "Operator" && next.op === "=") {
            r.next();
            const lit = r.next();
            const lower = secretKeyName(env.name);
            ctx.report(diag("FIN4001", rangeOf(ctx, lit ?? next), { key: env.name, lower }, {
              fixes: [{ title: "Read the secret from a secret store", edits: [{ range: rangeOf(ctx, r.term), newText: secretStoreForm(env.name) }] }],
            }));
            return undefined;
          }
          if (!r.accept("from")) return r.mismatch("'from'", r.peek(), 'Write `secret NAME from <store> "path" key "k"`.');
          if (r.peekWord() === "sealed" && r.term.atoms[r.term.atoms.indexOf(r.peek()!) + 1]?.kind === "String") {
            r.next();
            const c = r.string("the output of `kubeseal --raw`")!;
            if (!looksSealed(c.value)) {
              const lower = secretKeyName(env.name);
              ctx.report(diag("FIN4001", c.range, { key: env.name, lower }));
              return undefined;
            }
            return { env: env.name, range: rangeOf(ctx, r.term), kind: "sealed", ciphertext: c.value };
          }
          const src = r.peek();
          if (src?.kind === "Word" && src.parts.length === 2) {
            const ref = r.reference()!;
            return { env: env.name, range: rangeOf(ctx, r.term), kind: "output", database: ref.parts[0]!, output: ref.parts[1]! };
          }
          const s = readStoreRef(r);
          if (!s) return undefined;
          let refreshMs: number | undefined;
          if (r.accept("refresh")) {
            refreshMs = r.duration(RANGES.refresh);
            if (refreshMs === undefined) return undefined;
          }
          return { env: env.name, range: rangeOf(ctx, r.term), kind: "store", ...s, ...(refreshMs !== undefined ? { refreshMs } : {}) };
        }),
    }),
    migrate: field({
      doc: "A database migration run as an initContainer before the service starts: `migrate \"<image>\" run \"migrate up\"`. The command is split into arguments as a POSIX shell would, without running one and without expanding anything (`run \"sh -c 'migrate up && echo done'\"` for shell syntax), or given as a list: `run [\"migrate\", \"up\"]`.",
      syntax: '"<image>" run "<command>" | "<image>" run ["<arg>", …]',
      example: '"registry.example.com/app/migrate:1.0.0" run "migrate up"',
      read: (ctx) =>
        single(ctx, (r) => {
          const image = r.string("the migration image");
          if (!image) return undefined;
          if (!isImageRef(image.value)) ctx.report(diag("FIN3009", image.range, { image: image.value }));
          let command: string[] = [];
          if (r.accept("run")) {
            const c = readCommand(r, "the migration command");
            if (!c) return undefined;
            command = c;
          }
          return { image: image.value, command };
        }),
    }),
    "service-type": serviceTypeField,
    expose: field({
      doc: "Expose the service outside the cluster on a host and path, with TLS from an issuer: `expose \"api.example.com\" path /v1 tls letsencrypt`. `expose \"*\"` (or `expose any`) is the catch-all host of a demo or internal gateway: every Host header, plain HTTP (no certificate can name every host; refused with `tls` and under pci-dss: FIN3037). A wildcard `\"*.example.com\"` with TLS needs a DNS-01 issuer (FIN3037).",
      syntax: '"<host>" | "*" | any [path /<path>] [port <name>] [tls <issuer>]',
      example: '"api.example.com" path / tls letsencrypt',
      repeatable: true,
      replaceInEnvironment: true,
      read: (ctx) =>
        eachTerm(ctx, (r) => {
          const host = readExposeHost(ctx, r);
          if (!host) return undefined;
          let path = "/";
          let tls: string | undefined;
          let port: Ref | undefined;
          let tlsRange: SourceRange | undefined;
          for (;;) {
            if (r.accept("path")) {
              const p = r.path();
              if (p === undefined) return undefined;
              path = p;
            } else if (r.accept("tls")) {
              const t = r.word("a certificate issuer name");
              if (!t) return undefined;
              tls = t.name;
              tlsRange = t.range;
            } else if (r.accept("port")) {
              port = r.word("a port name");
              if (!port) return undefined;
            } else break;
          }
          return { host: host.value, path, tls, origin: rangeOf(ctx, r.term), ...(tlsRange ? { tlsRange } : {}), ...(port ? { port: port.name, portRange: port.range } : {}) };
        }),
    }),
    calls: field({
      doc: "The services and databases this service calls. Network policies (and, with a mesh, authorization policies) allow exactly these calls.",
      syntax: "<service|database>, …",
      example: "ledger, fraud",
      repeatable: true,
      read: (ctx) => wordList(ctx, "a service or database name"),
    }),
    limit: field({
      doc: "A rate limit for the service's inbound requests: `limit 100/s`.",
      syntax: "<n>/s | <n>/m | <n>/h",
      example: "100/s",
      numbers: [RANGES.rate],
      read: (ctx) => single(ctx, (r) => r.rate(RANGES.rate)),
    }),
    probe: probeField,
    "smoke-test": smokeTestField,
    grace: field({
      doc: "How long Kubernetes waits for the process to drain in-flight requests before killing it (terminationGracePeriodSeconds).",
      syntax: "<duration>",
      example: "30s",
      numbers: [RANGES.grace],
      read: (ctx) => single(ctx, (r) => r.duration(RANGES.grace)),
    }),
    user: field({
      doc: "The non-root user and group id the containers run as.",
      syntax: "<uid>",
      example: "10001",
      numbers: [RANGES.user],
      read: (ctx) => single(ctx, (r) => r.count(RANGES.user)),
    }),
    update: field({
      doc: "Rolling update budget: `update surge 25%, unavailable 0`.",
      syntax: "surge <n|p%>, unavailable <n|p%>",
      example: "surge 1, unavailable 0",
      values: ["surge", "unavailable"],
      numbers: [RANGES.surge, RANGES.surgePercent, RANGES.unavailable, RANGES.unavailablePercent],
      read: readRollingUpdate,
    }),
    writable: field({
      doc: "Directories the service may write to; the root filesystem is read-only, so each becomes an emptyDir volume. /tmp is always writable.",
      syntax: "/<path>, …",
      example: "/var/cache/app",
      repeatable: true,
      replaceInEnvironment: true,
      read: readWritablePaths,
    }),
    "kubernetes-api": field({
      doc: "Whether the service talks to the Kubernetes API. Only then is a service-account token mounted.",
      syntax: "yes | no",
      example: "no",
      values: ["yes", "no"],
      read: (ctx) => single(ctx, (r) => r.oneOf(["yes", "no"] as const, "yes/no value")),
    }),
    tier: field({
      doc: "How critical the service is: critical services get stricter availability defaults.",
      syntax: "critical | standard | batch",
      example: "critical",
      values: ["critical", "standard", "batch"],
      read: (ctx) => single(ctx, (r) => r.oneOf(["critical", "standard", "batch"] as const, "tier")),
    }),
  },
};

export const DATABASE_OUTPUT_NAMES = DATABASE_OUTPUTS;
