import type { Emitter } from "../output.js";
import { ec2NodeClassDocument, nodePoolDocument } from "./karpenter.js";

/**
 * `nodepool` declarations as the cluster's node provisioner objects: on `cloud aws` a
 * Karpenter NodePool and EC2NodeClass per pool. Nothing without a pool; on gcp and azure the
 * pools are GKE/AKS node pools of the terraform target (emit/terraform/{gcp,azure}-node-pools.ts),
 * on onprem nothing creates nodes (FIN4073).
 */
export const nodePoolsEmitter: Emitter = {
  id: "nodepools",
  emit(model) {
    if (model.platform.cloud !== "aws") return { documents: [], diagnostics: [] };
    return { documents: (model.nodePools ?? []).flatMap((p) => [nodePoolDocument(model, p), ec2NodeClassDocument(model, p)]), diagnostics: [] };
  },
};
