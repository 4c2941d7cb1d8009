import { Ajv } from "ajv";
import YAML from "yaml";
import { describe, expect, it } from "vitest";
import { build, compile, exampleDirs } from "../kustomize/support.js";
import { mergeValues } from "./values.js";

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
  return { program, files, name, root, get };
}

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
});
