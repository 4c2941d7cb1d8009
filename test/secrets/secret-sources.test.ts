import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf, VIRTUAL } from "../helpers/compile.js";
import { tempDir } from "../kustomize/support.js";
import { k8sValidate, k8sValidateAvailable } from "./k8s-validate.js";

/** ClusterSecretStore, refresh, rotation, SealedSecret, and Secret RBAC by resourceNames. */
function sealedCiphertext(keyBytes = 512): string {
  const b = Buffer.alloc(2 + keyBytes + 48);
  b.writeUInt16BE(keyBytes, 0);
  for (let i = 2; i < b.length; i++) b[i] = (i * 131 + 7) % 256;
  return b.toString("base64");
}
const SEALED = sealedCiphertext();

const spec = (store = "", service = "", db = "") => `platform p {
  environments dev, prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
${store}}
namespace apps {}
namespace jobs {}
database db {
  namespace   apps
  storage     10Gi
  credentials from vault "apps/db"${db}
}
service a {
  namespace apps
  image     "r.io/a:1.0.0"
  port      http 8080
  secret    DB_URL from db.url
  secret    KEY from vault "apps/a" key "k"
${service}}
`;

function build(text: string): { files: { path: string; content: string }[]; docs: Map<string, Record<string, any>> } {
  const program = compileSources({ "main.fin": text });
  // `kubernetes-api yes` is meant here: its weakened-security warning (FIN4034) is expected.
  expect(program.diagnostics.filter((d) => d.code !== "FIN4034")).toEqual([]);
  const out = buildOutputs(program, { root: VIRTUAL });
  return { files: out.files, docs: new Map(out.files.filter((f) => f.path.endsWith(".yaml")).map((f) => [f.path, parse(f.content)])) };
}

describe("secret stores", () => {
  it("`scope cluster`: one ClusterSecretStore limited to the platform's namespaces, no SecretStores, ExternalSecrets point at it", () => {
    const { docs } = build(spec("  scope    cluster\n"));
    const css = docs.get("dev/_cluster/clustersecretstore-vault.yaml")!;
    expect(css["kind"]).toBe("ClusterSecretStore");
    expect(css["metadata"]["namespace"]).toBeUndefined();
    expect(css["spec"]["conditions"]).toEqual([{ namespaces: ["apps", "jobs"] }]);
    // The only namespaced SecretStores left are finc's readers of a database's CA certificate (client-ca.ts).
    expect([...docs.keys()].filter((p) => p.includes("secretstore-") && !p.includes("clustersecretstore"))).toEqual(["dev/apps/secretstore-db-ca-reader.yaml", "prod/apps/secretstore-db-ca-reader.yaml"]);
    expect(docs.get("dev/apps/externalsecret-a-secrets.yaml")!["spec"]["secretStoreRef"]).toEqual({ kind: "ClusterSecretStore", name: "vault" });
  });

  it("default scope: a SecretStore per namespace and refreshInterval 1h; `refresh 15m` sets the interval", () => {
    const plain = build(spec()).docs;
    expect(plain.get("dev/jobs/secretstore-vault.yaml")!["kind"]).toBe("SecretStore");
    expect(plain.get("dev/apps/externalsecret-a-secrets.yaml")!["spec"]["refreshInterval"]).toBe("1h");
    const fast = build(spec("  refresh  15m\n")).docs;
    expect(fast.get("dev/apps/externalsecret-a-secrets.yaml")!["spec"]["refreshInterval"]).toBe("15m");
    expect(fast.get("dev/apps/externalsecret-db-credentials.yaml")!["spec"]["refreshInterval"]).toBe("15m");
  });

  it("`credentials … rotate 2h`: re-read every quarter period, and Reloader restarts the services using the database", () => {
    const { docs } = build(spec("", "", " rotate 2h"));
    expect(docs.get("dev/apps/externalsecret-db-credentials.yaml")!["spec"]["refreshInterval"]).toBe("30m");
    expect(docs.get("dev/apps/externalsecret-a-secrets.yaml")!["spec"]["refreshInterval"]).toBe("30m");
    expect(docs.get("dev/apps/deployment-a.yaml")!["metadata"]["annotations"]).toEqual({ "secret.reloader.stakater.com/reload": "a-secrets" });
    expect(build(spec()).docs.get("dev/apps/deployment-a.yaml")!["metadata"]["annotations"]).toBeUndefined();
  });
});

describe("sealed secrets", () => {
  it("`secret X from sealed \"…\"` → a SealedSecret with encryptedData, consumed from <service>-sealed; no ExternalSecret entry", () => {
    const { docs } = build(spec("", `  secret    HOOK from sealed "${SEALED}"\n`));
    const ss = docs.get("prod/apps/sealedsecret-a-sealed.yaml")!;
    expect(ss["apiVersion"]).toBe("bitnami.com/v1alpha1");
    expect(ss["spec"]["encryptedData"]).toEqual({ HOOK: SEALED });
    expect(ss["spec"]["template"]["metadata"]["name"]).toBe("a-sealed");
    const env = docs.get("prod/apps/deployment-a.yaml")!["spec"]["template"]["spec"]["containers"][0]["env"];
    expect(env).toContainEqual({ name: "HOOK", valueFrom: { secretKeyRef: { name: "a-sealed", key: "HOOK" } } });
    expect(env).toContainEqual({ name: "KEY", valueFrom: { secretKeyRef: { name: "a-secrets", key: "KEY" } } });
    const es = docs.get("prod/apps/externalsecret-a-secrets.yaml")!;
    expect(es["spec"]["data"].map((d: { secretKey: string }) => d.secretKey)).not.toContain("HOOK");
  });

  it.each([
    ["a plaintext", "hunter2-correct-horse"],
    ["base64 of a plaintext", Buffer.from("sk_live_4eC39HqLyjWDarjtT1zdp7dc").toString("base64")],
    ["a truncated ciphertext", SEALED.slice(0, 200)],
  ])('"FIN4001": %s is refused as a sealed value, at the string', (_what, value) => {
    const found = diagnosticsOf({ "main.fin": spec("", `  secret    HOOK from sealed "${value}"\n`) });
    expect(found.filter((d) => d.code === "FIN4001").map((d) => d.text)).toEqual([`"${value}"`]);
  });

  it("accepts the ciphertexts of 2048-, 3072- and 4096-bit controller keys", () => {
    for (const bytes of [256, 384, 512]) expect(diagnosticsOf({ "main.fin": spec("", `  secret    HOOK from sealed "${sealedCiphertext(bytes)}"\n`) })).toEqual([]);
  });
});

describe("least privilege: Secret reads by resourceNames", () => {
  it("a workload with `kubernetes-api yes` may get exactly the Secrets its pod uses; without it, no Role at all", () => {
    const { docs } = build(spec("", `  secret    HOOK from sealed "${SEALED}"\n  kubernetes-api yes\n`));
    const pod = docs.get("dev/apps/deployment-a.yaml")!["spec"]["template"]["spec"];
    const used = [...new Set((pod["containers"][0]["env"] as { valueFrom?: { secretKeyRef?: { name: string } } }[]).flatMap((e) => e.valueFrom?.secretKeyRef ? [e.valueFrom.secretKeyRef.name] : []))].sort();
    const role = docs.get("dev/apps/role-a.yaml")!;
    const secretRule = role["rules"].find((r: { resources: string[] }) => r.resources.includes("secrets"));
    expect(secretRule).toEqual({ apiGroups: [""], resources: ["secrets"], resourceNames: used, verbs: ["get"] });
    expect(used).toEqual(["a-sealed", "a-secrets"]);
    expect(build(spec()).docs.has("dev/apps/role-a.yaml")).toBe(false);
  });
});

describe.runIf(k8sValidateAvailable())("CRD validation of every new secret kind", () => {
  it("ClusterSecretStore, ExternalSecret (refresh, rotation) and SealedSecret validate against their upstream schemas", () => {
    const out = tempDir("secret-sources");
    const { files } = build(spec("  scope    cluster\n  refresh  15m\n", `  secret    HOOK from sealed "${SEALED}"\n  kubernetes-api yes\n`, " rotate 24h"));
    for (const f of files) {
      mkdirSync(dirname(join(out, f.path)), { recursive: true });
      writeFileSync(join(out, f.path), f.content);
    }
    const { results } = k8sValidate(readdirSync(out).map((n) => join(out, n)));
    const kinds = new Set(results.map((r) => r.kind));
    for (const k of ["ClusterSecretStore", "ExternalSecret", "SealedSecret"]) expect(kinds).toContain(k);
    for (const r of results) expect(r.status, `${r.file}: ${JSON.stringify(r.errors)}`).toBe("OK");
  }, 180_000);
});
