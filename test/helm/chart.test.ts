import { Ajv } from "ajv";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { build, byKey, compile, directBuild, exampleDirs, parseDocs, type Obj } from "../kustomize/support.js";
import { mergeValues, renderChart, renderChart as render, TemplateError } from "./render.js";

const HASH = "finc.dev/config-hash";

function chart(dir: string) {
  const program = compile(dir);
  const files = build(program, ["helm"]).files;
  const name = program.checked.models.get(program.checked.environments[0]!)!.platform.name;
  const root = `helm/${name}/`;
  const get = (p: string) => {
    const f = files.find((x) => x.path === root + p);
    if (!f) throw new Error(`missing ${root + p}`);
    return f.content;
  };
  const templates = new Map(files.filter((f) => f.path.startsWith(root + "templates/")).map((f) => [f.path.slice(root.length), f.content]));
  return { program, files, name, root, get, templates };
}

function renderEnv(c: ReturnType<typeof chart>, values: unknown): Obj[] {
  const chartYaml = YAML.parse(c.get("Chart.yaml")) as { name: string; version: string };
  const out = renderChart(c.templates, { Values: values, Chart: { Name: chartYaml.name, Version: chartYaml.version }, Release: { Name: c.name, Namespace: "default" } });
  return [...out.entries()].filter(([p]) => p.endsWith(".yaml")).flatMap(([, text]) => parseDocs(text));
}

const stripHash = (o: Obj): Obj => {
  const c = structuredClone(o) as Obj & { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } };
  delete c.spec?.template?.metadata?.annotations?.[HASH];
  return c;
};
const hashOf = (o: Obj) => (o as { spec?: { template?: { metadata?: { annotations?: Record<string, string> } } } }).spec?.template?.metadata?.annotations?.[HASH];

describe.each(exampleDirs())("helm chart of %s", (dir) => {
  const c = chart(dir);
  const envs = c.program.checked.environments;
  const baseValues = YAML.parse(c.get("values.yaml")) as Record<string, unknown>;
  const envValues = (env: string) => mergeValues(baseValues, YAML.parse(c.get(`values-${env}.yaml`)) ?? {});

  it("writes only under helm/<chart>/, with the chart files Helm needs", () => {
    expect(c.files.every((f) => f.path.startsWith(c.root))).toBe(true);
    for (const p of ["Chart.yaml", "values.yaml", "values.schema.json", "templates/_helpers.tpl", "templates/NOTES.txt", "README.md", ...envs.map((e) => `values-${e}.yaml`)]) {
      expect(() => c.get(p), p).not.toThrow();
    }
  });

  it("Chart.yaml has apiVersion v2, the chart name, semver versions and kubeVersion", () => {
    const y = YAML.parse(c.get("Chart.yaml")) as Record<string, unknown>;
    // The spec's `kubernetes` version (wallet-gcp says "1.32"; payments leaves the default 1.31).
    const kubernetes = c.program.checked.models.get(envs[0]!)!.platform.kubernetes;
    expect(y).toMatchObject({ apiVersion: "v2", name: c.name, type: "application", kubeVersion: `>=${kubernetes}.0-0` });
    expect(String(y["version"])).toMatch(/^\d+\.\d+\.\d+$/);
    expect(typeof y["appVersion"]).toBe("string");
    expect(String(y["description"]).length).toBeGreaterThan(0);
  });

  describe("values.schema.json", () => {
    const schema = JSON.parse(c.get("values.schema.json")) as object;
    const validate = new Ajv({ strict: true, allErrors: true }).compile(schema);

    it("is a valid JSON Schema that accepts values.yaml and every values-<env>.yaml merged over it", () => {
      expect(validate(baseValues), JSON.stringify(validate.errors)).toBe(true);
      for (const env of envs) expect(validate(envValues(env)), `${env}: ${JSON.stringify(validate.errors)}`).toBe(true);
    });

    const services = baseValues["services"] as Record<string, Record<string, unknown>>;
    const svc = Object.keys(services)[0]!;
    // Only services with a replica range have an `autoscaling` block (open-banking-ambient's first service has none).
    const scaled = Object.keys(services).find((s) => services[s]!["autoscaling"] !== undefined);
    const bad: [string, (v: Record<string, any>) => void][] = [
      ["replicas as a string", (v) => (v["services"][svc].replicas = "three")],
      ["a negative replica count", (v) => (v["services"][svc].replicas = -1)],
      ["a malformed CPU quantity", (v) => (v["services"][svc].resources.requests.cpu = "lots")],
      ["a memory quantity as a number", (v) => (v["services"][svc].resources.limits.memory = 512)],
      ["an unknown service key", (v) => (v["services"][svc].replica = 2)],
      ["an unknown service", (v) => (v["services"]["nope"] = {})],
      ["an undeclared environment", (v) => (v["environment"] = "qa")],
      ["a config value that is not a string", (v) => {
        const cfg = v["services"][svc].config as Record<string, unknown>;
        const k = Object.keys(cfg)[0] ?? "X";
        cfg[k] = 5;
      }],
    ];
    if (scaled) bad.push(["autoscaling.enabled as a string", (v) => (v["services"][scaled].autoscaling.enabled = "yes")]);
    else it.skip("rejects autoscaling.enabled as a string (no service of this example autoscales)", () => {});
    it.each(bad)("rejects %s", (_what, mutate) => {
      const v = structuredClone(baseValues) as Record<string, any>;
      mutate(v);
      expect(validate(v)).toBe(false);
    });
  });

  it("every template renders to valid YAML documents of the expected kinds, for values.yaml and every environment", () => {
    for (const env of envs) {
      const rendered = byKey(renderEnv(c, envValues(env)));
      const direct = directBuild(c.program, env);
      expect([...rendered.keys()].sort(), env).toEqual([...direct.keys()].sort());
      const kinds = new Set([...rendered.values()].map((o) => o.kind));
      // A service's ConfigMap exists only where it declares `config` (open-banking-ambient's services declare none).
      const configured = c.program.checked.models.get(env)!.services.some((s) => s.config.length > 0);
      for (const kind of ["Deployment", "ExternalSecret", ...(configured ? ["ConfigMap"] : [])]) expect(kinds.has(kind), `${env}: ${kind}`).toBe(true);
      for (const [key, obj] of direct) {
        expect(stripHash(rendered.get(key)!), `${env}: ${key}`).toEqual(stripHash(obj));
        if (hashOf(obj) !== undefined) expect(hashOf(rendered.get(key)!)).toMatch(/^[0-9a-f]{16}$/);
      }
    }
    expect(renderEnv(c, baseValues).length).toBeGreaterThan(0);
  });

  it("renders NOTES.txt and the helpers", () => {
    const out = render(c.templates, { Values: baseValues, Chart: { Name: c.name, Version: "0.1.0" }, Release: { Name: "r1", Namespace: "default" } });
    expect(out.get("templates/NOTES.txt")).toContain(`${c.name}-0.1.0 is installed as release r1 for environment ${envs[0]}`);
  });

  // trading and open-banking-ambient declare no `config` on any service: there is no config value to change.
  const hasConfigValue = Object.values(baseValues["services"] as Record<string, { config: object }>).some((s) => Object.keys(s.config).length > 0);
  it.skipIf(!hasConfigValue)("a config change in the values changes the pod template's config checksum (the pods roll)", () => {
    const v = structuredClone(baseValues) as Record<string, any>;
    const [svc, sv] = Object.entries(v["services"] as Record<string, any>).find(([, s]) => Object.keys(s.config).length)!;
    const before = renderEnv(c, v).find((o) => o.kind === "Deployment" && o.metadata.name === svc)!;
    const k = Object.keys(sv.config)[0]!;
    sv.config[k] = sv.config[k] + "-changed";
    const after = renderEnv(c, v).find((o) => o.kind === "Deployment" && o.metadata.name === svc)!;
    expect(hashOf(after)).not.toBe(hashOf(before));
  });

  it("image tags, replicas and resources come from the values", () => {
    const v = structuredClone(baseValues) as Record<string, any>;
    const svc = Object.keys(v["services"])[0]!;
    v["services"][svc].image.tag = "9.9.9";
    v["services"][svc].replicas = 7;
    v["services"][svc].resources.limits.memory = "3Gi";
    const d = renderEnv(c, v).find((o) => o.kind === "Deployment" && o.metadata.name === svc)! as any;
    expect(d.spec.replicas).toBe(7);
    expect(d.spec.template.spec.containers[0].image).toMatch(/:9\.9\.9$/);
    expect(d.spec.template.spec.containers[0].resources.limits.memory).toBe("3Gi");
  });

  it("the README lists the template constructs the renderer supports", () => {
    const readme = c.get("README.md");
    for (const c of ["index .Values", "quote", "toYaml", "nindent", "toJson", "sha256sum", "trunc", "if", "eq", "define", "include"]) expect(readme).toContain(c);
  });
});

describe("the test renderer itself", () => {
  const ctx = { Values: { a: { "b-c": "x", n: 2, on: true, off: false, m: { k: "v" }, l: ["x", "y"] } }, Chart: { Name: "c", Version: "1.0.0" }, Release: { Name: "r", Namespace: "ns" } };
  const one = (t: string) => render(new Map([["templates/t.yaml", t]]), ctx).get("templates/t.yaml");
  it("does lookups, quote, whitespace trimming, if/else, toYaml|nindent, include", () => {
    expect(one('k: {{ index .Values "a" "b-c" | quote }}')).toBe('k: "x"');
    expect(one('k: {{ index .Values "a" "n" }}')).toBe("k: 2");
    expect(one('a\n{{- if index .Values "a" "on" }}\nyes\n{{- else }}\nno\n{{- end }}\n')).toBe("a\nyes\n");
    expect(one('a\n{{- if index .Values "a" "off" }}\nyes\n{{- end }}\n')).toBe("a\n");
    expect(one('m:{{- toYaml (index .Values "a" "m") | nindent 2 }}')).toBe("m:\n  k: v");
    expect(one('{{ index .Values "a" "m" | toJson | sha256sum | trunc 4 }}')).toMatch(/^[0-9a-f]{4}$/);
    expect(one('{{ index .Values "a" "l" 1 | quote }}')).toBe('"y"');
    expect(one('{{- if eq (index .Values "a" "b-c") "w" "x" }}yes{{- end }}')).toBe("yes");
    expect(one('{{- if eq (index .Values "a" "b-c") "w" }}yes{{- else }}no{{- end }}')).toBe("no");
    expect(render(new Map([["templates/_h.tpl", '{{- define "x" -}}\n{{ .Chart.Name }}\n{{- end }}'], ["templates/n.txt", '{{ include "x" . }}!']]), ctx).get("templates/n.txt")).toBe("c!");
  });
  it("refuses what it does not know, and missing values", () => {
    expect(() => one("{{ range .Values }}{{ end }}")).toThrow(TemplateError);
    expect(() => one("{{ .Values.a | upper }}")).toThrow(TemplateError);
    expect(() => one('{{ index .Values "nope" }}')).toThrow(TemplateError);
    expect(() => one('{{ index .Values "a" "l" 2 }}')).toThrow(TemplateError);
    expect(() => one('{{ index .Values "a" "l" "0" }}')).toThrow(TemplateError);
  });
  it("merges values like Helm: deep maps, null deletes", () => {
    expect(mergeValues({ a: { b: 1, c: 2 }, l: [1] }, { a: { c: null, d: 3 }, l: [2] })).toEqual({ a: { b: 1, d: 3 }, l: [2] });
  });
});
