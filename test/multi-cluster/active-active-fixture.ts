/**
 * An active-active production: `west` (eu-west-1) and `central` (eu-central-1) both `role active`.
 * `quotes` is exposed and only reads the ledger (`read-url`); the `settle` worker writes it
 * (`url`). `checks` adds `health-check` lines (the IDs terraform's output prints) per cluster.
 */
export const WEST_CHECK = "0e5a9b0c-6f0d-4c1b-9a57-2b1f0c8d9e11";

export const activeActive = (opts: { westCheck?: string; quotesSecret?: string; extra?: string; cloud?: string; centralRole?: string } = {}) => `platform remit {
  cloud        ${opts.cloud ?? "aws"}
  regions      eu-west-1 primary, eu-central-1
  account      "123456789012"
  cluster      "remit"
  environments prod
  mesh         istio sidecar cni
  ingress      istio
  dns          external-dns ttl 1m
}
cluster west {
  region eu-west-1
  role   active
${opts.westCheck ? `  health-check "${opts.westCheck}"\n` : ""}}
cluster central {
  region eu-central-1
  role   ${opts.centralRole ?? "active"}
}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace remit {}
service quotes {
  image    "r.io/quotes:1.0.0"
  port     http 8080
  probe    readiness /ready
  replicas 2 to 6 at cpu 70%
  expose   "api.remit.example.com" path /v1 tls letsencrypt
  secret   DATABASE_URL from ${opts.quotesSecret ?? "ledger.read-url"}
}
worker settle {
  image  "r.io/settle:1.0.0"
  secret DATABASE_URL from ledger.url
}
database ledger {
  instances   3
  storage     10Gi
  credentials from vault "remit/ledger"
  backup      every 6h keep 30d
  replicate   to eu-central-1
}
${opts.extra ?? ""}`;
