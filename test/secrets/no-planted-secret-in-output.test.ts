import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { filesBelow, runFinc } from "../helpers/run-cli.js";
import { EMITTERS } from "../../compiler/emit/build-outputs.js";
import { tempDir } from "../kustomize/support.js";
import { CREDENTIALS } from "./planted-credentials.js";
import { scanText, wordsJoined } from "./scanner.js";

/**
 * The end-to-end side of FIN4032: a spec with a plaintext credential anywhere builds nothing,
 * for every target at once; and a spec that holds its secrets the legitimate ways (secret
 * stores, database outputs, sealed ciphertext) with plaintext values lying around in its
 * comments builds every target, and no emitted file contains any of them.
 */
const ALL_TARGETS = Object.keys(EMITTERS).join(",");
const VALUES = Object.values(CREDENTIALS).map((c) => c.value);
/** The distinctive part of each value: a URL's password, the key itself. */
const LITERALS = Object.values(CREDENTIALS).map((c) => (c.covers ? c.covers.split(":")[1]! : c.value));

const finc = runFinc;
const walk = filesBelow;

function platform(extra = "", compliance = false): string {
  return `platform payments {
  cloud        aws
  regions      eu-west-1 primary, eu-central-1
  environments dev, prod
  account      "123456789012"
  cluster      "payments-dev"
  kms          "alias/payments-dev"
${compliance ? "  compliance   pci-dss\n" : ""}  registry     "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"
  mesh         istio ambient
  ingress      istio
  monitoring   prometheus
  ${extra}
}
secretstore vault {
  provider vault
  server   "https://vault.internal.example.com:8200"
  path     "secret"
  role     "payments"
}
secretstore aws {
  provider aws
  server   "eu-west-1"
}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
namespace payments {
  security restricted
}
`;
}

function service(lines = ""): string {
  return `service api {
  image    "registry.example.com/payments/api:1.8.0"
  port     http 8080, metrics 9102
  replicas 2 to 6
  config   LOG_LEVEL = "info"
  expose   "api.payments.example.com" path /v1 tls letsencrypt
  ${lines}
}
`;
}

function writeSpec(text: string): string {
  const dir = tempDir("planted");
  mkdirSync(join(dir, "spec"));
  writeFileSync(join(dir, "spec/payments.fin"), text);
  return dir;
}

/** Where each refused value is planted: rotating over config, commands, scalers, stores, hosts, docs and overrides. */
const PLANTINGS: ((c: string) => string)[] = [
  (c) => platform() + service(`config UPSTREAM = "${c}"`),
  (c) => platform() + service(`migrate "registry.example.com/payments/migrate:1.0.0" run "migrate up --dsn ${c}"`),
  (c) => platform() + service(`scale on prometheus "up" above 50 server "${c}"`),
  (c) => platform().replace('path     "secret"', `path     "${c}"`) + service(),
  (c) => platform(`tracing otel "${c}:4317"`) + service(),
  (c) => platform() + `/// Settles with ${c}.\n` + service(),
  (c) => platform() + service() + `environment prod {\n  api.config UPSTREAM = "${c}"\n}\n`,
  (c) => platform() + service(`secret X from vault "payments/${c}" key "k"`),
];

describe('a refused credential ("FIN4032") means no output at all, for every target', () => {
  Object.entries(CREDENTIALS).forEach(([kind, c], i) => {
    it(`${kind}`, async () => {
      const dir = writeSpec(PLANTINGS[i % PLANTINGS.length]!(c.value));
      const r = await finc(["build", "spec", "--out", "out", "--target", ALL_TARGETS], dir);
      expect(r.code).toBe(1);
      expect(r.err).toContain("error[FIN4032]");
      expect(r.err).toContain("nothing was written");
      expect(existsSync(join(dir, "out"))).toBe(false);
    });
  });

  it("a secret-named config key with a literal, and an acknowledged line under pci-dss", async () => {
    for (const text of [
      platform() + service('config DB_PASSWORD = "correct-horse-battery-staple"'),
      platform("", true) + service('config DB_PASSWORD = "correct-horse-battery-staple" // finc:allow-plaintext local fixture'),
    ]) {
      const dir = writeSpec(text);
      const r = await finc(["build", "spec", "--out", "out", "--target", ALL_TARGETS], dir);
      expect(r.code).toBe(1);
      expect(r.err).toContain("error[FIN4032]");
      expect(existsSync(join(dir, "out"))).toBe(false);
    }
  });
});

describe("the output scanner", () => {
  it("finds every planted value on its own, but not Terraform types and generated names", () => {
    for (const [kind, c] of Object.entries(CREDENTIALS)) expect(scanText("x", `value: ${c.value}`, LITERALS).length, kind).toBeGreaterThan(0);
    expect(wordsJoined("aws_s3_bucket_server_side_encryption_configuration")).toBe(true);
    expect(wordsJoined("payments-dev-backups-123456789012")).toBe(true);
    expect(wordsJoined("q8Xv2LmN4pRt7WzK9bYc3HdJ6fGs1QaE")).toBe(false);
    expect(wordsJoined("a8f3k2-j9x7q1-m4n5b6")).toBe(false);
    expect(scanText("x", '"bucket": "payments-dev-backups-123456789012"')).toEqual([]);
  });
});

describe("the legitimate forms build every target, and no planted value reaches any output", () => {
  const SEALED = "AQBDTA41Ft0rM/TtlzPgkszJk8c2L3XIseYeocmg9i1z8JOrOOsXFNP4PMMdI6YQTtvVLMH3H/N0VbNbYqG87dp+b4gq5/bfWrAEEPf49q3q8CuWKtk86VBoRKsqeY5OIyg+ZuFTNT3cZfw7r0jGnMm4oSV9t2gbt/BYZzlmPJWvflKDl9HmFfGwxK0k2//95v60dIqbHyOWV2zMxYyI7ZYPpddI0a7tVFM2nUHEFjXNicp7h7EqtuEz3iY7x1U+3TXk0OvpO89Wgj1FksvinbH2TmlqQRTbfhvADp5bxpIX/YUBAHY8q5g14/vUYxlEHNbzioC0CLhUyatf4Y6z7Z+cn+WPQm/07fFoEYpUxefOUaC/8f9zDmPYln+eJp8Njj4AvfNi6zGmgg==";
  // Plaintext lying around in ordinary comments: trivia, never part of any value.
  const comments = VALUES.map((v) => `// was: ${v}`).join("\n");
  const SPEC = `${comments}
${platform('alerting slack "#payments-oncall" from vault "monitoring/slack" key "webhook-url", pagerduty from vault "monitoring/pagerduty" key "routing-key"', true)}
${service(`secret STRIPE_KEY from aws "payments/stripe" key "api-key"   // ${VALUES[6]}
  secret GITHUB_TOKEN from vault "ci/github" key "token"
  secret DATABASE_URL from ledger-db.url
  secret WEBHOOK_SIGNING_KEY from sealed "${SEALED}"  // kubeseal --raw --name api-sealed --namespace payments
  config LEDGER_URL url = "http://ledger:8080", TOKEN_EXPIRY_SECONDS int = 3600
  scale on kafka "payments.events" lag 500 auth vault "payments/kafka"
  slo availability 99.95%, latency p99 250ms`)}
database ledger-db {
  storage     20Gi fast
  credentials from aws "payments/ledger-db" rotate 24h
  backup      every 6h keep 30d
}
environment prod {
  api.replicas 3 to 12
}
`;

  it("builds with no diagnostic, for every target including helm, kustomize and terraform", async () => {
    const dir = writeSpec(SPEC);
    const r = await finc(["build", "spec", "--out", "out", "--target", ALL_TARGETS], dir);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const out = join(dir, "out");
    const files = walk(out);
    for (const part of ["/helm/", "/kustomize/", "/terraform/"]) expect(files.some((f) => f.includes(part)), part).toBe(true);
    const all = files.map((f) => readFileSync(f, "utf8")).join("\n");
    expect(all).toContain("kind: SealedSecret");
    expect(all).toContain("payments/stripe");
    const findings = files.flatMap((f) => scanText(relative(out, f), readFileSync(f, "utf8"), LITERALS));
    expect(findings).toEqual([]);
  });
});
