import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { itReportsEach } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";
import { AWS_PLATFORM, build, find } from "./helpers.js";

const SPEC = AWS_PLATFORM + `
service app {
  image  "registry.example.com/app:1.0.0"
  port   http 8080
  secret DATABASE_URL from cache.url
  calls  cache
}
database cache {
  engine      postgres 16 standalone
  storage     10Gi
  credentials from vault "apps/cache"
  backup      every 1d keep 7d
}
`;

describe("engine postgres 16 standalone → a StatefulSet serving TLS", () => {
  const { docs, diagnostics } = build(SPEC);

  it("compiles without diagnostics, to a StatefulSet and no Cluster", () => {
    expect(diagnostics).toEqual([]);
    expect(docs.filter((d) => d.kind === "Cluster")).toEqual([]);
    expect(find(docs, "StatefulSet", "cache").spec.replicas).toBe(1);
  });

  it("starts postgres with ssl=on and the certificate files of the mounted cert-manager Secret", () => {
    const pod = find(docs, "StatefulSet", "cache").spec.template.spec;
    const c = pod.containers[0];
    expect(c.args).toEqual(["-c", "ssl=on", "-c", "ssl_cert_file=/etc/postgresql/tls/tls.crt", "-c", "ssl_key_file=/etc/postgresql/tls/tls.key", "-c", "ssl_min_protocol_version=TLSv1.2", "-c", "hba_file=/etc/postgresql/hba/pg_hba.conf"]);
    expect(c.volumeMounts).toContainEqual({ name: "tls", mountPath: "/etc/postgresql/tls", readOnly: true });
    expect(pod.volumes).toContainEqual({ name: "tls", secret: { secretName: "cache-server-tls", defaultMode: 0o640 } });
    expect(find(docs, "StatefulSet", "cache").metadata.annotations).toEqual({ "secret.reloader.stakater.com/reload": "cache-server-tls", "configmap.reloader.stakater.com/reload": "cache-pg-hba" });
  });

  it("replaces the image's pg_hba (which lets clients in without TLS) with one that refuses them", () => {
    const pod = find(docs, "StatefulSet", "cache").spec.template.spec;
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "hba", mountPath: "/etc/postgresql/hba", readOnly: true });
    expect(pod.volumes).toContainEqual({ name: "hba", configMap: { name: "cache-pg-hba", defaultMode: 0o444 } });
    const rules = (find(docs, "ConfigMap", "cache-pg-hba").data as Record<string, string>)["pg_hba.conf"]!.split("\n").filter((l) => l && !l.startsWith("#"));
    // The socket (the entrypoint's setup, with the password), then TCP with TLS only; test/postgres/real-server.test.ts runs it.
    expect(rules).toEqual(["local all all scram-sha-256", "hostnossl all all all reject", "hostssl all all all scram-sha-256"]);
  });

  it("issues the server certificate for the Service's names from a CA of its own", () => {
    const server = find(docs, "Certificate", "cache-server-tls");
    expect(server.spec).toMatchObject({ secretName: "cache-server-tls", issuerRef: { kind: "Issuer", name: "cache-ca" } });
    expect(server.spec.dnsNames).toContain("cache.apps.svc.cluster.local");
    expect(find(docs, "Certificate", "cache-ca").spec).toMatchObject({ isCA: true, secretName: "cache-ca", issuerRef: { name: "cache-selfsigned" } });
    expect(find(docs, "Issuer", "cache-ca").spec).toEqual({ ca: { secretName: "cache-ca" } });
    expect(find(docs, "Issuer", "cache-selfsigned").spec).toEqual({ selfSigned: {} });
  });

  it("hands clients a verify-full URL to the headless Service, the store's username, and the CA", () => {
    const es = find(docs, "ExternalSecret", "app-secrets");
    expect(es.spec.target.template.data.DATABASE_URL).toBe('postgresql://{{ index . "db0-username" | urlquery | replace "+" "%20" }}:{{ index . "db0-password" | urlquery | replace "+" "%20" }}@cache.apps.svc.cluster.local:5432/cache?sslmode=verify-full&sslrootcert=/etc/finc/db/cache/ca.crt');
    expect(find(docs, "Deployment", "app").spec.template.spec.volumes).toContainEqual({ name: "db-ca-cache", secret: { secretName: "cache-client-ca", items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 } });
    expect(find(docs, "ExternalSecret", "cache-client-ca").spec.data).toEqual([{ secretKey: "ca.crt", remoteRef: { key: "cache-ca", property: "ca.crt" } }]);
    expect(find(docs, "ExternalSecret", "cache-credentials").spec.data.map((d: { secretKey: string }) => d.secretKey)).toEqual(["username", "password"]);
  });

  it("is backed up by Velero, not the operator", () => {
    expect(find(docs, "Schedule", "apps-cache").spec.schedule).toBe("0 3 * * *");
    expect(docs.filter((d) => d.kind === "ScheduledBackup")).toEqual([]);
  });

  it.skipIf(!schemasAvailable)("validates against the schemas, strictly", () => {
    for (const d of docs.filter((x) => ["StatefulSet", "Certificate", "Issuer", "Service", "Schedule", "ConfigMap"].includes(x.kind)))
      expect(validateManifest(d), `${d.kind}/${d.metadata.name}`).toEqual([]);
  });
});

describe("standalone replication", () => {
  itReportsEach([
    {
      name: "a standalone database with more than one instance",
      spec: AWS_PLATFORM + 'database db {\n  engine      postgres 16 standalone\n  instances   3\n  storage     10Gi\n  credentials from vault "db"\n}\n',
      code: "FIN4040",
      covers: "instances   3",
      line: 17,
    },
    {
      name: "a standalone database that a pattern gives replicas",
      spec: AWS_PLATFORM + 'import "fintech/ledger-db"\ndatabase db is ledger-db {\n  engine      postgres 16 standalone\n  storage     10Gi\n  credentials from vault "db"\n}\n',
      code: "FIN4040",
      covers: "instances 3",
      // The pattern's own line, wherever its doc comment puts it.
      line: readFileSync(resolve(import.meta.dirname, "../../stdlib/fintech/ledger-db.fin"), "utf8").split("\n").findIndex((l) => l.includes("instances 3")) + 1,
    },
  ]);

  it("accepts one instance, and reads `standalone` only after the version", () => {
    expect(build(AWS_PLATFORM + 'database db {\n  engine      postgres 16 standalone\n  instances   1\n  storage     10Gi\n  credentials from vault "db"\n}\n').diagnostics).toEqual([]);
    expect(build(AWS_PLATFORM + 'database db {\n  engine      postgres 16 replicated\n  storage     10Gi\n  credentials from vault "db"\n}\n').diagnostics).toContain("FIN3007");
  });
});
