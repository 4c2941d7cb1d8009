import { single } from "../readers.js";
import { field, type KindSpec } from "./field-spec.js";
import { RANGES } from "./value-ranges.js";

/** `10.0.0.0/16`, `fd00::/8`: what a NetworkPolicy ipBlock accepts. */
export function isCidr(text: string): boolean {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
  if (!m) return false;
  const prefix = Number(m[2]);
  const v4 = m[1]!.split(".");
  if (v4.length === 4) return v4.every((o) => /^\d{1,3}$/.test(o) && Number(o) <= 255) && prefix <= 32;
  return /^[0-9a-f:]+$/i.test(m[1]!) && m[1]!.includes(":") && prefix <= 128;
}

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
      numbers: [RANGES.refresh],
      read: (ctx) => single(ctx, (r) => r.duration(RANGES.refresh)),
    }),
    delivery: field({
      doc: "How services receive the secrets they read from this store: `eso` (default) — the External Secrets Operator syncs them into a Kubernetes Secret passed as env vars; `vault-agent` (provider vault only) — the Vault Agent Injector renders each secret as a file `/vault/secrets/<ENV>` holding the value (the application reads it from there), so no Kubernetes Secret holds it. Database credentials and registry pull secrets always go through ESO (the kubelet and the database need Kubernetes Secrets).",
      syntax: "eso | vault-agent",
      example: "vault-agent",
      values: ["eso", "vault-agent"],
      read: (ctx) => single(ctx, (r) => r.oneOf(["eso", "vault-agent"] as const, "secret delivery")),
    }),
    cidr: field({
      doc: "With `delivery vault-agent` and a Vault outside the cluster: the address block the Vault servers are in, allowed as the pods' egress (a NetworkPolicy cannot name a DNS host). Without it, egress to an external Vault must go through an egress gateway or a policy of your own (FIN4016).",
      syntax: '"<ip>/<prefix>"',
      example: '"10.0.0.0/16"',
      read: (ctx) => single(ctx, (r) => {
        const s = r.string("an address block such as \"10.0.0.0/16\"");
        if (!s) return undefined;
        if (!isCidr(s.value)) return r.mismatch("an IPv4 or IPv6 address block such as \"10.0.0.0/16\"", r.term.atoms[r.term.atoms.length - 1]);
        return s.value;
      }),
    }),
    role: field({
      doc: "Vault: the Kubernetes auth role workloads log in with.",
      syntax: '"<role>"',
      example: '"payments"',
      read: (ctx) => single(ctx, (r) => r.string("a role name")?.value),
    }),
  },
};
