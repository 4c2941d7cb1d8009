import { describe, expect, it } from "vitest";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { compileSources, REPO, STDLIB } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

/**
 * examples/remittance-multi-region: prod on two clusters (eu-west primary, eu-central standby),
 * dev on eu-west alone. Every expectation below is written from the spec, not from the output.
 */
const program = createProgram({ host: createNodeHost(STDLIB), roots: [resolve(REPO, "examples/remittance-multi-region")] });
const out = buildOutputs(program, { targets: ["kubernetes", "istio", "backup", "gitops", "terraform", "kustomize", "helm"] });
const paths = out.files.map((f) => f.path);
const yamlOf = (path: string): Record<string, any> => {
  const f = out.files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path}`);
  return parseYaml(f.content) as Record<string, any>;
};
const under = (dir: string) => paths.filter((p) => p.startsWith(`${dir}/`));

describe("a multi-cluster environment is built once per cluster", () => {
  it("checks clean", () => {
    expect([...program.diagnostics, ...out.diagnostics].filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });

  it("writes dev (one cluster) as before and prod as prod-eu-west and prod-eu-central, with no prod/ directory", () => {
    expect(program.checked.environments).toEqual(["dev", "prod-eu-west", "prod-eu-central"]);
    expect(under("prod")).toEqual([]);
    for (const dir of ["dev", "prod-eu-west", "prod-eu-central"]) expect(under(dir).length, dir).toBeGreaterThan(10);
    // Each cluster has its own Kustomize overlay, Helm values and Terraform root.
    for (const env of ["dev", "prod-eu-west", "prod-eu-central"]) {
      expect(paths).toContain(`kustomize/overlays/${env}/kustomization.yaml`);
      expect(paths).toContain(`helm/remittance/values-${env}.yaml`);
    }
    expect(paths.some((p) => p.startsWith("terraform/prod-eu-west/"))).toBe(true);
    expect(paths.some((p) => p.startsWith("terraform/prod-eu-central/"))).toBe(true);
  });

  it("the primary runs the ledger's primary Cluster and no replica; the standby runs it as a replica cluster of the primary's backups", () => {
    const primary = yamlOf("prod-eu-west/remittance/cluster-ledger.yaml");
    expect(primary.spec.replica).toBeUndefined();
    expect(primary.spec.bootstrap.initdb).toBeDefined();
    expect(primary.spec.backup.barmanObjectStore.destinationPath).toBe("s3://remittance-eu-west-backups-123456789012/postgres/remittance");
    // `replicate to eu-central-1` is the standby's job now: no `<db>-<region>` replica in the primary's (or dev's) output.
    expect(paths.filter((p) => /cluster-ledger-eu-central-1/.test(p))).toEqual([]);

    const standby = yamlOf("prod-eu-central/remittance/cluster-ledger.yaml");
    // Same name as the primary's: the services' ledger-rw URL needs no change after a promotion.
    expect(standby.metadata.name).toBe("ledger");
    expect(standby.spec.replica).toEqual({ enabled: true, source: "ledger-eu-west" });
    expect(standby.spec.bootstrap).toEqual({ recovery: { source: "ledger-eu-west" } });
    expect(standby.spec.externalClusters).toEqual([{
      name: "ledger-eu-west",
      barmanObjectStore: {
        // The primary's bucket as S3 replication copies it into eu-central-1, under the primary's server name.
        destinationPath: "s3://remittance-eu-west-backups-eu-central-1-123456789012/postgres/remittance",
        s3Credentials: { inheritFromIAMRole: true },
        serverName: "ledger",
        wal: { maxParallel: 8 },
      },
    }]);
    // Its own archive goes to its own cluster's bucket, never into the one it recovers from.
    expect(standby.spec.backup.barmanObjectStore.destinationPath).toBe("s3://remittance-eu-central-backups-123456789012/postgres/remittance");
    expect(standby.spec.serviceAccountTemplate.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::123456789012:role/remittance-eu-central-remittance-ledger");
  });

  it("the standby runs every service (its minimum under the same autoscaler) and publishes the hosts as DNS SECONDARY, the primary as PRIMARY", () => {
    for (const env of ["prod-eu-west", "prod-eu-central"]) {
      expect(paths).toContain(`${env}/remittance/deployment-api.yaml`);
      expect(paths).toContain(`${env}/remittance/deployment-transfers.yaml`);
      const hpa = yamlOf(`${env}/remittance/horizontalpodautoscaler-api.yaml`);
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas], env).toEqual([3, 12]);
    }
    const gateway = (env: string) => out.files.filter((f) => f.path.startsWith(`${env}/`) && /\/gateway-remittance\.yaml$/.test(f.path)).map((f) => parseYaml(f.content) as Record<string, any>);
    const annotations = (env: string) => gateway(env).map((g) => g.metadata.annotations as Record<string, string>);
    expect(annotations("prod-eu-west")).toEqual([expect.objectContaining({
      "external-dns.alpha.kubernetes.io/hostname": "api.remittance.example.com",
      "external-dns.alpha.kubernetes.io/set-identifier": "eu-west",
      "external-dns.alpha.kubernetes.io/aws-failover": "PRIMARY",
    })]);
    expect(annotations("prod-eu-central")).toEqual([expect.objectContaining({
      "external-dns.alpha.kubernetes.io/hostname": "api.remittance.example.com",
      "external-dns.alpha.kubernetes.io/set-identifier": "eu-central",
      "external-dns.alpha.kubernetes.io/aws-failover": "SECONDARY",
    })]);
    // A single-cluster environment keeps its plain record.
    expect(annotations("dev")[0]).not.toHaveProperty(["external-dns.alpha.kubernetes.io/aws-failover"]);
  });

  it("Argo CD: one ApplicationSet over prod's two clusters instead of prod Applications; dev keeps its Application", () => {
    const gitops = paths.filter((p) => p.startsWith("gitops/"));
    expect(gitops).toEqual(["gitops/argocd/application-remittance-dev.yaml", "gitops/argocd/applicationset-remittance-prod.yaml", "gitops/argocd/appproject-remittance.yaml"]);
    const set = yamlOf("gitops/argocd/applicationset-remittance-prod.yaml");
    expect(set.kind).toBe("ApplicationSet");
    expect(set.spec.generators[0].list.elements).toEqual([
      { cluster: "eu-west", role: "primary", output: "prod-eu-west", path: "deploy/prod-eu-west", destination: "remittance-eu-west" },
      { cluster: "eu-central", role: "standby", output: "prod-eu-central", path: "deploy/prod-eu-central", destination: "remittance-eu-central" },
    ]);
    expect(set.spec.template.metadata.name).toBe("remittance-{{.output}}");
    expect(set.spec.template.spec.source.path).toBe("{{.path}}");
    expect(set.spec.template.spec.destination).toEqual({ name: "{{.destination}}" });
    // Production: synced by hand only, and deleting the set leaves it running.
    expect(set.spec.template.spec.syncPolicy.automated).toBeUndefined();
    expect(set.spec.syncPolicy).toEqual({ preserveResourcesOnDeletion: true });
    // The generated Applications' names are those the AppProject's production sync window names.
    const project = yamlOf("gitops/argocd/appproject-remittance.yaml");
    expect(project.spec.syncWindows.flatMap((w: { applications: string[] }) => w.applications).sort()).toEqual(["remittance-prod-eu-central", "remittance-prod-eu-west"]);
    expect(project.spec.destinations.map((d: { name?: string; server?: string }) => d.name ?? d.server)).toEqual(expect.arrayContaining(["remittance-eu-west", "remittance-eu-central", "remittance-dev"]));
  });

  it("Terraform: the primary's root replicates its bucket into eu-central-1; the standby's ledger role may read exactly the ledger's prefix there", () => {
    const json = (path: string) => JSON.parse(out.files.find((f) => f.path === path)?.content ?? "null") as Record<string, any> | null;
    const primaryBuckets = Object.values(json("terraform/prod-eu-west/backups.tf.json")!.resource.aws_s3_bucket as Record<string, { bucket: string }>).map((b) => b.bucket).sort();
    expect(primaryBuckets).toEqual(["remittance-eu-west-backups-123456789012", "remittance-eu-west-backups-eu-central-1-123456789012"]);
    expect(json("terraform/prod-eu-west/standby-sources.tf.json")).toBeNull();
    const standby = json("terraform/prod-eu-central/standby-sources.tf.json")!;
    const [doc] = Object.values(standby.data.aws_iam_policy_document as Record<string, { statement: { actions: string[]; resources: string[] }[] }>);
    expect(doc!.statement.map((st) => [st.actions, st.resources])).toEqual([
      [["s3:GetObject"], ["arn:aws:s3:::remittance-eu-west-backups-eu-central-1-123456789012/postgres/remittance/*"]],
      [["s3:GetBucketLocation", "s3:ListBucket"], ["arn:aws:s3:::remittance-eu-west-backups-eu-central-1-123456789012"]],
    ]);
    // Attached to the role the standby's own root creates for the ledger Cluster's service account.
    const [policy] = Object.values(standby.resource.aws_iam_role_policy as Record<string, { role: string }>);
    const roles = json("terraform/prod-eu-central/identity.tf.json")!.resource.aws_iam_role as Record<string, { name: string }>;
    const roleId = /^\$\{aws_iam_role\.(.+)\.id\}$/.exec(policy!.role)![1]!;
    expect(roles[roleId]!.name).toBe("remittance-eu-central-remittance-ledger");
  });

  it.skipIf(!schemasAvailable)("the ApplicationSet and both ledger Clusters validate against their schemas", () => {
    for (const p of ["gitops/argocd/applicationset-remittance-prod.yaml", "prod-eu-west/remittance/cluster-ledger.yaml", "prod-eu-central/remittance/cluster-ledger.yaml"])
      expect(validateManifest(yamlOf(p) as { apiVersion?: unknown; kind?: unknown }), p).toEqual([]);
  });
});

describe("what a standby cluster does not run", () => {
  const spec = `platform p {
  cloud        aws
  regions      eu-west-1 primary, eu-central-1
  account      "123456789012"
  environments dev, prod
}
cluster a {
  region eu-west-1
  role   primary
}
cluster b {
  region eu-central-1
  role   standby
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
service api {
  image "r.io/api:1.0.0"
  port  http 8080
}
worker consumer {
  image "r.io/consumer:1.0.0"
}
cronjob nightly {
  image    "r.io/nightly:1.0.0"
  schedule "0 2 * * *"
}
`;
  it("workers and cron jobs run on the primary only; services on both; without databases nothing else is needed", () => {
    const p = compileSources({ "main.fin": spec });
    expect(p.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    expect(p.checked.environments).toEqual(["dev-a", "dev-b", "prod-a", "prod-b"]);
    const files = buildOutputs(p, { targets: ["kubernetes"] }).files.map((f) => f.path);
    expect(files).toContain("prod-a/apps/deployment-consumer.yaml");
    expect(files).toContain("prod-a/apps/cronjob-nightly.yaml");
    expect(files).toContain("prod-b/apps/deployment-api.yaml");
    expect(files.filter((f) => f.startsWith("prod-b/") && /consumer|nightly/.test(f))).toEqual([]);
  });
});

describe("per-cluster delivery and editor facts", () => {
  const twoClusters = (delivery: string) => `platform p {
  cloud        aws
  regions      eu-west-1 primary, eu-central-1
  environments dev, prod
  ${delivery}
}
cluster a {
  region eu-west-1
  role   primary
}
cluster b {
  region       eu-central-1
  role         standby
  environments prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
service api {
  image "r.io/api:1.0.0"
  port  http 8080
}
`;

  it("Flux: each cluster of prod gets its own gitops/flux/prod-<cluster>/, suspended as production; dev's is automated", () => {
    const p = compileSources({ "main.fin": twoClusters('delivery flux repo "https://git.example.com/p/deploy.git" path "out"') });
    expect(p.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const files = buildOutputs(p, { targets: ["kubernetes", "gitops"] }).files;
    const kustomizations = (env: string) => files.filter((f) => f.path.startsWith(`gitops/flux/${env}/kustomization-`)).map((f) => parseYaml(f.content) as Record<string, any>);
    for (const env of ["prod-a", "prod-b"]) {
      const ks = kustomizations(env);
      expect(ks.map((k) => k.spec.path).sort(), env).toEqual([`./out/${env}`, `./out/${env}/_cluster`]);
      expect(ks.every((k) => k.spec.suspend === true), env).toBe(true);
    }
    expect(kustomizations("dev").some((k) => k.spec.suspend)).toBe(false);
    expect(files.some((f) => f.path.startsWith("gitops/flux/prod/"))).toBe(false);
  });

  it("a cluster's `environments` entry refers to the platform's environment (definition and rename)", () => {
    const text = twoClusters("");
    const p = compileSources({ "main.fin": text });
    const at = text.indexOf("environments prod\n}") + "environments ".length;
    const ref = p.checked.references.find((r) => r.range.start === at);
    expect(ref?.target.kind).toBe("environment");
    expect(ref?.target.name).toBe("prod");
  });
});
