// A real Kubernetes API server for tests: etcd + kube-apiserver (built by scripts/real-tools.sh) on
// 127.0.0.1, with the admission plugins a managed cluster enables, so finc's output meets Pod Security
// admission, CRD structural/CEL validation and ValidatingAdmissionPolicies as a user's cluster would.
// No controller-manager and no nodes: objects are stored and admitted, nothing runs.
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { get as httpGet } from "node:http";
import { request } from "node:https";
import { createServer } from "node:net";
import { freePort } from "./free-port.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { realTool, REAL_TOOLS_BIN } from "./real-tools.js";

/**
 * Admission plugins as EKS/GKE/AKS enable them (Kubernetes' default-on set plus NodeRestriction and
 * ExtendedResourceToleration). The webhooks and ValidatingAdmissionPolicy are on, as everywhere.
 */
export const ADMISSION_PLUGINS = [
  "NamespaceLifecycle", "LimitRanger", "ServiceAccount", "NodeRestriction", "TaintNodesByCondition",
  "PodSecurity", "Priority", "DefaultTolerationSeconds", "DefaultStorageClass", "StorageObjectInUseProtection",
  "PersistentVolumeClaimResize", "RuntimeClass", "CertificateApproval", "CertificateSigning",
  "ClusterTrustBundleAttest", "CertificateSubjectRestriction", "DefaultIngressClass", "ExtendedResourceToleration",
  "MutatingAdmissionWebhook", "ValidatingAdmissionPolicy", "ValidatingAdmissionWebhook", "ResourceQuota",
] as const;

const ETCD = realTool("etcd");
const KUBE_APISERVER = realTool("kube-apiserver");
const KUBECTL = ["kubectl", "/usr/bin/kubectl", "/usr/local/bin/kubectl"].find((c) => spawnSync(c, ["version", "--client"], { stdio: "ignore" }).status === 0);
const OPENSSL = spawnSync("openssl", ["version"], { stdio: "ignore" }).status === 0;

/** Why a test that needs the API server cannot run here, or undefined when it can. */
export const apiServerSkipReason: string | undefined = !ETCD || !KUBE_APISERVER
  ? `skipped: ${[!ETCD && "etcd", !KUBE_APISERVER && "kube-apiserver"].filter(Boolean).join(" and ")} not in ${REAL_TOOLS_BIN} (run scripts/real-tools.sh to build them; .ci/run does)`
  : !KUBECTL ? "skipped: no kubectl on PATH" : !OPENSSL ? "skipped: no openssl to issue the API server's certificates" : undefined;

export interface KubectlResult {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** The `Warning: …` lines the server sent (Pod Security, deprecations, unknown fields), without the prefix. */
  readonly warnings: string[];
}

export interface ApiServer {
  readonly kubeconfig: string;
  /** etcd's client URL: what the API server stored, read raw (encryption at rest). */
  readonly etcdUrl: string;
  /** Runs kubectl against this server (stdin = `input`, e.g. a YAML stream for `-f -`). */
  kubectl(args: readonly string[], input?: string): KubectlResult;
  /** Stops kube-apiserver and etcd and removes their data. */
  stop(): Promise<void>;
}

/** A CA, a serving certificate for 127.0.0.1/localhost, and the service-account signing key pair. */
function issueCertificates(dir: string): void {
  const f = (n: string) => join(dir, n);
  const ssl = (...args: string[]) => execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
  ssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f("ca.key"));
  ssl("req", "-x509", "-new", "-key", f("ca.key"), "-sha256", "-days", "2", "-subj", "/CN=finc-test-apiserver-ca",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign", "-out", f("ca.crt"));
  ssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", f("serving.key"));
  ssl("req", "-new", "-key", f("serving.key"), "-subj", "/CN=kube-apiserver", "-out", f("serving.csr"));
  writeFileSync(f("serving.ext"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
    "extendedKeyUsage=serverAuth\nsubjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kubernetes.default.svc\n");
  ssl("x509", "-req", "-in", f("serving.csr"), "-CA", f("ca.crt"), "-CAkey", f("ca.key"), "-CAcreateserial",
    "-days", "1", "-sha256", "-extfile", f("serving.ext"), "-out", f("serving.crt"));
  // kube-apiserver signs service-account tokens with RS256 by default: an RSA key.
  ssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", f("sa.key"));
  ssl("pkey", "-in", f("sa.key"), "-pubout", "-out", f("sa.pub"));
}

function startLogged(bin: string, args: string[], log: string): ChildProcess {
  const fd = openSync(log, "a");
  const child = spawn(bin, args, { stdio: ["ignore", fd, fd] });
  closeSync(fd);
  return child;
}

function tail(path: string, lines = 15): string {
  try {
    return readFileSync(path, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
  } catch {
    return "(no log)";
  }
}

/** GET https://127.0.0.1:port/path with the token; the status code, or 0 when it could not connect. */
function probe(port: number, path: string, ca: string, token: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path, ca, headers: { authorization: `Bearer ${token}` }, timeout: 2000 }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", () => resolve(0));
    req.on("timeout", () => req.destroy());
    req.end();
  });
}

/** etcd's /health answers 200 with {"health":"true"} once it has a leader. */
function etcdHealthy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = httpGet({ host: "127.0.0.1", port, path: "/health", timeout: 2000 }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString()));
      res.on("end", () => resolve(res.statusCode === 200 && body.includes('"true"')));
    });
    req.on("error", () => resolve(false));
    req.on("timeout", () => req.destroy());
  });
}

async function waitUntil(what: string, log: string, child: ChildProcess, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}:\n${tail(log)}`);
    if (await ready()) return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s:\n${tail(log)}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts etcd and kube-apiserver on free loopback ports in a temp dir and waits for /readyz.
 * Callers check `apiServerSkipReason` first. Authentication is a static token in group system:masters.
 */
export async function startApiServer(extraArgs: readonly string[] = []): Promise<ApiServer> {
  if (apiServerSkipReason) throw new Error(apiServerSkipReason);
  const dir = mkdtempSync(join(tmpdir(), "finc-apiserver-"));
  issueCertificates(dir);
  const token = `finc-test-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(dir, "tokens.csv"), `${token},finc-admin,finc-admin-uid,"system:masters"\n`);
  const [client, peer, secure] = [await freePort(), await freePort(), await freePort()];

  const etcdLog = join(dir, "etcd.log");
  const etcd = startLogged(ETCD!, [
    "--name=finc-test", `--data-dir=${join(dir, "etcd")}`,
    `--listen-client-urls=http://127.0.0.1:${client}`, `--advertise-client-urls=http://127.0.0.1:${client}`,
    `--listen-peer-urls=http://127.0.0.1:${peer}`, `--initial-advertise-peer-urls=http://127.0.0.1:${peer}`,
    `--initial-cluster=finc-test=http://127.0.0.1:${peer}`, "--unsafe-no-fsync", "--log-level=warn",
  ], etcdLog);
  const children: ChildProcess[] = [etcd];
  // If the test process dies without afterAll, take the servers with it.
  const killAll = () => children.forEach((c) => c.kill("SIGKILL"));
  process.once("exit", killAll);
  const stop = async () => {
    process.off("exit", killAll);
    for (const c of [...children].reverse()) await stopChild(c);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitUntil("etcd", etcdLog, etcd, () => etcdHealthy(client), 60_000);

    const apiLog = join(dir, "kube-apiserver.log");
    const api = startLogged(KUBE_APISERVER!, [
      `--etcd-servers=http://127.0.0.1:${client}`, "--bind-address=127.0.0.1", "--advertise-address=127.0.0.1",
      `--secure-port=${secure}`, `--cert-dir=${join(dir, "certs")}`,
      `--tls-cert-file=${join(dir, "serving.crt")}`, `--tls-private-key-file=${join(dir, "serving.key")}`,
      `--client-ca-file=${join(dir, "ca.crt")}`, `--token-auth-file=${join(dir, "tokens.csv")}`,
      `--service-account-key-file=${join(dir, "sa.pub")}`, `--service-account-signing-key-file=${join(dir, "sa.key")}`,
      "--service-account-issuer=https://kubernetes.default.svc.cluster.local",
      "--authorization-mode=Node,RBAC", "--allow-privileged=true", "--service-cluster-ip-range=10.96.0.0/16",
      `--enable-admission-plugins=${ADMISSION_PLUGINS.join(",")}`,
      // No nodes here: the `kubernetes` Service's endpoints would be 127.0.0.1, which the API rejects.
      "--endpoint-reconciler-type=none", "--profiling=false", "--v=0", ...extraArgs,
    ], apiLog);
    children.push(api);
    const ca = readFileSync(join(dir, "ca.crt"), "utf8");
    await waitUntil("kube-apiserver", apiLog, api, async () => (await probe(secure, "/readyz", ca, token)) === 200, 150_000);

    const kubeconfig = join(dir, "kubeconfig");
    writeFileSync(kubeconfig, [
      "apiVersion: v1", "kind: Config", "current-context: finc-test",
      "clusters:", "- name: finc-test", "  cluster:", `    server: https://127.0.0.1:${secure}`,
      `    certificate-authority-data: ${Buffer.from(ca).toString("base64")}`,
      "users:", "- name: finc-admin", "  user:", `    token: ${token}`,
      "contexts:", "- name: finc-test", "  context: {cluster: finc-test, user: finc-admin}", "",
    ].join("\n"));
    // A discovery cache of its own, so CRDs installed by a test are seen by the next kubectl call.
    const cacheDir = join(dir, "kube-cache");
    mkdirSync(cacheDir);
    return {
      kubeconfig,
      etcdUrl: `http://127.0.0.1:${client}`,
      kubectl(args, input) {
        const r = spawnSync(KUBECTL!, ["--kubeconfig", kubeconfig, "--cache-dir", cacheDir, ...args], {
          input, encoding: "utf8", maxBuffer: 64 * 1024 * 1024,
        });
        const stderr = r.stderr ?? "";
        const warnings = stderr.split("\n").filter((l) => l.startsWith("Warning: ")).map((l) => l.slice("Warning: ".length));
        return { status: r.status ?? -1, stdout: r.stdout ?? "", stderr, warnings };
      },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Creates one object for real and returns the server's denial message, or undefined when it was
 * admitted. For admission policies (ValidatingAdmissionPolicy, webhooks, Pod Security): pass the
 * violating object, expect the message the policy declares.
 */
export function admissionDenial(server: ApiServer, manifest: string): string | undefined {
  const r = server.kubectl(["create", "-f", "-"], manifest);
  return r.status === 0 ? undefined : r.stderr.trim();
}
