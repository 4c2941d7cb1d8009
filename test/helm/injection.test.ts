import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, PLATFORM } from "../helpers/compile.js";
import { build, byKey, directBuild, parseDocs, type Obj } from "../kustomize/support.js";
import { mergeValues, renderChart } from "./render.js";

/** Text that Helm would evaluate if it reached a template unescaped. */
const TEMPLATE_TEXTS = [
  "{{ .Values.x }}",
  '{{- fail "boom" -}}',
  "{{/* comment */}}",
  "}} {{",
  "{{{ triple }}}",
  "a {{ b",
  "$& $' $` $$ {{ $& }}",
  '{{ "{{" }}',
];

const spec = `${PLATFORM}service web {
  namespace apps
  image  "registry.example.com/apps/web:1.0.0"
  port   8080
  config ${TEMPLATE_TEXTS.map((t, i) => `T${i} = ${JSON.stringify(t)}`).join(", ")}
  migrate "registry.example.com/apps/migrate:1.0.0" run ["sh", "-c", "echo '{{ .Release.Name }}'"]
}
`;

describe("helm target: text from the spec stays literal in the chart", () => {
  const program = compileSources({ "main.fin": spec });
  const files = build(program, ["helm"]).files;
  const root = "helm/p/";
  const get = (p: string) => files.find((f) => f.path === root + p)!.content;
  const templates = new Map(files.filter((f) => f.path.startsWith(root + "templates/")).map((f) => [f.path.slice(root.length), f.content]));
  const values = (env: string) => mergeValues(YAML.parse(get("values.yaml")), YAML.parse(get(`values-${env}.yaml`)) ?? {});
  const rendered = (env: string) =>
    byKey([...renderChart(templates, { Values: values(env), Chart: { Name: "p", Version: "0.1.0" }, Release: { Name: "p", Namespace: "default" } }).entries()]
      .filter(([p]) => p.endsWith(".yaml"))
      .flatMap(([, t]) => parseDocs(t)));

  it("compiles", () => {
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it.each(["dev", "prod"])("config values and commands with {{ … }} render back exactly as written (%s)", (env) => {
    const objs = rendered(env);
    const cm = [...objs.values()].find((o) => o.kind === "ConfigMap" && o.metadata.name.startsWith("web")) as Obj & { data: Record<string, string> };
    TEMPLATE_TEXTS.forEach((t, i) => expect(cm.data[`T${i}`], `T${i}`).toBe(t));
    const deployment = objs.get("apps/v1|Deployment|apps|web") as unknown as { spec: { template: { spec: { initContainers: { command: string[] }[] } } } };
    expect(deployment.spec.template.spec.initContainers[0]!.command).toEqual(["sh", "-c", "echo '{{ .Release.Name }}'"]);
    // And the chart renders exactly the direct build (the config hash aside, which Helm computes).
    const direct = directBuild(program, env);
    for (const [key, obj] of direct) {
      const strip = (o: unknown) => JSON.parse(JSON.stringify(o).replace(/"finc\.dev\/config-hash":"[^"]*"/, '"finc.dev/config-hash":""')) as unknown;
      expect(strip(objs.get(key)), key).toEqual(strip(obj));
    }
  });

  it("the values file holds the text as data (Helm does not template values files)", () => {
    const v = YAML.parse(get("values.yaml")) as { services: { web: { config: Record<string, string> } } };
    TEMPLATE_TEXTS.forEach((t, i) => expect(v.services.web.config[`T${i}`]).toBe(t));
  });

  it("a host with {{ never reaches a chart: it is not a host name", () => {
    const s = `${PLATFORM}issuer le {\n  acme "https://acme.example.com/directory" email "ops@example.com"\n}\nservice web {\n  namespace apps\n  image "registry.example.com/apps/web:1.0.0"\n  port 8080\n  expose "{{ .Values.x }}.example.com" path / tls le\n}\n`;
    expect(diagnosticsOf({ "main.fin": s }).map((d) => [d.code, d.text])).toContainEqual(["FIN3010", '"{{ .Values.x }}.example.com"']);
  });
});
