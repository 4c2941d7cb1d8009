import { describe, expect, it } from "vitest";
import { diagnosticsOf, itReportsEach } from "../helpers/compile.js";
import { AZURE_SPEC, GCP_SPEC } from "./specs.js";

const gcp = (fields: string, rest = "") => `platform p {\n  cloud gcp\n  regions europe-west1 primary\n  environments dev\n${fields}}\nnamespace apps {}\n${rest}`;
const azure = (fields: string, rest = "") => `platform p {\n  cloud azure\n  regions westeurope primary\n  environments dev\n${fields}}\nnamespace apps {}\n${rest}`;
const awsStore = 'secretstore sm {\n  provider aws\n  server   "eu-west-1"\n}\n';

describe("cloud diagnostics on gcp and azure", () => {
  itReportsEach([
    { name: "an AWS KMS alias on gcp", spec: gcp('  account "wallet-dev"\n  kms "alias/payments"\n'), code: "FIN4084", covers: 'kms "alias/payments"', line: 6 },
    { name: "a Cloud KMS key path on azure", spec: azure('  account "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"\n  resource-group "rg"\n  kms "projects/wallet-dev/locations/europe-west1/keyRings/r/cryptoKeys/k"\n'), code: "FIN4084", covers: 'kms "projects/wallet-dev/locations/europe-west1/keyRings/r/cryptoKeys/k"', line: 7 },
    { name: "an aws secret store on gcp", spec: gcp('  account "wallet-dev"\n', awsStore), code: "FIN4085", covers: "provider aws", line: 9 },
    { name: "a ServiceAccount with a managed identity but no client ID", spec: azure('  account "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"\n  resource-group "rg"\n', 'secretstore kv {\n  provider azure\n  server   "https://kv-one.vault.azure.net"\n}\nservice a {\n  namespace apps\n  image "r.io/a:1.0.0"\n  port http 8080\n  secret K from kv "k" key "v"\n}\n'), code: "FIN4086", covers: "cloud azure", line: 2 },
    { name: "azure resources needed but no resource group", spec: azure('  account "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"\n  kms "kv-one/volumes"\n'), code: "FIN4087", covers: "cloud azure", line: 2 },
    { name: "a backed-up database on gcp without the cluster its ServiceAccount is bound in", spec: gcp('  account "wallet-dev"\n', 'secretstore vault {\n  provider vault\n  server "https://vault.example.com"\n}\ndatabase db {\n  namespace apps\n  storage 10Gi\n  credentials from vault "db"\n  backup every 6h keep 7d\n}\n'), code: "FIN4087", covers: "backup every 6h keep 7d", line: 16 },
    { name: "a Cloud KMS key ring to create without the project", spec: gcp('  kms "ring/key"\n'), code: "FIN4087", covers: 'kms "ring/key"', line: 5 },
  ]);

  it("the complete GCP and Azure specs are clean; the store's and account's forms are checked per cloud (FIN4030)", () => {
    expect(diagnosticsOf({ "main.fin": GCP_SPEC })).toEqual([]);
    expect(diagnosticsOf({ "main.fin": AZURE_SPEC })).toEqual([]);
    expect(diagnosticsOf({ "main.fin": gcp('  account "123456789012"\n') })).toEqual([expect.objectContaining({ code: "FIN4030", text: 'account "123456789012"' })]);
    expect(diagnosticsOf({ "main.fin": azure('  account "wallet-dev"\n') })).toEqual([expect.objectContaining({ code: "FIN4030", text: 'account "wallet-dev"' })]);
    expect(diagnosticsOf({ "main.fin": azure('  account "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"\n  resource-group "rg"\n', 'secretstore kv {\n  provider azure\n  server   "kv.example.com"\n}\n') })).toEqual([expect.objectContaining({ code: "FIN4030", text: 'server   "kv.example.com"' })]);
  });

  it("reads tenant and client-ids as UUIDs (FIN3001 otherwise)", () => {
    expect(diagnosticsOf({ "main.fin": azure('  tenant "not-a-uuid"\n') }).map((d) => d.code)).toEqual(["FIN3001"]);
    expect(diagnosticsOf({ "main.fin": azure('  client-ids "apps/a" "nope"\n') }).map((d) => d.code)).toEqual(["FIN3001"]);
  });
});
