import { describe, expect, it } from "vitest";
import { diagnosticsOf } from "../helpers/compile.js";

const spec = (cloud: string, platformExtra = "") => `platform bank {
  cloud        ${cloud}
  regions      ${cloud === "gcp" ? "europe-west1" : cloud === "azure" ? "westeurope" : "eu-west-1"} primary
  kubernetes   "1.31"
  environments dev, prod
${platformExtra}}

namespace apps {
  security restricted
}

service ledger {
  namespace apps
  image     "r.io/ledger:1.0.0"
  port      http 8080
  audit-log stdout retain 12 months hot 3 months
}
`;

const fin4095 = (text: string) => diagnosticsOf({ "main.fin": text }).filter((d) => d.code === "FIN4095");

describe('"FIN4095": an audit stream must reach write-once storage', () => {
  it("is refused on gcp, azure and onprem, at the audit-log field, once for the platform", () => {
    for (const cloud of ["gcp", "azure", "onprem"]) {
      const found = fin4095(spec(cloud, cloud === "onprem" ? '  storage-provisioner "csi.vsphere.vmware.com"\n' : ""));
      const text = spec(cloud, cloud === "onprem" ? '  storage-provisioner "csi.vsphere.vmware.com"\n' : "");
      expect(found, cloud).toEqual([{ code: "FIN4095", text: "audit-log stdout retain 12 months hot 3 months", line: text.split("\n").findIndex((l) => l.includes("audit-log")) + 1 }]);
    }
  });

  it("is refused on aws without the account the bucket is named after, and accepted with it", () => {
    expect(fin4095(spec("aws")).map((d) => d.code)).toEqual(["FIN4095"]);
    expect(fin4095(spec("aws", '  account      "123456789012"\n'))).toEqual([]);
  });
});
