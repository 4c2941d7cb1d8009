import type { BuildEmitter, BuildInput, OutputFile } from "../output.js";
import { awsFiles } from "./aws.js";
import { azureFiles } from "./azure.js";
import { gcpFiles } from "./gcp.js";
import { tfJson } from "./json.js";
import { standbySourceFiles } from "./standby-sources.js";
import { route53HealthCheckFiles } from "./route53-health-checks.js";

/**
 * The cloud side of the platform as Terraform JSON (`terraform/<env>/*.tf.json`), one
 * root module per environment: workload identity, KMS keys and backup buckets that the
 * Kubernetes output refers to by name. AWS (aws.ts), GCP (gcp.ts) and Azure (azure.ts); onprem emits nothing.
 * Not a default target: `finc build --target terraform`.
 */
export const terraformEmitter: BuildEmitter = {
  id: "terraform",
  inputs: [],
  emitBuild(input: BuildInput) {
    const files: OutputFile[] = [];
    for (const env of input.environments) {
      const model = input.models.get(env);
      if (!model) continue;
      const byCloud = model.platform.cloud === "aws" ? awsFiles(model) : model.platform.cloud === "gcp" ? gcpFiles(model) : model.platform.cloud === "azure" ? azureFiles(model) : new Map();
      for (const [name, body] of byCloud) files.push({ path: `terraform/${env}/${name}`, content: tfJson(body) });
    }
    // A standby cluster's read access to the primary's replicated archive (standby-sources.ts).
    for (const [env, model] of input.models) if (input.environments.includes(env)) for (const [name, body] of standbySourceFiles(model)) files.push({ path: `terraform/${env}/${name}`, content: tfJson(body) });
    // A cluster's Route 53 health checks of the application's path (route53-health-checks.ts).
    for (const [env, model] of input.models) if (input.environments.includes(env) && model.platform.cloud === "aws") for (const [name, body] of route53HealthCheckFiles(model)) files.push({ path: `terraform/${env}/${name}`, content: tfJson(body) });
    return { files, diagnostics: [] };
  },
};
