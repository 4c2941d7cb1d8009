/** Specs of the GCP and Azure tests: every cloud feature finc writes for each (workload identity, KMS, backups, DNS, control plane). */

export const GCP_SPEC = `platform wallet {
  cloud        gcp
  regions      europe-west1 primary, europe-west4
  environments dev, prod
  mesh         none
  ingress      nginx
  account      "example-wallet-dev"
  cluster      "wallet-dev"
  kms          "wallet-dev/volumes"
  registry     "registry.example.com" credentials gsm "ci-registry" key "dockerconfigjson"
}
secretstore gsm {
  provider gcp
  server   "example-wallet-secrets"
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace wallet {}
namespace risk {}
service api {
  namespace wallet
  image  "registry.example.com/wallet/api:1.0.0"
  port   http 8080
  secret STRIPE_KEY from gsm "stripe" key "api-key"
  secret DATABASE_URL from ledger-db.url
  secret AUDIT_TOKEN from vault "wallet/audit" key "token"
  expose "api.wallet.example.com" path /
}
service scorer {
  namespace risk
  image  "registry.example.com/risk/scorer:1.0.0"
  port   http 8080
  secret MODEL_KEY from vault "risk/model" key "k"
}
database ledger-db {
  namespace   wallet
  storage     10Gi fast
  credentials from gsm "ledger-db"
  backup      every 6h keep 35d
  replicate   to europe-west4
}
environment prod {
  platform.account "example-wallet-prod"
  platform.cluster "wallet-prod"
  platform.kms     "projects/example-wallet-prod/locations/europe-west1/keyRings/wallet/cryptoKeys/volumes"
}
`;

export const AZURE_SPEC = `platform savings {
  cloud          azure
  regions        westeurope primary, northeurope
  environments   dev, prod
  mesh           none
  ingress        nginx
  account        "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
  tenant         "0a9b8c7d-6e5f-4a3b-9c2d-1e0f9a8b7c6d"
  resource-group "savings-dev"
  cluster        "savings-dev"
  kms            "savings-kv/volumes"
  client-ids     "savings/api" "11111111-1111-4111-8111-111111111111",
                 "savings/kv-secret-store" "22222222-2222-4222-8222-222222222222",
                 "savings/ledger-db" "33333333-3333-4333-8333-333333333333"
}
secretstore kv {
  provider azure
  server   "https://savings-kv.vault.azure.net"
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
  secret RATES_KEY from kv "rates" key "api-key"
  secret DATABASE_URL from ledger-db.url
  secret AUDIT_TOKEN from vault "savings/audit" key "token"
  expose "api.savings.example.com" path /
}
service batch {
  namespace savings
  image  "registry.example.com/savings/batch:1.0.0"
  port   http 8080
}
database ledger-db {
  namespace   savings
  storage     10Gi fast
  credentials from kv "ledger-db"
  backup      every 6h keep 35d
  replicate   to northeurope
}
environment prod {
  platform.resource-group "savings-prod"
  platform.cluster        "savings-prod"
  platform.kms            "https://savings-prod-kv.vault.azure.net/keys/volumes"
  platform.client-ids     "savings/api" "44444444-4444-4444-8444-444444444444",
                          "savings/kv-secret-store" "55555555-5555-4555-8555-555555555555",
                          "savings/ledger-db" "66666666-6666-4666-8666-666666666666"
}
`;
