import type { EmittedDocument, Manifest } from "../output.js";

/**
 * The order Argo CD applies finc's objects in. Within a wave Argo CD already orders the
 * built-in kinds (Namespace, NetworkPolicy, quotas, ServiceAccount, Secret, ConfigMap … before
 * Deployment), but custom resources come last: without waves the workloads would start before
 * the secret stores and ExternalSecrets their env comes from, before their certificates and
 * databases, and — worse — before the admission policies and Istio policies that constrain them.
 * A table, so that the order is one fact reviewed in one place.
 */
export const SYNC_WAVES: readonly { readonly wave: number; readonly kinds: readonly string[]; readonly why: string }[] = [
  {
    wave: -3,
    kinds: [
      "admissionregistration.k8s.io/ValidatingAdmissionPolicy",
      "admissionregistration.k8s.io/ValidatingAdmissionPolicyBinding",
      "kyverno.io/ClusterPolicy",
      "kyverno.io/Policy",
      "templates.gatekeeper.sh/ConstraintTemplate",
    ],
    why: "admission policies exist before any object they hold to the rules",
  },
  {
    wave: -2,
    kinds: [
      "constraints.gatekeeper.sh/*",
      "external-secrets.io/ClusterSecretStore",
      "external-secrets.io/SecretStore",
      "cert-manager.io/ClusterIssuer",
      "cert-manager.io/Issuer",
      "security.istio.io/PeerAuthentication",
      "security.istio.io/AuthorizationPolicy",
      "networking.istio.io/Sidecar",
    ],
    why: "stores and issuers before what they serve; mTLS and the deny-by-default authorization before the first workload can accept a request",
  },
  {
    wave: -1,
    kinds: [
      "external-secrets.io/ExternalSecret",
      "bitnami.com/SealedSecret",
      "cert-manager.io/Certificate",
      "postgresql.cnpg.io/Cluster",
      "networking.istio.io/DestinationRule",
      "networking.istio.io/ServiceEntry",
      "argoproj.io/AnalysisTemplate",
    ],
    why: "the secrets, certificates, databases and traffic rules a workload needs when it starts",
  },
];

/** Stateful or namespace-wide objects: removing them from Git must never delete data. */
const NEVER_PRUNED = new Set(["/Namespace", "/PersistentVolumeClaim", "postgresql.cnpg.io/Cluster"]);
/** Kinds whose CRD another object of the same sync creates (Gatekeeper makes one per ConstraintTemplate). */
const CRD_FROM_SYNC = new Set(["constraints.gatekeeper.sh/*"]);

export const SYNC_WAVE_ANNOTATION = "argocd.argoproj.io/sync-wave";
export const SYNC_OPTIONS_ANNOTATION = "argocd.argoproj.io/sync-options";

function groupKind(o: Manifest): { exact: string; anyKind: string } {
  const apiVersion = String(o["apiVersion"] ?? "");
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  return { exact: `${group}/${String(o["kind"] ?? "")}`, anyKind: `${group}/*` };
}

const WAVE_OF = new Map(SYNC_WAVES.flatMap((w) => w.kinds.map((k) => [k, w.wave] as const)));

function annotationsFor(o: Manifest): Record<string, string> {
  const { exact, anyKind } = groupKind(o);
  const wave = WAVE_OF.get(exact) ?? WAVE_OF.get(anyKind);
  const options = [
    ...(NEVER_PRUNED.has(exact) ? ["Prune=false", "Delete=false"] : []),
    ...(CRD_FROM_SYNC.has(anyKind) ? ["SkipDryRunOnMissingResource=true"] : []),
  ];
  return { ...(wave !== undefined ? { [SYNC_WAVE_ANNOTATION]: String(wave) } : {}), ...(options.length ? { [SYNC_OPTIONS_ANNOTATION]: options.join(",") } : {}) };
}

/** The documents with Argo CD's ordering and pruning annotations; objects in wave 0 are unchanged. */
export function withSyncWaves(docs: readonly EmittedDocument[]): EmittedDocument[] {
  return docs.map((d) => {
    const extra = annotationsFor(d.object);
    if (!Object.keys(extra).length) return d;
    const meta = (d.object["metadata"] ?? {}) as Manifest;
    const annotations = { ...((meta["annotations"] ?? {}) as Record<string, string>), ...extra };
    return { ...d, object: { ...d.object, metadata: { ...meta, annotations } } };
  });
}
