import { sidecarMesh } from "../../model/mesh.js";
import { containerPortOf, type PlatformModel, type ServiceModel } from "../../model/platform-model.js";
import { SMOKE_UID, smokeImage, smokeTarget, smokeTestName } from "../../model/smoke-test-model.js";
import { ambient, WAYPOINT } from "../istio/ambient.js";
import { principal } from "../istio/common.js";
import { labels, metadata, priorityClassName, selector } from "../kubernetes/labels.js";
import { containerSecurityContext, podSecurityContext } from "../kubernetes/security.js";
import { document, type EmittedDocument, type Emitter } from "../output.js";
import { jobPlacement, pullSecrets } from "./job-pod.js";

/** Names the service a smoke-test Job tests. */
export const SMOKE_TEST_LABEL = "finc.dev/smoke-test";

/**
 * `helm test` runs it (and `helm install` leaves it out); `kubectl apply` ignores the annotation, so
 * without Helm it is a Job that runs once when created. The previous run is deleted when the next
 * is created, so its logs stay until then.
 */
const HELM_TEST = { "helm.sh/hook": "test", "helm.sh/hook-delete-policy": "before-hook-creation" };
/** Argo CD runs it after every sync, once the synced objects are healthy; with its own hook annotation Argo CD ignores Helm's (argo-cd#14283). */
const ARGOCD_HOOK = { "argocd.argoproj.io/hook": "PostSync", "argocd.argoproj.io/hook-delete-policy": "BeforeHookCreation" };

/** Tries, seconds apart: a rollout that just became healthy may still be reprogramming its proxies. */
const ATTEMPTS = 5;
const DELAY_SECONDS = 3;

/**
 * The test itself, in BusyBox sh: GET the URL until it answers the expected status or the
 * attempts run out; curl's own exit (connection refused, TLS, timeout) counts as a failed try.
 * `-o /dev/null` keeps bodies out of the logs; the status is what the test compares.
 */
const SCRIPT = [
  "i=0",
  `while [ "$i" -lt ${ATTEMPTS} ]; do`,
  '  code=$(curl -sS -o /dev/null -w "%{http_code}" --max-time 10 "$SMOKE_URL") || code=000',
  '  if [ "$code" = "$SMOKE_EXPECT" ]; then echo "smoke test passed: GET $SMOKE_URL -> $code"; exit 0; fi',
  '  echo "GET $SMOKE_URL -> $code, expected $SMOKE_EXPECT"',
  "  i=$((i + 1))",
  `  sleep ${DELAY_SECONDS}`,
  "done",
  `echo "smoke test failed after ${ATTEMPTS} tries"`,
  "exit 1",
].join("\n");

function smokeDocuments(model: PlatformModel, s: ServiceModel): EmittedDocument[] {
  const t = smokeTarget(s);
  if (!t?.ok) return [];
  const name = smokeTestName(s);
  const ns = s.namespace;
  const at = t.origin;
  const image = smokeImage(model);
  const podPort = containerPortOf(t.port);
  const url = `http://${s.name}.${ns}.svc.cluster.local:${t.port.port}${t.path}`;
  const l = labels(model, name, "smoke-test", { [SMOKE_TEST_LABEL]: s.name });
  const podLabels = { ...selector(name), "app.kubernetes.io/part-of": model.platform.name, "app.kubernetes.io/component": "smoke-test" };
  const argocd = model.platform.delivery?.tool === "argocd";
  const docs: EmittedDocument[] = [
    document(`${ns}/serviceaccount-${name}.yaml`, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: metadata(name, ns, labels(model, name, "smoke-test")),
      automountServiceAccountToken: false,
    }, at),
    document(`${ns}/job-${name}.yaml`, {
      apiVersion: "batch/v1",
      kind: "Job",
      metadata: metadata(name, ns, l, { ...(argocd ? ARGOCD_HOOK : {}), ...HELM_TEST }),
      spec: {
        backoffLimit: 1,
        activeDeadlineSeconds: 300,
        template: {
          metadata: {
            labels: podLabels,
            // A classic istio-proxy would outlive curl and keep the Job from completing; a native sidecar is stopped after it.
            ...(sidecarMesh(model) ? { annotations: { "sidecar.istio.io/nativeSidecar": "true" } } : {}),
          },
          spec: {
            serviceAccountName: name,
            automountServiceAccountToken: false,
            // The service's own tier: the test runs when the service does, and preempts no more than it would.
            priorityClassName: priorityClassName(s.tier),
            ...pullSecrets(model, image),
            securityContext: podSecurityContext(SMOKE_UID),
            containers: [{
              name: "smoke",
              image,
              imagePullPolicy: "Always",
              command: ["sh", "-c", SCRIPT],
              env: [{ name: "SMOKE_URL", value: url }, { name: "SMOKE_EXPECT", value: String(t.expect) }],
              resources: { requests: { cpu: "10m", memory: "16Mi" }, limits: { cpu: "100m", memory: "32Mi" } },
              securityContext: containerSecurityContext(SMOKE_UID),
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            }],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "8Mi" } }],
            restartPolicy: "Never",
            ...jobPlacement(model, ns),
          },
        },
      },
    }, at, { "/spec/template/spec/containers/0/env/0/value": at, "/spec/template/spec/containers/0/env/1/value": at, "/spec/template/spec/containers/0/image": model.platform.fields["smoke-image"] }),
    // Past the namespace's default deny: the test reaches exactly the service's pods on that one port …
    document(`${ns}/networkpolicy-${name}.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(name, ns, labels(model, name, "network-policy")),
      spec: {
        podSelector: { matchLabels: selector(name) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [],
        egress: [{ to: [{ podSelector: { matchLabels: selector(s.name) } }], ports: [{ protocol: "TCP", port: podPort }] }],
      },
    }, at),
    // … and the service admits it there, beside its declared callers (NetworkPolicies add up).
    document(`${ns}/networkpolicy-${s.name}-from-smoke.yaml`, {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: metadata(`${s.name}-from-smoke`, ns, labels(model, s.name, "network-policy")),
      spec: {
        podSelector: { matchLabels: selector(s.name) },
        policyTypes: ["Ingress"],
        ingress: [{ from: [{ podSelector: { matchLabels: selector(name) } }], ports: [{ protocol: "TCP", port: podPort }] }],
      },
    }, at),
  ];
  if (model.platform.mesh === "istio") docs.push(...authorization(model, s, name, podPort, t.path, at));
  return docs;
}

/**
 * With the mesh, an ALLOW policy for the test's identity: GET of that one path on that one port
 * (ALLOW policies add up, so the service's callers keep theirs). In ambient mode the call passes
 * the namespace's waypoint, which checks the identity (a policy on the Service), and the pod's
 * ztunnel then sees the waypoint's.
 */
function authorization(model: PlatformModel, s: ServiceModel, name: string, podPort: number, path: string, at: ServiceModel["origin"]): EmittedDocument[] {
  const ns = s.namespace;
  const rule = (ports: number) => ({ from: [{ source: { principals: [principal(ns, name)] } }], to: [{ operation: { methods: ["GET"], paths: [path], ports: [String(ports)] } }] });
  const policy = (policyName: string, spec: Record<string, unknown>) =>
    document(`${ns}/authorizationpolicy-${policyName}.yaml`, {
      apiVersion: "security.istio.io/v1",
      kind: "AuthorizationPolicy",
      metadata: metadata(policyName, ns, labels(model, s.name, "authorization")),
      spec,
    }, at);
  if (!ambient(model)) return [policy(name, { selector: { matchLabels: selector(s.name) }, action: "ALLOW", rules: [rule(podPort)] })];
  return [
    policy(`${name}-waypoint`, { targetRefs: [{ group: "", kind: "Service", name: s.name }], action: "ALLOW", rules: [rule(podPort)] }),
    policy(name, { selector: { matchLabels: selector(s.name) }, action: "ALLOW", rules: [{ from: [{ source: { principals: [principal(ns, WAYPOINT)] } }], to: [{ operation: { ports: [String(podPort)] } }] }] }),
  ];
}

/**
 * Post-deploy smoke tests (issue 13 item 3): per service with `smoke-test`, a Job calling it
 * through its Service as an allowed caller of that service only (its own ServiceAccount, a
 * NetworkPolicy each way, an Istio ALLOW policy for its identity), restricted Pod Security, a
 * pinned curl image (`smoke-image`). An Argo CD PostSync hook with `delivery argocd`; the Helm
 * chart makes it a `helm test`; otherwise a Job that runs once when applied.
 */
export const smokeTestsEmitter: Emitter = {
  id: "smoke-tests",
  emit(model) {
    return { documents: model.services.flatMap((s) => smokeDocuments(model, s)), diagnostics: [] };
  },
};
