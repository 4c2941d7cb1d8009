import type { PlatformModel } from "../../model/platform-model.js";
import type { Emitter, EmittedDocument } from "../output.js";
import { meshOn } from "./common.js";
import { gatewayRoutes } from "../../model/mesh.js";
import { servesTraffic } from "../../model/workload-kind.js";
import { gatewayDocuments } from "./gateway.js";
import { egressMeshDocuments } from "./service-entry.js";
import { egressGatewayDocuments } from "./egress-gateway.js";
import { authorizationPolicyDocuments, namespaceMeshDocuments } from "./mesh.js";
import { profilingMeshDocuments } from "./profiling-authorization.js";
import { destinationRuleDocument, meshVirtualServiceDocuments, rateLimitDocuments, splitDeploymentDocuments } from "./traffic.js";

/**
 * Istio (mission area 3): mTLS, call-graph authorization, traffic policy, canaries,
 * local rate limits, tracing, and the ingress Gateway with `ingress istio`.
 * Emits nothing for a platform without `mesh istio` or `ingress istio`.
 */
export const istioEmitter: Emitter = {
  id: "istio",
  emit(model: PlatformModel) {
    const documents: EmittedDocument[] = [];
    if (meshOn(model)) {
      for (const ns of model.namespaces) documents.push(...namespaceMeshDocuments(model, ns), ...egressMeshDocuments(model, ns));
      documents.push(...authorizationPolicyDocuments(model), ...profilingMeshDocuments(model));
      documents.push(...egressGatewayDocuments(model));
      // Workers and jobs have no Service: nothing to route to (workload-kind.ts).
      for (const s of model.services.filter(servesTraffic))
        documents.push(...destinationRuleDocument(model, s), ...meshVirtualServiceDocuments(model, s), ...splitDeploymentDocuments(model, s), ...rateLimitDocuments(model, s));
      // Operator-run instances are outside the mesh (emit/postgres/cluster.ts): no ISTIO_MUTUAL towards them.
      for (const db of model.databases) if (db.mode === "standalone") documents.push(...destinationRuleDocument(model, db));
    }
    if (gatewayRoutes(model.platform)) documents.push(...gatewayDocuments(model));
    return { documents, diagnostics: [] };
  },
};
