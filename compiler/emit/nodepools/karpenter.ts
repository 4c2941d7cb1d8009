import { kmsKeyArn, resourcePrefix } from "../../model/cloud-model.js";
import { poolTaints, PCI_TAINT, type NodePoolModel } from "../../model/nodepool-model.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { formatCpu, formatMemory } from "../../model/units.js";
import { labels, metadata } from "../kubernetes/labels.js";
import { document, type EmittedDocument } from "../output.js";

/** Go duration in whole hours when it is one (720h), else seconds: what expireAfter accepts. */
const goDuration = (ms: number): string => (ms % 3_600_000 === 0 ? `${ms / 3_600_000}h` : `${Math.round(ms / 1000)}s`);

/**
 * A Karpenter NodePool (karpenter.sh/v1): capacity type, instance types and zones as
 * requirements; the pool's taints (spot, pci) and the pci label; limits; expiry and consolidation.
 */
export function nodePoolDocument(model: PlatformModel, p: NodePoolModel): EmittedDocument {
  const requirements = [
    { key: "karpenter.sh/capacity-type", operator: "In", values: [p.capacity] },
    { key: "kubernetes.io/arch", operator: "In", values: ["amd64"] },
    ...(p.instanceTypes.length ? [{ key: "node.kubernetes.io/instance-type", operator: "In", values: [...p.instanceTypes] }] : []),
    ...(p.zones.length ? [{ key: "topology.kubernetes.io/zone", operator: "In", values: [...p.zones] }] : []),
  ];
  const taints = poolTaints(model, p);
  const limits = p.limit
    ? { ...(p.limit.cpuMillis !== undefined ? { cpu: formatCpu(p.limit.cpuMillis) } : {}), ...(p.limit.memoryBytes !== undefined ? { memory: formatMemory(p.limit.memoryBytes) } : {}) }
    : undefined;
  return document(`_cluster/nodepool-${p.name}.yaml`, {
    apiVersion: "karpenter.sh/v1",
    kind: "NodePool",
    metadata: metadata(p.name, undefined, labels(model, p.name, "nodepool")),
    spec: {
      template: {
        ...(p.pci ? { metadata: { labels: { [PCI_TAINT.key]: PCI_TAINT.value } } } : {}),
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: p.name },
          requirements,
          ...(taints.length ? { taints: taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })) } : {}),
          expireAfter: goDuration(p.expireMs ?? 720 * 3_600_000),
        },
      },
      ...(limits ? { limits } : {}),
      disruption: { consolidationPolicy: p.consolidate === "when-empty" ? "WhenEmpty" : "WhenEmptyOrUnderutilized", consolidateAfter: p.consolidate === "when-empty" ? "5m" : "1m" },
    },
  }, p.origin, {
    "/spec/template/spec/requirements/0": p.fields["capacity"],
    "/spec/template/spec/requirements/2": p.fields["instance-types"],
    "/spec/template/spec/taints": p.fields["taint"] ?? p.fields["capacity"],
    "/spec/limits": p.fields["limit"],
    "/spec/template/spec/expireAfter": p.fields["expire"],
    "/spec/disruption/consolidationPolicy": p.fields["consolidate"],
  });
}

/**
 * The pool's EC2NodeClass (karpenter.k8s.aws/v1): the node role and the subnets and
 * security groups of the cluster found by its discovery tag, IMDSv2 only with one hop (pods
 * cannot reach the node's credentials), an encrypted gp3 root volume (with the platform's key).
 */
export function ec2NodeClassDocument(model: PlatformModel, p: NodePoolModel): EmittedDocument {
  const cluster = resourcePrefix(model);
  // A new object per use: a shared one would be one object twice (structuredClone keeps the aliasing; Helm's templating sets one pointer and changes both).
  const discovery = () => ({ tags: { "karpenter.sh/discovery": cluster } });
  const kms = kmsKeyArn(model);
  return document(`_cluster/ec2nodeclass-${p.name}.yaml`, {
    apiVersion: "karpenter.k8s.aws/v1",
    kind: "EC2NodeClass",
    metadata: metadata(p.name, undefined, labels(model, p.name, "nodepool")),
    spec: {
      role: `KarpenterNodeRole-${cluster}`,
      amiSelectorTerms: [{ alias: "al2023@latest" }],
      subnetSelectorTerms: [discovery()],
      securityGroupSelectorTerms: [discovery()],
      metadataOptions: { httpEndpoint: "enabled", httpProtocolIPv6: "disabled", httpPutResponseHopLimit: 1, httpTokens: "required" },
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: "50Gi", volumeType: "gp3", encrypted: true, deleteOnTermination: true, ...(kms ? { kmsKeyID: kms } : {}) } }],
      tags: { "karpenter.sh/discovery": cluster, "finc.dev/nodepool": p.name },
    },
  }, p.origin);
}
