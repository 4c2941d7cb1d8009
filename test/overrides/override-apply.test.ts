import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, serviceSpec, summarize } from "../helpers/compile.js";

const platform = (security = "restricted") => `platform p {
  environments dev, prod
}
namespace apps {
  security ${security}
}
`;
const build = (text: string, env = "dev") => {
  const program = compileSources({ "main.fin": text });
  // A baseline/privileged namespace is a warning (FIN4034): only errors would stop the build.
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program, { environments: [env] });
  const file = (path: string) => parseYaml(out.files.find((f) => f.path === `${env}/${path}`)!.content) as Record<string, any>;
  return { program, out, file, diagnostics: out.diagnostics.map((d) => ({ ...summarize(program, d), message: d.message, hint: d.hint })) };
};

describe("override: applied last to the emitted object", () => {
  const text = platform() + serviceSpec("api") + `override deployment/api {
  spec.template.spec.dnsPolicy "None"
  spec.template.spec.dnsConfig {
    nameservers ["10.0.0.10"]
    options append {
      name "ndots"
      value "2"
    }
  }
  spec.template.spec.containers.0.imagePullPolicy "Always"
  spec.template.spec.containers append {
    name "log-shipper"
    image "registry.example.com/log-shipper:1.2.0"
  }
  spec.revisionHistoryLimit delete
  spec.template.metadata.annotations "example.com/team" "payments"
}
override service/api for prod {
  spec.sessionAffinity "ClientIP"
}
`;
  it("sets, merges, indexes, appends and deletes; the rest of the object is untouched", () => {
    const { file, diagnostics } = build(text);
    expect(diagnostics).toEqual([]);
    const d = file("apps/deployment-api.yaml");
    const pod = d.spec.template.spec;
    expect(pod.dnsPolicy).toBe("None");
    expect(pod.dnsConfig).toEqual({ nameservers: ["10.0.0.10"], options: [{ name: "ndots", value: "2" }] });
    expect(pod.containers.map((c: { name: string }) => c.name)).toEqual(["api", "log-shipper"]);
    expect(pod.containers[0].imagePullPolicy).toBe("Always");
    expect(pod.containers[0].securityContext.runAsNonRoot).toBe(true);
    expect(d.spec.revisionHistoryLimit).toBeUndefined();
    expect(d.spec.template.metadata.annotations["example.com/team"]).toBe("payments");
    expect(d.spec.template.metadata.labels["app.kubernetes.io/name"]).toBe("api");
  });

  it("`for prod` applies in prod only", () => {
    expect(build(text, "dev").file("apps/service-api.yaml").spec.sessionAffinity).toBeUndefined();
    expect(build(text, "prod").file("apps/service-api.yaml").spec.sessionAffinity).toBe("ClientIP");
  });

  it("the packaged targets (Kustomize, Helm) carry the overridden object too", () => {
    const program = compileSources({ "main.fin": text });
    const out = buildOutputs(program, { environments: ["dev", "prod"], targets: ["kubernetes", "kustomize", "helm"] });
    expect(out.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const base = out.files.find((f) => f.path.startsWith("kustomize/") && f.path.endsWith("deployment-api.yaml") && f.path.includes("/base/"));
    expect(base?.content).toContain("dnsPolicy: None");
    const chart = out.files.filter((f) => f.path.startsWith("helm/") && f.path.includes("deployment-api"));
    expect(chart.length).toBeGreaterThan(0);
    expect(chart.some((f) => f.content.includes("dnsPolicy: None"))).toBe(true);
  });

  it("the source map points each overridden field, and the document, at the override", () => {
    const { out, program } = build(text);
    const entry = out.sourceMap["dev/apps/deployment-api.yaml"]!;
    const src = program.getSourceFile("/virtual/main.fin")!;
    const at = (pointer: string) => src.text.slice(entry.fields[pointer]!.start, entry.fields[pointer]!.end);
    expect(at("/spec/template/spec/dnsPolicy")).toBe('spec.template.spec.dnsPolicy "None"');
    expect(at("/spec/template/spec/dnsConfig/nameservers")).toBe('nameservers ["10.0.0.10"]');
    expect(at("/spec/template/spec/containers/0/imagePullPolicy")).toBe('spec.template.spec.containers.0.imagePullPolicy "Always"');
    expect(at("/spec/template/spec/containers/1")).toMatch(/^spec\.template\.spec\.containers append \{/);
    expect(entry.overrides?.map((r) => src.text.slice(r.start, r.end).split("\n")[0])).toEqual(["override deployment/api {"]);
  });

  it("the overridden output passes k8s-validate (the upstream schemas, strict)", () => {
    const validator = "/work/tools/k8s-validate/validate.mjs";
    if (!existsSync(validator)) return;
    const { out } = build(text, "prod");
    const dir = mkdtempSync(join(tmpdir(), "finc-override-"));
    const paths = out.files.filter((f) => f.path.startsWith("prod/") && f.path.endsWith(".yaml")).map((f) => {
      const p = join(dir, f.path);
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, f.content);
      return p;
    });
    let stdout: string;
    try {
      stdout = execFileSync("node", [validator, "--schemas", "/work/shared/schemas", "--json", ...paths], { encoding: "utf8", maxBuffer: 64 << 20 });
    } catch (e) {
      stdout = String((e as { stdout?: string }).stdout ?? "");
    }
    const report = JSON.parse(stdout) as { summary: { ok: boolean }; results: { file: string; status: string; errors: unknown[] }[] };
    expect(report.results.filter((r) => r.errors.length)).toEqual([]);
    expect(report.summary.ok).toBe(true);
    expect(report.results.some((r) => r.file.endsWith("deployment-api.yaml") && r.status !== "skipped")).toBe(true);
  }, 60_000);
});

describe("override: the object must exist", () => {
  it('"FIN3041": no emitted object with that kind and name, with the closest one suggested', () => {
    const { diagnostics } = build(platform() + serviceSpec("api") + 'override deployment/apii {\n  spec.replicas 3\n}\n');
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: "FIN3041", text: "deployment/apii", line: 11 }));
    expect(diagnostics.find((d) => d.code === "FIN3041")!.hint).toContain("Did you mean `override deployment/api`?");
  });
  it('"FIN3041": a list element the object does not have', () => {
    const { diagnostics } = build(platform() + serviceSpec("api") + 'override deployment/api {\n  spec.template.spec.containers.3.image "r.io/x:1.0.0"\n}\n');
    expect(diagnostics).toContainEqual(expect.objectContaining({ code: "FIN3041", text: 'spec.template.spec.containers.3.image "r.io/x:1.0.0"', line: 12 }));
  });
});

describe("override: refused where it undoes a security guarantee", () => {
  const cases: [string, string, "baseline" | "privileged"][] = [
    ["privileged container", "spec.template.spec.containers.0.securityContext.privileged true", "privileged"],
    ["host network", "spec.template.spec.hostNetwork true", "privileged"],
    ["hostPath volume", 'spec.template.spec.volumes append {\n    name "host"\n    hostPath {\n      path "/var/run"\n    }\n  }', "privileged"],
    ["root user", "spec.template.spec.securityContext.runAsUser 0", "baseline"],
    ["runAsNonRoot false", "spec.template.spec.containers.0.securityContext.runAsNonRoot false", "baseline"],
    ["privilege escalation", "spec.template.spec.containers.0.securityContext.allowPrivilegeEscalation true", "baseline"],
    ["an added capability", "spec.template.spec.containers.0.securityContext.capabilities.add [NET_ADMIN]", "privileged"],
    ["Unconfined seccomp", 'spec.template.spec.securityContext.seccompProfile.type "Unconfined"', "privileged"],
    ["writable root filesystem", "spec.template.spec.containers.0.securityContext.readOnlyRootFilesystem false", "baseline"],
    ["a service-account token", "spec.template.spec.automountServiceAccountToken true", "baseline"],
    ["deleting the pod security context", "spec.template.spec.securityContext delete", "baseline"],
  ];
  for (const [what, line, level] of cases) {
    it(`"FIN3040": ${what} is refused under restricted, allowed from ${level}`, () => {
      const spec = (security: string) => platform(security) + serviceSpec("api") + `override deployment/api {\n  ${line}\n}\n`;
      const refused = build(spec("restricted")).diagnostics;
      expect(refused.map((d) => ({ code: d.code, text: d.text, line: d.line }))).toEqual([{ code: "FIN3040", text: line, line: 12 }]);
      expect(refused[0]!.hint).toContain(level === "privileged" ? "`security privileged`" : "`security baseline`");
      if (level === "privileged") expect(build(spec("baseline")).diagnostics.map((d) => d.code)).toEqual(["FIN3040"]);
      expect(build(spec(level)).diagnostics).toEqual([]);
    });
  }
  it("NET_BIND_SERVICE, the one capability restricted allows, is not refused", () => {
    expect(build(platform() + serviceSpec("api") + "override deployment/api {\n  spec.template.spec.containers.0.securityContext.capabilities.add [NET_BIND_SERVICE]\n}\n").diagnostics).toEqual([]);
  });
  it("the refusal says which guarantee and which namespace", () => {
    const [d] = build(platform() + serviceSpec("api") + "override deployment/api {\n  spec.template.spec.hostPID true\n}\n").diagnostics;
    expect(d!.message).toBe("This override would undo a security guarantee of Deployment 'api': pods do not share the node's PID namespace (hostPID) (namespace 'apps' is restricted).");
  });
});
