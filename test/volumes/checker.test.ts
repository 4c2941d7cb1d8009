import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, itReportsEach, PLATFORM } from "../helpers/compile.js";

/** The checker on `secret file(s)`, `volume` and `scratch`: each diagnostic at the offending text. */

const svc = (lines: string, head = "service api", extra = "") => `${PLATFORM}${head} {
  image "r.io/api:1.0.0"
  port http 8080
${lines}}
${extra}`;
const job = (lines: string) => `${PLATFORM}job seed {
  image "r.io/seed:1.0.0"
${lines}}
`;
// The snippet's first field line is line 12 (PLATFORM is 8 lines, then `service api {`, image, port).
const L = 12;

describe("secret files, volumes and scratch: diagnostics", () => {
  itReportsEach([
    { name: "a mode that is not octal with a leading 0", spec: svc('  secret file /etc/jwt/k.pem from vault "a/jwt" key "k" mode 400\n'), code: "FIN3030", covers: "400", line: L },
    { name: "a mode with a digit 8", spec: svc('  secret file /etc/jwt/k.pem from vault "a/jwt" key "k" mode 0480\n'), code: "FIN3030", covers: "0480", line: L },
    { name: "a mode the owner cannot read", spec: svc('  secret file /etc/jwt/k.pem from vault "a/jwt" key "k" mode 0200\n'), code: "FIN3030", covers: "0200", line: L },
    { name: "a secret file directly in /etc (its mount would cover /etc)", spec: svc('  secret file /etc/k.pem from vault "a/jwt" key "k"\n'), code: "FIN3023", covers: "/etc/k.pem", line: L },
    { name: "secret files in /var/run", spec: svc('  secret files /var/run/tls from vault "a/tls" keys "tls.crt"\n'), code: "FIN3023", covers: "/var/run/tls", line: L },
    { name: "a secret files key that is no file name", spec: svc('  secret files /etc/tls from vault "a/tls" keys "a/b"\n'), code: "FIN3023", covers: '"a/b"', line: L },
    { name: "secret files without keys", spec: svc('  secret files /etc/tls from vault "a/tls"\n'), code: "FIN3001", covers: "", line: L },
    { name: "a volume over /usr", spec: svc("  replicas 1\n  volume /usr/share 10Gi\n"), code: "FIN3023", covers: "/usr/share", line: L + 1 },
    { name: "a volume on a writable path", spec: svc("  replicas 1\n  writable /data\n  volume /data 10Gi\n"), code: "FIN3031", covers: "/data 10Gi", line: L + 2 },
    { name: "a secret file inside a volume", spec: svc('  replicas 1\n  volume /data 10Gi\n  secret file /data/keys/k.pem from vault "a/k" key "k"\n'), code: "FIN3031", covers: 'file /data/keys/k.pem from vault "a/k" key "k"', line: L + 2 },
    { name: "scratch inside the config-mount directory", spec: svc('  config A = "1"\n  config-mount /app/config\n  scratch /app/config/cache 1Gi\n'), code: "FIN3031", covers: "/app/config/cache 1Gi", line: L + 2 },
    { name: "an ESO and a Vault-agent secret file in one directory", spec: svc('  secret file /etc/keys/a.pem from vault "a/k" key "k"\n  secret file /etc/keys/b.pem from agent "a/k" key "k"\n', "service api", 'secretstore agent {\n  provider vault\n  server "https://vault.vault.svc:8200"\n  delivery vault-agent\n}\n'), code: "FIN3031", covers: 'file /etc/keys/b.pem from agent "a/k" key "k"', line: L + 1 },
    { name: "a shared volume under the default two replicas", spec: svc("  volume /data 10Gi fast\n"), code: "FIN3032", covers: "/data 10Gi fast", line: L },
    { name: "a shared volume under an autoscaler", spec: svc("  replicas 1 to 5 at cpu 70%\n  volume /data 10Gi\n"), code: "FIN3032", covers: "/data 10Gi", line: L + 1 },
    { name: "per-replica storage on a job", spec: job("  volume /data 10Gi per-replica\n"), code: "FIN3032", covers: "/data 10Gi per-replica", line: 11 },
    { name: "a storage class that is no DNS name", spec: svc("  replicas 1\n  volume /data 10Gi Fast_SSD\n"), code: "FIN3033", covers: "Fast_SSD", line: L + 1 },
    { name: "per-replica storage with a progressive rollout", spec: svc("  replicas 3\n  volume /data 10Gi per-replica\n  rollout canary 10%, 50%\n"), code: "FIN3033", covers: "/data 10Gi per-replica", line: L + 1 },
    { name: "a scratch of 0 bytes", spec: svc("  scratch /var/cache/app 0Mi\n"), code: "FIN3004", covers: "0Mi", line: L },
    { name: "a volume beyond 64Ti", spec: svc("  replicas 1\n  volume /data 65Ti\n"), code: "FIN3004", covers: "65Ti", line: L + 1 },
    { name: "a service named as another's headless Service", spec: svc("  replicas 2\n  volume /data 10Gi per-replica\n", "service api", 'service api-pods {\n  image "r.io/p:1.0.0"\n  port http 8080\n}\n'), code: "FIN2014", covers: "api-pods", line: L + 3 },
    { name: "a disk scratch larger than the ephemeral-storage limit", spec: svc("  ephemeral-storage 1Gi to 2Gi\n  scratch /var/cache/app 4Gi\n"), code: "FIN3033", covers: "/var/cache/app 4Gi", line: L + 1 },
    { name: "a memory scratch as large as the memory limit", spec: svc("  memory 256Mi to 512Mi\n  scratch /tmp 512Mi memory\n"), code: "FIN3033", covers: "/tmp 512Mi memory", line: L + 1 },
  ]);

  it("the hints say what to do", () => {
    const shared = compileSources({ "main.fin": svc("  volume /data 10Gi fast\n") }).diagnostics;
    expect(shared.map((d) => d.code)).toEqual(["FIN3032"]);
    expect(shared[0]!.message).toContain("runs 2 replicas");
    expect(shared[0]!.hint).toContain("`volume /data 10Gi fast per-replica`");
    expect(shared[0]!.hint).toContain("`replicas 1`");
    expect(diagnosticsOf({ "main.fin": svc("  replicas 2\n  volume /data 10Gi per-replica\n") })).toEqual([]);
  });

  it("accepts every form together: env and file secrets from one store, a volume, scratch on /tmp and elsewhere", () => {
    const spec = svc(`  replicas 1
  memory 512Mi to 1Gi
  secret API_KEY from vault "a/api" key "api-key"
  secret file /etc/jwt/signing.pem from vault "a/jwt" key "private-key" mode 0440
  secret FILE /etc/jwt2/signing.pem from vault "a/jwt" key "private-key"
  secret files /etc/tls from vault "a/tls" keys "tls.crt" "tls.key" refresh 5m
  volume /data 10Gi fast
  volume /var/lib/app 1Gi gp3-encrypted
  scratch /tmp 2Gi
  scratch /var/cache/app 256Mi memory
`);
    expect(diagnosticsOf({ "main.fin": spec })).toEqual([]);
  });

  it("a file secret names a declared store (FIN2004 otherwise)", () => {
    expect(diagnosticsOf({ "main.fin": svc('  secret file /etc/jwt/k.pem from valt "a/jwt" key "k"\n') }).map((d) => [d.code, d.text])).toContainEqual(["FIN2004", "valt"]);
  });
});
