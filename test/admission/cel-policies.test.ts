import { describe, expect, it } from "vitest";
import { compileSources } from "../helpers/compile.js";
import { build, compile, exampleDirs } from "../kustomize/support.js";
import { buildOutputs, DEFAULT_TARGETS } from "../../compiler/emit/build-outputs.js";
import { admit, type AdmissionRequest, type Obj, type Verdict } from "./cel-harness.js";
import { basename } from "node:path";

/**
 * finc's ValidatingAdmissionPolicies, evaluated with a real CEL implementation
 * (@marcbachmann/cel-js, cel-harness.ts): every example's own output is admitted, and one
 * hand-written violation per check of every rule is denied with that rule's message.
 */

type Any = Record<string, any>;
const objects = (docs: readonly { object: unknown }[]) => docs.map((d) => d.object as Any);
const bindingNamespace = (all: Any[], policy: Any): string =>
  all.find((b) => b.kind === "ValidatingAdmissionPolicyBinding" && b.spec.policyName === policy.metadata.name)!.spec.matchResources.namespaceSelector.matchLabels["kubernetes.io/metadata.name"];
const create = (object: Obj, username = "alice"): AdmissionRequest => ({ operation: "CREATE", username, object });

/** A bare Pod with a workload's pod template, as someone would `kubectl run` it. */
function podOf(o: Any): Any | undefined {
  if (!["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob", "Rollout", "ReplicaSet"].includes(o.kind)) return undefined;
  const t = o.kind === "CronJob" ? o.spec.jobTemplate.spec.template : o.spec?.template;
  return t ? { apiVersion: "v1", kind: "Pod", metadata: { ...t.metadata, name: `${o.metadata.name}-pod`, namespace: o.metadata.namespace }, spec: t.spec } : undefined;
}

describe("every example's own output is admitted by its namespace's policies", () => {
  for (const dir of exampleDirs()) {
    const program = compile(dir);
    const out = build(program, [...DEFAULT_TARGETS]);
    for (const [env, docs] of out.documents) {
      it(`${basename(dir)}/${env}`, () => {
        const all = objects(docs);
        const policies = all.filter((o) => o.kind === "ValidatingAdmissionPolicy");
        expect(policies.length).toBeGreaterThanOrEqual(2 * all.filter((o) => o.kind === "Namespace").length);
        let evaluated = 0;
        for (const policy of policies) {
          const ns = bindingNamespace(all, policy);
          const inNs = all.filter((o) => o.metadata?.namespace === ns);
          const requests = [...inNs, ...inNs.map(podOf).filter((p): p is Any => !!p)].map((o) => create(o));
          const audit = policy.metadata.name.endsWith("-audit");
          for (const r of requests) {
            const v = admit(policy, r);
            if (v.kind === "not-matched") continue;
            evaluated++;
            // The audit policy (Warn, Audit) flags images without a digest: these examples pin tags only.
            if (audit) expect(v.kind === "admitted" || v.messages.every((m) => m.startsWith("[finc image-digest"))).toBe(true);
            else expect(v, `${policy.metadata.name}: ${r.object!["kind"]} ${String((r.object!["metadata"] as Any).name)}`).toEqual({ kind: "admitted" });
          }
        }
        expect(evaluated).toBeGreaterThan(5);
      });
    }
  }
});

const DIGEST = "@sha256:" + "a".repeat(64);
const PCI = `platform p {
  environments prod
  cloud aws
  regions eu-west-1 primary, eu-central-1
  compliance pci-dss
  mesh istio sidecar cni
  registry "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
namespace apps {
  security  restricted
  residency eu
}
service api {
  image "registry.example.com/api:1.0.0${DIGEST}"
  port  http 8080
}
`;

function outputOf(spec: string): Any[] {
  const program = compileSources({ "main.fin": spec });
  expect(program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return objects(buildOutputs(program).documents.get("prod")!);
}

const pci = outputOf(PCI);
const policy = (all: Any[], name: string) => all.find((o) => o.kind === "ValidatingAdmissionPolicy" && o.metadata.name === name)!;
const main = policy(pci, "finc-apps");
const deployment = pci.find((o) => o.kind === "Deployment" && o.metadata.name === "api")!;
const container = (d: Any) => d.spec.template.spec.containers[0];

/** The Deployment with one change. */
function mutated(change: (d: Any) => void): Any {
  const d = structuredClone(deployment);
  change(d);
  return d;
}

const denied = (v: Verdict) => (v.kind === "denied" ? v.messages : []);

describe("one violation per check, each denied with its rule's message", () => {
  it("the pci-dss namespace has the full rule set, requirement ids in the messages, and no audit policy (the spec pins digests)", () => {
    const tags = [...new Set((main.spec.validations as Any[]).map((v) => /^\[finc ([a-z-]+)/.exec(v.message)![1]))];
    expect(tags).toEqual(["pod-security", "host-isolation", "registry", "image-tag", "image-digest", "plaintext-secret-env", "ownership-labels", "network-policy", "residency", "service-exposure"]);
    expect(main.spec.validations[0].message).toContain("PCI DSS v4.0.1 2.2.1");
    expect(policy(pci, "finc-apps-audit")).toBeUndefined();
    expect(admit(main, create(deployment))).toEqual({ kind: "admitted" });
  });

  const cases: [string, string, string, (d: Any) => void][] = [
    ["pod-security", "runAsNonRoot false", "run as non-root", (d) => (container(d).securityContext.runAsNonRoot = false)],
    ["pod-security", "privilege escalation", "allowPrivilegeEscalation: false", (d) => (container(d).securityContext.allowPrivilegeEscalation = true)],
    ["pod-security", "a capability added", "drop ALL capabilities", (d) => (container(d).securityContext.capabilities.add = ["NET_ADMIN"])],
    ["pod-security", "capabilities not dropped", "drop ALL capabilities", (d) => delete container(d).securityContext.capabilities],
    ["pod-security", "writable root filesystem", "readOnlyRootFilesystem: true", (d) => (container(d).securityContext.readOnlyRootFilesystem = false)],
    ["pod-security", "seccomp Unconfined", "RuntimeDefault", (d) => (container(d).securityContext.seccompProfile = { type: "Unconfined" })],
    ["host-isolation", "hostNetwork", "hostNetwork, hostPID, hostIPC", (d) => (d.spec.template.spec.hostNetwork = true)],
    ["host-isolation", "hostPID", "hostNetwork, hostPID, hostIPC", (d) => (d.spec.template.spec.hostPID = true)],
    ["host-isolation", "a hostPath volume", "hostPath", (d) => d.spec.template.spec.volumes.push({ name: "root", hostPath: { path: "/" } })],
    ["host-isolation", "a privileged container", "privileged", (d) => (container(d).securityContext.privileged = true)],
    ["host-isolation", "a host port", "host ports", (d) => (container(d).ports[0].hostPort = 8080)],
    ["registry", "an image from Docker Hub", "registry.example.com", (d) => (container(d).image = `docker.io/library/nginx:1.27${DIGEST}`)],
    ["registry", "an init container from elsewhere", "registry.example.com", (d) => (d.spec.template.spec.initContainers = [{ ...container(d), name: "init", image: `ghcr.io/x/init:1${DIGEST}` }])],
    ["image-tag", "latest", "version tag", (d) => (container(d).image = "registry.example.com/api:latest")],
    ["image-tag", "no tag", "version tag", (d) => (container(d).image = "registry.example.com/api")],
    ["image-digest", "a tag without digest", "pinned by digest", (d) => (container(d).image = "registry.example.com/api:1.0.0")],
    ["plaintext-secret-env", "DB_PASSWORD as a value", "secret-looking name", (d) => (container(d).env = [{ name: "DB_PASSWORD", value: "hunter2" }])],
    ["plaintext-secret-env", "a lower-case api_key", "secret-looking name", (d) => (container(d).env = [{ name: "stripe_api_key", value: "sk_live_x" }])],
    ["ownership-labels", "no part-of label", "app.kubernetes.io/part-of", (d) => delete d.spec.template.metadata.labels["app.kubernetes.io/part-of"]],
    ["network-policy", "no name label", "NetworkPolicies select them by", (d) => delete d.spec.template.metadata.labels["app.kubernetes.io/name"]],
    ["residency", "a region outside the EU", "eu-west-1", (d) => (d.spec.template.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values = ["eu-west-1", "us-east-1"])],
    ["residency", "no node affinity", "eu-west-1", (d) => delete d.spec.template.spec.affinity],
  ];
  for (const [rule, what, text, change] of cases)
    it(`${rule}: ${what}`, () => {
      const messages = denied(admit(main, create(mutated(change))));
      expect(messages.length, what).toBeGreaterThan(0);
      expect(messages.some((m) => /^\[finc ([a-z-]+)[;\]]/.exec(m)?.[1] === rule && m.includes(text)), messages.join("\n")).toBe(true);
    });

  it("allowed variants stay admitted: an empty secret-named value, NET_BIND_SERVICE, a nodeSelector on an EU region, TOKEN_URL", () => {
    const ok = mutated((d) => {
      container(d).env = [{ name: "DB_PASSWORD", value: "" }, { name: "TOKEN_URL", value: "https://auth/token" }, { name: "DB_PASSWORD_FILE", valueFrom: { secretKeyRef: { name: "s", key: "k" } } }];
      container(d).securityContext.capabilities.add = ["NET_BIND_SERVICE"];
      delete d.spec.template.spec.affinity;
      d.spec.template.spec.nodeSelector = { "topology.kubernetes.io/region": "eu-west-1" };
    });
    expect(admit(main, create(ok))).toEqual({ kind: "admitted" });
  });

  it("the same rules hold wherever a kind keeps its pod template: a bare Pod, a CronJob, a StatefulSet", () => {
    const pod = podOf(mutated((d) => (d.spec.template.spec.hostNetwork = true)))!;
    expect(denied(admit(main, create(pod))).join()).toContain("hostNetwork");
    const t = mutated((d) => (container(d).image = "registry.example.com/api:latest")).spec.template;
    const cron = { apiVersion: "batch/v1", kind: "CronJob", metadata: { name: "c", namespace: "apps" }, spec: { schedule: "* * * * *", jobTemplate: { spec: { template: t } } } };
    expect(denied(admit(main, create(cron))).join()).toContain("version tag");
    const sts = { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "s", namespace: "apps" }, spec: { template: t } };
    expect(denied(admit(main, create(sts))).join()).toContain("version tag");
  });

  it("a standalone database's Docker Hub image keeps the digest rule at Warn+Audit (denying would refuse finc's own StatefulSet)", () => {
    const out = outputOf(PCI.replace(/  registry .*\n/, "") + 'database db {\n  engine postgres 16 standalone\n  storage 10Gi standard\n  credentials from vault "db"\n}\n');
    const sts = out.find((o) => o.kind === "StatefulSet" && o.metadata.name === "db")!;
    expect(admit(policy(out, "finc-apps"), create(sts))).toEqual({ kind: "admitted" });
    expect(denied(admit(policy(out, "finc-apps-audit"), create(sts))).join()).toContain("[finc image-digest");
  });

  it("a ConfigMap with a secret-looking key is denied; finc's own ConfigMaps and other ConfigMaps are admitted", () => {
    const cm = (data: Any) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "x", namespace: "apps" }, data });
    expect(denied(admit(main, create(cm({ GITHUB_TOKEN: "ghp_x" })))).join()).toContain("[finc plaintext-secret-env");
    expect(admit(main, create(cm({ "root-cert.pem": "-----BEGIN CERTIFICATE-----", LOG_LEVEL: "info" })))).toEqual({ kind: "admitted" });
  });

  it("service-exposure: only the Services the spec declares may be NodePort / LoadBalancer", () => {
    const out = outputOf(PCI.replace("  mesh istio sidecar cni\n", "").replace("  compliance pci-dss\n", "").replace('  port  http 8080\n', '  port  http 8080\n  service-type load-balancer internal\n'));
    const p = policy(out, "finc-apps");
    const own = out.find((o) => o.kind === "Service" && o.metadata.name === "api")!;
    expect(own.spec.type).toBe("LoadBalancer");
    expect(admit(p, create(own))).toEqual({ kind: "admitted" });
    const other = (type: string) => ({ ...structuredClone(own), metadata: { ...own.metadata, name: "sneaky" }, spec: { ...own.spec, type } });
    expect(denied(admit(p, create(other("NodePort")))).join()).toContain("[finc service-exposure");
    expect(denied(admit(p, create(other("LoadBalancer")))).join()).toContain("[finc service-exposure");
    expect(denied(admit(p, create({ ...own, spec: { ...own.spec, type: "NodePort" } }))).join()).toContain("[finc service-exposure");
    expect(admit(p, create(other("ClusterIP")))).toEqual({ kind: "admitted" });
    // No compliance profile: no registry or digest rule, the rest stays.
    expect((p.spec.validations as Any[]).some((v) => v.message.startsWith("[finc registry"))).toBe(false);
  });
});

describe("exemptions are by authenticated identity, never by a label", () => {
  const hostPod = podOf(mutated((d) => (d.spec.template.spec.hostNetwork = true)))!;
  it("pods the ReplicaSet / Job controllers create from checked templates are not re-checked; anyone else's are", () => {
    expect(admit(main, create(hostPod, "system:serviceaccount:kube-system:replicaset-controller")).kind).toBe("not-matched");
    expect(admit(main, create(hostPod, "system:serviceaccount:kube-system:job-controller")).kind).toBe("not-matched");
    expect(admit(main, create(hostPod, "system:serviceaccount:apps:api")).kind).toBe("denied");
  });
  it("labels an attacker can set exempt nothing", () => {
    const labelled = { ...hostPod, metadata: { ...hostPod.metadata, labels: { ...hostPod.metadata.labels, "app.kubernetes.io/managed-by": "finc", "cnpg.io/cluster": "db" } } };
    expect(admit(main, create(labelled)).kind).toBe("denied");
  });
  it("the CloudNativePG operator's pods are exempt only in namespaces with an operator-run database", () => {
    expect(admit(main, create(hostPod, "system:serviceaccount:cnpg-system:cnpg-manager")).kind).toBe("denied");
    const withDb = outputOf(PCI + 'database db {\n  storage 10Gi standard\n  credentials from vault "db"\n}\n');
    expect(admit(policy(withDb, "finc-apps"), create(hostPod, "system:serviceaccount:cnpg-system:cnpg-manager")).kind).toBe("not-matched");
    expect(admit(policy(withDb, "finc-apps"), create(hostPod)).kind).toBe("denied");
  });
  it("a Rollout with a workloadRef (no template) is left to its Deployment", () => {
    const r = { apiVersion: "argoproj.io/v1alpha1", kind: "Rollout", metadata: { name: "api", namespace: "apps" }, spec: { workloadRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" } } };
    expect(admit(main, create(r)).kind).toBe("not-matched");
  });
});

describe("the default-deny NetworkPolicy guard (VAP cannot look up objects: the namespace's default-deny is the contract)", () => {
  const guard = policy(pci, "finc-apps-default-deny");
  const dd = pci.find((o) => o.kind === "NetworkPolicy" && o.metadata.name === "default-deny")!;
  it("deleting it is denied, except to the namespace controller deleting the namespace", () => {
    expect(denied(admit(guard, { operation: "DELETE", username: "alice", object: null, oldObject: dd })).join()).toContain("must not be deleted");
    expect(admit(guard, { operation: "DELETE", username: "system:serviceaccount:kube-system:namespace-controller", object: null, oldObject: dd }).kind).toBe("not-matched");
  });
  it("weakening it is denied; re-applying it unchanged is admitted; other NetworkPolicies are not its business", () => {
    const opened = { ...dd, spec: { ...dd.spec, ingress: [{}] } };
    expect(denied(admit(guard, { operation: "UPDATE", username: "alice", object: opened, oldObject: dd })).join()).toContain("denying all ingress and egress");
    const narrowed = { ...dd, spec: { ...dd.spec, podSelector: { matchLabels: { a: "b" } } } };
    expect(admit(guard, { operation: "UPDATE", username: "alice", object: narrowed, oldObject: dd }).kind).toBe("denied");
    expect(admit(guard, { operation: "UPDATE", username: "alice", object: dd, oldObject: dd })).toEqual({ kind: "admitted" });
    const other = { ...dd, metadata: { ...dd.metadata, name: "api-traffic" } };
    expect(admit(guard, { operation: "DELETE", username: "alice", object: null, oldObject: other }).kind).toBe("not-matched");
  });
});
