import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { createNodeHost, createOverlayHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import { findCredentials, isSecretName, shannonEntropy } from "../../compiler/semantic/credential-patterns.js";
import { KIND_SPECS } from "../../compiler/semantic/schema/index.js";
import { compileSources, REPO, STDLIB, summarize, VIRTUAL } from "../helpers/compile.js";
import { CREDENTIALS } from "./planted-credentials.js";

/**
 * FIN4032: a credential in any string of a spec is refused, at the planted text.
 * Every field whose syntax takes a string (read from the schemas) has a place in PLACES below.
 */

const KINDS = Object.keys(CREDENTIALS);

/** Where a planted string goes: a block of the spec and the line, given the credential text. */
interface Place {
  /** `kind.field` as in the schemas, or a description for places that are not one field. */
  readonly field: string;
  readonly where: "platform" | "store" | "issuer" | "service" | "database" | "environment" | "declaration" | "doc";
  readonly line: (c: string) => string;
  /** Only credentials that lex as one word/path (no ':' or '/'), for word and path places. */
  readonly bare?: boolean;
  /** Image references skip the entropy rule (tags are often commit hashes): key formats only. */
  readonly keyFormatsOnly?: boolean;
}

const PLACES: Place[] = [
  { field: "platform.tracing", where: "platform", line: (c) => `tracing otel "${c}:4317"` },
  { field: "platform.account", where: "platform", line: (c) => `account "${c}"` },
  { field: "platform.cluster", where: "platform", line: (c) => `cluster "${c}"` },
  { field: "platform.kms", where: "platform", line: (c) => `kms "${c}"` },
  { field: "platform.storage-provisioner", where: "platform", line: (c) => `storage-provisioner "${c}"` },
  { field: "platform.tenant", where: "platform", line: (c) => `tenant "${c}"` },
  { field: "platform.resource-group", where: "platform", line: (c) => `resource-group "${c}"` },
  { field: "platform.client-ids", where: "platform", line: (c) => `client-ids "apps/api" "${c}"` },
  { field: "platform.monitoring", where: "platform", line: (c) => `monitoring prometheus runbooks "${c}"` },
  { field: "platform.alerting", where: "platform", line: (c) => `alerting slack "${c}" from vault "monitoring/slack"` },
  { field: "platform.alerting path", where: "platform", line: (c) => `alerting pagerduty from vault "${c}" key "routing-key"` },
  { field: "platform.kubernetes", where: "platform", line: (c) => `kubernetes "${c}"` },
  { field: "platform.registry", where: "platform", line: (c) => `registry "${c}" credentials vault "ci/registry" key "dockerconfigjson"` },
  { field: "platform.registry key", where: "platform", line: (c) => `registry "registry.example.com" credentials vault "ci/registry" key "${c}"` },
  { field: "platform.delivery", where: "platform", line: (c) => `delivery argocd repo "${c}"` },
  { field: "platform.pipeline", where: "platform", line: (c) => `pipeline github-actions spec "${c}"` },
  { field: "platform.chaos", where: "platform", line: (c) => `chaos dev schedule "${c}"` },
  { field: "platform.image-signing", where: "platform", line: (c) => `image-signing cosign key "${c}"` },
  { field: "platform.image-signing keyless", where: "platform", line: (c) => `image-signing cosign keyless issuer "https://token.actions.githubusercontent.com" subject "${c}"` },
  { field: "secretstore.server", where: "store", line: (c) => `server "${c}"` },
  { field: "secretstore.path", where: "store", line: (c) => `path "${c}"` },
  { field: "secretstore.cidr", where: "store", line: (c) => `cidr "${c}"` },
  { field: "secretstore.role", where: "store", line: (c) => `role "${c}"` },
  { field: "issuer.acme", where: "issuer", line: (c) => `acme "${c}" email "ops@example.com"` },
  { field: "issuer.acme email", where: "issuer", line: (c) => `acme "https://acme.example.com/directory" email "${c}"` },
  { field: "issuer.solver", where: "issuer", line: (c) => `acme "https://acme.example.com/directory" email "ops@example.com"\n  solver dns cloudflare "${c}" key "api-token"` },
  { field: "issuer.solver route53", where: "issuer", line: (c) => `acme "https://acme.example.com/directory" email "ops@example.com"\n  solver dns route53 "${c}" region "eu-west-1"` },
  { field: "issuer.solver azure", where: "issuer", line: (c) => `acme "https://acme.example.com/directory" email "ops@example.com"\n  solver dns azure "${c}" group "dns"` },
  { field: "issuer.solver google", where: "issuer", line: (c) => `acme "https://acme.example.com/directory" email "ops@example.com"\n  solver dns google "${c}" zone "example"` },
  { field: "issuer.ca", where: "issuer", line: (c) => `ca "${c}"` },
  { field: "service.balance", where: "service", line: (c) => `balance consistent-hash "${c}"` },
  { field: "service.affinity", where: "service", line: (c) => `affinity cookie "${c}"` },
  { field: "service.split", where: "service", line: (c) => `split v1 90%, v2 10% "${c}"`, keyFormatsOnly: true },
  { field: "service.scale", where: "service", line: (c) => `replicas 1 to 5\n  scale on kafka "${c}" lag 500` },
  { field: "service.scale group", where: "service", line: (c) => `replicas 1 to 5\n  scale on kafka "payments" lag 500 group "${c}"` },
  { field: "service.scale brokers", where: "service", line: (c) => `replicas 1 to 5\n  scale on kafka "payments" lag 500 brokers "${c}"` },
  { field: "service.scale auth", where: "service", line: (c) => `replicas 1 to 5\n  scale on kafka "payments" lag 500 auth vault "${c}"` },
  { field: "service.scale sqs", where: "service", line: (c) => `replicas 1 to 5\n  scale on queue sqs "${c}" depth 100` },
  { field: "service.scale query", where: "service", line: (c) => `replicas 1 to 5\n  scale on prometheus "sum(rate(x{token='${c}'}[1m]))" above 50` },
  { field: "service.scale server", where: "service", line: (c) => `replicas 1 to 5\n  scale on prometheus "up" above 50 server "${c}"` },
  { field: "service.scale cron", where: "service", line: (c) => `replicas 1 to 5\n  scale on cron "${c}" to "0 19 * * 1-5" replicas 3` },
  { field: "service.scale timezone", where: "service", line: (c) => `replicas 1 to 5\n  scale on cron "0 7 * * 1-5" to "0 19 * * 1-5" replicas 3 timezone "${c}"` },
  { field: "service.image", where: "declaration", line: (c) => `service web {\n  port http 8080\n  image "${c}"\n}`, keyFormatsOnly: true },
  { field: "service.config", where: "service", line: (c) => `config LOG_LEVEL = "info", UPSTREAM = "${c}"` },
  { field: "service.config typed string", where: "service", line: (c) => `config UPSTREAM string = "${c}"` },
  { field: "service.config typed url", where: "service", line: (c) => `config UPSTREAM_URL url = "${c}"` },
  { field: "service.config block", where: "service", line: (c) => `config {\n    /// The upstream.\n    UPSTREAM = "${c}"\n  }` },
  { field: "service.config word", where: "service", line: (c) => `config UPSTREAM = ${c}`, bare: true },
  { field: "service.secret path", where: "service", line: (c) => `secret X from vault "${c}" key "k"` },
  { field: "service.secret key", where: "service", line: (c) => `secret X from vault "team/x" key "${c}"` },
  { field: "service.migrate", where: "service", line: (c) => `migrate "${c}" run "migrate up"`, keyFormatsOnly: true },
  { field: "service.migrate command", where: "service", line: (c) => `migrate "registry.example.com/a/migrate:1.0.0" run "migrate up --dsn ${c}"` },
  { field: "service.expose", where: "service", line: (c) => `expose "${c}" path /v1` },
  { field: "service.expose path", where: "service", line: (c) => `expose "api.example.com" path /v1/${c}`, bare: true },
  { field: "service.probe path", where: "service", line: (c) => `probe readiness /ready/${c}`, bare: true },
  { field: "service.writable path", where: "service", line: (c) => `writable /var/${c}`, bare: true },
  { field: "service.config-mount path", where: "service", line: (c) => `config-mount /etc/${c}`, bare: true },
  { field: "service.egress", where: "service", line: (c) => `egress "${c}" 443` },
  { field: "service.init", where: "service", line: (c) => `init "registry.example.com/a/setup:1.0.0" run "setup --token ${c}"` },
  { field: "service.labels", where: "service", line: (c) => `labels team = "${c}"` },
  { field: "service.annotations", where: "service", line: (c) => `annotations "example.com/note" = "${c}"` },
  { field: "worker.init", where: "declaration", line: (c) => `worker w {\n  image "r.io/w:1.0.0"\n  init "r.io/i:1.0.0" run "setup --token ${c}"\n}` },
  { field: "worker.labels", where: "declaration", line: (c) => `worker w {\n  image "r.io/w:1.0.0"\n  labels team = "${c}"\n}` },
  { field: "nodepool.instance-types", where: "declaration", line: (c) => `nodepool spot {\n  instance-types "${c}"\n}` },
  { field: "nodepool.zones", where: "declaration", line: (c) => `nodepool spot {\n  zones "${c}"\n}` },
  { field: "worker.annotations", where: "declaration", line: (c) => `worker w {\n  image "r.io/w:1.0.0"\n  annotations "example.com/note" = "${c}"\n}` },
  { field: "job.init", where: "declaration", line: (c) => `job j {\n  image "r.io/j:1.0.0"\n  init "r.io/i:1.0.0" run "setup --token ${c}"\n}` },
  { field: "job.labels", where: "declaration", line: (c) => `job j {\n  image "r.io/j:1.0.0"\n  labels team = "${c}"\n}` },
  { field: "job.annotations", where: "declaration", line: (c) => `job j {\n  image "r.io/j:1.0.0"\n  annotations "example.com/note" = "${c}"\n}` },
  { field: "cronjob.init", where: "declaration", line: (c) => `cronjob cj {\n  image "r.io/c:1.0.0"\n  schedule "0 2 * * *"\n  init "r.io/i:1.0.0" run "setup --token ${c}"\n}` },
  { field: "cronjob.labels", where: "declaration", line: (c) => `cronjob cj {\n  image "r.io/c:1.0.0"\n  schedule "0 2 * * *"\n  labels team = "${c}"\n}` },
  { field: "cronjob.annotations", where: "declaration", line: (c) => `cronjob cj {\n  image "r.io/c:1.0.0"\n  schedule "0 2 * * *"\n  annotations "example.com/note" = "${c}"\n}` },
  // Scheduling fields (scheduling-fields.ts): a node selector and a scheduler name, on every kind that runs pods.
  ...(["service", "worker", "job", "cronjob"] as const).flatMap((kind): Place[] => {
    const decl = (line: string) => `${kind} s {\n  image "r.io/s:1.0.0"\n${kind === "service" ? "  port http 8080\n" : ""}${kind === "cronjob" ? '  schedule "0 2 * * *"\n' : ""}  ${line}\n}`;
    return [
      { field: `${kind}.on`, where: "declaration", line: (c) => decl(`on nodes "${c}"`) },
      { field: `${kind}.prefer`, where: "declaration", line: (c) => decl(`prefer nodes "${c}"`) },
      { field: `${kind}.scheduler`, where: "declaration", line: (c) => decl(`scheduler "${c}"`) },
    ];
  }),
  { field: "worker.image", where: "declaration", line: (c) => `worker w {\n  image "${c}"\n}`, keyFormatsOnly: true },
  { field: "worker.secret", where: "declaration", line: (c) => `worker w {\n  image "r.io/w:1.0.0"\n  secret X from vault "${c}" key "k"\n}` },
  { field: "worker.migrate", where: "declaration", line: (c) => `worker w {\n  image "r.io/w:1.0.0"\n  migrate "r.io/m:1.0.0" run "migrate --dsn ${c}"\n}` },
  { field: "worker.egress", where: "declaration", line: (c) => `worker w {\n  image "r.io/w:1.0.0"\n  egress "${c}" 443\n}` },
  { field: "worker.scale", where: "declaration", line: (c) => `worker w {\n  image "r.io/w:1.0.0"\n  replicas 1 to 5\n  scale on kafka "${c}" lag 100\n}` },
  { field: "job.image", where: "declaration", line: (c) => `job j {\n  image "${c}"\n}`, keyFormatsOnly: true },
  { field: "job.secret", where: "declaration", line: (c) => `job j {\n  image "r.io/j:1.0.0"\n  secret X from vault "team/x" key "${c}"\n}` },
  { field: "job.migrate", where: "declaration", line: (c) => `job j {\n  image "r.io/j:1.0.0"\n  migrate "r.io/m:1.0.0" run "migrate --dsn ${c}"\n}` },
  { field: "job.egress", where: "declaration", line: (c) => `job j {\n  image "r.io/j:1.0.0"\n  egress "${c}" 443\n}` },
  { field: "cronjob.image", where: "declaration", line: (c) => `cronjob cj {\n  schedule "0 2 * * *"\n  image "${c}"\n}`, keyFormatsOnly: true },
  { field: "cronjob.secret", where: "declaration", line: (c) => `cronjob cj {\n  image "r.io/c:1.0.0"\n  schedule "0 2 * * *"\n  secret X from vault "${c}" key "k"\n}` },
  { field: "cronjob.migrate", where: "declaration", line: (c) => `cronjob cj {\n  image "r.io/c:1.0.0"\n  schedule "0 2 * * *"\n  migrate "r.io/m:1.0.0" run "migrate --dsn ${c}"\n}` },
  { field: "cronjob.egress", where: "declaration", line: (c) => `cronjob cj {\n  image "r.io/c:1.0.0"\n  schedule "0 2 * * *"\n  egress "${c}" 443\n}` },
  { field: "cronjob.schedule", where: "declaration", line: (c) => `cronjob cj {\n  image "r.io/c:1.0.0"\n  schedule "${c}"\n}` },
  { field: "cronjob.timezone", where: "declaration", line: (c) => `cronjob cj {\n  image "r.io/c:1.0.0"\n  schedule "0 2 * * *"\n  timezone "${c}"\n}` },
  { field: "database.credentials", where: "database", line: (c) => `credentials from vault "${c}"` },
  { field: "database.image", where: "database", line: (c) => `image "${c}"`, keyFormatsOnly: true },
  { field: "database.init", where: "database", line: (c) => `init "${c}"` },
  { field: "environment override", where: "environment", line: (c) => `api.migrate "registry.example.com/a/migrate:1.0.0" run "migrate --dsn ${c}"` },
  { field: "environment config override", where: "environment", line: (c) => `api.config UPSTREAM = "${c}"` },
  { field: "environment block override", where: "environment", line: (c) => `api {\n    config UPSTREAM = "${c}"\n  }` },
  { field: "pattern", where: "declaration", line: (c) => `pattern base for service {\n  config UPSTREAM = "${c}"\n}` },
  { field: "doc comment", where: "doc", line: (c) => `/// Talks to ${c} for settlements.` },
  // Added last, so that the rotation of credential kinds over the places above stays as it was.
  { field: "platform.ingress", where: "platform", line: (c) => `ingress alb waf "${c}"`, keyFormatsOnly: true },
  { field: "platform.budget", where: "platform", line: (c) => `budget 4000 USD/month notify "${c}"` },
  { field: "platform.sleep", where: "platform", line: (c) => `sleep nights "20:00-07:00" timezone "${c}" in dev` },
  { field: "platform.cost-center", where: "platform", line: (c) => `cost-center "${c}"` },
  { field: "platform.smoke-image", where: "platform", line: (c) => `smoke-image "${c}"`, keyFormatsOnly: true },
  { field: "namespace.budget", where: "declaration", line: (c) => `namespace extra {\n  budget 4000 USD/month notify "${c}"\n}` },
  { field: "namespace.cost-center", where: "declaration", line: (c) => `namespace extra {\n  cost-center "${c}"\n}` },
  { field: "database.drill", where: "database", line: (c) => `drill weekly query "${c}"` },
  { field: "platform.billing-account", where: "platform", line: (c) => `billing-account "${c}"` },
  { field: "cluster.health-check", where: "declaration", line: (c) => `cluster extra {\n  region eu-west-1\n  role   primary\n  health-check "${c}"\n}` },
  { field: "platform.monitoring workspace", where: "platform", line: (c) => `monitoring amazon-managed-prometheus workspace "${c}"` },
  { field: "cluster.client-ids", where: "declaration", line: (c) => `cluster extra {\n  region eu-west-1\n  role   primary\n  client-ids "apps/api" "${c}"\n}` },
];

interface SpecParts {
  platform?: string;
  store?: string;
  issuer?: string;
  service?: string;
  database?: string;
  environment?: string;
  declaration?: string;
  doc?: string;
  compliance?: boolean;
  /** `service api is <base>` */
  base?: string;
}

function spec(p: SpecParts): string {
  return `platform shop {
  cloud        aws
  regions      eu-west-1 primary
  environments dev, prod
${p.compliance ? "  compliance   pci-dss\n" : ""}  ${p.platform ?? ""}
}
secretstore vault {
  provider vault
  server   "https://vault.example.com:8200"
  ${p.store ?? ""}
}
namespace apps {}
${p.issuer ? `issuer le {\n  ${p.issuer}\n}\n` : ""}${p.doc ?? ""}
service api ${p.base ? `is ${p.base} ` : ""}{
  image "registry.example.com/shop/api:1.0.0"
  port  http 8080
  ${p.service ?? ""}
}
${p.database ? `database db {\n  storage 10Gi\n  ${p.database}\n}\n` : ""}${p.declaration ?? ""}
environment prod {
  ${p.environment ?? ""}
}
`;
}

const found = (text: string, files: Record<string, string> = {}) => {
  const p = compileSources({ "main.fin": text, ...files });
  return { program: p, all: p.diagnostics, fin4032: p.diagnostics.filter((d) => d.code === "FIN4032").map((d) => summarize(p, d)) };
};
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split("\n").length;

function plant(place: Place, kind: string): { text: string; covers: string; line: number } {
  const c = CREDENTIALS[kind]!;
  const text = spec({ [place.where]: place.line(c.value) });
  const covers = c.covers ?? c.value;
  return { text, covers, line: lineOf(text, covers) };
}

const usable = (place: Place) => KINDS.filter((k) => {
  const c = CREDENTIALS[k]!;
  if (place.bare && !c.word) return false;
  if (place.keyFormatsOnly && k.startsWith("high-entropy")) return false;
  return true;
});

describe('"FIN4032": every kind of credential, in a config value, a migrate command and a secret store\'s server', () => {
  const main = PLACES.filter((p) => ["service.config", "service.migrate command", "secretstore.server", "environment override"].includes(p.field));
  for (const place of main) {
    for (const kind of usable(place)) {
      it(`${kind} in ${place.field}`, () => {
        const { text, covers, line } = plant(place, kind);
        expect(found(text).fin4032).toContainEqual({ code: "FIN4032", text: covers, line });
      });
    }
  }
});

describe('"FIN4032": a credential in every string-valued place of the language', () => {
  PLACES.forEach((place, i) => {
    const kinds = usable(place);
    // Two kinds per place, rotating, so every place sees a URL-less and a varied credential.
    for (const kind of [kinds[i % kinds.length]!, kinds[(i * 7 + 3) % kinds.length]!]) {
      it(`${place.field}: ${kind}`, () => {
        const { text, covers, line } = plant(place, kind);
        expect(found(text).fin4032).toContainEqual({ code: "FIN4032", text: covers, line });
      });
    }
  });

  it("every field whose syntax takes a string has a place in the battery", () => {
    const stringFields = Object.entries(KIND_SPECS).flatMap(([kind, s]) =>
      Object.entries(s.fields).filter(([, f]) => f.syntax.includes('"')).map(([name]) => `${kind}.${name}`),
    );
    expect(stringFields.length).toBeGreaterThan(20);
    const covered = new Set(PLACES.map((p) => p.field.split(" ")[0]));
    expect(stringFields.filter((f) => !covered.has(f))).toEqual([]);
  });
});

describe('"FIN4032": config keys whose name says secret', () => {
  const cfg = (line: string) => spec({ service: line });
  it.each([
    ["DB_PASSWORD", '"hunter2"', "hunter2"],
    ["SMTP_PASSWD", '"hunter2"', "hunter2"],
    ["SESSION_SECRET", '"not-so-secret"', "not-so-secret"],
    ["GITHUB_TOKEN", '"abc"', "abc"],
    ["BEARERTOKEN", '"abc"', "abc"],
    ["PAYMENT_API_KEY", '"k-1"', "k-1"],
    ["MAPS_APIKEY", '"k-1"', "k-1"],
    ["JWT_PRIVATE_KEY", '"k"', "k"],
    ["SERVICE_CREDENTIALS", '"u:p"', "u:p"],
    ["DB_PASSWORD", "hunter2", "hunter2"],
  ])("%s = %s", (key, value, covers) => {
    const text = cfg(`config ${key} = ${value}`);
    expect(found(text).fin4032).toContainEqual({ code: "FIN4032", text: covers, line: lineOf(text, `config ${key}`) });
  });

  it("a typed string key, a block entry and an environment's value are refused too", () => {
    const text = spec({ service: 'config DB_PASSWORD string = "a1"\n  config {\n    API_TOKEN = "a2"\n  }', environment: 'api.config DB_PASSWORD = "a3"' });
    expect(found(text).fin4032.map((d) => d.text)).toEqual(["a1", "a2", "a3"]);
  });

  it("the message names the key, the hint and the quick fix show the spec's first secret store", () => {
    const text = spec({ service: 'config DB_PASSWORD = "hunter2"' }).replace("secretstore vault", "secretstore hsm");
    const { program } = found(text);
    const d = program.diagnostics.find((x) => x.code === "FIN4032")!;
    expect(d.message).toBe("The config value of DB_PASSWORD looks like a credential written in plain text.");
    expect(d.hint).toContain('`secret DB_PASSWORD from hsm "path/to/db-password" key "db-password"`');
    expect(d.hint).toContain("// finc:allow-plaintext <why>");
    const fixed = applyFix(program, d);
    expect(fixed).toContain('  secret DB_PASSWORD from hsm "path/to/db-password" key "db-password"\n');
    expect(fixed).not.toContain("hunter2");
  });

  it("without a secret store the form names vault", () => {
    const text = spec({ service: 'config DB_PASSWORD = "hunter2"' }).replace(/secretstore vault \{[^}]*\}/, "");
    const d = found(text).program.diagnostics.find((x) => x.code === "FIN4032")!;
    expect(d.hint).toContain('secret DB_PASSWORD from vault "path/to/db-password"');
  });

  it("a URL in a field is described as the URL in that field", () => {
    const { program } = found(spec({ store: 'path "postgres://app:hunter22@db:5432/x"' }));
    const d = program.diagnostics.find((x) => x.code === "FIN4032")!;
    expect(d.message).toBe("The URL in `path` looks like a credential written in plain text.");
    expect(d.hint).toContain("user:password@");
    const key = found(spec({ service: 'migrate "registry.example.com/a/m:1.0.0" run "m --key sk_live_4eC39HqLyjWDarjtT1zdp7dc"' })).program.diagnostics.find((x) => x.code === "FIN4032")!;
    expect(key.message).toBe("This string in `migrate` (a Stripe secret key) looks like a credential written in plain text.");
    expect(key.hint).toContain('`secret <ENV> from vault "path/to/<env>" key "<env>"`');
  });
});

describe("no FIN4032 for what is not a credential", () => {
  const SEALED = "AQBDTA41Ft0rM/TtlzPgkszJk8c2L3XIseYeocmg9i1z8JOrOOsXFNP4PMMdI6YQTtvVLMH3H/N0VbNbYqG87dp+b4gq5/bfWrAEEPf49q3q8CuWKtk86VBoRKsqeY5OIyg+ZuFTNT3cZfw7r0jGnMm4oSV9t2gbt/BYZzlmPJWvflKDl9HmFfGwxK0k2//95v60dIqbHyOWV2zMxYyI7ZYPpddI0a7tVFM2nUHEFjXNicp7h7EqtuEz3iY7x1U+3TXk0OvpO89Wgj1FksvinbH2TmlqQRTbfhvADp5bxpIX/YUBAHY8q5g14/vUYxlEHNbzioC0CLhUyatf4Y6z7Z+cn+WPQm/07fFoEYpUxefOUaC/8f9zDmPYln+eJp8Njj4AvfNi6zGmgg==";
  it.each<[string, SpecParts]>([
    ["typed int, duration, bool and enum keys with secret names", { service: "config TOKEN_EXPIRY_SECONDS int = 3600, API_TOKEN int = 5, SESSION_SECRET_ROTATION duration = 24h, PASSWORD_LOGIN bool = true, TOKEN enum jwt opaque = jwt" }],
    ["a key typed int in a pattern, its value set by an environment", { declaration: "pattern base for service {\n  config { API_TOKEN int = 1 }\n}", environment: 'api.config API_TOKEN = "5"', base: "base" }],
    ["a URL without credentials under a token-ish name", { service: 'config TOKEN_URL url = "https://auth.example.com/oauth/token", SECRET_STORE_URL = "https://vault.example.com"' }],
    ["keys that describe a secret rather than hold it", { service: 'config PASSWORD_MIN_LENGTH = "12", API_KEY_FILE = "/var/run/secrets/api-key", DB_SECRET_NAME = "ledger-db", TOKEN_TTL = "1h"' }],
    ["empty strings and setting words", { service: 'config DB_PASSWORD = "", API_KEY_CHECK = none, AUTH_TOKEN = false' }],
    ["a user without a password, and a password the pod expands", { service: 'config A_URL = "postgres://app@db:5432/x", B_URL = "postgres://app:$(DB_PASSWORD)@db:5432/x", C_URL = "amqp://u:${AMQP_PASSWORD}@mq:5672"' }],
    ["image digests and commit-hash tags", { service: "", declaration: 'service w {\n  port 80\n  image "registry.example.com/a/w@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"\n  migrate "registry.example.com/a/m:3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39" run "migrate up"\n}' }],
    ["a digest in any string", { service: 'config IMAGE = "registry.example.com/a/w@sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", CHECKSUM = "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"' }],
    ["sealed ciphertext (FIN4001 checks it)", { service: `secret HOOK from sealed "${SEALED}"` }],
    ["ordinary URLs, hosts and addresses", { platform: 'tracing otel "otel-collector.observability.svc.cluster.local:4317"\n  monitoring prometheus runbooks "https://runbooks.example.com/payments/alerts"', store: 'path "secret"\n  cidr "10.0.0.0/16"', service: 'expose "api.payments.example.com" path /v1\n  config LEDGER_URL url = "http://ledger.payments.svc.cluster.local:8080/api/v1"' }],
    ["UUIDs and ARNs", { platform: 'kms "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"', service: 'config TENANT = "3f0e8a5c-9b2d-4c1e-8f7a-6d5b4c3a2e1f", UPPER = "3F0E8A5C-9B2D-4C1E-8F7A-6D5B4C3A2E1F"', issuer: 'acme "https://acme.example.com/directory" email "ops@example.com"\n  solver dns azure "12345678-1234-1234-1234-123456789abc" group "dns-zones"' }],
    ["long paths and identifiers", { service: 'expose "api.example.com" path /api/v1/payments/merchants/settlements/reconciliation-reports\n  probe readiness /grpc.health.v1.Health\n  secret X from vault "payments/ledger-db/app_user/settlement_reconciliation_service" key "password"\n  config HANDLER = "/api/v2/GetPaymentStatusByMerchantIdentifier/ReconciliationReport"' }],
    ["cron, time zones and PromQL", { service: 'replicas 1 to 5\n  scale on cron "0 7 * * 1-5" to "0 19 * * 1-5" replicas 3 timezone "America/Argentina/Buenos_Aires"\n  scale on prometheus "sum(rate(istio_request_duration_milliseconds_bucket{destination_workload=\\"api\\"}[5m]))" above 50' }],
    ["secret store references", { service: 'secret STRIPE_KEY from vault "payments/stripe" key "api-key"', platform: 'alerting slack "#payments-oncall" from vault "monitoring/slack" key "webhook-url"' }],
    ["an acknowledged line outside pci-dss", { service: 'config DB_PASSWORD = "hunter2" // finc:allow-plaintext the dev database of the local kind cluster' }],
  ])("%s", (_what, parts) => {
    const r = found(spec(parts));
    expect(r.fin4032).toEqual([]);
  });

  it("`secret X = \"…\"` is FIN4001 only, never also FIN4032", () => {
    const r = found(spec({ service: 'secret API_KEY = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"' }));
    expect(r.all.map((d) => d.code)).toEqual(["FIN4001"]);
  });

  it("the example platform (with every stdlib pattern it imports) has none", () => {
    const program = createProgram({ host: createNodeHost(STDLIB), roots: [join(REPO, "examples/payments")] });
    expect(program.files.size).toBeGreaterThan(3);
    expect(program.diagnostics.filter((d) => d.code === "FIN4032")).toEqual([]);
  });

  it("the stdlib is trusted: a planted value in a stdlib module is not scanned", () => {
    const planted = `${STDLIB}/zz-planted.fin`;
    const overlay = new Map([[planted, 'pattern planted for service {\n  config UPSTREAM = "postgres://app:hunter22@db:5432/x"\n}\n'], [`${VIRTUAL}/main.fin`, `import "zz-planted"\n${spec({})}`]]);
    const program = createProgram({ host: createOverlayHost(overlay, createNodeHost(STDLIB)), roots: [`${VIRTUAL}/main.fin`] });
    expect(program.files.get(planted)?.stdlib).toBe(true);
    expect(program.diagnostics.filter((d) => d.code === "FIN4032")).toEqual([]);
  });
});

describe("acknowledging a false positive: `// finc:allow-plaintext <reason>`", () => {
  const LINE = 'config DB_PASSWORD = "hunter2"';
  it("outside pci-dss a reasoned acknowledgement on the same line silences it", () => {
    expect(found(spec({ service: `${LINE} // finc:allow-plaintext fixture for the local kind cluster` })).fin4032).toEqual([]);
    expect(found(spec({ service: 'migrate "registry.example.com/a/m:1.0.0" run "m --dsn postgres://a:b2c3@db/x" // finc:allow-plaintext throwaway CI database' })).fin4032).toEqual([]);
  });

  it("an acknowledgement without a reason is ignored, and the hint says why", () => {
    const r = found(spec({ service: `${LINE} // finc:allow-plaintext` }));
    expect(r.fin4032.map((d) => d.text)).toEqual(["hunter2"]);
    expect(r.program.diagnostics.find((d) => d.code === "FIN4032")!.hint).toContain("is ignored: write the reason after it");
  });

  it("an acknowledgement on another line does not apply", () => {
    const r = found(spec({ service: `// finc:allow-plaintext the next line is fine\n  ${LINE}` }));
    expect(r.fin4032.map((d) => d.text)).toEqual(["hunter2"]);
  });

  it("under compliance pci-dss an acknowledged line is still refused, and the hint says acknowledgements are not accepted", () => {
    const r = found(spec({ compliance: true, service: `${LINE} // finc:allow-plaintext fixture for the local kind cluster` }));
    expect(r.fin4032.map((d) => d.text)).toEqual(["hunter2"]);
    const d = r.program.diagnostics.find((x) => x.code === "FIN4032")!;
    expect(d.severity).toBe("error");
    expect(d.hint).toContain("not accepted: under `compliance pci-dss`");
  });

  it("under pci-dss the hint offers no acknowledgement", () => {
    const d = found(spec({ compliance: true, service: LINE })).program.diagnostics.find((x) => x.code === "FIN4032")!;
    expect(d.hint).not.toContain("<why>");
    expect(d.hint).toContain("compliance pci-dss");
  });
});

describe("the detectors", () => {
  it("flag each credential kind on its own", () => {
    for (const [kind, c] of Object.entries(CREDENTIALS)) {
      const m = findCredentials(c.value);
      expect(m.map((x) => c.value.slice(x.start, x.end)), kind).toEqual([c.covers ?? c.value]);
    }
  });

  it("the AWS secret key is caught by entropy and by its name in a connection string", () => {
    expect(shannonEntropy("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toBeGreaterThan(4.0);
    const s = "aws_secret_access_key=abcdefghijabcdefghijabcdefghijabcdefghij";
    expect(findCredentials(s).map((m) => m.label)).toEqual(["an AWS secret access key"]);
  });

  it("an address without a scheme needs a password and a host with a dot or a port", () => {
    expect(findCredentials("u1:pw@kafka-0.internal:9092,u2:pw2@kafka-1:9092").map((m) => m.label)).toEqual(["an address with a password", "an address with a password"]);
    expect(findCredentials("ops@example.com")).toEqual([]);
    expect(findCredentials("git@github.com:org/repo.git")).toEqual([]);
    expect(findCredentials("at 10:30@noon")).toEqual([]);
    expect(findCredentials("app:$(KAFKA_PASSWORD)@kafka.internal:9092")).toEqual([]);
  });

  it("a PEM public key or certificate hides nothing (image-signing's cosign key); a private key still is one", () => {
    const body = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEFN8gGjQua2g8N+aLxQbNdM5WBnVHKyOm3dbO2NZoo0fF4bAlHdTz";
    expect(findCredentials(`-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`)).toEqual([]);
    expect(findCredentials(`-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----`)).toEqual([]);
    // The same body outside a public block is still a random token.
    expect(findCredentials(body).map((m) => m.label)).toEqual(["a long random token"]);
    expect(findCredentials(`-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----`).map((m) => m.label)).toContain("a PEM private key");
  });

  it("a JWT-shaped string whose first segment is no JSON header is not a JWT", () => {
    expect(findCredentials("aaaaaaaaaaaa.bbbbbbbbbbbb.cccccccccccc")).toEqual([]);
  });

  it("secret names", () => {
    expect(["DB_PASSWORD", "API_KEY", "apiKey", "x-api-key", "STRIPE_SECRET", "GH_TOKEN", "ACCESSTOKEN", "TLS_PRIVATE_KEY", "GOOGLE_CREDENTIALS"].filter((k) => !isSecretName(k))).toEqual([]);
    expect(["LOG_LEVEL", "TOKEN_EXPIRY_SECONDS", "MAX_TOKENS", "TOKEN_URL", "PASSWORD_MIN_LENGTH", "API_KEY_FILE", "SECRET_NAME"].filter((k) => isSecretName(k))).toEqual([]);
  });

  it("take linear time: megabyte strings of letters, spaces, tokens, URLs and dots finish quickly", () => {
    const N = 1_000_000;
    const shapes = ["a".repeat(N), " ".repeat(N), "Ab1".repeat(N / 3), "x://".repeat(N / 4), "a://" + "b".repeat(N), "a://b:" + "c".repeat(N), "aaaaaaaaaaaa.".repeat(N / 13), "eyaaaaaaaaaa.".repeat(N / 13), "secret_access_key=" + " ".repeat(N), "q8Xv2LmN4pRt7WzK9bYc3HdJ6fGs1QaE ".repeat(N / 33), "a" + "-".repeat(N) + "a", "r.io/" + "a".repeat(N) + ":1", "-----BEGIN " + "A ".repeat(N / 2), "AKIA".repeat(N / 4)];
    const t0 = performance.now();
    for (const s of shapes) findCredentials(s);
    expect(performance.now() - t0).toBeLessThan(10_000); // quadratic would be minutes
  });

  it("a string with escapes is reported as a whole", () => {
    const text = spec({ service: 'config CERT = "-----BEGIN PRIVATE KEY-----\\nMIIEvQ"' });
    expect(found(text).fin4032.map((d) => d.text)).toEqual(['"-----BEGIN PRIVATE KEY-----\\nMIIEvQ"']);
  });
});

function applyFix(program: Program, d: Diagnostic): string {
  const src = program.getSourceFile(d.range.file)!.text;
  const edits = [...d.fixes![0]!.edits].sort((a, b) => b.range.start - a.range.start);
  return edits.reduce((t, e) => t.slice(0, e.range.start) + e.newText + t.slice(e.range.end), src);
}
