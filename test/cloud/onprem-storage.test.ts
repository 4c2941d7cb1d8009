import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { platformSpec } from "../../compiler/semantic/schema/platform.js";
import { compileSources, diagnosticsOf, itReportsEach, type CheckCase } from "../helpers/compile.js";
import { validateManifest } from "../helpers/schemas.js";

type Obj = Record<string, any>;

/** A platform (fields on line 3 onwards) with one database, optionally backed up. */
const spec = (cloud: string, platformLines = "", backup = "") => `platform p {
  cloud        ${cloud}
${platformLines}  environments prod
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
database db {
  storage     10Gi fast
  credentials from vault "apps/db"
${backup}}
`;

function documents(text: string): Obj[] {
  const program = compileSources({ "main.fin": text });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return buildOutputs(program).documents.get("prod")!.map((d) => d.object as Obj);
}

const cases: CheckCase[] = [
  { name: "onprem with a database and no storage-provisioner", spec: spec("onprem"), code: "FIN4052", covers: "cloud        onprem", line: 2 },
  { name: "a provisioner that is not a CSI driver name", spec: spec("onprem", '  storage-provisioner "csi vsphere"\n'), code: "FIN3001", covers: '"csi vsphere"', line: 3 },
];

describe("onprem storage provisioner", () => {
  itReportsEach(cases);

  it("onprem without databases needs no provisioner", () => {
    const text = spec("onprem").replace(/database db \{[\s\S]*$/, "");
    expect(diagnosticsOf({ "main.fin": text }).map((d) => d.code)).not.toContain("FIN4052");
  });

  it("the StorageClass provisions with the named driver and no placeholder reaches any document", () => {
    const docs = documents(spec("onprem", '  storage-provisioner "csi.vsphere.vmware.com"\n', "  backup      every 24h keep 7d\n"));
    const sc = docs.find((d) => d["kind"] === "StorageClass")!;
    expect(sc["provisioner"]).toBe("csi.vsphere.vmware.com");
    expect(sc["parameters"]).toEqual({});
    expect(JSON.stringify(docs)).not.toContain("example.internal");
    for (const d of docs) expect(validateManifest(d as { apiVersion: string; kind: string }), `${d["kind"]} ${d["metadata"]?.name}`).toEqual([]);
  });

  it("snapshots (VolumeSnapshotClass) use the same driver", () => {
    const docs = documents(spec("onprem", '  storage-provisioner "rbd.csi.ceph.com"\n', "  backup      every 24h keep 7d\n").replace("database db {", "database db {\n  engine postgres 16 standalone"));
    const vsc = docs.find((d) => d["kind"] === "VolumeSnapshotClass");
    expect(vsc?.["driver"]).toBe("rbd.csi.ceph.com");
  });

  it("on a cloud the field replaces the cloud's driver; without it the cloud's own driver keeps its tier parameters", () => {
    expect(documents(spec("aws")).find((d) => d["kind"] === "StorageClass")).toMatchObject({ provisioner: "ebs.csi.aws.com", parameters: { type: "io2" } });
    expect(documents(spec("gcp", '  storage-provisioner "driver.longhorn.io"\n')).find((d) => d["kind"] === "StorageClass")).toMatchObject({ provisioner: "driver.longhorn.io", parameters: {} });
  });

  it("the field is documented in the platform spec (completion and hover read it)", () => {
    const f = platformSpec.fields["storage-provisioner"]!;
    expect(f.doc).toContain("onprem");
    expect(f.example).toBe('"csi.vsphere.vmware.com"');
  });
});
