import { Ajv } from "ajv";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { compileSources } from "../helpers/compile.js";
import { build, directBuild } from "../kustomize/support.js";
import { PER_ENV_SPECS } from "./specs.js";
import { mergeValues } from "./values.js";

/**
 * The chart carries every per-environment difference of ANY spec, not only the examples' (specs
 * whose environments differ in cloud account/cluster/KMS, hosts, image tags, replicas, vault-agent
 * refresh, right-sizing, SLOs, objects only some environments have). That `helm template` of
 * values-<env>.yaml renders exactly `finc build --env <env>` for these specs is in real-helm.test.ts;
 * this file checks how the values and templates carry the differences.
 */
function chartOf(text: string) {
  const program = compileSources({ "main.fin": text });
  const envs = program.checked.environments;
  const name = program.checked.models.get(envs[0]!)!.platform.name;
  const root = `helm/${name}/`;
  const files = new Map(build(program, ["helm"]).files.filter((f) => f.path.startsWith(root)).map((f) => [f.path.slice(root.length), f.content]));
  const values = (env: string) => mergeValues(YAML.parse(files.get("values.yaml")!), YAML.parse(files.get(`values-${env}.yaml`)!) ?? {}) as Record<string, any>;
  return { program, envs, files, values };
}

describe.each(Object.entries(PER_ENV_SPECS))("helm chart of a spec with per-environment differences: %s", (_name, text) => {
  const c = chartOf(text);

  it("compiles without errors", () => {
    expect(c.program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("values.schema.json accepts every environment's values", () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(c.files.get("values.schema.json")!) as object);
    for (const env of c.envs) expect(validate(c.values(env)), `${env}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });
});

describe("how the chart carries per-environment differences", () => {
  it("a differing scalar with no named value (IRSA role, KMS key) becomes an override value, not the first environment's literal", () => {
    const c = chartOf(PER_ENV_SPECS["aws account/cluster/kms, nginx hosts, tags"]!);
    const prod = YAML.parse(c.files.get("values-prod.yaml")!) as Record<string, any>;
    expect(prod["overrides"]["ServiceAccount/shop/web"]["/metadata/annotations/eks.amazonaws.com~1role-arn"]).toBe("arn:aws:iam::333333333333:role/shop-prod-shop-web");
    expect(prod["overrides"]["StorageClass/_cluster/finc-fast"]["/parameters/kmsKeyId"]).toMatch(/^arn:aws:kms:eu-west-1:333333333333:key\//);
    expect(c.files.get("templates/shop-serviceaccount-web.yaml")).not.toContain("111111111111");
  });

  it("hosts are named values, one per environment", () => {
    const c = chartOf(PER_ENV_SPECS["aws account/cluster/kms, nginx hosts, tags"]!);
    expect(c.values("staging")["services"]["web"]["hosts"]).toEqual(["web.staging.example.com"]);
  });

  it("a structural difference (the vault agent's refresh sidecar only in prod) gives per-environment variants", () => {
    const c = chartOf(PER_ENV_SPECS["vault agent, istio hosts, right-size in prod"]!);
    const t = c.files.get("templates/bank-deployment-teller.yaml")!;
    expect(t).toContain('{{- if eq (index .Values "environment") "dev" }}');
    expect(t).toContain('{{- if eq (index .Values "environment") "prod" }}');
    const teller = (env: string) => [...directBuild(c.program, env).values()].find((o) => o.kind === "Deployment" && o.metadata.name === "teller") as any;
    expect(Object.keys(teller("prod").spec.template.metadata.annotations)).not.toEqual(Object.keys(teller("dev").spec.template.metadata.annotations));
  });
});
