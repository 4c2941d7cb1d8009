import { describe, expect, it } from "vitest";
import { AWS_PLATFORM, build, find } from "./helpers.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

const SPEC = AWS_PLATFORM + `
service app {
  image  "registry.example.com/app:1.0.0"
  port   http 8080
  secret DATABASE_URL from ledger.url, READ_URL from ledger.read-url, PGHOST from ledger.host, PGUSER from ledger.username, PGPASSWORD from ledger.password, CA from ledger.ca-file
  calls  ledger
}
database ledger {
  engine      postgres 16
  instances   3
  storage     100Gi fast
  memory      4Gi
  credentials from vault "apps/ledger" rotate 24h
  name        books
  backup      every 6h keep 30d
}
`;

describe("database → CloudNativePG Cluster", () => {
  const { docs, diagnostics } = build(SPEC, "prod");

  it("compiles without diagnostics", () => expect(diagnostics).toEqual([]));

  it("is a Cluster with the instances, image, storage and resources, replicas failing over unsupervised", () => {
    const c = find(docs, "Cluster", "ledger");
    expect(c.apiVersion).toBe("postgresql.cnpg.io/v1");
    expect(c.spec).toMatchObject({
      instances: 3,
      imageName: "ghcr.io/cloudnative-pg/postgresql:16",
      primaryUpdateStrategy: "unsupervised",
      enablePDB: true,
      storage: { size: "100Gi", storageClass: "finc-fast" },
      resources: { limits: { memory: "4Gi" } },
      affinity: { enablePodAntiAffinity: true, topologyKey: "topology.kubernetes.io/zone" },
    });
    expect(c.spec.postgresql.parameters.shared_buffers).toBe("1024MB");
  });

  it("bootstraps from a basic-auth Secret synced from the store, whose username is the owner", () => {
    const c = find(docs, "Cluster", "ledger");
    expect(c.spec.bootstrap.initdb).toMatchObject({ database: "books", owner: "books", secret: { name: "ledger-credentials" } });
    const es = find(docs, "ExternalSecret", "ledger-credentials");
    expect(es.spec.target.template).toMatchObject({ type: "kubernetes.io/basic-auth", data: { username: "books", password: "{{ .password }}" } });
    expect(es.spec.data).toEqual([{ secretKey: "password", remoteRef: { key: "apps/ledger", property: "password" } }]);
    expect(es.spec.refreshInterval).toBe("1h"); // the store's default refresh, shorter than a quarter of the rotation
  });

  it("refuses connections without TLS in pg_hba", () => {
    expect(find(docs, "Cluster", "ledger").spec.postgresql.pg_hba).toEqual(["hostnossl all all all reject", "hostssl all all all scram-sha-256"]);
  });

  it("keeps the instances out of the mesh and labels them for the call-graph policies", () => {
    expect(find(docs, "Cluster", "ledger").spec.inheritedMetadata.labels).toMatchObject({ "app.kubernetes.io/name": "ledger", "sidecar.istio.io/inject": "false" });
    expect(docs.filter((d) => d.kind === "DestinationRule" && d.metadata.name === "ledger")).toEqual([]);
    expect(docs.filter((d) => d.kind === "StatefulSet" || d.kind === "PodDisruptionBudget" && d.metadata.name === "ledger")).toEqual([]);
  });

  it("archives WAL and base backups to the environment's bucket with the service account's IAM role, retention from keep", () => {
    const c = find(docs, "Cluster", "ledger");
    expect(c.spec.backup).toEqual({
      barmanObjectStore: {
        destinationPath: "s3://p-eks-backups-123456789012/postgres/apps",
        s3Credentials: { inheritFromIAMRole: true },
        wal: { compression: "gzip", maxParallel: 4 },
        data: { compression: "gzip", jobs: 2 },
      },
      retentionPolicy: "30d",
    });
    expect(c.spec.serviceAccountTemplate.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::123456789012:role/p-eks-apps-ledger");
    const sb = find(docs, "ScheduledBackup", "ledger");
    expect(sb.spec).toEqual({ cluster: { name: "ledger" }, schedule: "0 0 */6 * * *", immediate: true, backupOwnerReference: "self", method: "barmanObjectStore" });
    expect(docs.filter((d) => d.kind === "Schedule")).toEqual([]);
  });

  it("lets the operator, the other instances and Prometheus in, and the instances out to each other and the API server", () => {
    const np = find(docs, "NetworkPolicy", "ledger-cnpg");
    expect(np.spec.podSelector).toEqual({ matchLabels: { "cnpg.io/cluster": "ledger" } });
    expect(np.spec.ingress).toEqual([
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "cnpg-system" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "cloudnative-pg" } } }], ports: [{ protocol: "TCP", port: 8000 }, { protocol: "TCP", port: 5432 }] },
      { from: [{ podSelector: { matchLabels: { "cnpg.io/cluster": "ledger" } } }], ports: [{ protocol: "TCP", port: 5432 }, { protocol: "TCP", port: 8000 }] },
      { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } } }], ports: [{ protocol: "TCP", port: 9187 }] },
    ]);
    expect(np.spec.egress[1]).toEqual({ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ protocol: "TCP", port: 443 }, { protocol: "TCP", port: 6443 }] });
    // Callers still come through the call graph's policy, which selects the instances by the inherited label.
    const traffic = find(docs, "NetworkPolicy", "ledger-traffic");
    expect(traffic.spec.ingress[0].ports).toEqual([{ protocol: "TCP", port: 5432 }]);
  });

  it("scrapes the exporter with a PodMonitor (not the deprecated enablePodMonitor)", () => {
    const pm = find(docs, "PodMonitor", "ledger");
    expect(pm.spec).toEqual({ selector: { matchLabels: { "cnpg.io/cluster": "ledger", "cnpg.io/podRole": "instance" } }, podMetricsEndpoints: [{ port: "metrics", interval: "30s" }] });
    expect(find(docs, "Cluster", "ledger").spec.monitoring).toBeUndefined();
  });

  it("gives clients verify-full URLs to -rw and -ro with the mounted CA", () => {
    const data = find(docs, "ExternalSecret", "app-secrets").spec.target.template.data;
    const q = "sslmode=verify-full&sslrootcert=/etc/finc/db/ledger/ca.crt";
    expect(data.DATABASE_URL).toBe(`postgresql://books:{{ index . "db0-password" | urlquery | replace "+" "%20" }}@ledger-rw.apps.svc.cluster.local:5432/books?${q}`);
    expect(data.READ_URL).toBe(`postgresql://books:{{ index . "db1-password" | urlquery | replace "+" "%20" }}@ledger-ro.apps.svc.cluster.local:5432/books?${q}`);
    expect(data.PGHOST).toBe("ledger-rw.apps.svc.cluster.local");
    expect(data.PGUSER).toBe("books");
    expect(data.PGPASSWORD).toBe('{{ index . "db4-password" }}');
    expect(data.CA).toBe("/etc/finc/db/ledger/ca.crt");
    const pod = find(docs, "Deployment", "app").spec.template.spec;
    expect(pod.volumes).toContainEqual({ name: "db-ca-ledger", secret: { secretName: "ledger-client-ca", items: [{ key: "ca.crt", path: "ca.crt" }], defaultMode: 0o444 } });
    expect(pod.containers[0].volumeMounts).toContainEqual({ name: "db-ca-ledger", mountPath: "/etc/finc/db/ledger", readOnly: true });
  });

  it("copies only the CA certificate out of the operator's CA Secret (which holds the CA key) for clients", () => {
    const copy = find(docs, "ExternalSecret", "ledger-client-ca").spec;
    expect(copy.target.name).toBe("ledger-client-ca");
    expect(copy.data).toEqual([{ secretKey: "ca.crt", remoteRef: { key: "ledger-ca", property: "ca.crt" } }]);
    expect(find(docs, "SecretStore", copy.secretStoreRef.name).spec.provider.kubernetes).toMatchObject({ remoteNamespace: "apps", auth: { serviceAccount: { name: "ledger-ca-reader" } } });
    expect(find(docs, "Role", "ledger-ca-reader").rules).toEqual([{ apiGroups: [""], resources: ["secrets"], resourceNames: ["ledger-ca"], verbs: ["get"] }]);
    expect(find(docs, "RoleBinding", "ledger-ca-reader")).toMatchObject({ roleRef: { kind: "Role", name: "ledger-ca-reader" }, subjects: [{ kind: "ServiceAccount", name: "ledger-ca-reader", namespace: "apps" }] });
    expect(docs.some((d) => (d as { kind?: string }).kind === "Deployment" && JSON.stringify(d).includes('"secretName":"ledger-ca"'))).toBe(false);
  });

  it("points read-url at the primary when there are no replicas, and drops the PDB that would block drains", () => {
    const one = build(SPEC.replace("instances   3", "instances   1"), "dev").docs;
    expect(find(one, "ExternalSecret", "app-secrets").spec.target.template.data.READ_URL).toContain("@ledger-rw.apps.svc.cluster.local:5432/");
    expect(find(one, "Cluster", "ledger").spec.enablePDB).toBe(false);
  });

  it("falls back to volume snapshots where finc knows no bucket", () => {
    const noAccount = build(SPEC.replace('  account      "123456789012"\n', "").replace('  cluster      "p-eks"\n', ""), "prod").docs;
    expect(find(noAccount, "Cluster", "ledger").spec.backup).toEqual({ volumeSnapshot: { className: "finc-snapshots", online: true } });
    expect(find(noAccount, "ScheduledBackup", "ledger").spec.method).toBe("volumeSnapshot");
    expect(find(noAccount, "VolumeSnapshotClass", "finc-snapshots")).toBeDefined();
  });

  it.skipIf(!schemasAvailable)("validates against the CloudNativePG and Prometheus Operator schemas, strictly", () => {
    for (const d of docs.filter((x) => ["Cluster", "ScheduledBackup", "PodMonitor", "NetworkPolicy", "ExternalSecret", "Deployment"].includes(x.kind)))
      expect(validateManifest(d), `${d.kind}/${d.metadata.name}`).toEqual([]);
  });
});
