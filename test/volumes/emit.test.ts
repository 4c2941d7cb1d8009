import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { needsFiles } from "../../compiler/emit/needs/index.js";
import { compileSources, VIRTUAL } from "../helpers/compile.js";
import { VOLUMES_SPEC } from "./spec.js";

/** What `secret file(s)`, `volume` and `scratch` compile to. */

type Obj = Record<string, any>;


function build(text: string): Map<string, Obj> {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.map((d) => d.code)).toEqual([]);
  const out = buildOutputs(program, { root: VIRTUAL });
  return new Map(out.files.filter((f) => f.path.endsWith(".yaml")).map((f) => [f.path, parse(f.content) as Obj]));
}

describe("secret files", () => {
  const docs = build(VOLUMES_SPEC);
  const pod = docs.get("dev/apps/deployment-api.yaml")!["spec"]["template"];
  const container = pod["spec"]["containers"][0];

  it("ESO syncs file keys into the workload's Secret next to the env keys, from the same store", () => {
    const es = docs.get("dev/apps/externalsecret-api-secrets.yaml")!;
    expect(es["spec"]["data"]).toEqual([
      { secretKey: "API_KEY", remoteRef: { key: "apps/api", property: "api-key" } },
      { secretKey: "file-signing.pem", remoteRef: { key: "apps/jwt", property: "private-key" } },
      { secretKey: "file-tls.crt", remoteRef: { key: "apps/tls", property: "tls.crt" } },
      { secretKey: "file-tls.key", remoteRef: { key: "apps/tls", property: "tls.key" } },
    ]);
  });

  it("the Secret is mounted read-only per directory, projecting only the file keys with their modes", () => {
    expect(pod["spec"]["volumes"]).toContainEqual({ name: "secret-etc-jwt", secret: { secretName: "api-secrets", defaultMode: 0o400, items: [{ key: "file-signing.pem", path: "signing.pem", mode: 0o400 }] } });
    expect(pod["spec"]["volumes"]).toContainEqual({ name: "secret-etc-tls", secret: { secretName: "api-secrets", defaultMode: 0o440, items: [{ key: "file-tls.crt", path: "tls.crt", mode: 0o440 }, { key: "file-tls.key", path: "tls.key", mode: 0o440 }] } });
    expect(container["volumeMounts"]).toContainEqual({ name: "secret-etc-jwt", mountPath: "/etc/jwt", readOnly: true });
    expect(container["volumeMounts"]).toContainEqual({ name: "secret-etc-tls", mountPath: "/etc/tls", readOnly: true });
  });

  it("file secrets are not env vars", () => {
    expect(container["env"].map((e: Obj) => e["name"])).toEqual(["API_KEY"]);
  });

  it("the Vault agent writes an agent store's file at its path, with its mode", () => {
    expect(pod["metadata"]["annotations"]).toMatchObject({
      "vault.hashicorp.com/agent-inject-secret-file-token.txt": "kv/data/apps/agent",
      "vault.hashicorp.com/agent-inject-template-file-token.txt": '{{- with secret "kv/data/apps/agent" -}}{{ index .Data.data "token" }}{{- end -}}',
      "vault.hashicorp.com/secret-volume-path-file-token.txt": "/etc/agent",
      "vault.hashicorp.com/agent-inject-file-file-token.txt": "token.txt",
      "vault.hashicorp.com/agent-inject-perms-file-token.txt": "0440",
    });
    // The agent's file is no key of the ESO Secret.
    expect(docs.get("dev/apps/externalsecret-api-secrets.yaml")!["spec"]["data"].map((d: Obj) => d["secretKey"])).not.toContain("file-token.txt");
  });

  it("two files with one name in two directories get distinct keys", () => {
    const d = build(VOLUMES_SPEC.replace('  volume   /data 10Gi fast\n', '  volume   /data 10Gi fast\n  secret   file /etc/jwt-old/signing.pem from vault "apps/jwt-old" key "private-key"\n'));
    const keys = d.get("dev/apps/externalsecret-api-secrets.yaml")!["spec"]["data"].map((x: Obj) => x["secretKey"] as string);
    expect(keys.filter((k: string) => k.startsWith("file-signing.pem-"))).toHaveLength(2);
  });
});

describe("volumes and scratch", () => {
  const docs = build(VOLUMES_SPEC);
  const api = docs.get("dev/apps/deployment-api.yaml")!;

  it("a shared volume is a claim on the encrypted tier class, and its Deployment recreates instead of surging", () => {
    expect(docs.get("dev/apps/persistentvolumeclaim-api-data.yaml")!["spec"]).toEqual({ accessModes: ["ReadWriteOnce"], storageClassName: "finc-fast", resources: { requests: { storage: "10Gi" } } });
    expect(docs.get("dev/_cluster/storageclass-finc-fast.yaml")!["parameters"]).toMatchObject({ encrypted: "true" });
    expect(api["spec"]["strategy"]).toEqual({ type: "Recreate" });
    expect(api["spec"]["template"]["spec"]["volumes"]).toContainEqual({ name: "data", persistentVolumeClaim: { claimName: "api-data" } });
    expect(api["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]).toContainEqual({ name: "data", mountPath: "/data" });
  });

  it("scratch is a sized emptyDir; on /tmp it resizes /tmp, with `memory` a tmpfs", () => {
    const volumes = api["spec"]["template"]["spec"]["volumes"];
    expect(volumes).toContainEqual({ name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "1Gi" } });
    expect(volumes).toContainEqual({ name: "tmp-var-cache-app", emptyDir: { sizeLimit: "2Gi" } });
    expect(volumes.filter((v: Obj) => v["name"] === "tmp")).toHaveLength(1);
  });

  it("per-replica storage: a StatefulSet with claim templates, a headless Service, the HPA and PDB on it", () => {
    expect(docs.has("dev/apps/deployment-ledger.yaml")).toBe(false);
    const set = docs.get("dev/apps/statefulset-ledger.yaml")!;
    expect(set["spec"]).toMatchObject({ serviceName: "ledger-pods", replicas: 3, persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" } });
    expect(set["spec"]["volumeClaimTemplates"].map((t: Obj) => [t["metadata"]["name"], t["spec"]["storageClassName"], t["spec"]["resources"]["requests"]["storage"]])).toEqual([["data", "finc-standard", "20Gi"], ["data-var-lib-wal", "gp3-encrypted", "5Gi"]]);
    expect(set["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]).toEqual(expect.arrayContaining([{ name: "data", mountPath: "/data" }, { name: "data-var-lib-wal", mountPath: "/var/lib/wal" }]));
    // No pod volume for a claim template.
    expect(set["spec"]["template"]["spec"]["volumes"].some((v: Obj) => "persistentVolumeClaim" in v)).toBe(false);
    expect(docs.get("dev/apps/service-ledger-pods.yaml")!["spec"]).toMatchObject({ clusterIP: "None", selector: { "app.kubernetes.io/name": "ledger" } });
    expect(docs.get("dev/apps/service-ledger.yaml")!["spec"]["type"]).toBe("ClusterIP");
    expect(docs.get("dev/apps/horizontalpodautoscaler-ledger.yaml")!["spec"]["scaleTargetRef"]).toEqual({ apiVersion: "apps/v1", kind: "StatefulSet", name: "ledger" });
    expect(docs.get("dev/apps/poddisruptionbudget-ledger.yaml")!["spec"]["selector"]).toEqual({ matchLabels: { "app.kubernetes.io/name": "ledger" } });
    expect(docs.get("dev/apps/networkpolicy-ledger-traffic.yaml")!["spec"]["podSelector"]).toEqual({ matchLabels: { "app.kubernetes.io/name": "ledger" } });
  });

  it("a worker with per-replica storage: a StatefulSet and a headless Service without ports", () => {
    expect(docs.get("dev/apps/statefulset-consumer.yaml")!["spec"]["volumeClaimTemplates"][0]["spec"]["storageClassName"]).toBe("finc-archive");
    expect(docs.get("dev/apps/service-consumer-pods.yaml")!["spec"]).toEqual({ clusterIP: "None", selector: { "app.kubernetes.io/name": "consumer" } });
  });

  it("a cron job mounts its shared claim and its secret file in the Job's pod", () => {
    const pod = docs.get("dev/apps/cronjob-statements.yaml")!["spec"]["jobTemplate"]["spec"]["template"]["spec"];
    expect(pod["volumes"]).toEqual(expect.arrayContaining([
      { name: "data-reports", persistentVolumeClaim: { claimName: "statements-data-reports" } },
      { name: "secret-etc-signing", secret: { secretName: "statements-secrets", defaultMode: 0o400, items: [{ key: "file-key.pem", path: "key.pem", mode: 0o400 }] } },
    ]));
    expect(pod["containers"][0]["volumeMounts"]).toEqual(expect.arrayContaining([{ name: "data-reports", mountPath: "/reports" }, { name: "secret-etc-signing", mountPath: "/etc/signing", readOnly: true }]));
    expect(docs.get("dev/apps/persistentvolumeclaim-statements-data-reports.yaml")!["spec"]["storageClassName"]).toBe("finc-standard");
  });

  it("the needs file lists volume and scratch paths as writable, and no file secret as an env var", () => {
    const program = compileSources({ "main.fin": VOLUMES_SPEC });
    const needs = parse(needsFiles([program.checked.models.get("dev")!])[0]!.content) as Obj;
    expect(needs["writable"].find((w: Obj) => w["workload"] === "apps/api")["paths"]).toEqual(["/tmp", "/var/cache/app", "/data"]);
    expect(needs["env"].find((e: Obj) => e["workload"] === "apps/api")["names"]).toEqual(["API_KEY"]);
  });
});

describe("volumes in the Helm chart", () => {
  it("a per-replica workload's StatefulSet takes its replicas and image from the chart's values, like a Deployment", () => {
    const program = compileSources({ "main.fin": VOLUMES_SPEC });
    const out = buildOutputs(program, { root: VIRTUAL, targets: ["helm"] });
    const set = out.files.find((f) => f.path === "helm/p/templates/apps-statefulset-ledger.yaml")!.content;
    expect(set).toContain('replicas: {{ index .Values "services" "ledger" "replicas" }}');
    expect(set).toContain('image: "{{ index .Values "services" "ledger" "image" "repository" }}:{{ index .Values "services" "ledger" "image" "tag" }}"');
  });
});
