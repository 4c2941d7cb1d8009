import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, PLATFORM } from "../helpers/compile.js";

/**
 * Pod details (issue 10 item 5, and the drain of item 3): `init`, `env … from pod.*`,
 * `ephemeral-storage`, `labels`, `annotations`, `drain`, on the emitted objects.
 */
const spec = (fields: string, extra = "") => `${PLATFORM}
service api {
  image "r.io/api:1.0.0"
  port  http 8080
  secret API_KEY from vault "apps/api" key "k"
  config LOG_LEVEL = "info"
  migrate "r.io/api-migrate:1.0.0" run "migrate up"
${fields}}
${extra}`;

type Obj = Record<string, any>;
function docs(src: string, env = "prod"): Obj[] {
  const program = compileSources({ "main.fin": src });
  expect(program.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return [...buildOutputs(program).documents.get(env)!].map((d) => d.object as Obj);
}
const find = (ds: Obj[], kind: string, name: string) => ds.find((d) => d.kind === kind && d.metadata.name === name)!;

describe("init containers", () => {
  const d = find(docs(spec(`  init "r.io/tools/wait:1.0.0" run "wait-for ledger:8080 --timeout 60"
  init "r.io/tools/seed:2.0.0" run ["seed", "--dry-run=false"]
`)), "Deployment", "api");
  const pod = d.spec.template.spec;

  it("run after migrate, in the order written, named init-1, init-2, with their commands split", () => {
    expect(pod.initContainers.map((c: Obj) => [c.name, c.image, c.command])).toEqual([
      ["migrate", "r.io/api-migrate:1.0.0", ["migrate", "up"]],
      ["init-1", "r.io/tools/wait:1.0.0", ["wait-for", "ledger:8080", "--timeout", "60"]],
      ["init-2", "r.io/tools/seed:2.0.0", ["seed", "--dry-run=false"]],
    ]);
  });

  it("are hardened like the app container: restricted security context, resources, read-only root, mounts, config and secrets", () => {
    const app = pod.containers[0];
    for (const c of pod.initContainers.slice(1)) {
      expect(c.securityContext).toEqual(app.securityContext);
      expect(c.securityContext.readOnlyRootFilesystem).toBe(true);
      expect(c.securityContext.allowPrivilegeEscalation).toBe(false);
      expect(c.securityContext.capabilities).toEqual({ drop: ["ALL"] });
      expect(c.resources).toEqual(app.resources);
      expect(c.volumeMounts).toEqual(app.volumeMounts);
      expect(c.envFrom).toEqual(app.envFrom);
      expect(c.env).toEqual(app.env);
      expect(c.ports).toBeUndefined();
      expect(c.readinessProbe).toBeUndefined();
    }
  });
});

describe("downward-API env", () => {
  const pod = find(docs(spec(`  env NAMESPACE from pod.namespace, POD_IP from pod.ip, NODE from node.name
  env SA from pod.service-account, MEM_LIMIT from limits.memory, CPUS from requests.cpu
`)), "Deployment", "api").spec.template.spec;

  it("fieldRef for pod fields and resourceFieldRef of the app container for resources, after the secrets", () => {
    expect(pod.containers[0].env).toEqual([
      { name: "API_KEY", valueFrom: { secretKeyRef: { name: "api-secrets", key: "API_KEY" } } },
      { name: "NAMESPACE", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
      { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
      { name: "NODE", valueFrom: { fieldRef: { fieldPath: "spec.nodeName" } } },
      { name: "SA", valueFrom: { fieldRef: { fieldPath: "spec.serviceAccountName" } } },
      { name: "MEM_LIMIT", valueFrom: { resourceFieldRef: { containerName: "api", resource: "limits.memory" } } },
      { name: "CPUS", valueFrom: { resourceFieldRef: { containerName: "api", resource: "requests.cpu" } } },
    ]);
  });

  it("the migrate container gets them too", () => {
    expect(pod.initContainers[0].env.map((e: Obj) => e.name)).toEqual(["API_KEY", "NAMESPACE", "POD_IP", "NODE", "SA", "MEM_LIMIT", "CPUS"]);
  });
});

describe("ephemeral-storage", () => {
  it("requests and limits on every container, next to cpu and memory", () => {
    const pod = find(docs(spec("  ephemeral-storage 1Gi to 2Gi\n")), "Deployment", "api").spec.template.spec;
    for (const c of [...pod.initContainers, ...pod.containers]) {
      expect(c.resources.requests["ephemeral-storage"]).toBe("1Gi");
      expect(c.resources.limits["ephemeral-storage"]).toBe("2Gi");
      expect(c.resources.requests.cpu).toBeDefined();
    }
  });

  it("a single value sets both", () => {
    const c = find(docs(spec("  ephemeral-storage 512Mi\n")), "Deployment", "api").spec.template.spec.containers[0];
    expect([c.resources.requests["ephemeral-storage"], c.resources.limits["ephemeral-storage"]]).toEqual(["512Mi", "512Mi"]);
  });
});

describe("labels and annotations", () => {
  const ds = docs(spec(`  labels team = payments, "example.com/cost-center" = "cc-42"
  annotations "example.com/runbook" = "https://runbooks.example.com/api"
`));
  const dep = find(ds, "Deployment", "api");

  it("labels on the pods and on the Deployment, Service and ConfigMap; finc's own labels kept", () => {
    for (const o of [dep.spec.template, dep, find(ds, "Service", "api"), ds.find((d) => d.kind === "ConfigMap")!]) {
      expect(o.metadata.labels).toMatchObject({ team: "payments", "example.com/cost-center": "cc-42" });
    }
    expect(dep.spec.template.metadata.labels["app.kubernetes.io/name"]).toBe("api");
    expect(dep.metadata.labels["app.kubernetes.io/managed-by"]).toBe("finc");
    // The selector stays finc's: adding a label never orphans the ReplicaSets.
    expect(dep.spec.selector.matchLabels).toEqual({ "app.kubernetes.io/name": "api" });
  });

  it("annotations on the pods (beside the config hash) and on the Deployment, not on the Service", () => {
    expect(dep.spec.template.metadata.annotations).toMatchObject({ "example.com/runbook": "https://runbooks.example.com/api" });
    expect(dep.spec.template.metadata.annotations["finc.dev/config-hash"]).toMatch(/^[0-9a-f]{16}$/);
    expect(dep.metadata.annotations).toEqual({ "example.com/runbook": "https://runbooks.example.com/api" });
    expect(find(ds, "Service", "api").metadata.annotations).toBeUndefined();
  });

  it("an environment's entry replaces the base value of that key", () => {
    const ds2 = docs(spec(`  labels team = payments\n`, `environment prod {\n  api.labels team = ledger\n}\n`));
    expect(find(ds2, "Deployment", "api").metadata.labels.team).toBe("ledger");
    const dev = [...buildOutputs(compileSources({ "main.fin": spec(`  labels team = payments\n`, `environment prod {\n  api.labels team = ledger\n}\n`) })).documents.get("dev")!].map((d) => d.object as Obj);
    expect(find(dev, "Deployment", "api").metadata.labels.team).toBe("payments");
  });

  it("on a cronjob: labels on the CronJob and its pods, annotations on both", () => {
    const ds3 = docs(`${PLATFORM}
cronjob settle {
  image "r.io/settle:1.0.0"
  schedule "0 22 * * 1-5"
  labels team = payments
  annotations "example.com/owner" = "settlement"
}
`);
    const cj = find(ds3, "CronJob", "settle");
    expect(cj.metadata.labels.team).toBe("payments");
    expect(cj.metadata.annotations).toEqual({ "example.com/owner": "settlement" });
    expect(cj.spec.jobTemplate.spec.template.metadata.labels.team).toBe("payments");
    expect(cj.spec.jobTemplate.spec.template.metadata.annotations["example.com/owner"]).toBe("settlement");
  });
});

describe("drain (graceful shutdown behind a load balancer)", () => {
  const app = (src: string) => find(docs(src), "Deployment", "api").spec.template.spec;

  it("a native preStop sleep on the app container only, the grace period unchanged", () => {
    const pod = app(spec("  drain 10s\n  grace 45s\n"));
    expect(pod.containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 10 } } });
    expect(pod.initContainers[0].lifecycle).toBeUndefined();
    expect(pod.terminationGracePeriodSeconds).toBe(45);
  });

  it("no drain by default for a service nothing outside reaches", () => {
    expect(app(spec("")).containers[0].lifecycle).toBeUndefined();
  });

  it("5s by default behind the gateway (expose) and behind a cloud load balancer; drain 0s turns it off", () => {
    const exposed = (f: string) => `platform p {\n  environments dev, prod\n  cloud aws\n  ingress nginx\n}\nnamespace apps {}\nservice api {\n  image "r.io/api:1.0.0"\n  port http 8080\n${f}}\n`;
    expect(app(exposed('  expose "api.example.com"\n')).containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(app(exposed("  service-type load-balancer internal\n")).containers[0].lifecycle).toEqual({ preStop: { sleep: { seconds: 5 } } });
    expect(app(exposed('  expose "api.example.com"\n  drain 0s\n')).containers[0].lifecycle).toBeUndefined();
    // A grace period of 5s or less leaves no room for the default: none.
    expect(app(exposed('  expose "api.example.com"\n  grace 5s\n')).containers[0].lifecycle).toBeUndefined();
  });
});
