import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** openssl is what issues the test certificates; tests that need them skip without it. */
export const OPENSSL_PRESENT = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;

export interface TestCa {
  /** PEM of the CA certificate: what a client trusts (`sslrootcert`). */
  readonly caCrt: string;
  /** Issues a server certificate (ECDSA P-256, serverAuth) for exactly these DNS names. */
  issueServer(commonName: string, dnsNames: readonly string[]): { crt: string; key: string };
  /** Removes the CA's directory (its key with it). */
  dispose(): void;
}

/**
 * A throwaway CA, standing in for cert-manager's self-signed CA or CloudNativePG's `<cluster>-ca`:
 * ECDSA P-256 like both of them. Everything lives in a temp dir that the OS cleans.
 */
export function createTestCa(name: string): TestCa {
  const dir = mkdtempSync(join(tmpdir(), "finc-test-ca-"));
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  ssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f("ca.key"));
  ssl("req", "-x509", "-new", "-key", f("ca.key"), "-sha256", "-days", "2", "-subj", `/CN=${name}`,
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", f("ca.crt"));
  let serial = 0;
  return {
    caCrt: readFileSync(f("ca.crt"), "utf8"),
    dispose: () => rmSync(dir, { recursive: true, force: true }),
    issueServer(commonName, dnsNames) {
      const n = `server-${++serial}`;
      ssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f(`${n}.key`));
      ssl("req", "-new", "-key", f(`${n}.key`), "-subj", `/CN=${commonName}`, "-out", f(`${n}.csr`));
      writeFileSync(f(`${n}.ext`), [
        "basicConstraints=critical,CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth",
        `subjectAltName=${dnsNames.map((d) => `DNS:${d}`).join(",")}`,
      ].join("\n") + "\n");
      ssl("x509", "-req", "-in", f(`${n}.csr`), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial",
        "-days", "1", "-sha256", "-extfile", f(`${n}.ext`), "-out", f(`${n}.crt`));
      return { crt: readFileSync(f(`${n}.crt`), "utf8"), key: readFileSync(f(`${n}.key`), "utf8") };
    },
  };
}
