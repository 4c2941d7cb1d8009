import { single } from "../readers.js";
import { field, type KindSpec } from "./field-spec.js";

export const PROVIDERS = ["vault", "aws", "gcp", "azure"] as const;

export const secretStoreSpec: KindSpec = {
  doc: "An external secret manager that secrets are read from (through the External Secrets Operator). Secret values never appear in the spec or the output.",
  required: ["provider", "server"],
  fields: {
    provider: field({
      doc: "The secret manager: HashiCorp Vault, AWS Secrets Manager, GCP Secret Manager or Azure Key Vault.",
      syntax: PROVIDERS.join(" | "),
      example: "vault",
      values: PROVIDERS,
      read: (ctx) => single(ctx, (r) => r.oneOf(PROVIDERS, "secret store provider")),
    }),
    server: field({
      doc: "Vault address, AWS region, GCP project id or Azure Key Vault URL.",
      syntax: '"<address>"',
      example: '"https://vault.internal:8200"',
      read: (ctx) => single(ctx, (r) => r.string("the store's address")?.value),
    }),
    path: field({
      doc: "Vault: the KV v2 mount path.",
      syntax: '"<mount>"',
      example: '"secret"',
      read: (ctx) => single(ctx, (r) => r.string("a mount path")?.value),
    }),
    scope: field({
      doc: "`namespace` (default): a SecretStore in every namespace of the platform. `cluster`: one ClusterSecretStore, usable only from the platform's namespaces (its `conditions`).",
      syntax: "namespace | cluster",
      example: "cluster",
      values: ["namespace", "cluster"],
      read: (ctx) => single(ctx, (r) => r.oneOf(["namespace", "cluster"] as const, "secret store scope")),
    }),
    refresh: field({
      doc: "How often the External Secrets Operator re-reads the secrets of this store (the ExternalSecrets' refreshInterval; default 1h).",
      syntax: "<duration>",
      example: "15m",
      read: (ctx) => single(ctx, (r) => r.duration()),
    }),
    role: field({
      doc: "Vault: the Kubernetes auth role workloads log in with.",
      syntax: '"<role>"',
      example: '"payments"',
      read: (ctx) => single(ctx, (r) => r.string("a role name")?.value),
    }),
  },
};
