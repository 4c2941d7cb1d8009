import type { BuildEmitter, BuildInput, OutputFile } from "../output.js";
import { awsFiles } from "./aws.js";
import { tfJson } from "./json.js";
import { standbySourceFiles } from "./standby-sources.js";

/**
 * The cloud side of the platform as Terraform JSON (`terraform/<env>/*.tf.json`), one
 * root module per environment: workload identity, KMS keys and backup buckets that the
 * Kubernetes output refers to by name. AWS only so far; other clouds emit nothing.
 * Not a default target: `finc build --target terraform`.
 */
export const terraformEmitter: BuildEmitter = {
  id: "terraform",
  inputs: [],
  emitBuild(input: BuildInput) {
    const files: OutputFile[] = [];
    for (const env of input.environments) {
      const model = input.models.get(env);
      if (!model || model.platform.cloud !== "aws") continue;
      for (const [name, body] of awsFiles(model)) files.push({ path: `terraform/${env}/${name}`, content: tfJson(body) });
    }
    // A standby cluster's read access to the primary's replicated archive (standby-sources.ts).
    for (const [env, model] of input.models) if (input.environments.includes(env)) for (const [name, body] of standbySourceFiles(model)) files.push({ path: `terraform/${env}/${name}`, content: tfJson(body) });
    return { files, diagnostics: [] };
  },
};
