import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POSTGRES_SKIPPED, PostgresServer, psql, stopAllPostgres } from "../helpers/postgres-server.js";
import { createTestCa, type TestCa } from "../helpers/test-ca.js";
import { cnpgPgHba, cnpgServerAltDNSNames, cnpgServerCommonName, cnpgTlsSettings } from "./cnpg-server.js";
import { clientCaSource, renderTemplate, syncedValue, toLocalServer, withSslmode } from "./finc-output.js";
import { AWS_PLATFORM, build, find, type Doc } from "./helpers.js";

/**
 * A real PostgreSQL configured as finc's output configures it accepts the URL finc hands the
 * application, over TLS verified against the CA finc mounts, and refuses it without TLS.
 * Everything the server and the client get is read from finc's output; the test supplies only
 * what the cluster would: the secret store's values, a CA and the certificate it issues (standing
 * in for cert-manager or the operator), and where the server's mounted files are locally.
 */

/**
 * The secret store's values, which libpq must get back intact from the URL: a '@' in the username
 * (standalone: the store's username) and a password with a space (Go's urlquery writes '+',
 * which libpq does not decode, so it proves finc re-escapes it) and URL delimiters.
 */
const STORE: Readonly<Record<string, string>> = { username: "cache@app", password: "Zq7@p/ss w:rd?&x%41=+" };

const APP = `
service app {
  image  "registry.example.com/app:1.0.0"
  port   http 8080
  secret DATABASE_URL from DB.url, READ_URL from DB.read-url
  calls  DB
}
`;

interface Prepared {
  readonly server: PostgresServer;
  readonly ca: TestCa;
  /** The app's URLs, rendered as ESO would, pointed at the local server. */
  readonly urls: readonly string[];
  /** Who the URL should log in as, and to which database. */
  readonly expect: { user: string; database: string };
  /** Puts a certificate from `ca` for these names where the server reads its certificate and reloads. */
  reissue(dnsNames: readonly string[]): void;
}

/** The app's URLs, with the sslrootcert path mapped to a local copy of what the client-CA Secret holds. */
function appUrls(docs: Doc[], server: PostgresServer, caSecretHolds: (secret: string, key: string) => string): string[] {
  const template: Record<string, string> = find(docs, "ExternalSecret", "app-secrets").spec.target.template.data;
  return ["DATABASE_URL", "READ_URL"].map((env) => {
    const url = syncedValue(docs, "app-secrets", env, STORE);
    expect(template[env]).toContain("sslmode=verify-full");
    const path = /[?&]sslrootcert=([^&]*)/.exec(url)![1]!;
    const src = clientCaSource(docs, "app", path);
    const local = server.file(`client-${env}-ca.crt`, caSecretHolds(src.secret, src.key), 0o644);
    return toLocalServer(url, server.port, local);
  });
}

function checks(name: string, prepare: () => Promise<Prepared>): void {
  describe.skipIf(POSTGRES_SKIPPED !== undefined)(name, () => {
    let p: Prepared | undefined;
    beforeAll(async () => { p = await prepare(); }, 120_000);
    // Every server started so far (the describes run one after another): also one a failed beforeAll left running.
    afterAll(() => { p?.ca.dispose(); stopAllPostgres(); });

    it("accepts exactly the URL finc hands the app, over TLS, as the owner, in the database", () => {
      for (const url of p!.urls) {
        const r = psql(url, "SELECT ssl, current_user, current_database() FROM pg_stat_ssl WHERE pid = pg_backend_pid()");
        expect(r.stderr, url).toBe("");
        expect(r.stdout.trim()).toBe(`t|${p!.expect.user}|${p!.expect.database}`);
      }
    });

    it("refuses the same URL without TLS (pg_hba, before any password is asked)", () => {
      const r = psql(withSslmode(p!.urls[0]!, "disable"), "SELECT 1");
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/pg_hba\.conf rejects connection .*no encryption/);
    });

    it("fails verify-full once the server's certificate does not name the URL's host", () => {
      p!.reissue(["someone-else.apps.svc.cluster.local"]);
      const r = psql(p!.urls[0]!, "SELECT 1");
      expect(r.status).not.toBe(0);
      expect(r.stderr).toMatch(/server certificate for "someone-else\.apps\.svc\.cluster\.local" does not match host name/);
    });
  });
}

checks("standalone (StatefulSet + cert-manager): a real PostgreSQL started as the StatefulSet starts it", async () => {
  const { docs, diagnostics } = build(AWS_PLATFORM + APP.replaceAll("DB", "cache") + `
database cache {
  engine      postgres 16 standalone
  storage     10Gi
  credentials from vault "apps/cache"
}
`);
  expect(diagnostics).toEqual([]);
  const sts = find(docs, "StatefulSet", "cache");
  const pod = sts.spec.template.spec;
  const c = pod.containers[0];
  const server = await PostgresServer.create();
  const ca = createTestCa("cache PostgreSQL CA");

  // cert-manager's chain: the server Certificate is issued by the Issuer backed by the CA Certificate's Secret.
  const serverCert = docs.find((d) => d.kind === "Certificate" && !d.spec.isCA)!;
  const issuer = find(docs, "Issuer", serverCert.spec.issuerRef.name);
  const caCert = docs.find((d) => d.kind === "Certificate" && d.spec.isCA && d.spec.secretName === issuer.spec.ca.secretName)!;
  expect(caCert, "the server certificate's issuer is a CA finc issues").toBeDefined();
  let issued = ca.issueServer(serverCert.spec.commonName, serverCert.spec.dnsNames);
  const secretData = (secret: string): Record<string, string> => {
    if (secret === serverCert.spec.secretName) return { "tls.crt": issued.crt, "tls.key": issued.key, "ca.crt": ca.caCrt };
    if (secret === caCert.spec.secretName) return { "ca.crt": ca.caCrt };
    throw new Error(`the test does not know what Secret ${secret} holds`);
  };

  // The mounted files, where the pod would see them: Secret and ConfigMap volumes.
  const written: { name: string; vol: Doc["spec"]; key: string }[] = [];
  const writeMounted = (v: Doc["spec"], key: string, name: string) => {
    const content = v.secret ? secretData(v.secret.secretName)[key] : v.configMap ? (find(docs, "ConfigMap", v.configMap.name).data as Record<string, string>)[key] : undefined;
    if (content === undefined) throw new Error(`volume ${v.name} has no ${key}`);
    return server.file(name, content, (v.secret ?? v.configMap).defaultMode ?? 0o644, true);
  };
  const local = (value: string): string => {
    for (const m of c.volumeMounts as { name: string; mountPath: string }[]) {
      if (!value.startsWith(`${m.mountPath}/`)) continue;
      const vol = pod.volumes.find((v: { name: string }) => v.name === m.name);
      const key = value.slice(m.mountPath.length + 1);
      const name = `${vol.name}-${key}`;
      written.push({ name, vol, key });
      return writeMounted(vol, key, name);
    }
    return value;
  };

  // `postgres -c k=v …`: the container's args, with mounted paths mapped to the local files.
  const args: string[] = c.args;
  const settings: Record<string, string> = {};
  for (let i = 0; i < args.length; i += 2) {
    expect(args[i], `argument ${i} of ${args.join(" ")}`).toBe("-c");
    const [k, ...v] = args[i + 1]!.split("=");
    settings[k!] = local(v.join("="));
  }
  expect(settings["ssl"]).toBe("on");

  // The official image's entrypoint: initdb with POSTGRES_USER/POSTGRES_PASSWORD, then CREATE DATABASE POSTGRES_DB.
  const env = (n: string): string => {
    const e = c.env.find((x: { name: string }) => x.name === n);
    return e.value ?? syncedValue(docs, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key, STORE);
  };
  const user = env("POSTGRES_USER");
  const database = env("POSTGRES_DB");
  server.init(user, env("POSTGRES_PASSWORD"));
  // Without an hba_file of finc's, clients in other pods meet what docker-entrypoint.sh appends to
  // initdb's file (docker-library/postgres pg_setup_hba_conf): `host all all all <password_encryption>`.
  const hba = settings["hba_file"] ? undefined : "local all all trust\nhost all all all scram-sha-256\n";
  // The entrypoint creates POSTGRES_DB on the socket, under the server's own pg_hba, with PGPASSWORD set.
  if (hba) server.setup(user, [`CREATE DATABASE "${database}"`]);
  else server.setup(user, [`CREATE DATABASE "${database}"`], { settings, password: env("POSTGRES_PASSWORD") });
  server.start(settings, hba);

  const urls = appUrls(docs, server, (secret, key) => secretData(secret)[key]!);
  return {
    server, ca, urls, expect: { user, database },
    reissue(dnsNames) {
      issued = ca.issueServer(dnsNames[0]!, dnsNames);
      for (const w of written.filter((x) => x.vol.secret?.secretName === serverCert.spec.secretName)) writeMounted(w.vol, w.key, w.name);
      server.reload();
    },
  };
});

checks("operator (CloudNativePG Cluster): a real PostgreSQL configured as the operator configures an instance", async () => {
  const { docs, diagnostics } = build(AWS_PLATFORM + APP.replaceAll("DB", "ledger") + `
database ledger {
  engine      postgres 16
  instances   3
  storage     10Gi
  memory      512Mi
  credentials from vault "apps/ledger"
  name        books
}
`);
  expect(diagnostics).toEqual([]);
  const cluster = find(docs, "Cluster", "ledger");
  const { name, namespace } = cluster.metadata;
  const server = await PostgresServer.create();
  const ca = createTestCa(`${name} CA`);
  // The operator's CA Secret (`<cluster>-ca`, key ca.crt) is what our test CA stands for.
  const caSecretHolds = (secret: string, key: string) => {
    if (secret !== `${name}-ca` || key !== "ca.crt") throw new Error(`clients copy ${secret}/${key}, not the operator's ${name}-ca/ca.crt`);
    return ca.caCrt;
  };
  let issued = ca.issueServer(cnpgServerCommonName(name), cnpgServerAltDNSNames(name, namespace!));
  const files = () => ({ cert: server.file("server.crt", issued.crt), key: server.file("server.key", issued.key), clientCa: server.file("client-ca.crt", ca.caCrt) });

  // bootstrap.initdb: the owner from the basic-auth Secret, its password, the database it owns.
  const init = cluster.spec.bootstrap.initdb;
  const owner = syncedValue(docs, init.secret.name, "username", STORE);
  expect(owner).toBe(init.owner);
  const password = syncedValue(docs, init.secret.name, "password", STORE);
  server.init("postgres");
  server.setup("postgres", [
    `CREATE ROLE "${owner}" LOGIN PASSWORD '${password.replace(/'/g, "''")}'`,
    `CREATE DATABASE "${init.database}" OWNER "${owner}"`,
  ]);
  server.start({ ...cluster.spec.postgresql.parameters, ...cnpgTlsSettings(files()) }, cnpgPgHba(cluster.spec.postgresql.pg_hba));

  const urls = appUrls(docs, server, caSecretHolds);
  expect(urls.map((u) => /@([^:/]+)/.exec(u)![1])).toEqual([`${name}-rw.${namespace}.svc.cluster.local`, `${name}-ro.${namespace}.svc.cluster.local`]);
  return {
    server, ca, urls, expect: { user: owner, database: init.database },
    reissue(dnsNames) {
      issued = ca.issueServer(dnsNames[0]!, dnsNames);
      files();
      server.reload();
    },
  };
});

const skipped = POSTGRES_SKIPPED;
if (skipped) describe("real PostgreSQL", () => it.skip(skipped, () => {}));

// Keeps the template renderer honest about the forms it is given.
describe("rendering finc's ExternalSecret templates", () => {
  it("percent-escapes the password as Go's urlquery does", () => {
    expect(renderTemplate('u:{{ index . "p" | urlquery }}@h', { p: "a b@c/d+" })).toBe("u:a+b%40c%2Fd%2B@h");
    expect(renderTemplate('{{ index . "p" | urlquery | replace "+" "%20" }}/{{ .p }}', { p: "a b+" })).toBe("a%20b%2B/a b+");
    expect(() => renderTemplate("{{ .x | quote }}", { x: "1" })).toThrow(/template form/);
  });
});
