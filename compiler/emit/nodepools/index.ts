import type { Emitter } from "../output.js";
import { ec2NodeClassDocument, nodePoolDocument } from "./karpenter.js";

/**
 * `nodepool` declarations as the cluster's node provisioner objects: on `cloud aws` a
 * Karpenter NodePool and EC2NodeClass per pool. Nothing without a pool, nothing on other
 * clouds (FIN4073 says so: their node pools belong to the cluster's Terraform).
 */
export const nodePoolsEmitter: Emitter = {
  id: "nodepools",
  emit(model) {
    if (model.platform.cloud !== "aws") return { documents: [], diagnostics: [] };
    return { documents: (model.nodePools ?? []).flatMap((p) => [nodePoolDocument(model, p), ec2NodeClassDocument(model, p)]), diagnostics: [] };
  },
};
