// `deploy immutable` on a namespace: digests required at compile time (FIN4074 on the image text),
// things that must change in place refused (FIN4075), immutable content-named ConfigMaps and Secrets
// whose references in the pod template follow them, the admission digest rule denying (not warning)
// there, and PCI DSS 6.5.1 in the compliance report.
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { complianceReport } from "../../compiler/emit/compliance-report/report.js";
import { specLineLocator } from "../../compiler/cli/spec-lines.js";
import { compileSources, itReportsEach, VIRTUAL } from "../helpers/compile.js";
import { validateManifest } from "../helpers/schemas.js";

const DIGEST = `@sha256:${"c".repeat(64)}`;
/** Shaped like kubeseal's output (a 2-byte key length, the sealed session key, the AES-GCM payload), as test/secrets builds it. */
const SEALED = (() => {
  const b = Buffer.alloc(2 + 512 + 48);
  b.writeUInt16BE(512, 0);
  for (let i = 2; i < b.length; i++) b[i] = (i * 131 + 7) % 256;
  return b.toString("base64");
})();

const spec = (o: { deploy?: string; image?: string; extra?: string; platform?: string; config?: string; path?: string; more?: string } = {}) => `platform p {
  environments prod
${o.platform ?? ""}}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace pay {
  security restricted
${o.deploy ?? "  deploy immutable\n"}}
namespace web { security restricted }
service api {
  namespace pay
  image     "${o.image ?? `r.io/api:1.0.0${DIGEST}`}"
  port      http 8080
  config    LOG_LEVEL = "${o.config ?? "info"}"
  secret    STRIPE_KEY from vault "${o.path ?? "payments/stripe"}" key "api-key"
${o.extra ?? ""}}
service site {
  namespace web
  image     "r.io/site:2.0.0"
  port      http 8080
  config    MODE = "web"
}
${o.more ?? ""}`;

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; [k: string]: any };

function build(source: string) {
  const program = compileSources({ "p.fin": source });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  const out = buildOutputs(program, { environments: ["prod"] });
  const objects = out.files.filter((f) => f.path.startsWith("prod/") && f.path.endsWith(".yaml")).map((f) => parseYaml(f.content) as Obj);
  const find = (kind: string, ns: string, prefix: string) => objects.filter((o) => o.kind === kind && o.metadata.namespace === ns && o.metadata.name.startsWith(prefix));
  return { program, out, objects, find };
}

describe("deploy immutable: diagnostics", () => {
  itReportsEach([
    { name: "an image by tag only, on the image text", spec: spec({ image: "r.io/api:1.0.0" }), code: "FIN4074", covers: '"r.io/api:1.0.0"', line: 15 },
    { name: "a migration image by tag", spec: spec({ extra: '  migrate "r.io/api-migrate:1.0.0" run "migrate up"\n' }), code: "FIN4074", covers: 'migrate "r.io/api-migrate:1.0.0" run "migrate up"', line: 19 },
    { name: "a standalone database (postgres by tag)", spec: spec({ more: 'database db {\n  namespace pay\n  engine postgres 16 standalone\n  storage 10Gi standard\n  credentials from vault "db"\n}\n' }), code: "FIN4075", covers: "engine postgres 16 standalone", line: 28 },
    { name: "rotated database credentials read by a service", spec: spec({ extra: "  secret DATABASE_URL from db.url\n", more: 'database db {\n  namespace pay\n  storage 10Gi standard\n  credentials from vault "db" rotate 24h\n}\n' }), code: "FIN4075", covers: "DATABASE_URL from db.url", line: 19 },
    { name: "a sealed secret", spec: spec({ extra: `  secret SEALED from sealed "${SEALED}"\n` }), code: "FIN4075", covers: `SEALED from sealed "${SEALED}"`, line: 19 },
  ]);

  it("nothing outside deploy immutable: site's tag-only image compiles", () => {
    const program = compileSources({ "p.fin": spec() });
    expect(program.diagnostics.map((d) => d.code)).not.toContain("FIN4074");
  });

  it("the hint names the digest form of the same image", () => {
    const d = compileSources({ "p.fin": spec({ image: "r.io/api:1.0.0" }) }).diagnostics.find((x) => x.code === "FIN4074")!;
    expect(`${d.message} ${d.hint}`).toContain('"r.io/api:1.0.0@sha256:<digest>"');
  });
});

describe("deploy immutable: emitted objects", () => {
  const { find, objects } = build(spec());

  it("the ConfigMap is immutable under a content-hashed name, and the Deployment reads that name", () => {
    const [cm] = find("ConfigMap", "pay", "api-config");
    expect(cm!.immutable).toBe(true);
    expect(cm!.metadata.name).toMatch(/^api-config-[0-9a-f]{10}$/);
    const deployment = find("Deployment", "pay", "api")[0]!;
    expect(JSON.stringify(deployment.spec.template.spec.containers)).toContain(`"name":"${cm!.metadata.name}"`);
    // The namespace without `deploy immutable` keeps its mutable ConfigMap.
    expect(find("ConfigMap", "web", "site-config").map((o) => [o.metadata.name, o.immutable])).toEqual([["site-config", undefined]]);
  });

  it("the ExternalSecret's target is immutable under a content-hashed name, and the pod's secretKeyRef names it", () => {
    const [es] = find("ExternalSecret", "pay", "api-secrets");
    expect(es!.metadata.name).toMatch(/^api-secrets-[0-9a-f]{10}$/);
    expect(es!.spec.target).toMatchObject({ name: es!.metadata.name, immutable: true });
    const env = find("Deployment", "pay", "api")[0]!.spec.template.spec.containers[0].env as { name: string; valueFrom?: { secretKeyRef?: { name: string } } }[];
    expect(env.find((e) => e.name === "STRIPE_KEY")!.valueFrom!.secretKeyRef!.name).toBe(es!.metadata.name);
  });

  it("a changed value is a new object; moving lines is not", () => {
    const names = (s: string) => { const b = build(s); return [b.find("ConfigMap", "pay", "api-config")[0]!.metadata.name, b.find("ExternalSecret", "pay", "api-secrets")[0]!.metadata.name]; };
    const [cm, secret] = names(spec());
    expect(names(spec({ config: "debug" }))[0]).not.toBe(cm);
    expect(names(spec({ config: "debug" }))[1]).toBe(secret);
    expect(names(spec({ path: "payments/stripe-v2" }))[1]).not.toBe(secret);
    expect(names("// a comment that moves every line\n\n" + spec())).toEqual([cm, secret]);
  });

  it("the admission policy of the immutable namespace denies images without a digest, without any compliance profile", () => {
    const bindings = objects.filter((o) => o.kind === "ValidatingAdmissionPolicyBinding");
    const policies = new Map(objects.filter((o) => o.kind === "ValidatingAdmissionPolicy").map((o) => [o.metadata.name, o]));
    const rulesOf = (name: string) => policies.get(name)!.metadata.annotations!["finc.dev/admission-rules"]!.split(",");
    const pay = bindings.filter((b) => b.spec.matchResources.namespaceSelector.matchLabels["kubernetes.io/metadata.name"] === "pay");
    const denying = pay.filter((b) => b.spec.validationActions.includes("Deny"));
    expect(denying.some((b) => rulesOf(b.spec.policyName).includes("image-digest"))).toBe(true);
    expect(pay.filter((b) => !b.spec.validationActions.includes("Deny")).flatMap((b) => rulesOf(b.spec.policyName))).not.toContain("image-digest");
    const web = bindings.filter((b) => b.spec.matchResources.namespaceSelector.matchLabels["kubernetes.io/metadata.name"] === "web");
    expect(web.flatMap((b) => rulesOf(b.spec.policyName))).not.toContain("image-digest");
  });

  it("every object of the immutable namespace validates against its upstream schema", () => {
    const pay = objects.filter((o) => o.metadata.namespace === "pay");
    expect(pay.map((o) => o.kind)).toEqual(expect.arrayContaining(["ConfigMap", "ExternalSecret", "Deployment"]));
    for (const o of pay) expect(validateManifest(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
  });
});

describe("deploy immutable in the compliance report (PCI DSS v4.0.1 6.5.1)", () => {
  const PCI = "  compliance pci-dss\n  mesh istio sidecar cni\n";
  const reportOf = (source: string) => {
    const { program, out } = build(source);
    return complianceReport(program.checked.models.get("prod")!, out.documents.get("prod") ?? [], specLineLocator(program, VIRTUAL)).requirements.find((r) => r.requirement === "6.5.1")!;
  };

  it("enforced, with the immutable ConfigMap and ExternalSecret and the denying policy as evidence", () => {
    const row = reportOf(spec({ platform: PCI, more: "" }).replace(`"r.io/site:2.0.0"`, `"r.io/site:2.0.0${DIGEST}"`));
    expect(row.status).toBe("enforced");
    const kinds = row.evidence.map((e) => `${e.kind} ${e.namespace}/${e.name.replace(/-[0-9a-f]{10}$/, "-<hash>")}`);
    expect(kinds).toEqual(expect.arrayContaining(["ConfigMap pay/api-config-<hash>", "ExternalSecret pay/api-secrets-<hash>"]));
    expect(kinds).not.toContain("ConfigMap web/site-config");
  });

  it("not applicable without an immutable namespace", () => {
    const row = reportOf(spec({ platform: PCI, deploy: "" }).replace(`"r.io/site:2.0.0"`, `"r.io/site:2.0.0${DIGEST}"`));
    expect(row.status).toBe("not-applicable");
    expect(row.reason).toBe("no namespace declares `deploy immutable`");
  });
});
