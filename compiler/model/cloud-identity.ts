import { azureClientId, hasAzureIdentity } from "./cloud-azure.js";
import { gcpServiceAccountEmail } from "./cloud-gcp.js";
import { workloadRoleArn } from "./cloud-model.js";
import type { PlatformModel } from "./platform-model.js";

/**
 * How a Kubernetes ServiceAccount is bound to its cloud identity, per cloud: EKS IRSA
 * (`eks.amazonaws.com/role-arn`), GKE Workload Identity (`iam.gke.io/gcp-service-account`),
 * Azure Workload Identity (`azure.workload.identity/client-id`, and the pod label the
 * webhook selects pods by). Empty when the ServiceAccount has no cloud identity.
 */
export function serviceAccountAnnotations(model: PlatformModel, namespace: string, serviceAccount: string): Record<string, string> {
  switch (model.platform.cloud) {
    case "aws": {
      const arn = workloadRoleArn(model, namespace, serviceAccount);
      return arn ? { "eks.amazonaws.com/role-arn": arn } : {};
    }
    case "gcp": {
      const email = gcpServiceAccountEmail(model, namespace, serviceAccount);
      return email ? { "iam.gke.io/gcp-service-account": email } : {};
    }
    case "azure": {
      const id = hasAzureIdentity(model, namespace, serviceAccount) ? azureClientId(model, namespace, serviceAccount) : undefined;
      return id ? { "azure.workload.identity/client-id": id, ...(model.platform.tenant ? { "azure.workload.identity/tenant-id": model.platform.tenant } : {}) } : {};
    }
    default:
      return {};
  }
}

/** Azure Workload Identity's webhook injects the token only into pods labelled `azure.workload.identity/use: "true"`. */
export function podIdentityLabels(model: PlatformModel, namespace: string, serviceAccount: string): Record<string, string> {
  return Object.keys(serviceAccountAnnotations(model, namespace, serviceAccount)).includes("azure.workload.identity/client-id") ? { "azure.workload.identity/use": "true" } : {};
}
