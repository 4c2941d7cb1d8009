import { pciScoped } from "../../model/cluster-security.js";
import type { PlatformModel } from "../../model/platform-model.js";
import { ref, type TfTemplate, type TfValue } from "./json.js";

/** The EKS control-plane log types PCI DSS 10.2 needs: API calls, the audit log, and who authenticated. */
export const EKS_LOG_TYPES = ["api", "audit", "authenticator"] as const;
/** PCI DSS 10.5.1: 12 months of history (CloudWatch keeps the whole year immediately available). */
export const AUDIT_RETENTION_DAYS = 365;

/**
 * The control plane's audit logging and secrets encryption on EKS (issue 12, items 3 and 5) under
 * `compliance pci-dss` with a `cluster`: finc does not own the cluster (it reads it as a data
 * source), so it cannot set `enabled_cluster_log_types` or `encryption_config` itself. It
 * - creates the log group EKS writes to, `/aws/eks/<cluster>/cluster`, with a year's retention
 *   (EKS would otherwise create it with none set: kept forever, or cut by someone's default);
 * - fails the plan (a postcondition on the cluster) when the audit logs are not enabled;
 * - outputs the settings the cluster's own Terraform must carry, naming the platform's KMS key.
 * The log group exists already when logging was enabled before: `terraform import` it.
 */
export function controlPlaneBlocks(model: PlatformModel, keyArn: string | TfTemplate | undefined): { data: Record<string, Record<string, TfValue>>; resource: Record<string, Record<string, TfValue>>; output: Record<string, TfValue> } | undefined {
  const cluster = model.platform.cluster;
  if (model.platform.cloud !== "aws" || !pciScoped(model) || !cluster) return undefined;
  const wanted = `[${EKS_LOG_TYPES.map((t) => JSON.stringify(t)).join(", ")}]`;
  return {
    data: {
      aws_eks_cluster: {
        control_plane: {
          name: cluster,
          lifecycle: [{
            postcondition: [{
              condition: ref(`length(setsubtract(${wanted}, self.enabled_cluster_log_types)) == 0`),
              error_message: `compliance pci-dss: the EKS cluster must send its ${EKS_LOG_TYPES.join(", ")} logs to CloudWatch (PCI DSS 10.2.1): set enabled_cluster_log_types as the output eks_cluster_settings says.`,
            }],
          }],
        },
      },
    },
    resource: {
      aws_cloudwatch_log_group: {
        eks_control_plane: { name: `/aws/eks/${cluster}/cluster`, retention_in_days: AUDIT_RETENTION_DAYS },
      },
    },
    output: {
      eks_cluster_settings: {
        description: "What the EKS cluster's own configuration must set under compliance pci-dss: control-plane logs (PCI DSS 10.2.1) and Secrets envelope-encrypted with the platform's KMS key (3.5.1).",
        value: {
          enabled_cluster_log_types: [...EKS_LOG_TYPES],
          encryption_config: { resources: ["secrets"], provider: { key_arn: keyArn ?? "<the platform has no kms key: declare `kms` on the platform>" } },
        },
      },
    },
  };
}
