/** A primary and a standby `cluster` on gcp and on azure, with a replicated database (replica-clusters-gcp-azure.test.ts, provider-schema.test.ts). */

export const GCP_TWO_CLUSTERS = `platform wallet {
  cloud        gcp
  regions      europe-west1 primary, europe-west4
  environments prod
  mesh         none
  ingress      nginx
  account      "example-wallet"
  cluster      "wallet"
}
secretstore gsm {
  provider gcp
  server   "example-wallet-secrets"
}
namespace wallet {}
service api {
  namespace wallet
  image  "registry.example.com/wallet/api:1.0.0"
  port   http 8080
  secret DATABASE_URL from ledger.url
}
database ledger {
  namespace   wallet
  storage     10Gi fast
  credentials from gsm "ledger-db"
  backup      every 6h keep 35d
  replicate   to europe-west4
}
cluster west {
  region europe-west1
  role   primary
}
cluster north {
  region europe-west4
  role   standby
}
`;

export const AZURE_TWO_CLUSTERS = `platform savings {
  cloud          azure
  regions        westeurope primary, northeurope
  environments   prod
  mesh           none
  ingress        nginx
  account        "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
  tenant         "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
  resource-group "savings"
  cluster        "savings"
  client-ids     "savings/ledger" "33333333-3333-4333-8333-333333333333"
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace savings {}
service api {
  namespace savings
  image  "registry.example.com/savings/api:1.0.0"
  port   http 8080
  secret DATABASE_URL from ledger.url
}
database ledger {
  namespace   savings
  storage     10Gi fast
  credentials from vault "savings/ledger"
  backup      every 6h keep 35d
  replicate   to northeurope
}
cluster west {
  region westeurope
  role   primary
}
cluster north {
  region northeurope
  role   standby
  client-ids "savings/ledger" "44444444-4444-4444-8444-444444444444" in prod
}
`;

/** The gcp fixture with an audited service (and its KMS key): the write-once audit bucket and sink (test/audit/gcp-audit-storage.test.ts). */
export const GCP_AUDITED = GCP_TWO_CLUSTERS.replace('  cluster      "wallet"\n', '  cluster      "wallet"\n  kms          "wallet/audit"\n').replace("  secret DATABASE_URL from ledger.url\n", "  secret DATABASE_URL from ledger.url\n  audit-log stdout retain 13 months hot 4 months\n");
