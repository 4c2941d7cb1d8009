import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { run, type Io } from "../../compiler/cli/main.js";
import { exampleDirs, tempDir } from "../kustomize/support.js";
import { k8sValidate, k8sValidateAvailable } from "./k8s-validate.js";
import { scanText } from "./scanner.js";

const TARGETS = "kubernetes,istio,ingress,helm,kustomize";

/** Plaintext values that the test specs below try to smuggle in: none may reach any output. */
const LITERALS = [
  "sk_live_4eC39HqLyjWDarjtT1zdp7dc",
  "AKIAIOSFODNN7EXAMPLE",
  "xoxb-2048-4096-QWERTYUIOPasdf",
  "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789",
  "correct-horse-battery-staple",
];

async function finc(args: string[], cwd: string) {
  let out = "";
  let err = "";
  const io: Io = { out: (t) => void (out += t), err: (t) => void (err += t), cwd, color: false };
  const code = await run(args, io);
  return { code, out, err };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

describe("scanner", () => {
  it("finds known key formats, literal values and high-entropy tokens", () => {
    const rules = (t: string, lits: string[] = []) => scanText("x", t, lits).map((f) => f.rule);
    expect(rules("key: AKIAIOSFODNN7EXAMPLE")).toContain("aws-access-key-id");
    expect(rules("-----BEGIN RSA PRIVATE KEY-----")).toContain("private-key");
    expect(rules("-----BEGIN OPENSSH PRIVATE KEY-----")).toContain("private-key");
    expect(rules("STRIPE: sk_live_4eC39HqLyjWDarjtT1zdp7dc")).toContain("stripe-secret-key");
    expect(rules("t: xoxb-2048-4096-QWERTYUIOPasdf")).toContain("slack-token");
    expect(rules("t: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789")).toContain("github-token");
    expect(rules("url: postgresql://app:hunter22@db:5432/x")).toContain("url-credentials");
    expect(rules("password: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")).toContain("high-entropy");
    expect(rules("token: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")).toContain("high-entropy");
    expect(rules("pw: correct-horse-battery-staple", ["correct-horse-battery-staple"])).toContain("known-secret-value");
  });

  it("allows finc's config checksum only where finc writes it", () => {
    expect(scanText("x", '        finc.dev/config-hash: "843b2f07774af05b"')).toEqual([]);
    expect(scanText("x", "- op: replace\n  path: /spec/template/metadata/annotations/finc.dev~1config-hash\n  value: b8e44625ef4ec97e")).toEqual([]);
    expect(scanText("x", "  api-token: 843b2f07774af05b").map((f) => f.rule)).toEqual(["high-entropy"]);
    expect(scanText("x", "- op: replace\n  path: /data/TOKEN\n  value: b8e44625ef4ec97e").map((f) => f.rule)).toEqual(["high-entropy"]);
  });

  it("does not flag ordinary manifest text", () => {
    const text = "app.kubernetes.io/name: horizontalpodautoscaler\nimage: registry.example.com/payments/payments-migrate:3.2.1\nkey: topology.kubernetes.io/zone\nremoteRef: { key: payments/ledger-db, property: password }\n";
    expect(scanText("x", text)).toEqual([]);
    expect(scanText("x", '"/spec/configPatches/0/patch/value/typed_config/token_bucket": {')).toEqual([]);
  });
});

describe.each(exampleDirs())("outputs of %s", (dir) => {
  it(`builds for --target ${TARGETS} and no output contains anything that looks like a secret`, async () => {
    const out = tempDir("scan");
    const r = await finc(["build", dir, "--out", out, "--target", TARGETS], process.cwd());
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const files = walk(out);
    expect(files.some((f) => f.includes("/helm/")) && files.some((f) => f.includes("/kustomize/"))).toBe(true);
    const findings = files.flatMap((f) => scanText(relative(out, f), readFileSync(f, "utf8"), LITERALS));
    expect(findings).toEqual([]);
  });

  it.runIf(k8sValidateAvailable())("every emitted ExternalSecret, SecretStore, ClusterSecretStore and SealedSecret validates against its CRD schema", async () => {
    const out = tempDir("crd");
    expect((await finc(["build", dir, "--out", out], process.cwd())).code).toBe(0);
    const envDirs = readdirSync(out).filter((n) => !n.startsWith(".")).map((n) => join(out, n));
    const { results } = k8sValidate(envDirs);
    const secretKinds = results.filter((r) => ["ExternalSecret", "SecretStore", "ClusterSecretStore", "SealedSecret"].includes(r.kind ?? ""));
    expect(secretKinds.length).toBeGreaterThan(0);
    for (const r of secretKinds) expect(r.status, `${r.file}: ${JSON.stringify(r.errors)}`).toBe("OK");
    for (const r of results) expect(r.status, `${r.file}: ${JSON.stringify(r.errors)}`).toBe("OK");
  }, 180_000);
});

describe("plaintext secrets in a spec", () => {
  const SPEC = (line: string) => `platform shop {
  cloud        aws
  regions      eu-west-1 primary
  kubernetes   "1.31"
  environments dev, prod
}

secretstore vault {
  provider vault
  server   "https://vault.internal.example.com:8200"
  path     "secret"
  role     "shop"
}

namespace shop {
  security restricted
}

service web {
  image  "registry.example.com/shop/web:1.0.0"
  port   http 8080
  ${line}
}
`;

  it.each(LITERALS.map((l, i) => [l, `SECRET_${i}`]))("`secret %s` is FIN4001 with the secret-store fix, and nothing is written", async (literal, env) => {
    const dir = tempDir("plain");
    mkdirSync(join(dir, "spec"));
    writeFileSync(join(dir, "spec/shop.fin"), SPEC(`secret ${env} = "${literal}"`));
    const out = join(dir, "out");
    for (const target of ["kubernetes", "helm", "kustomize"]) {
      const r = await finc(["build", "spec", "--out", "out", "--target", target], dir);
      expect(r.code).toBe(1);
      expect(r.err).toContain("FIN4001");
      expect(r.err.match(/error\[FIN\d+\]/g)).toEqual(["error[FIN4001]"]);
      expect(r.err).toMatch(/from vault "path\/to\/[a-z0-9-]+" key "[a-z0-9-]+"/);
      expect(r.err).toContain("nothing was written");
      expect(() => readdirSync(out)).toThrow();
    }
  });

  it("the same spec with the secret-store form builds every target, and the output names only the path", async () => {
    const dir = tempDir("store");
    mkdirSync(join(dir, "spec"));
    writeFileSync(join(dir, "spec/shop.fin"), SPEC('secret STRIPE_KEY from vault "shop/stripe" key "api-key"'));
    const r = await finc(["build", "spec", "--out", "out", "--target", TARGETS], dir);
    expect(r.err).toBe("");
    expect(r.code).toBe(0);
    const files = walk(join(dir, "out"));
    expect(files.flatMap((f) => scanText(f, readFileSync(f, "utf8"), LITERALS))).toEqual([]);
    const es = files.filter((f) => f.endsWith("externalsecret-web-secrets.yaml"));
    expect(es.length).toBeGreaterThan(0);
    expect(readFileSync(es[0]!, "utf8")).toContain("key: shop/stripe");
  });
});
