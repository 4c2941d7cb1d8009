import type { PlatformModel } from "../../model/platform-model.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type Emitter, type Manifest } from "../output.js";
import { EVIDENCE_FOR_ANNOTATION } from "../../model/compliance/profiles.js";
import { vulnerabilityRuleDocuments } from "../scanning/vulnerability-rules.js";


const imageSignaturePolicyName = (model: PlatformModel) => `${model.platform.name}-image-signatures`;

function attestor(model: PlatformModel): Manifest {
  const s = model.platform.imageSigning!;
  if (s.kind === "keyless") return { keyless: { issuer: s.issuer, subject: s.subject, rekor: { url: "https://rekor.sigstore.dev" } } };
  return { keys: s.key.includes("BEGIN PUBLIC KEY") ? { publicKeys: s.key } : { kms: s.key } };
}

/**
 * Image signature verification (mission area 9, supply chain): a Kyverno ClusterPolicy that admits
 * a pod of the platform's namespaces only when every image from the platform's registry (every
 * image, without one) carries a cosign signature of the declared key or identity, and rewrites the
 * pod's images to the verified digest (PCI DSS 6.3.3: what runs is what was scanned). Pods only
 * (autogen off): their Deployments keep the spec's tags, so Argo CD sees no drift.
 */
export const supplyChainEmitter: Emitter = {
  id: "supply-chain",
  emit(model) {
    // The Trivy Operator's alert rule (scanning), an object of the environment's cluster.
    const scanning = vulnerabilityRuleDocuments(model);
    if (!model.platform.imageSigning) return { documents: scanning, diagnostics: [] };
    const namespaces = [...new Set([...model.namespaces.map((n) => n.name), ...model.services.map((s) => s.namespace)])].sort();
    const images = model.platform.registry ? [`${model.platform.registry.host}/*`] : ["*"];
    const origin = model.platform.imageSigning.origin;
    const name = imageSignaturePolicyName(model);
    return {
      diagnostics: [],
      documents: [
        document(`_cluster/clusterpolicy-${name}.yaml`, {
          apiVersion: "kyverno.io/v1",
          kind: "ClusterPolicy",
          metadata: metadata(name, undefined, labels(model, name, "supply-chain"), {
            "pod-policies.kyverno.io/autogen-controllers": "none",
            "policies.kyverno.io/title": "Signed images only",
            [EVIDENCE_FOR_ANNOTATION]: "pci-dss/6.3.3,soc2/CC6.8,dora/Art. 9",
          }),
          spec: {
            background: false,
            webhookTimeoutSeconds: 30,
            failurePolicy: "Fail",
            rules: [{
              name: "verify-signatures",
              match: { any: [{ resources: { kinds: ["Pod"], namespaces } }] },
              verifyImages: [{ imageReferences: images, failureAction: "Enforce", mutateDigest: true, verifyDigest: true, required: true, attestors: [{ count: 1, entries: [attestor(model)] }] }],
            }],
          },
        }, origin),
        ...scanning,
      ],
    };
  },
};
