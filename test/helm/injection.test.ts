import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { compileSources, diagnosticsOf, PLATFORM } from "../helpers/compile.js";
import { INJECTION_SPEC as spec, TEMPLATE_TEXTS } from "./specs.js";
import { build } from "../kustomize/support.js";

describe("helm target: text from the spec stays literal in the chart", () => {
  const program = compileSources({ "main.fin": spec });
  const files = build(program, ["helm"]).files;
  const root = "helm/p/";
  const get = (p: string) => files.find((f) => f.path === root + p)!.content;

  it("compiles", () => {
    expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  // That helm template renders the text back exactly as written is in real-helm.test.ts.
  it("the values file holds the text as data (Helm does not template values files)", () => {
    const v = YAML.parse(get("values.yaml")) as { services: { web: { config: Record<string, string> } } };
    TEMPLATE_TEXTS.forEach((t, i) => expect(v.services.web.config[`T${i}`]).toBe(t));
  });

  it("a host with {{ never reaches a chart: it is not a host name", () => {
    const s = `${PLATFORM}issuer le {\n  acme "https://acme.example.com/directory" email "ops@example.com"\n}\nservice web {\n  namespace apps\n  image "registry.example.com/apps/web:1.0.0"\n  port 8080\n  expose "{{ .Values.x }}.example.com" path / tls le\n}\n`;
    expect(diagnosticsOf({ "main.fin": s }).map((d) => [d.code, d.text])).toContainEqual(["FIN3010", '"{{ .Values.x }}.example.com"']);
  });
});
