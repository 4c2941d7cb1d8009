import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { resolve } from "node:path";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createNodeHost } from "../../compiler/host/compiler-host.js";
import { createProgram } from "../../compiler/program.js";
import { REPO, STDLIB } from "../helpers/compile.js";
import { schemasAvailable, SCHEMAS, validateManifest, manifestFiles } from "../helpers/schemas.js";

const EXAMPLE = resolve(REPO, "examples/payments");
const compileExample = () => createProgram({ host: createNodeHost(STDLIB), roots: [EXAMPLE] });

describe("examples/payments → Kubernetes", () => {
  const program = compileExample();
  const outputs = buildOutputs(program, { root: REPO });

  it("compiles with no diagnostics at all", () => {
    expect(program.diagnostics).toEqual([]);
  });

  if (!schemasAvailable) console.warn(`SKIPPED schema validation: ${SCHEMAS} (the shared schema set) is not next to this checkout`);
  it.skipIf(!schemasAvailable)("every emitted document validates against the upstream schema of its kind (Kubernetes 1.31 + CRDs)", () => {
    const invalid: string[] = [];
    for (const f of manifestFiles(outputs)) {
      for (const doc of parseAllDocuments(f.content)) {
        const errors = validateManifest(doc.toJS() as { apiVersion?: unknown; kind?: unknown });
        if (errors.length) invalid.push(`${f.path}: ${errors.slice(0, 3).join("; ")}`);
      }
    }
    expect(invalid).toEqual([]);
    expect(outputs.files.length).toBeGreaterThan(50);
  });

  it("two builds are byte-identical", () => {
    const again = buildOutputs(compileExample(), { root: REPO });
    expect(again.files).toEqual(outputs.files);
    expect(JSON.stringify(again.sourceMap)).toBe(JSON.stringify(outputs.sourceMap));
  });

  it("never emits PodSecurityPolicy, and every namespace enforces a Pod Security Standard", () => {
    const all = outputs.files.map((f) => f.content).join("\n");
    expect(all).not.toMatch(/kind: PodSecurityPolicy/);
    const namespaces = outputs.files.filter((f) => f.path.endsWith("/namespace.yaml"));
    expect(namespaces.length).toBe(3);
    for (const ns of namespaces) expect(ns.content).toContain("pod-security.kubernetes.io/enforce: restricted");
  });

  const docOf = (path: string): Record<string, any> => parseAllDocuments(outputs.files.find((f) => f.path === path)!.content)[0]!.toJS();

  it("environments override fields: prod api autoscales 6–30 at 60%, dev runs one or two replicas", () => {
    expect(docOf("prod/payments/horizontalpodautoscaler-api.yaml").spec).toMatchObject({ minReplicas: 6, maxReplicas: 30 });
    expect(docOf("prod/payments/horizontalpodautoscaler-api.yaml").spec.metrics[0].resource.target.averageUtilization).toBe(60);
    expect(docOf("dev/payments/deployment-api.yaml").spec.replicas).toBe(1);
    expect(docOf("dev/payments/configmap-api-config.yaml").data.LOG_LEVEL).toBe("debug");
    expect(docOf("prod/payments/configmap-api-config.yaml").data.LOG_LEVEL).toBe("info");
  });

  it("the payments pod runs its migration first, reads credentials from Secrets and is locked down", () => {
    const pod = docOf("prod/payments/deployment-payments.yaml").spec.template.spec;
    expect(pod.initContainers[0]).toMatchObject({ name: "migrate", command: ["migrate", "up"] });
    expect(pod.containers[0].env).toContainEqual({ name: "DATABASE_URL", valueFrom: { secretKeyRef: { name: "payments-secrets", key: "DATABASE_URL" } } });
    expect(pod.containers[0].securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.imagePullSecrets).toEqual([{ name: "registry-credentials" }]);
  });

  it("the registry pull secret comes from the secret store as a dockerconfigjson, never a literal", () => {
    const es = docOf("prod/payments/externalsecret-registry-credentials.yaml");
    expect(es.spec.target.template.type).toBe("kubernetes.io/dockerconfigjson");
    expect(es.spec.data).toEqual([{ secretKey: "dockerconfigjson", remoteRef: { key: "ci/registry", property: "dockerconfigjson" } }]);
    expect(outputs.files.some((f) => /^kind: Secret$/m.test(f.content))).toBe(false);
  });

  it("network policies allow exactly the declared calls", () => {
    const np = docOf("prod/payments/networkpolicy-payments-traffic.yaml").spec;
    const egressTo = np.egress.map((e: any) => e.to[0].podSelector.matchLabels["app.kubernetes.io/name"]).sort();
    expect(egressTo).toEqual(["fraud", "ledger", "ledger-db"]);
    const ingressFrom = np.ingress.map((i: any) => i.from[0].podSelector.matchLabels["app.kubernetes.io/name"]).sort();
    expect(ingressFrom).toEqual(["api"]);
  });
});
