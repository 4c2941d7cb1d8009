import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf, itReportsEach, PLATFORM, VIRTUAL, type CheckCase } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

/** Issue 8 item 5: every value is checked against the range of the field it lands in. */

const IMAGE = '"registry.example.com/team/api:1.0.0"';
/** A service `api` in namespace `apps` with extra lines; the first extra line is line 12 (PLATFORM is 8 lines). */
const service = (...lines: string[]): string => `${PLATFORM}service api {\n  image ${IMAGE}\n  port http 8080\n${lines.map((l) => `  ${l}\n`).join("")}}\n`;
const database = (...lines: string[]): string => `${PLATFORM}database ledger {\n  credentials from vault "db/ledger"\n${lines.map((l) => `  ${l}\n`).join("")}}\n`;
const platformWith = (...lines: string[]): string => `platform p {\n  environments dev, prod\n${lines.map((l) => `  ${l}\n`).join("")}}\n${PLATFORM.slice(PLATFORM.indexOf("secretstore"))}service api {\n  image ${IMAGE}\n  port http 8080\n}\n`;
const namespaceWith = (...lines: string[]): string => `${PLATFORM.slice(0, PLATFORM.indexOf("namespace"))}namespace apps {\n${lines.map((l) => `  ${l}\n`).join("")}}\n`;
const LINE = 12;
/** database(): the first extra line. */
const DB = 11;

const outOfRange = (name: string, spec: string, covers: string, line = LINE): CheckCase => ({ name, spec, code: "FIN3004", covers, line });
const unsafe = (name: string, spec: string, covers: string, line = LINE): CheckCase => ({ name, spec, code: "FIN3023", covers, line });
const weakened = (name: string, spec: string, covers: string, line = LINE): CheckCase => ({ name, spec, code: "FIN4034", covers, line });

describe('"FIN3004": numbers outside the range of the field they land in', () => {
  itReportsEach([
    outOfRange("grace 99999999999999999999s (would be a float in terminationGracePeriodSeconds)", service("grace 99999999999999999999s"), "99999999999999999999s"),
    outOfRange("grace 500ms (terminationGracePeriodSeconds is whole seconds)", service("grace 500ms"), "500ms"),
    outOfRange("grace 0s (kills without draining)", service("grace 0s"), "0s"),
    outOfRange("memory 0Mi", service("memory 0Mi"), "0Mi"),
    outOfRange("memory limit 0Mi after a valid request", service("memory 512Mi to 0Mi"), "0Mi"),
    outOfRange("memory above 16Ti", service("memory 32Ti"), "32Ti"),
    outOfRange("memory in fractional bytes", service("memory 1.1Mi"), "1.1Mi"),
    outOfRange("cpu 0", service("cpu 0"), "0"),
    outOfRange("cpu below a millicore", service("cpu 0.0005"), "0.0005"),
    outOfRange("cpu above 1024 cores", service("cpu 2000"), "2000"),
    outOfRange("limit 0/s", service("limit 0/s"), "0/s"),
    outOfRange("a fractional rate limit (Envoy's bucket holds whole tokens)", service("limit 0.5/s"), "0.5/s"),
    outOfRange("a utilisation target of 0%", service("replicas 2 to 10 at cpu 0%"), "0%"),
    outOfRange("replicas beyond int32 of any sane cluster", service("replicas 2147483648"), "2147483648"),
    outOfRange("update surge 0 with the default unavailable 0 (Kubernetes rejects the Deployment)", service("update surge 0"), "update surge 0"),
    outOfRange("a fractional surge percentage", service("update surge 25.5%"), "25.5%"),
    outOfRange("timeout 0s", service("timeout 0s"), "0s"),
    outOfRange("a per-try timeout of 0ms", service("retries 3 per-try 0ms"), "0ms"),
    outOfRange("an outlier detection interval of 0s", service("circuit-breaker 5 errors in 0s"), "0s"),
    outOfRange("a fractional maximum ejection", service("circuit-breaker 5 errors in 30s max 50.5%"), "50.5%"),
    outOfRange("a secret refresh of 0s", service('secret API_KEY from vault "team/api" key "k" refresh 0s'), "0s"),
    outOfRange("a fractional canary weight (setWeight is int32)", service("rollout canary 10.5%"), "10.5%"),
    outOfRange("a prometheus scaling threshold beyond 2^53", service("replicas 1 to 5", 'scale on prometheus "up" above 99999999999999999999'), "99999999999999999999", LINE + 1),
    outOfRange("storage 0Gi", database("storage 0Gi"), "0Gi", DB),
    outOfRange("storage above 64Ti", database("storage 100Ti"), "100Ti", DB),
    outOfRange("a backup interval that no cron schedule repeats (45m)", database("storage 10Gi", "backup every 45m keep 7d"), "45m", DB + 1),
    outOfRange("a backup retention in part hours (Velero's TTL is whole hours)", database("storage 10Gi", "backup every 1h keep 90m"), "90m", DB + 1),
    outOfRange("a rotation period shorter than the operator's re-read", `${PLATFORM}database ledger {\n  credentials from vault "db/ledger" rotate 1m\n  storage 10Gi\n}\n`, "1m", 10),
    outOfRange("a quota of 0Mi memory", namespaceWith("quota cpu 4, memory 0Mi"), "0Mi", 9),
    outOfRange("a DNS TTL in milliseconds", platformWith("dns external-dns ttl 500ms"), "500ms", 3),
    outOfRange("a scrape interval beyond Prometheus' 5m staleness", platformWith("monitoring prometheus interval 10m"), "10m", 3),
    outOfRange("a tracing collector port above 65535", platformWith('tracing otel "collector.observability:99999"'), '"collector.observability:99999"', 3),
  ]);

  it("a value at the edge of each range is accepted", () => {
    const found = diagnosticsOf({ "main.fin": service("grace 24h", "memory 4Mi to 16Ti", "cpu 1m to 1024", "limit 1/h", "update surge 0, unavailable 1", "user 2147483647") });
    expect(found.filter((d) => d.code === "FIN3004")).toEqual([]);
  });

  it("the diagnostic says the bound and where the value lands", () => {
    const p = compileSources({ "main.fin": service("grace 500ms") });
    const d = p.diagnostics.find((x) => x.code === "FIN3004")!;
    expect(d.message).toBe("The grace period must be between 1s and 24h, in whole seconds, found 500ms.");
    expect(d.hint).toContain("terminationGracePeriodSeconds");
  });
});

describe('"FIN3023": writable paths that are not the app\'s to write', () => {
  itReportsEach([
    unsafe("writable / (today two volumes named tmp)", service("writable /"), "/"),
    unsafe("writable /etc", service("writable /etc"), "/etc"),
    unsafe("writable /usr", service("writable /var/cache/app, /usr"), "/usr"),
    unsafe("a path inside a system directory", service("writable /usr/lib/app"), "/usr/lib/app"),
    unsafe("a path inside /proc", service("writable /proc/sys"), "/proc/sys"),
    unsafe("a directory that contains a system directory (/var holds /var/run)", service("writable /var"), "/var"),
    unsafe("the service-account token's directory", service("writable /var/run/secrets"), "/var/run/secrets"),
    unsafe("/root", service("writable /root"), "/root"),
    unsafe("'..' segments", service("writable /data/../etc"), "/data/../etc"),
    unsafe("a relative path", service('writable "cache"'), '"cache"'),
    unsafe("the same path twice", service("writable /data, /data/"), "/data/"),
    unsafe("config-mount over /etc", service('config APP = "x"', "config-mount /etc"), "/etc", LINE + 1),
    unsafe("config-mount on a writable directory (two mounts at one path)", service('config APP = "x"', "config-mount /tmp"), "config-mount /tmp", LINE + 1),
  ]);

  it("the app's own directories and /usr/local/<app> are not refused", () => {
    const found = diagnosticsOf({ "main.fin": service("writable /var/cache/app, /data, /home/app, /app/cache, /var/tmp, /tmp/x, /usr/local/tomcat/temp") });
    expect(found.filter((d) => d.code === "FIN3023")).toEqual([]);
  });
});

describe('"FIN4034": weakening security is a warning that says what it gives away', () => {
  itReportsEach([
    weakened("security baseline on a namespace", namespaceWith("security baseline"), "security baseline", 9),
    weakened("security privileged on a namespace", namespaceWith("security privileged"), "security privileged", 9),
    weakened("kubernetes-api yes", service("kubernetes-api yes"), "kubernetes-api yes"),
    weakened("writable outside the app's scratch directories", service("writable /opt/plugins"), "/opt/plugins"),
    weakened("writable over the app's code directory", service("writable /app"), "/app"),
  ]);

  it("says what each gives away", () => {
    const messages = (spec: string): string[] => compileSources({ "main.fin": spec }).diagnostics.filter((d) => d.code === "FIN4034").map((d) => d.message);
    expect(messages(namespaceWith("security baseline"))[0]).toMatch(/run as root.*capabilities.*seccomp.*escalate privileges/);
    expect(messages(namespaceWith("security privileged"))[0]).toMatch(/privileged, mount host paths.*take over the node/);
    expect(messages(service('secret API_KEY from vault "team/api" key "k"', "kubernetes-api yes"))[0]).toMatch(/service-account token.*system:serviceaccount:apps:api.*Secrets holding its 1 secret value/);
    expect(messages(service("writable /opt/plugins"))[0]).toMatch(/write files outside the app's scratch directories/);
  });

  it("is a warning: the build still succeeds", () => {
    const p = compileSources({ "main.fin": service("kubernetes-api yes") });
    expect(p.diagnostics.map((d) => [d.code, d.severity])).toEqual([["FIN4034", "warning"]]);
  });

  it("with compliance pci-dss a weak namespace is FIN4005 only, not reported twice", () => {
    const spec = namespaceWith("security baseline").replace("environments dev, prod\n", "environments dev, prod\n  compliance pci-dss\n");
    const codes = diagnosticsOf({ "main.fin": spec }).map((d) => d.code);
    expect(codes).toContain("FIN4005");
    expect(codes).not.toContain("FIN4034");
  });

  it("restricted namespaces, no API access and scratch directories give no warning", () => {
    const found = diagnosticsOf({ "main.fin": service("writable /var/cache/app, /data", "kubernetes-api no") });
    expect(found).toEqual([]);
  });
});

describe("writable volumes", () => {
  const volumesOf = (spec: string): { names: string[]; paths: string[]; docs: { apiVersion?: unknown; kind?: unknown }[] } => {
    const p = compileSources({ "main.fin": spec });
    expect(p.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const out = buildOutputs(p, { root: VIRTUAL, environments: ["dev"] });
    const docs = [...out.documents.get("dev")!].map((d) => d.object as { apiVersion?: unknown; kind?: unknown });
    const deployment = docs.find((d) => d.kind === "Deployment") as { spec: { template: { spec: { volumes: { name: string }[]; containers: { volumeMounts: { name: string; mountPath: string }[] }[] } } } };
    const pod = deployment.spec.template.spec;
    return { names: pod.volumes.map((v) => v.name), paths: pod.containers[0]!.volumeMounts.map((m) => m.mountPath), docs };
  };
  const LONG = "/data/" + "a".repeat(40) + "/" + "b".repeat(40) + "/" + "c".repeat(40);

  it("two writable paths never produce two volumes with one name, and every name is a DNS label of at most 63 characters", () => {
    const { names, paths } = volumesOf(service(`writable /var/cache/app, /var/cache-app, /var/Cache/app, /var/cache_app, ${LONG}, ${LONG}x`));
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/);
    expect(paths).toEqual(["/tmp", "/var/cache/app", "/var/cache-app", "/var/Cache/app", "/var/cache_app", LONG, `${LONG}x`]);
  });

  it("keeps the readable names of plain paths (/tmp → tmp, /var/cache/app → tmp-var-cache-app)", () => {
    expect(volumesOf(service("writable /var/cache/app")).names).toEqual(["tmp", "tmp-var-cache-app"]);
  });

  it.skipIf(!schemasAvailable)("the Deployment validates", () => {
    const { docs } = volumesOf(service(`writable /var/cache/app, /var/cache-app, ${LONG}`));
    for (const d of docs.filter((x) => x.kind === "Deployment")) expect(validateManifest(d)).toEqual([]);
  });
});
