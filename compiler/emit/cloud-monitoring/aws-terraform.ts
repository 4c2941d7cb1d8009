import type { PlatformModel } from "../../model/platform-model.js";
import { platformNamespaces } from "../scanning/namespaces.js";
import { toYaml, type JsonValue } from "../shared/yaml.js";
import { ref, tf, type TfValue } from "../terraform/json.js";
import { TfBlocks } from "../terraform/module-blocks.js";
import { alertmanagerConfig } from "./alertmanager-config.js";
import { operatorRules } from "./rule-sources.js";

/** The Kubernetes user AMP's managed scraper acts as (AWS's documented RBAC: ClusterRole aps-collector-role). */
export const AMP_SCRAPER_USER = "aps-collector-user";
/** Container Insights' agent (the amazon-cloudwatch-observability add-on): its namespace and service account. */
const CLOUDWATCH_AGENT = { namespace: "amazon-cloudwatch", serviceAccount: "cloudwatch-agent" } as const;

/**
 * The AMP managed scraper's Prometheus configuration: every pod of the platform's namespaces with
 * a container port named `metrics` (the ports finc opens to it), and with the mesh the Envoy
 * proxies' port 15090 (only the istio_* series the SLOs read), labelled `namespace`, `pod` and
 * `service` (the pods' name label) as the SLO queries select them.
 */
export function ampScrapeConfiguration(model: PlatformModel): string {
  const m = model.platform.monitoring!;
  const namespaces = { names: platformNamespaces(model) };
  const labels = [
    { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
    { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
    { source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_name"], target_label: "service" },
  ];
  const jobs: Record<string, unknown>[] = [{
    job_name: "finc-metrics",
    kubernetes_sd_configs: [{ role: "pod", namespaces }],
    metrics_path: "/metrics",
    relabel_configs: [{ source_labels: ["__meta_kubernetes_pod_container_port_name"], action: "keep", regex: "metrics" }, ...labels],
  }];
  if (model.platform.mesh === "istio")
    jobs.push({
      job_name: "finc-istio-proxies",
      kubernetes_sd_configs: [{ role: "pod", namespaces }],
      metrics_path: "/stats/prometheus",
      relabel_configs: [{ source_labels: ["__meta_kubernetes_pod_container_port_name"], action: "keep", regex: "http-envoy-prom" }, ...labels],
      metric_relabel_configs: [{ source_labels: ["__name__"], action: "keep", regex: "istio_(requests_total|request_duration_milliseconds_(bucket|count|sum)|tcp_.*)" }],
    });
  return toYaml({ global: { scrape_interval: `${m.intervalSeconds}s` }, scrape_configs: jobs } as JsonValue);
}

/**
 * `monitoring amazon-managed-prometheus`, the AWS side (`monitoring.tf.json`). What a bank on EKS
 * runs: Amazon Managed Service for Prometheus for the platform's PromQL (the same rules as the
 * in-cluster PrometheusRules, as rule group namespaces) and its managed, agentless scraper (no
 * collector to patch in the cluster; it reaches the pods from network interfaces in the cluster's
 * subnets), with AMP's Alertmanager publishing to an encrypted SNS topic; and CloudWatch Container
 * Insights (the amazon-cloudwatch-observability add-on, its agent on an IRSA role with
 * CloudWatchAgentServerPolicy) for the cluster's own health and container logs.
 */
export function ampTerraformFiles(model: PlatformModel): Map<string, Record<string, TfValue>> {
  const files = new Map<string, Record<string, TfValue>>();
  const p = model.platform;
  const m = p.monitoring;
  if (m?.provider !== "amazon-managed-prometheus" || p.cloud !== "aws" || !p.account || !p.cluster) return files;
  const b = new TfBlocks();
  const alias = `${p.name}-${model.environment}`;
  b.addData("aws_eks_cluster", "monitoring", { name: p.cluster });
  let workspaceId: TfValue;
  let workspaceArn: TfValue;
  if (m.workspace) {
    b.addData("aws_prometheus_workspace", "platform", { workspace_id: m.workspace });
    workspaceId = m.workspace;
    workspaceArn = ref("data.aws_prometheus_workspace.platform.arn");
  } else {
    b.addResource("aws_prometheus_workspace", "platform", { alias });
    workspaceId = ref("aws_prometheus_workspace.platform.id");
    workspaceArn = ref("aws_prometheus_workspace.platform.arn");
  }
  b.addResource("aws_prometheus_scraper", "platform", {
    alias,
    source: [{ eks: [{ cluster_arn: ref("data.aws_eks_cluster.monitoring.arn"), subnet_ids: ref("data.aws_eks_cluster.monitoring.vpc_config[0].subnet_ids") }] }],
    destination: [{ amp: [{ workspace_arn: workspaceArn }] }],
    scrape_configuration: ampScrapeConfiguration(model),
  });
  // The scraper reads the cluster's pods as aps-collector-user (bound to aps-collector-role by finc's RBAC, cloud-monitoring/aws.ts).
  b.addResource("aws_eks_access_entry", "amp_scraper", { cluster_name: p.cluster, principal_arn: ref("aws_prometheus_scraper.platform.role_arn"), user_name: AMP_SCRAPER_USER });
  for (const source of operatorRules(model)) {
    const id = `${source.namespace}_${source.name}`.replace(/[^A-Za-z0-9_]/g, "_");
    b.addResource("aws_prometheus_rule_group_namespace", id, { name: `${source.namespace}-${source.name}`.slice(0, 64), workspace_id: workspaceId, data: toYaml({ groups: source.groups } as unknown as JsonValue) });
  }
  const a = p.alerting;
  if (a?.receivers.length) {
    b.addResource("aws_sns_topic", "alerts", { name: `${alias}-alerts`.slice(0, 256), kms_master_key_id: "alias/aws/sns" });
    b.addResource("aws_sns_topic_policy", "alerts", {
      arn: ref("aws_sns_topic.alerts.arn"),
      // AMP's Alertmanager publishes, for this account's workspaces only.
      policy: ref(`jsonencode({ Version = "2012-10-17", Statement = [{ Sid = "AmpAlertmanager", Effect = "Allow", Principal = { Service = "aps.amazonaws.com" }, Action = ["sns:Publish", "sns:GetTopicAttributes"], Resource = aws_sns_topic.alerts.arn, Condition = { StringEquals = { "aws:SourceAccount" = "${p.account}" } } }] })`),
    });
    b.addData("aws_region", "current", {});
    const config = alertmanagerConfig(a, { sns: "SNS_TOPIC_ARN", region: "SNS_REGION" });
    const yaml = toYaml({ alertmanager_config: toYaml(config as JsonValue) } as JsonValue);
    // The topic's ARN and the region are Terraform expressions inside the YAML text.
    const pieces = yaml.split(/(SNS_TOPIC_ARN|SNS_REGION)/);
    let definition = tf`${pieces[0]!}`;
    for (let i = 1; i < pieces.length; i += 2)
      definition = tf`${definition}${ref(pieces[i] === "SNS_TOPIC_ARN" ? "aws_sns_topic.alerts.arn" : "data.aws_region.current.name")}${pieces[i + 1] ?? ""}`;
    b.addResource("aws_prometheus_alert_manager_definition", "platform", { workspace_id: workspaceId, definition });
    b.output["alerting_sns_topic"] = { description: "Subscribe the on-call endpoints to this topic (PagerDuty's Amazon SNS integration, AWS Chatbot for Slack): AMP's Alertmanager publishes every alert to it.", value: ref("aws_sns_topic.alerts.arn") };
  }
  // Container Insights: the add-on's agent writes to CloudWatch as an IRSA role.
  b.addData("aws_iam_openid_connect_provider", "monitoring", { url: ref("data.aws_eks_cluster.monitoring.identity[0].oidc[0].issuer") });
  b.addData("aws_iam_policy_document", "cloudwatch_agent_trust", {
    statement: [{
      sid: "ServiceAccount",
      effect: "Allow",
      actions: ["sts:AssumeRoleWithWebIdentity"],
      principals: [{ type: "Federated", identifiers: [ref("data.aws_iam_openid_connect_provider.monitoring.arn")] }],
      condition: [
        { test: "StringEquals", variable: tf`${ref('trimprefix(data.aws_eks_cluster.monitoring.identity[0].oidc[0].issuer, "https://")')}:sub`, values: [`system:serviceaccount:${CLOUDWATCH_AGENT.namespace}:${CLOUDWATCH_AGENT.serviceAccount}`] },
        { test: "StringEquals", variable: tf`${ref('trimprefix(data.aws_eks_cluster.monitoring.identity[0].oidc[0].issuer, "https://")')}:aud`, values: ["sts.amazonaws.com"] },
      ],
    }],
  });
  b.addResource("aws_iam_role", "cloudwatch_agent", { name: `${alias}-cloudwatch-agent`.slice(0, 64), description: `finc: Container Insights' CloudWatch agent of EKS cluster ${p.cluster}`, assume_role_policy: ref("data.aws_iam_policy_document.cloudwatch_agent_trust.json") });
  b.addResource("aws_iam_role_policy_attachment", "cloudwatch_agent", { role: ref("aws_iam_role.cloudwatch_agent.name"), policy_arn: "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy" });
  b.addResource("aws_eks_addon", "cloudwatch_observability", { cluster_name: p.cluster, addon_name: "amazon-cloudwatch-observability", service_account_role_arn: ref("aws_iam_role.cloudwatch_agent.arn") });
  files.set("monitoring.tf.json", b.file()!);
  return files;
}
