import { PLATFORM } from "../helpers/compile.js";

// Specs whose environments differ in many ways, for the chart's per-environment exactness test
// (per-environment.test.ts). Each one exercises differences the chart's named values do not
// cover, so the emitter must notice them (an override value or a per-environment block).

/** AWS: account, cluster and KMS key per environment (IRSA role annotations, StorageClass kmsKeyId), per-env hosts, tags, replicas. */
export const AWS_PER_ENV = `platform shop {
  cloud        aws
  regions      eu-west-1 primary, eu-central-1
  environments dev, staging, prod
  account      "111111111111"
  cluster      "shop-dev"
  kms          "alias/shop-dev"
  ingress      nginx
}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
secretstore aws {
  provider aws
  server   "eu-west-1"
}
namespace shop {}
service web {
  image   "registry.example.com/shop/web:1.0.0"
  port    8080
  config  LOG_LEVEL = "info"
  secret  API_KEY from aws "shop/web" key "api-key"
  expose  "web.dev.example.com" path / tls letsencrypt
  calls   orders
}
service orders {
  image   "registry.example.com/shop/orders:2.0.0"
  port    8080
  secret  DATABASE_URL from orders-db.url
  calls   orders-db
}
database orders-db {
  storage     20Gi fast
  credentials from aws "shop/orders-db"
}
environment staging {
  platform.account "222222222222"
  platform.cluster "shop-staging"
  platform.kms     "alias/shop-staging"
  web.expose       "web.staging.example.com" path / tls letsencrypt
  web.image        "registry.example.com/shop/web:1.1.0-rc1"
}
environment prod {
  platform.account "333333333333"
  platform.cluster "shop-prod"
  platform.kms     "arn:aws:kms:eu-west-1:333333333333:key/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
  web.expose       "shop.example.com" path / tls letsencrypt
  web.replicas     3 to 10 at cpu 70%
  orders.replicas  2
  orders.image     "registry.example.com/shop/orders:2.1.0"
  orders-db.instances 3
}
`;

/** Vault agent delivery with a refresh only in prod, right-sizing only in prod, Istio ingress with per-env hosts. */
export const VAULT_AGENT_PER_ENV = `platform bank {
  cloud        gcp
  environments dev, prod
  mesh         istio sidecar cni
  ingress      istio
}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
secretstore vault {
  provider vault
  server   "https://vault.vault.svc:8200"
  role     "bank"
  delivery vault-agent
}
namespace bank {}
service teller {
  image   "registry.example.com/bank/teller:4.2.0"
  port    8080
  config  MODE = "sandbox"
  secret  LEDGER_TOKEN from vault "bank/ledger" key "token"
  expose  "teller.dev.bank.example" path /api tls letsencrypt
  calls   accounts
}
service accounts {
  image   "registry.example.com/bank/accounts:1.0.0"
  port    8080
  memory  256Mi to 512Mi
}
environment prod {
  teller.secret   LEDGER_TOKEN from vault "bank/ledger" key "token" refresh 5m
  teller.expose   "teller.bank.example" path /api tls letsencrypt
  teller.config   MODE = "live"
  teller.replicas 4
  teller.image    "registry.example.com/bank/teller:4.3.0"
  accounts.right-size recommend
  accounts.replicas   2
}
`;

/** Several hosts in prod only (lists of different lengths), SLOs and monitoring, blue-green with manual promotion in prod. */
export const STRUCTURAL_PER_ENV = `platform trade {
  cloud        onprem
  environments dev, staging, prod
  ingress      traefik
  monitoring   prometheus
}
issuer internal {
  ca "trade-ca"
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace trade {}
service quotes {
  image   "registry.example.com/trade/quotes:7.0.0"
  port    http 8080, metrics 9100
  expose  "quotes.dev.trade.example" path /v1 tls internal
  rollout blue-green
  slo     availability 99.9%, latency p99 300ms
}
service risk {
  image   "registry.example.com/trade/risk:1.2.3"
  port    8080
  cpu     250m to 1
  config  LIMIT = "100"
}
environment staging {
  quotes.slo      availability 99.5%, latency p95 500ms
}
environment prod {
  quotes.expose   "quotes.trade.example" path /v1 tls internal
  quotes.expose   "quotes-api.trade.example" path /v2 tls internal
  quotes.replicas 2 to 8 at cpu 60%
  risk.replicas   3
  risk.cpu        500m to 2
  risk.config     LIMIT = "500"
}
`;

/** Ambient mesh, event-driven scaling and spot capacity only in prod, per-env storage and config, a digest-pinned image. */
export const SCALING_PER_ENV = `platform ops {
  cloud        azure
  environments dev, prod
  mesh         istio ambient
  ingress      none
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace ops {}
service worker {
  image    "registry.example.com/ops/worker@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  port     8080
  replicas 1 to 3 at cpu 80%
  config   BATCH int = 10
}
service api {
  image    "registry.example.com/ops/api:3.0.0"
  port     8080
  calls    worker, jobs-db
  secret   DATABASE_URL from jobs-db.url
}
database jobs-db {
  storage     10Gi
  credentials from vault "ops/jobs-db"
}
environment prod {
  worker.replicas 2 to 40
  worker.scale    on kafka "ops.jobs" lag 100
  worker.spot     yes
  worker.config   BATCH = 100
  api.image       "registry.example.com/ops/api:3.0.1"
  jobs-db.storage 100Gi
}
`;

export const PER_ENV_SPECS: Record<string, string> = {
  "aws account/cluster/kms, nginx hosts, tags": AWS_PER_ENV,
  "vault agent, istio hosts, right-size in prod": VAULT_AGENT_PER_ENV,
  "host lists, SLOs, blue-green": STRUCTURAL_PER_ENV,
  "ambient mesh, KEDA and spot in prod only, digest image": SCALING_PER_ENV,
};

/** Text that Helm would evaluate if it reached a template unescaped. */
export const TEMPLATE_TEXTS = [
  "{{ .Values.x }}",
  '{{- fail "boom" -}}',
  "{{/* comment */}}",
  "}} {{",
  "{{{ triple }}}",
  "a {{ b",
  "$& $' $` $$ {{ $& }}",
  '{{ "{{" }}',
];

/** A spec whose config values and migrate command hold template text (injection.test.ts, real-helm.test.ts). */
export const INJECTION_SPEC = `${PLATFORM}service web {
  namespace apps
  image  "registry.example.com/apps/web:1.0.0"
  port   8080
  config ${TEMPLATE_TEXTS.map((t, i) => `T${i} = ${JSON.stringify(t)}`).join(", ")}
  migrate "registry.example.com/apps/migrate:1.0.0" run ["sh", "-c", "echo '{{ .Release.Name }}'"]
}
`;
