import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources } from "../helpers/compile.js";

export type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> }; spec?: any; [k: string]: unknown };

/** A platform on AWS with an account, so the backup bucket's name is known; a vault store; namespace apps. */
export const AWS_PLATFORM = `platform p {
  cloud        aws
  regions      eu-west-1 primary
  account      "123456789012"
  cluster      "p-eks"
  environments dev, prod
  mesh         istio sidecar cni
  monitoring   prometheus
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {}
`;

/** Compiles and builds one environment; fails the test on any diagnostic. */
export function build(spec: string, env = "dev"): { docs: Doc[]; diagnostics: string[] } {
  const program = compileSources({ "main.fin": spec });
  const out = buildOutputs(program, { environments: [env] });
  return { docs: (out.documents.get(env) ?? []).map((d) => d.object as Doc), diagnostics: program.diagnostics.map((d) => d.code) };
}

export function find(docs: Doc[], kind: string, name: string): Doc {
  const d = docs.find((x) => x.kind === kind && x.metadata.name === name);
  if (!d) throw new Error(`no ${kind}/${name} among ${docs.map((x) => `${x.kind}/${x.metadata.name}`).join(", ")}`);
  return d;
}
