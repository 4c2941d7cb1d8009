import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";
import { activeActive, WEST_CHECK } from "./active-active-fixture.js";

/** Every expectation below is written from the fixture's spec (active-active-fixture.ts), not from the output. */
const build = (spec: string) => {
  const program = compileSources({ "main.fin": spec });
  const out = buildOutputs(program, { targets: ["kubernetes", "istio", "backup", "gitops"] });
  const yamlOf = (path: string): Record<string, any> => {
    const f = out.files.find((x) => x.path === path);
    if (!f) throw new Error(`no ${path}`);
    return parseYaml(f.content) as Record<string, any>;
  };
  return { program, paths: out.files.map((f) => f.path), yamlOf };
};

describe("role active: every active cluster serves, the databases keep one writer", () => {
  const { program, paths, yamlOf } = build(activeActive());

  it("checks clean and builds prod once per cluster", () => {
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(program.checked.environments).toEqual(["prod-west", "prod-central"]);
    expect(program.checked.models.get("prod-west")!.cluster!.role).toBe("active");
    expect(program.checked.models.get("prod-central")!.cluster!.role).toBe("active");
  });

  it("both clusters run the exposed service at its full replicas; the worker that writes runs once, in the first active cluster", () => {
    for (const env of ["prod-west", "prod-central"]) {
      expect(paths, env).toContain(`${env}/remit/deployment-quotes.yaml`);
      const hpa = yamlOf(`${env}/remit/horizontalpodautoscaler-quotes.yaml`);
      expect([hpa.spec.minReplicas, hpa.spec.maxReplicas], env).toEqual([2, 6]);
    }
    expect(paths).toContain("prod-west/remit/deployment-settle.yaml");
    expect(paths.filter((p) => p.startsWith("prod-central/") && p.includes("settle"))).toEqual([]);
  });

  it("the ledger's primary runs in west; central runs a read-only replica cluster of it from the archive copied into eu-central-1", () => {
    const west = yamlOf("prod-west/remit/cluster-ledger.yaml");
    expect(west.spec.replica).toBeUndefined();
    expect(west.spec.bootstrap.initdb).toBeDefined();
    const central = yamlOf("prod-central/remit/cluster-ledger.yaml");
    expect(central.metadata.name).toBe("ledger");
    expect(central.spec.instances).toBe(3);
    expect(central.spec.replica).toEqual({ enabled: true, source: "ledger-west" });
    expect(central.spec.externalClusters[0].barmanObjectStore.destinationPath).toBe("s3://remit-west-backups-eu-central-1-123456789012/postgres/remit");
    // Its own archive goes to central's bucket.
    expect(central.spec.backup.barmanObjectStore.destinationPath).toBe("s3://remit-central-backups-123456789012/postgres/remit");
  });

  it("the reading service gets the ledger's read-only Service in each cluster (the local replica's in central)", () => {
    for (const env of ["prod-west", "prod-central"]) {
      const url = yamlOf(`${env}/remit/externalsecret-quotes-secrets.yaml`).spec.target.template.data.DATABASE_URL as string;
      expect(url, env).toMatch(/^postgresql:\/\/ledger:.*@ledger-ro\.remit\.svc\.cluster\.local:5432\/ledger\?sslmode=verify-full&/);
    }
    // The writer, in west only, gets the primary.
    expect(yamlOf("prod-west/remit/externalsecret-settle-secrets.yaml").spec.target.template.data.DATABASE_URL).toContain("@ledger-rw.remit.svc.cluster.local:5432/");
  });

  it("external-dns publishes the host as a Route 53 latency record per cluster (set-identifier, aws-region), no failover", () => {
    const west = yamlOf("prod-west/istio-ingress/gateway-remit.yaml").metadata.annotations as Record<string, string>;
    const central = yamlOf("prod-central/istio-ingress/gateway-remit.yaml").metadata.annotations as Record<string, string>;
    expect(west).toEqual({
      "external-dns.alpha.kubernetes.io/hostname": "api.remit.example.com",
      "external-dns.alpha.kubernetes.io/ttl": "60",
      "external-dns.alpha.kubernetes.io/set-identifier": "west",
      "external-dns.alpha.kubernetes.io/aws-region": "eu-west-1",
      "external-dns.alpha.kubernetes.io/aws-evaluate-target-health": "true",
    });
    expect(central["external-dns.alpha.kubernetes.io/set-identifier"]).toBe("central");
    expect(central["external-dns.alpha.kubernetes.io/aws-region"]).toBe("eu-central-1");
    expect(central).not.toHaveProperty(["external-dns.alpha.kubernetes.io/aws-failover"]);
    // No ID pasted back yet: no health check attached.
    expect(central).not.toHaveProperty(["external-dns.alpha.kubernetes.io/aws-health-check-id"]);
  });

  it("each cluster's gateway serves <cluster>.<host> for its health check: only the readiness path, to the host's service", () => {
    for (const [env, cluster] of [["prod-west", "west"], ["prod-central", "central"]] as const) {
      const gw = yamlOf(`${env}/istio-ingress/gateway-remit-health-check.yaml`);
      // A plain record of this cluster's load balancer: no routing policy (the name is this cluster's alone).
      expect(gw.metadata.annotations, env).toEqual({ "external-dns.alpha.kubernetes.io/hostname": `${cluster}.api.remit.example.com`, "external-dns.alpha.kubernetes.io/ttl": "60" });
      // Plain HTTP on the load balancer's port 80: no certificate shared with the host's Gateway (istioctl IST0138).
      expect(gw.spec.servers, env).toEqual([{ port: { number: 80, name: "http-health-check", protocol: "HTTP" }, hosts: [`${cluster}.api.remit.example.com`] }]);
      const vs = yamlOf(`${env}/remit/virtualservice-health-check-api-remit-example-com.yaml`);
      expect(vs.spec.hosts).toEqual([`${cluster}.api.remit.example.com`]);
      expect(vs.spec.gateways).toEqual(["istio-ingress/remit-health-check"]);
      expect(vs.spec.http).toHaveLength(1);
      expect(vs.spec.http[0].match).toEqual([{ uri: { exact: "/ready" } }]);
      expect(vs.spec.http[0].route[0].destination).toMatchObject({ host: "quotes.remit.svc.cluster.local", port: { number: 8080 } });
    }
  });
});

describe("Argo CD for an active-active environment", () => {
  it("one ApplicationSet element per active cluster, with its role", () => {
    const b = build(activeActive().replace("dns          external-dns ttl 1m", 'dns          external-dns ttl 1m\n  delivery     argocd repo "https://git.example.com/remit/deploy.git"'));
    const set = b.yamlOf("gitops/argocd/applicationset-remit-prod.yaml");
    expect(set.spec.generators[0].list.elements.map((e: { cluster: string; role: string; output: string }) => [e.cluster, e.role, e.output])).toEqual([["west", "active", "prod-west"], ["central", "active", "prod-central"]]);
  });
});

describe("a cluster's pasted health check", () => {
  const { program, yamlOf } = build(activeActive({ westCheck: WEST_CHECK }));

  it("is attached to that cluster's records only", () => {
    expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    expect(yamlOf("prod-west/istio-ingress/gateway-remit.yaml").metadata.annotations["external-dns.alpha.kubernetes.io/aws-health-check-id"]).toBe(WEST_CHECK);
    expect(yamlOf("prod-central/istio-ingress/gateway-remit.yaml").metadata.annotations).not.toHaveProperty(["external-dns.alpha.kubernetes.io/aws-health-check-id"]);
    // The per-cluster check name's own record carries none (it is what the check calls).
    expect(yamlOf("prod-west/istio-ingress/gateway-remit-health-check.yaml").metadata.annotations).not.toHaveProperty(["external-dns.alpha.kubernetes.io/aws-health-check-id"]);
  });

  it("per environment: each multi-cluster environment's root has its own checks, and `in <env>` picks the ID", () => {
    const STAGING_CHECK = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
    const spec = activeActive({ westCheck: WEST_CHECK })
      .replace("environments prod\n", "environments staging, prod\n")
      .replace(`health-check "${WEST_CHECK}"`, `health-check "${WEST_CHECK}" in prod, "${STAGING_CHECK}" in staging`);
    const b = build(spec);
    expect(b.program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const id = (env: string) => b.yamlOf(`${env}/istio-ingress/gateway-remit.yaml`).metadata.annotations["external-dns.alpha.kubernetes.io/aws-health-check-id"];
    expect([id("prod-west"), id("staging-west"), id("prod-central")]).toEqual([WEST_CHECK, STAGING_CHECK, undefined]);
  });

  it("also follows a primary/standby pair: the primary's failover record carries it", () => {
    const spec = activeActive({ westCheck: WEST_CHECK, centralRole: "standby" }).replace("role   active\n  health-check", "role   primary\n  health-check");
    const b = build(spec);
    expect(b.program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const ann = b.yamlOf("prod-west/istio-ingress/gateway-remit.yaml").metadata.annotations as Record<string, string>;
    expect(ann["external-dns.alpha.kubernetes.io/aws-failover"]).toBe("PRIMARY");
    expect(ann["external-dns.alpha.kubernetes.io/aws-health-check-id"]).toBe(WEST_CHECK);
  });
});

describe("multi-cluster DNS off aws", () => {
  it("a gcp standby publishes no records (external-dns skips objects of another controller); the primary publishes plain ones", () => {
    const spec = `platform g {
  cloud        gcp
  regions      europe-west1 primary, europe-west4
  environments prod
  ingress      istio
}
cluster a {
  region europe-west1
  role   primary
}
cluster b {
  region europe-west4
  role   standby
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
service web {
  image  "r.io/web:1.0.0"
  port   http 8080
  expose "web.example.com"
}
`;
    const b = build(spec);
    expect(b.program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const primary = b.yamlOf("prod-a/istio-ingress/gateway-g.yaml").metadata.annotations as Record<string, string>;
    expect(primary).toEqual({ "external-dns.alpha.kubernetes.io/hostname": "web.example.com", "external-dns.alpha.kubernetes.io/ttl": "300" });
    expect(b.yamlOf("prod-b/istio-ingress/gateway-g.yaml").metadata.annotations["external-dns.alpha.kubernetes.io/controller"]).toBe("finc-standby");
    // No Route 53 health checks off aws.
    expect(b.paths.filter((p) => p.includes("health-check"))).toEqual([]);
  });
});
