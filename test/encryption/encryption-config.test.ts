// The EncryptionConfiguration finc writes for `cloud onprem` (.finc/control-plane/<env>/encryption-config.yaml):
// no key in the output, and, with a key generated here as the install notes say, a real kube-apiserver
// (--encryption-provider-config) stores Secrets in etcd as secretbox ciphertext, read back raw from etcd.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { apiServerSkipReason, startApiServer, type ApiServer } from "../helpers/api-server.js";
import { compileSources } from "../helpers/compile.js";
import { ONPREM_SPEC } from "../audit/onprem-spec.js";

const files = buildOutputs(compileSources({ "p.fin": ONPREM_SPEC })).files;
const config = files.find((f) => f.path === ".finc/control-plane/prod/encryption-config.yaml")!;
const notes = files.find((f) => f.path === ".finc/control-plane/prod/encryption-INSTALL.md")!;

/** What step 2 of the install notes does (envsubst of the one variable). */
const withKey = (key: string) => config.content.replace("${FINC_SECRETBOX_KEY}", key);

describe("encryption at rest: the EncryptionConfiguration", () => {
  it("encrypts Secrets with secretbox first and keeps identity last, with no key in the output", () => {
    expect(parse(config.content)).toEqual({
      apiVersion: "apiserver.config.k8s.io/v1",
      kind: "EncryptionConfiguration",
      resources: [{ resources: ["secrets"], providers: [{ secretbox: { keys: [{ name: "finc-key-1", secret: "${FINC_SECRETBOX_KEY}" }] } }, { identity: {} }] }],
    });
    expect(notes.content).toContain("head -c 32 /dev/urandom | base64");
    expect(notes.content).toContain("--encryption-provider-config=");
  });

  it("is written for cloud onprem only", () => {
    const aws = buildOutputs(compileSources({ "p.fin": ONPREM_SPEC.replace(/cloud +onprem\n.*storage-provisioner.*\n/, "cloud aws\n") })).files;
    expect(aws.filter((f) => f.path.startsWith(".finc/control-plane/"))).toEqual([]);
  });
});

if (apiServerSkipReason) console.warn(`test/encryption: ${apiServerSkipReason}; the real encryption test is SKIPPED.`);

/** etcd's JSON gateway: the raw bytes stored under a key. */
async function etcdValue(server: ApiServer, key: string): Promise<Buffer | undefined> {
  const r = await fetch(`${server.etcdUrl}/v3/kv/range`, { method: "POST", body: JSON.stringify({ key: Buffer.from(key).toString("base64") }) });
  const body = (await r.json()) as { kvs?: { value: string }[] };
  const v = body.kvs?.[0]?.value;
  return v === undefined ? undefined : Buffer.from(v, "base64");
}

describe.skipIf(!!apiServerSkipReason)("EncryptionConfiguration on a real kube-apiserver (--encryption-provider-config)", () => {
  const VALUE = "ledger-db-password-must-not-be-in-etcd";
  let server: ApiServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "finc-encryption-"));
    // A throwaway key of this test only: finc's output never holds one.
    writeFileSync(join(dir, "encryption.yaml"), withKey(randomBytes(32).toString("base64")), { mode: 0o600 });
    server = await startApiServer([`--encryption-provider-config=${join(dir, "encryption.yaml")}`]);
    expect(server.kubectl(["create", "namespace", "pay"]).status).toBe(0);
    expect(server.kubectl(["create", "secret", "generic", "db", "-n", "pay", `--from-literal=password=${VALUE}`]).stderr).toBe("");
    expect(server.kubectl(["create", "configmap", "plain", "-n", "pay", `--from-literal=v=${VALUE}`]).stderr).toBe("");
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("stores the Secret as secretbox ciphertext under finc's key name, and serves it decrypted", async () => {
    const raw = (await etcdValue(server, "/registry/secrets/pay/db"))!;
    expect(raw.subarray(0, 32).toString("latin1")).toBe("k8s:enc:secretbox:v1:finc-key-1:");
    expect(raw.includes(Buffer.from(VALUE))).toBe(false);
    const got = JSON.parse(server.kubectl(["get", "secret", "db", "-n", "pay", "-o", "json"]).stdout) as { data: { password: string } };
    expect(Buffer.from(got.data.password, "base64").toString()).toBe(VALUE);
  });

  it("leaves what it is not configured for (a ConfigMap) as it was: the control's scope is Secrets", async () => {
    const raw = (await etcdValue(server, "/registry/configmaps/pay/plain"))!;
    expect(raw.includes(Buffer.from(VALUE))).toBe(true);
  });

  it("refuses to start with the file as finc wrote it (no key yet): it cannot run unencrypted by mistake", async () => {
    const d = mkdtempSync(join(tmpdir(), "finc-encryption-nokey-"));
    try {
      writeFileSync(join(d, "encryption.yaml"), config.content);
      await expect(startApiServer([`--encryption-provider-config=${join(d, "encryption.yaml")}`])).rejects.toThrow(/kube-apiserver exited with[\s\S]*(secretbox|base64|key)/i);
    } finally {
      rmSync(d, { recursive: true, force: true });
    }
  }, 300_000);
});
