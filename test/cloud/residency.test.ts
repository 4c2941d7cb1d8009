import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { RESIDENCY_REGIONS } from "../../compiler/model/residency-regions.js";
import { compileSources, diagnosticsOf, itReportsEach, type CheckCase } from "../helpers/compile.js";
import { validateManifest } from "../helpers/schemas.js";

type Obj = Record<string, any>;

/** A platform on `cloud` in `regions`, one resident namespace, one service (line 13) and, optionally, a database. */
const spec = (cloud: string, regions: string, residency = "eu", extra = "") => `platform p {
  cloud        ${cloud}
  regions      ${regions}
  environments prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {
  residency ${residency}
}
service api {
  image "r.io/api:1"
  port  8080
}
${extra}`;

const DB = `database db {
  storage     10Gi
  credentials from vault "apps/db"
}
`;

function documents(text: string): Obj[] {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return buildOutputs(program).documents.get("prod")!.map((d) => d.object as Obj);
}

/** The regions a pod spec is pinned to by required node affinity on topology.kubernetes.io/region. */
function pinnedRegions(podSpec: Obj | undefined): string[] | undefined {
  const terms = podSpec?.["affinity"]?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms as Obj[] | undefined;
  const e = terms?.[0]?.["matchExpressions"]?.find((x: Obj) => x["key"] === "topology.kubernetes.io/region");
  return e ? (e["values"] as string[]) : undefined;
}
const deployment = (docs: Obj[]) => docs.find((d) => d["kind"] === "Deployment" && d["metadata"].name === "api")!;

describe("residency pins pods to the jurisdiction's regions on every cloud", () => {
  it("aws: eu-west-1 and eu-central-1", () => {
    expect(pinnedRegions(deployment(documents(spec("aws", "eu-west-1 primary, eu-central-1")))["spec"].template.spec)).toEqual(["eu-central-1", "eu-west-1"]);
  });
  it("gcp: europe-west1 and europe-west4 (names the AWS prefix rule never matched)", () => {
    expect(pinnedRegions(deployment(documents(spec("gcp", "europe-west1 primary, europe-west4")))["spec"].template.spec)).toEqual(["europe-west1", "europe-west4"]);
  });
  it("azure: westeurope and germanywestcentral", () => {
    expect(pinnedRegions(deployment(documents(spec("azure", "westeurope primary, germanywestcentral")))["spec"].template.spec)).toEqual(["germanywestcentral", "westeurope"]);
  });
  it("other jurisdictions: uk on azure, ch on gcp, us on aws", () => {
    expect(pinnedRegions(deployment(documents(spec("azure", "uksouth primary, ukwest", "uk")))["spec"].template.spec)).toEqual(["uksouth", "ukwest"]);
    expect(pinnedRegions(deployment(documents(spec("gcp", "europe-west6", "ch")))["spec"].template.spec)).toEqual(["europe-west6"]);
    expect(pinnedRegions(deployment(documents(spec("aws", "us-east-1 primary, us-west-2", "us")))["spec"].template.spec)).toEqual(["us-east-1", "us-west-2"]);
  });
  it("without `regions`, pods are still pinned: to every region of the cloud inside the jurisdiction", () => {
    const text = spec("gcp", "x").replace("  regions      x\n", "");
    const values = pinnedRegions(deployment(documents(text))["spec"].template.spec);
    expect(values).toContain("europe-west1");
    expect(values).toContain("europe-west9");
    expect(values).not.toContain("europe-west2");
    expect(values).not.toContain("europe-west6");
  });
  it("a resident namespace's CloudNativePG Cluster is pinned the same way, and every document validates", () => {
    const docs = documents(spec("azure", "northeurope primary, westeurope", "eu", DB));
    const cluster = docs.find((d) => d["kind"] === "Cluster")!;
    expect(pinnedRegions(cluster["spec"].affinity ? { affinity: cluster["spec"].affinity } : undefined)).toEqual(["northeurope", "westeurope"]);
    for (const d of docs) expect(validateManifest(d as { apiVersion: string; kind: string }), `${d["kind"]} ${d["metadata"]?.name}`).toEqual([]);
  });
});

const cases: CheckCase[] = [
  { name: "aws eu-west-2 is London, outside the EU", spec: spec("aws", "eu-west-1 primary, eu-west-2"), code: "FIN4050", covers: "eu-west-2", line: 3 },
  { name: "aws eu-central-2 is Zurich, outside the EU", spec: spec("aws", "eu-central-2 primary, eu-west-1"), code: "FIN4050", covers: "eu-central-2", line: 3 },
  { name: "an AWS US region next to residency eu", spec: spec("aws", "eu-west-1 primary, us-east-1"), code: "FIN4050", covers: "us-east-1", line: 3 },
  { name: "gcp europe-west2 is London", spec: spec("gcp", "europe-west1 primary, europe-west2"), code: "FIN4050", covers: "europe-west2", line: 3 },
  { name: "gcp us-central1 under residency eu", spec: spec("gcp", "us-central1"), code: "FIN4050", covers: "us-central1", line: 3 },
  { name: "azure uksouth under residency eu", spec: spec("azure", "westeurope primary, uksouth"), code: "FIN4050", covers: "uksouth", line: 3 },
  { name: "azure westeurope under residency us", spec: spec("azure", "eastus primary, westeurope", "us"), code: "FIN4050", covers: "westeurope", line: 3 },
  { name: "an AWS region name on gcp is no GCP region of the EU", spec: spec("gcp", "eu-west-1"), code: "FIN4050", covers: "eu-west-1", line: 3 },
  { name: "a jurisdiction finc has no region table for", spec: spec("aws", "eu-west-1", "europe"), code: "FIN4051", covers: "residency europe", line: 11 },
];

describe("residency checks", () => {
  itReportsEach(cases);

  it("regions all inside the jurisdiction are accepted on each cloud", () => {
    for (const [cloud, regions] of [["aws", "eu-west-1 primary, eu-central-1, eu-north-1"], ["gcp", "europe-west1 primary, europe-west3"], ["azure", "westeurope primary, northeurope"]] as const)
      expect(diagnosticsOf({ "main.fin": spec(cloud, regions) }).filter((d) => d.code.startsWith("FIN405")), cloud).toEqual([]);
  });
  it("onprem region names are the operator's own: eu-* is inside eu, nothing is refused", () => {
    expect(diagnosticsOf({ "main.fin": spec("onprem", "eu-dc1 primary, us-dc2") }).filter((d) => d.code === "FIN4050" || d.code === "FIN4051")).toEqual([]);
  });
  it("the region table lists no region in two jurisdictions of one cloud", () => {
    for (const cloud of ["aws", "gcp", "azure"] as const) {
      const all = Object.values(RESIDENCY_REGIONS).flatMap((j) => j.regions[cloud]);
      expect(new Set(all).size, cloud).toBe(all.length);
    }
  });
});
