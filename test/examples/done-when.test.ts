import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import YAML from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { REPO, STDLIB } from "../helpers/compile.js";

/**
 * Issue 10's "Done when", read off the compiled prod output: the retail bank has a worker, a
 * nightly settlement cron job, a service on port 80 → 8080 and a composed JDBC URL; the trading
 * platform has Kafka consumers and scheduled reports. (k8s-validate, policy-check and
 * runtime-check judge the same builds in test/runtime and the tools' own tests.)
 */
type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: any; data?: Record<string, string> };

function prod(example: string): Obj[] {
  const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples", example)] });
  expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return buildOutputs(program, { environments: ["prod"] })
    .files.filter((f) => f.path.startsWith("prod/") && f.path.endsWith(".yaml"))
    .flatMap((f) => YAML.parseAllDocuments(f.content).map((d) => d.toJS() as Obj));
}
const find = (docs: Obj[], kind: string, name: string, namespace?: string) =>
  docs.find((d) => d.kind === kind && d.metadata.name === name && (namespace === undefined || d.metadata.namespace === namespace));

describe("examples/retail-bank in prod", () => {
  const docs = prod("retail-bank");

  it("has a worker: a Deployment with no Service, scaled by KEDA on a Kafka topic's lag", () => {
    expect(find(docs, "Deployment", "postings", "banking")).toBeDefined();
    expect(find(docs, "Service", "postings")).toBeUndefined();
    const triggers = find(docs, "ScaledObject", "postings", "banking")!.spec.triggers as { type: string; metadata: { topic?: string } }[];
    expect(triggers).toContainEqual(expect.objectContaining({ type: "kafka", metadata: expect.objectContaining({ topic: "payments.settled" }) }));
  });

  it("settles every night at 23:30 London time, never overlapping itself", () => {
    const cron = find(docs, "CronJob", "settlement", "banking")!;
    expect(cron.spec).toMatchObject({ schedule: "30 23 * * *", timeZone: "Europe/London", concurrencyPolicy: "Forbid", suspend: false });
  });

  it("serves web on Service port 80, to the container's port 8080", () => {
    expect(find(docs, "Service", "web", "banking")!.spec.ports).toEqual([expect.objectContaining({ name: "http", port: 80, targetPort: "http" })]);
    const container = find(docs, "Deployment", "web", "banking")!.spec.template.spec.containers[0];
    expect(container.ports).toContainEqual(expect.objectContaining({ name: "http", containerPort: 8080 }));
  });

  it("mounts the JWT signing key as a read-only file, owner-read only, from the ExternalSecret's key", () => {
    const pod = find(docs, "Deployment", "web", "banking")!.spec.template.spec;
    const mount = pod.containers[0].volumeMounts.find((m: { mountPath: string }) => m.mountPath === "/etc/jwt");
    expect(mount).toMatchObject({ readOnly: true });
    const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name);
    expect(volume.secret.items).toEqual([expect.objectContaining({ path: "signing-key.pem", mode: 0o400 })]);
    const key = volume.secret.items[0].key;
    const external = find(docs, "ExternalSecret", volume.secret.secretName, "banking")!;
    expect(external.spec.data).toContainEqual({ secretKey: key, remoteRef: expect.objectContaining({ key: "retail/jwt", property: "signing-key" }) });
    // Not an environment variable as well.
    expect(JSON.stringify(pod.containers[0].env ?? [])).not.toContain(key);
  });

  it("composes the settlement's JDBC URL from the ledger's address (primary) and the statements' from its replicas", () => {
    expect(find(docs, "ConfigMap", "settlement-config", "banking")!.data).toEqual({ JDBC_URL: "jdbc:postgresql://ledger-rw.banking.svc.cluster.local:5432/ledger" });
    expect(find(docs, "ConfigMap", "statements-config", "banking")!.data).toEqual({ JDBC_URL: "jdbc:postgresql://ledger-ro.banking.svc.cluster.local:5432/ledger" });
  });

  it("retries a payment only when it never reached the app (internal-api): no 5xx or reset retries, all tries within the route timeout", () => {
    const route = find(docs, "VirtualService", "payments", "banking")!.spec.http[0];
    expect(route.retries).toEqual({ attempts: 2, perTryTimeout: "2s", retryOn: "connect-failure,refused-stream" });
    expect(route.timeout).toBe("6s");
  });

  it("keeps the card vault in its own namespace, unexposed, without API access, and the cache on TCP probes as user 999", () => {
    const vault = find(docs, "Deployment", "card-vault", "cards")!.spec.template.spec;
    expect(vault.automountServiceAccountToken).toBe(false);
    expect(vault.priorityClassName).toBe("finc-critical");
    // The gateway's routes lead to web only.
    const gatewayRoutes = docs.filter((d) => d.kind === "VirtualService" && (d.spec.gateways ?? []).some((g: string) => g.endsWith("/retail-bank")));
    expect(gatewayRoutes.length).toBeGreaterThan(0);
    for (const d of gatewayRoutes) expect(JSON.stringify(d.spec)).not.toContain("card-vault");
    const sessions = find(docs, "Deployment", "sessions", "banking")!.spec.template.spec;
    expect(sessions.securityContext.runAsUser).toBe(999);
    expect(sessions.containers[0].readinessProbe.tcpSocket).toEqual({ port: "tcp" });
  });
});

describe("examples/trading in prod", () => {
  const docs = prod("trading");

  it("has Kafka consumers: the matcher and the ledger worker scale on their topics' lag", () => {
    const topics = docs.filter((d) => d.kind === "ScaledObject").flatMap((d) => (d.spec.triggers as { type: string; metadata: { topic?: string } }[]).filter((t) => t.type === "kafka").map((t) => t.metadata.topic));
    expect(topics.sort()).toEqual(["fills", "orders.submitted"]);
  });

  it("has scheduled runs: the settlement and the daily trade report on trading days after the close, and the weekly restore drill of books", () => {
    const crons = docs.filter((d) => d.kind === "CronJob").map((d) => [d.metadata.name, d.spec.schedule, d.spec.timeZone]);
    expect(crons.sort()).toEqual([
      ["books-drill", "0 4 * * 0", "Etc/UTC"],
      ["settlement", "0 22 * * 1-5", "Europe/London"],
      ["trade-report", "30 22 * * 1-5", "Europe/London"],
    ]);
    expect(find(docs, "ConfigMap", "trade-report-config", "trading")!.data).toEqual({ JDBC_URL: "jdbc:postgresql://books-ro.trading.svc.cluster.local:5432/books" });
  });
});
