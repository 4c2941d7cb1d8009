import { KIND_SPECS } from "../../compiler/semantic/schema/index.js";
import { minimalDeclaration } from "../../scripts/gen-language-reference.js";
import { createNodeHost, createOverlayHost } from "../../compiler/host/compiler-host.js";
import { createProgram, type Program } from "../../compiler/program.js";
import { STDLIB, VIRTUAL } from "../helpers/compile.js";

/**
 * What the reference's examples refer to: a platform with a mesh, an ingress and monitoring,
 * the store `vault`, the issuer `letsencrypt`, the namespace `payments`, the services `ledger`
 * and `fraud` and the database `ledger-db`. A field's example is compiled inside a declaration
 * of its kind named `subject` (the platform's own fields replace the context's platform lines).
 */
const PLATFORM_LINES: Readonly<Record<string, string>> = {
  environments: "dev, staging, prod",
  cloud: "aws",
  regions: "eu-west-1 primary, eu-central-1",
  mesh: "istio sidecar cni",
  ingress: "istio",
  monitoring: "prometheus",
  account: '"123456789012"',
  cluster: '"payments-eks"',
  // `profile pprof` needs a profiler to admit (FIN4090).
  profiling: "parca",
};

/** Fields whose example only makes sense next to another field of the same declaration. */
const NEEDS: Readonly<Record<string, readonly string[]>> = {
  // Event scaling needs a replica range to scale within (FIN4018).
  scale: ["replicas 2 to 10"],
  // Backups are replicated only when the database takes them (FIN4030).
  replicate: ["backup every 6h keep 30d"],
  // A shared volume is one ReadWriteOnce claim: one replica (FIN3032 otherwise).
  volume: ["replicas 1"],
  // With two regions the objective is for losing the primary one: a replica cluster in the other (FIN4068/FIN4069).
  recovery: ["backup every 1h keep 30d", "replicate to eu-central-1"],
  // A drill restores the WAL archive the backups write (FIN4077 without them).
  drill: ["backup every 1h keep 30d"],
  // A pci pool names the namespaces in scope (FIN4073 otherwise).
  taint: ["namespaces payments"],
};

/** Files the examples read (`init "sql/init.sql"`), next to main.fin: readable, but not compiled as .fin roots. */
const EXAMPLE_FILES: Readonly<Record<string, string>> = { "sql/init.sql": "CREATE TABLE entries (id bigint PRIMARY KEY);\n" };

/** Compiles `text` as /virtual/main.fin with the example files beside it and the real stdlib. */
export function compileExample(text: string): Program {
  const files = { "main.fin": text, ...EXAMPLE_FILES };
  const overlay = new Map(Object.entries(files).map(([name, t]) => [`${VIRTUAL}/${name}`, t]));
  return createProgram({ host: createOverlayHost(overlay, createNodeHost(STDLIB)), roots: [`${VIRTUAL}/main.fin`] });
}

const CONTEXT = `secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
issuer letsencrypt {
  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"
}
namespace payments {}
service ledger {
  namespace payments
  image "registry.example.com/payments/ledger:1.0.0"
  port http 8080
}
service fraud {
  namespace payments
  image "registry.example.com/payments/fraud:1.0.0"
  port grpc 9090
}
database ledger-db {
  namespace payments
  storage 10Gi
  credentials from vault "payments/ledger-db"
}
`;

/** Platform fields that only mean something on another cloud: the context's platform lines they replace. */
const AZURE_LINES = { cloud: "azure", regions: "westeurope primary", account: '"00000000-0000-0000-0000-000000000000"', cluster: '"payments-aks"' };
const PLATFORM_NEEDS: Readonly<Record<string, Readonly<Record<string, string>>>> = { tenant: AZURE_LINES, "resource-group": AZURE_LINES, "client-ids": AZURE_LINES, "billing-account": { cloud: "gcp", regions: "europe-west1 primary", account: '"example-payments"', cluster: '"payments-gke"' } };

/** Fields of other declarations that only mean something on another cloud (a cluster's Azure `client-ids`). */
const DECLARATION_NEEDS: Readonly<Record<string, Readonly<Record<string, string>>>> = { "cluster.client-ids": { ...AZURE_LINES, regions: PLATFORM_LINES["regions"]!, "resource-group": '"payments"' } };

function platform(extra?: { name: string; line: string }, cloud?: Readonly<Record<string, string>>): string {
  const context = { ...PLATFORM_LINES, ...cloud, ...(extra ? PLATFORM_NEEDS[extra.name] : {}) };
  const lines = Object.entries(context).filter(([f]) => f !== extra?.name).map(([f, v]) => `${f} ${v}`);
  return `platform payments {\n${[...lines, ...(extra ? [extra.line] : [])].map((l) => `  ${l}\n`).join("")}}\n`;
}

/** The context with one declaration holding the field's example; `line` is the example's line (1-based). */
export function exampleSpec(kind: string, field: string, example = KIND_SPECS[kind]!.fields[field]!.example): { text: string; line: number } {
  const exampleLine = `${field} ${example}`;
  const inPayments = KIND_SPECS[kind]!.fields["namespace"] && field !== "namespace" ? ["namespace payments"] : [];
  const needs = (NEEDS[field] ?? []).filter((l) => KIND_SPECS[kind]!.fields[l.split(" ")[0]!]);
  const subject = kind === "platform" ? platform({ name: field, line: exampleLine }) : minimalDeclaration(kind, "subject", [...inPayments, ...needs, exampleLine]);
  const text = kind === "platform" ? subject + CONTEXT : platform(undefined, DECLARATION_NEEDS[`${kind}.${field}`]) + CONTEXT + subject;
  const lines = text.split("\n");
  const line = lines.lastIndexOf(`  ${exampleLine}`) + 1;
  return { text, line };
}

/** The context alone (must compile cleanly). */
export function contextSpec(): string {
  return platform() + CONTEXT;
}
