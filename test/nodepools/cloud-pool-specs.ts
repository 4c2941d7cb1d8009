import { AZURE_SPEC, GCP_SPEC } from "../cloud/specs.js";

/** Spot and pci pools (zones, limits) and budgets on the GCP/Azure test platforms: every argument the node pool and budget emitters write. */
const POOLS = (type: string, zones: string, ns: string) => `nodepool spot {
  capacity       spot
  instance-types "${type}"
  limit          cpu 64, memory 256Gi
}
nodepool cde {
  capacity   spot
  taint      pci
  namespaces ${ns}
  zones      ${zones}
}
`;

export const GCP_POOLS_AND_BUDGETS =
  GCP_SPEC.replace('  cluster      "wallet-dev"\n', '  cluster      "wallet-dev"\n  billing-account "01A2B3-C4D5E6-F7A8B9"\n  budget       9000 USD/month notify "finops@example.com"\n')
    .replace("namespace risk {}", 'namespace risk {\n  budget 500 USD/month alert 50% 100% notify "risk@example.com"\n}') + POOLS("n2-standard-8", '"europe-west1-b", "europe-west1-c"', "risk");

export const AZURE_POOLS_AND_BUDGETS =
  AZURE_SPEC.replace('  cluster        "savings-dev"\n', '  cluster        "savings-dev"\n  budget         9000 USD/month alert 90% notify "finops@example.com"\n') + POOLS("Standard_E8s_v5", '"1", "2"', "savings");
