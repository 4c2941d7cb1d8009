import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, diagnosticsOf } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

type Obj = Record<string, any>;

const spec = (platformCc: string, paymentsCc: string) => `platform bank {
  cloud        aws
  environments dev, prod
${platformCc ? `  cost-center ${platformCc}\n` : ""}}
namespace payments {
${paymentsCc ? `  cost-center ${paymentsCc}\n` : ""}}
namespace web {}
service api {
  namespace payments
  image     "r.io/api:1.0.0"
  port      http 8080
}
database ledger {
  namespace   payments
  engine      postgres 16
  storage     20Gi
  credentials from vault "db/ledger"
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
cronjob settle {
  namespace payments
  image     "r.io/settle:1.0.0"
  schedule  "0 22 * * 1-5"
}
service site {
  namespace web
  image     "r.io/site:1.0.0"
  port      http 8080
}
`;

const docs = (src: string): Obj[] => {
  const program = compileSources({ "main.fin": src });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return buildOutputs(program, { environments: ["dev"] }).documents.get("dev")!.map((d) => d.object as Obj);
};
const find = (ds: Obj[], kind: string, name: string) => ds.find((d) => d["kind"] === kind && d["metadata"].name === name)!;
const KEY = "finc.dev/cost-center";

describe("cost-center: the label OpenCost aggregates by, on the Namespace and every pod in it", () => {
  it("labels a namespace's Namespace and pod templates (Deployment, CronJob) with its own id, the others with the platform's", () => {
    const d = docs(spec('"cc-0001"', '"cc-4410"'));
    expect(find(d, "Namespace", "payments")["metadata"].labels[KEY]).toBe("cc-4410");
    expect(find(d, "Deployment", "api")["spec"].template.metadata.labels[KEY]).toBe("cc-4410");
    expect(find(d, "CronJob", "settle")["spec"].jobTemplate.spec.template.metadata.labels[KEY]).toBe("cc-4410");
    // The database's instance pods: CloudNativePG copies inheritedMetadata onto them.
    expect(find(d, "Cluster", "ledger")["spec"].inheritedMetadata.labels[KEY]).toBe("cc-4410");
    expect(find(d, "Namespace", "web")["metadata"].labels[KEY]).toBe("cc-0001");
    expect(find(d, "Deployment", "site")["spec"].template.metadata.labels[KEY]).toBe("cc-0001");
  });

  it("labels a standalone database's StatefulSet pods too", () => {
    const d = docs(spec("", '"cc-4410"').replace("engine      postgres 16\n", "engine      postgres 16 standalone\n"));
    expect(find(d, "StatefulSet", "ledger")["spec"].template.metadata.labels[KEY]).toBe("cc-4410");
  });

  it("sets no label without a cost center", () => {
    const d = docs(spec("", ""));
    expect(find(d, "Namespace", "payments")["metadata"].labels[KEY]).toBeUndefined();
    expect(find(d, "Deployment", "api")["spec"].template.metadata.labels[KEY]).toBeUndefined();
  });

  it.skipIf(!schemasAvailable)("the labelled objects validate", () => {
    const d = docs(spec('"cc-0001"', '"cc-4410"'));
    for (const o of [find(d, "Namespace", "payments"), find(d, "Deployment", "api"), find(d, "CronJob", "settle")]) expect(validateManifest(o as { apiVersion: string; kind: string })).toEqual([]);
  });

  it("refuses an id that is not a label value (FIN3001 at the string)", () => {
    for (const bad of ['"cc 4410"', '"-cc"', `"${"c".repeat(64)}"`, '""']) {
      const found = diagnosticsOf({ "main.fin": spec("", bad) }).filter((x) => x.code === "FIN3001");
      expect(found.map((x) => x.text), bad).toEqual([bad]);
    }
  });
});
