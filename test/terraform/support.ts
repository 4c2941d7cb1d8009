import { Ajv } from "ajv";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import type { Program } from "../../compiler/program.js";

/** A platform using every cloud feature: IRSA for secrets in AWS Secrets Manager, a KMS key, backups replicated to a second region. */
export const AWS_SPEC = `platform payments {
  cloud        aws
  regions      eu-west-1 primary, eu-central-1
  environments dev, prod
  account      "123456789012"
  cluster      "payments-dev"
  kms          "alias/payments-dev"
  registry     "registry.example.com" credentials aws "ci/registry" key "dockerconfigjson"
}
secretstore aws {
  provider aws
  server   "eu-west-1"
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace payments {}
service api {
  image  "registry.example.com/payments/api:1.0.0"
  port   8080
  secret STRIPE_KEY from aws "payments/stripe" key "api-key"
  secret STRIPE_WEBHOOK from aws "payments/stripe" key "webhook"
  secret WEBHOOK from aws "payments/webhook" key "k"
  secret DATABASE_URL from ledger-db.url
  secret AUDIT_TOKEN from vault "payments/audit" key "token"
}
service fraud {
  image  "registry.example.com/payments/fraud:1.0.0"
  port   8080
  secret MODEL_KEY from vault "payments/model" key "k"
}
service ledger {
  image  "registry.example.com/payments/ledger:1.0.0"
  port   8080
  secret DATABASE_URL from ledger-db.url
}
database ledger-db {
  storage     10Gi fast
  credentials from aws "payments/ledger-db"
  backup      every 6h keep 35d
  replicate   to eu-central-1
}
database archive-db {
  storage     10Gi
  credentials from vault "payments/archive-db"
  backup      every 24h keep 90d
}
environment prod {
  platform.cluster "payments-prod"
  platform.kms     "alias/payments-prod"
}
`;

export type Json = Record<string, unknown>;

/** `terraform/<env>/<file>` → parsed JSON. */
export function terraformFiles(program: Program, environments?: string[]): Map<string, Json> {
  const out = buildOutputs(program, { targets: ["terraform"], ...(environments ? { environments } : {}) });
  return new Map(out.files.map((f) => [f.path, JSON.parse(f.content) as Json]));
}

/** Every block of one environment's files merged (block names are unique across the files of a module). */
export function module(files: Map<string, Json>, env: string): { data: Json; resource: Json; variable: Json; output: Json; locals: Json; provider: Json; terraform: Json } {
  const m = { data: {}, resource: {}, variable: {}, output: {}, locals: {}, provider: {}, terraform: {} } as Record<string, Json>;
  for (const [path, body] of files) {
    if (!path.startsWith(`terraform/${env}/`)) continue;
    for (const [k, v] of Object.entries(body)) {
      if (k === "data" || k === "resource") for (const [t, blocks] of Object.entries(v as Json)) m[k]![t] = { ...(m[k]![t] as Json | undefined), ...(blocks as Json) };
      else m[k] = { ...m[k], ...(v as Json) };
    }
  }
  return m as ReturnType<typeof module>;
}

const nameMap = (value: Json) => ({ type: "object", additionalProperties: value, propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_-]*$" } });
const block = { type: "object" };

/**
 * The subset of Terraform's JSON configuration syntax finc writes: the top-level block
 * types, labels that are identifiers, and the shape of `terraform`, `provider`, `variable`
 * and `output`. Resource and data arguments are the providers' business: `terraform
 * validate` checks them where a provider is installed (see terraform.test.ts).
 */
export const TF_JSON_SCHEMA = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    terraform: {
      type: "object", additionalProperties: false, required: ["required_providers"],
      properties: {
        required_version: { type: "string" },
        required_providers: nameMap({ type: "object", additionalProperties: false, required: ["source", "version"], properties: { source: { type: "string", pattern: "^[a-z0-9-]+/[a-z0-9-]+$" }, version: { type: "string" } } }),
      },
    },
    // aws and google name a region; azurerm has none (its resources carry their location).
    provider: nameMap({ type: "array", minItems: 1, items: { type: "object", properties: { alias: { type: "string" }, region: { type: "string" } } } }),
    variable: nameMap({ type: "object", additionalProperties: false, required: ["type", "description"], properties: { type: { type: "string" }, description: { type: "string" }, default: {}, sensitive: { type: "boolean" }, validation: { type: "array", items: { type: "object", additionalProperties: false, required: ["condition", "error_message"], properties: { condition: { type: "string", pattern: "^\\$\\{.*\\}$" }, error_message: { type: "string" } } } } } }),
    locals: { type: "object" },
    data: nameMap(nameMap(block)),
    resource: nameMap(nameMap(block)),
    output: nameMap({ type: "object", additionalProperties: false, required: ["value", "description"], properties: { value: {}, description: { type: "string" } } }),
  },
};

export const validateTfJson = new Ajv({ allErrors: true, strict: true }).compile(TF_JSON_SCHEMA);
