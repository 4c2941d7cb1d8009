import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { compileSources } from "../helpers/compile.js";
import { module, terraformFiles } from "../terraform/support.js";
import { AMP_SPEC, documents, find, type Json, schemaProblems } from "./cloud-support.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

/**
 * `monitoring amazon-managed-prometheus`: Amazon Managed Service for Prometheus with its managed
 * scraper, rule group namespaces and Alertmanager (to SNS), and CloudWatch Container Insights. In
 * the cluster nothing of the Prometheus Operator; the metrics ports admit the scraper, which
 * reaches the pods from the VPC (private ranges), and its RBAC user may read pods alone.
 */
describe("monitoring amazon-managed-prometheus: the cluster side", () => {
  const docs = documents(AMP_SPEC);

  it.skipIf(!schemasAvailable)("every document validates against its upstream schema (the vendored CRD schemas for the scraper ClusterRole/Binding)", () => {
    expect(schemaProblems(docs, validateManifest)).toEqual([]);
  });

  it("writes no ServiceMonitor, PodMonitor, PrometheusRule, AlertmanagerConfig or alerting Secret", () => {
    expect(docs.filter((d) => String(d.object["apiVersion"]).startsWith("monitoring.coreos.com"))).toEqual([]);
    expect(docs.filter((d) => d.object["kind"] === "ExternalSecret" && /alerting/.test(d.path))).toEqual([]);
  });

  it("the metrics port admits the VPC's private ranges (the scraper's network interfaces), in plain text under sidecars", () => {
    const from = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((cidr) => ({ ipBlock: { cidr } }));
    expect(find(docs, "NetworkPolicy", "api-metrics", "shop")["spec"].ingress).toEqual([{ from, ports: [{ protocol: "TCP", port: 9102 }] }]);
    expect(find(docs, "PeerAuthentication", "api-metrics", "shop")["spec"].portLevelMtls).toEqual({ "9102": { mode: "PERMISSIVE" } });
  });

  it("the scraper's Kubernetes user reads pods and nothing else", () => {
    const role = docs.find((d) => d.object["kind"] === "ClusterRole" && (d.object["metadata"] as Json)["name"] === "aps-collector-role")!.object;
    expect(role["rules"]).toEqual([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }]);
    const binding = docs.find((d) => d.object["kind"] === "ClusterRoleBinding" && (d.object["metadata"] as Json)["name"] === "aps-collector-role")!.object;
    expect(binding["subjects"]).toEqual([{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: "aps-collector-user" }]);
  });
});

describe("monitoring amazon-managed-prometheus: the Terraform side", () => {
  const m = module(terraformFiles(compileSources({ "main.fin": AMP_SPEC }), ["dev"]), "dev");
  const r = m.resource as Record<string, Record<string, Json>>;

  it("a workspace, and the managed scraper of the EKS cluster in its subnets, scraping the metrics ports and the Envoy proxies", () => {
    expect(r["aws_prometheus_workspace"]!["platform"]).toEqual({ alias: "shop-dev" });
    const scraper = r["aws_prometheus_scraper"]!["platform"]!;
    expect(scraper["source"]).toEqual([{ eks: [{ cluster_arn: "${data.aws_eks_cluster.monitoring.arn}", subnet_ids: "${data.aws_eks_cluster.monitoring.vpc_config[0].subnet_ids}" }] }]);
    expect(scraper["destination"]).toEqual([{ amp: [{ workspace_arn: "${aws_prometheus_workspace.platform.arn}" }] }]);
    const config = YAML.parse(scraper["scrape_configuration"] as string) as Json;
    expect(config["global"]).toEqual({ scrape_interval: "30s" });
    expect(config["scrape_configs"].map((j: Json) => j["job_name"])).toEqual(["finc-metrics", "finc-istio-proxies"]);
    expect(config["scrape_configs"][0].kubernetes_sd_configs).toEqual([{ role: "pod", namespaces: { names: ["shop"] } }]);
    expect(config["scrape_configs"][0].relabel_configs[0]).toEqual({ source_labels: ["__meta_kubernetes_pod_container_port_name"], action: "keep", regex: "metrics" });
    expect(r["aws_eks_access_entry"]!["amp_scraper"]).toEqual({ cluster_name: "eks-shop", principal_arn: "${aws_prometheus_scraper.platform.role_arn}", user_name: "aps-collector-user" });
  });

  it("the SLO's PrometheusRule is a rule group namespace with the same groups and expressions", () => {
    const ns = r["aws_prometheus_rule_group_namespace"]!["shop_api_slo"]!;
    expect(ns["name"]).toBe("shop-api-slo");
    expect(ns["workspace_id"]).toBe("${aws_prometheus_workspace.platform.id}");
    const operator = find(documents(AMP_SPEC.replace("amazon-managed-prometheus interval 30s", "prometheus interval 30s")), "PrometheusRule", "api-slo", "shop");
    expect((YAML.parse(ns["data"] as string) as Json)["groups"]).toEqual(operator["spec"].groups);
  });

  it("alerting: AMP's Alertmanager publishes to an encrypted SNS topic with the same routes", () => {
    expect(r["aws_sns_topic"]!["alerts"]).toEqual({ name: "shop-dev-alerts", kms_master_key_id: "alias/aws/sns" });
    const def = String(r["aws_prometheus_alert_manager_definition"]!["platform"]!["definition"]);
    expect(def).toContain("${aws_sns_topic.alerts.arn}");
    const config = YAML.parse((YAML.parse(def.replaceAll("${aws_sns_topic.alerts.arn}", "arn:aws:sns:eu-west-1:123456789012:shop-dev-alerts").replaceAll("${data.aws_region.current.name}", "eu-west-1")) as Json)["alertmanager_config"]) as Json;
    expect(config["route"].routes).toEqual([{ receiver: "pagerduty", matchers: ['severity="critical"'], continue: true }, { receiver: "slack", matchers: ['severity=~"critical|warning"'] }]);
    expect(config["receivers"][1].sns_configs[0]).toMatchObject({ topic_arn: "arn:aws:sns:eu-west-1:123456789012:shop-dev-alerts", sigv4: { region: "eu-west-1" }, send_resolved: true });
  });

  it("Container Insights: the amazon-cloudwatch-observability add-on on an IRSA role with CloudWatchAgentServerPolicy", () => {
    expect(r["aws_eks_addon"]!["cloudwatch_observability"]).toEqual({ cluster_name: "eks-shop", addon_name: "amazon-cloudwatch-observability", service_account_role_arn: "${aws_iam_role.cloudwatch_agent.arn}" });
    expect(r["aws_iam_role_policy_attachment"]!["cloudwatch_agent"]!["policy_arn"]).toBe("arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy");
    const trust = ((m.data as Json)["aws_iam_policy_document"] as Record<string, Json>)["cloudwatch_agent_trust"]!;
    expect(JSON.stringify(trust)).toContain("system:serviceaccount:amazon-cloudwatch:cloudwatch-agent");
  });
});
