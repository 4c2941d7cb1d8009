import { Ajv } from "ajv";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { compileSources } from "../helpers/compile.js";
import { build, byKey, directBuild, parseDocs, type Obj } from "../kustomize/support.js";
import { mergeValues, renderChart } from "./render.js";
import { PER_ENV_SPECS } from "./specs.js";

/**
 * The chart is exact for ANY spec, not only the example: for specs whose environments differ
 * in many ways (cloud account/cluster/KMS, hosts, image tags, replicas, vault-agent refresh,
 * right-sizing, SLOs, objects that only some environments have), `values.yaml` +
 * `values-<env>.yaml` rendered through the chart gives exactly the objects of `finc build --env <env>`.
 */
const HASH = "finc.dev/config-hash";

const stripHash = (o: Obj): Obj => {
  const c = structuredClone(o) as Obj & { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } };
  delete c.spec?.template?.metadata?.annotations?.[HASH];
  return c;
};

describe.each(Object.entries(PER_ENV_SPECS))("helm chart of a spec with per-environment differences: %s", (_name, text) => {
  const program = compileSources({ "main.fin": text });
  const envs = program.checked.environments;
  const name = program.checked.models.get(envs[0]!)!.platform.name;
  const root = `helm/${name}/`;
  const files = build(program, ["helm"]).files;
  const get = (p: string) => {
    const f = files.find((x) => x.path === root + p);
    if (!f) throw new Error(`missing ${root + p}`);
    return f.content;
  };
  const templates = new Map(files.filter((f) => f.path.startsWith(root + "templates/")).map((f) => [f.path.slice(root.length), f.content]));
  const baseValues = YAML.parse(get("values.yaml")) as Record<string, unknown>;
  const envValues = (env: string) => mergeValues(baseValues, YAML.parse(get(`values-${env}.yaml`)) ?? {}) as Record<string, unknown>;
  const render = (values: unknown) =>
    byKey([...renderChart(templates, { Values: values, Chart: { Name: name, Version: "0.1.0" }, Release: { Name: name, Namespace: "default" } }).entries()]
      .filter(([p]) => p.endsWith(".yaml"))
      .flatMap(([, t]) => parseDocs(t)));

  it("compiles without errors", () => {
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it.each(envs)("values.yaml + values-%s.yaml render exactly the objects of the direct build", (env) => {
    const rendered = render(envValues(env));
    const direct = directBuild(program, env);
    expect([...rendered.keys()].sort()).toEqual([...direct.keys()].sort());
    for (const [key, obj] of direct) expect(stripHash(rendered.get(key)!), `${env}: ${key}`).toEqual(stripHash(obj));
  });

  it("values.schema.json accepts every environment's values", () => {
    const validate = new Ajv({ strict: true, allErrors: true }).compile(JSON.parse(get("values.schema.json")) as object);
    for (const env of envs) expect(validate(envValues(env)), `${env}: ${JSON.stringify(validate.errors)}`).toBe(true);
  });
});

describe("how the chart carries per-environment differences", () => {
  const chartOf = (text: string) => {
    const program = compileSources({ "main.fin": text });
    const name = program.checked.models.get(program.checked.environments[0]!)!.platform.name;
    const root = `helm/${name}/`;
    const files = new Map(build(program, ["helm"]).files.filter((f) => f.path.startsWith(root)).map((f) => [f.path.slice(root.length), f.content]));
    const templates = new Map([...files].filter(([p]) => p.startsWith("templates/")));
    const values = (env: string) => mergeValues(YAML.parse(files.get("values.yaml")!), YAML.parse(files.get(`values-${env}.yaml`)!) ?? {}) as Record<string, any>;
    const render = (v: unknown) =>
      [...renderChart(templates, { Values: v, Chart: { Name: name, Version: "0.1.0" }, Release: { Name: name, Namespace: "default" } }).entries()]
        .filter(([p]) => p.endsWith(".yaml"))
        .flatMap(([, t]) => parseDocs(t));
    return { program, files, templates, values, render };
  };

  it("a differing scalar with no named value (IRSA role, KMS key) becomes an override value, not the first environment's literal", () => {
    const c = chartOf(PER_ENV_SPECS["aws account/cluster/kms, nginx hosts, tags"]!);
    const prod = YAML.parse(c.files.get("values-prod.yaml")!) as Record<string, any>;
    expect(prod["overrides"]["ServiceAccount/shop/web"]["/metadata/annotations/eks.amazonaws.com~1role-arn"]).toBe("arn:aws:iam::333333333333:role/shop-prod-shop-web");
    expect(prod["overrides"]["StorageClass/_cluster/finc-fast"]["/parameters/kmsKeyId"]).toMatch(/^arn:aws:kms:eu-west-1:333333333333:key\//);
    expect(c.templates.get("templates/shop-serviceaccount-web.yaml")).not.toContain("111111111111");
  });

  it("hosts and the version label are named values: changing them in the values changes the objects", () => {
    const c = chartOf(PER_ENV_SPECS["aws account/cluster/kms, nginx hosts, tags"]!);
    const v = c.values("staging");
    expect(v["services"]["web"]["hosts"]).toEqual(["web.staging.example.com"]);
    v["services"]["web"]["hosts"] = ["web.qa.example.com"];
    v["services"]["web"]["image"]["tag"] = "9.9.9";
    const objs = c.render(v);
    const ingress = objs.find((o) => o.kind === "Ingress") as any;
    expect(ingress.spec.rules[0].host).toBe("web.qa.example.com");
    expect(ingress.spec.tls[0].hosts).toEqual(["web.qa.example.com"]);
    const deployment = objs.find((o) => o.kind === "Deployment" && o.metadata.name === "web") as any;
    expect(deployment.metadata.labels["app.kubernetes.io/version"]).toBe("9.9.9");
    expect(deployment.spec.template.spec.containers[0].image).toBe("registry.example.com/shop/web:9.9.9");
  });

  it("a structural difference (the vault agent's refresh sidecar only in prod) gives per-environment variants that still take the named values", () => {
    const c = chartOf(PER_ENV_SPECS["vault agent, istio hosts, right-size in prod"]!);
    const t = c.templates.get("templates/bank-deployment-teller.yaml")!;
    expect(t).toContain('{{- if eq (index .Values "environment") "dev" }}');
    expect(t).toContain('{{- if eq (index .Values "environment") "prod" }}');
    const v = c.values("prod");
    v["services"]["teller"]["replicas"] = 9;
    const d = c.render(v).find((o) => o.kind === "Deployment" && o.metadata.name === "teller") as any;
    expect(d.spec.replicas).toBe(9);
    const direct = [...directBuild(c.program, "prod").values()].find((o) => o.kind === "Deployment" && o.metadata.name === "teller") as any;
    expect((stripHash(d) as any).spec.template.metadata.annotations).toEqual((stripHash(direct) as any).spec.template.metadata.annotations);
    const dev = [...directBuild(c.program, "dev").values()].find((o) => o.kind === "Deployment" && o.metadata.name === "teller") as any;
    expect(Object.keys(direct.spec.template.metadata.annotations)).not.toEqual(Object.keys(dev.spec.template.metadata.annotations));
  });
});
