import { diag } from "../../diagnostics/messages.js";
import { eachTerm, single } from "../readers.js";
import { isHostname, readStoreRef, wordList } from "./common-fields.js";
import { field, type KindSpec } from "./field-spec.js";
import { platformTrafficFields } from "./traffic-fields.js";
import { platformCloudFields } from "./cloud-fields.js";
import { platformObservabilityFields } from "./observability-fields.js";
import { gatewayField } from "./gateway-field.js";
import { egressGatewayField } from "./egress-gateway-field.js";
import { deliveryField } from "./delivery-field.js";
import { pipelineField } from "./pipeline-field.js";
import { budgetField } from "./budget-field.js";
import { chaosField } from "./chaos-field.js";
import { smokeImageField } from "./smoke-test-field.js";
import { profilingPlatformField } from "./profiling-field.js";
import { imageSigningField } from "./image-signing-field.js";
import { scanningField } from "./scanning-field.js";
import { checkDnsName } from "../dns-name.js";
import { sleepField } from "./sleep-field.js";
import { costCenterField } from "./cost-center-field.js";
import { POLICY_ENGINES } from "../../model/compliance/policy-engine.js";

export const CLOUDS = ["aws", "gcp", "azure", "onprem"] as const;
export const COMPLIANCE_PROFILES = ["pci-dss", "soc2", "gdpr", "dora"] as const;

export const platformSpec: KindSpec = {
  doc: "The platform: cloud, regions, Kubernetes version, compliance profiles and environments. Exactly one per spec.",
  required: ["environments"],
  fields: {
    // `mesh` and the other traffic fields live in traffic-fields.ts.
    ...platformTrafficFields,
    ...platformCloudFields,
    ...platformObservabilityFields,
    cloud: field({
      doc: "The cloud the clusters run on; it selects storage classes, load balancers and workload identity.",
      syntax: CLOUDS.join(" | "),
      example: "aws",
      values: CLOUDS,
      read: (ctx) => single(ctx, (r) => r.oneOf(CLOUDS, "cloud")),
    }),
    regions: field({
      doc: "The regions the platform runs in; mark one `primary`.",
      syntax: "<region> [primary], …",
      example: "eu-west-1 primary, eu-central-1",
      keywords: { "*": ["primary"] },
      read: (ctx) =>
        eachTerm(ctx, (r) => {
          const w = r.word("a region");
          return w && { name: w.name, primary: r.accept("primary"), range: w.range };
        }),
    }),
    kubernetes: field({
      doc: "The Kubernetes version the output targets (1.31 or later).",
      syntax: '"<major>.<minor>"',
      example: '"1.31"',
      read: (ctx) =>
        single(ctx, (r) => {
          const a = r.next();
          const v = a?.kind === "String" ? a.value : a?.kind === "Number" ? a.raw : undefined;
          if (v === undefined) return r.mismatch("a version such as \"1.31\"", a);
          const m = /^1\.(\d+)$/.exec(v);
          if (!m || Number(m[1]) < 31) {
            ctx.report(diag("FIN3004", { file: ctx.file, start: a!.start, end: a!.end }, { what: "The Kubernetes version", bound: "1.31 or later", value: v, hint: "finc targets the stable APIs of Kubernetes 1.31+." }));
            return undefined;
          }
          return v;
        }),
    }),
    compliance: field({
      doc: "Compliance profiles, each a table of rules (compiler/model/compliance/profiles.ts) checked at compile time and enforced by the admission policies: pci-dss requires restricted pod security, pinned images, a mesh for encrypted traffic and images from the `registry`; gdpr a `residency` on every namespace; soc2 and dora `monitoring`; dora backups.",
      syntax: COMPLIANCE_PROFILES.join(" | ") + ", …",
      example: "pci-dss",
      values: COMPLIANCE_PROFILES,
      read: (ctx) => eachTerm(ctx, (r) => r.oneOf(COMPLIANCE_PROFILES, "compliance profile")),
    }),
    policy: field({
      doc: "Which admission controller enforces finc's rules on every object of the spec's namespaces, including objects finc did not write: `native` (the default: ValidatingAdmissionPolicy with CEL, built into Kubernetes 1.30+), `kyverno` (ClusterPolicy; also checks that a default-deny NetworkPolicy exists in the namespace) or `gatekeeper` (ConstraintTemplate and constraints). See \"Admission policies and compliance profiles\".",
      syntax: POLICY_ENGINES.join(" | "),
      example: "kyverno",
      values: POLICY_ENGINES,
      read: (ctx) => single(ctx, (r) => r.oneOf(POLICY_ENGINES, "policy engine")),
    }),
    environments: field({
      doc: "The environments this platform is deployed to; each compiles to its own complete set of outputs and may override any field.",
      syntax: "<name>, …",
      example: "dev, staging, prod",
      read: (ctx) => {
        const names = wordList(ctx, "an environment name");
        // Environment names end up in namespaces, labels and output paths.
        for (const n of names) checkDnsName(n.name, n.range, 50, (d) => ctx.report(d));
        return names;
      },
    }),
    registry: field({
      doc: "The private container registry and where its pull credentials live: `registry \"registry.example.com\" credentials vault \"ci/registry\" key \"dockerconfigjson\"`.",
      syntax: '"<host>" credentials <store> "<path>" [key "<key>"]',
      example: '"registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"',
      keywords: { "*": ["credentials"], '"': ["key"] },
      read: (ctx) =>
        single(ctx, (r) => {
          const host = r.string("a registry host");
          if (!host) return undefined;
          if (!isHostname(host.value.split(":")[0]!)) ctx.report(diag("FIN3010", host.range, { host: host.value }));
          if (!r.accept("credentials")) return r.mismatch("'credentials'", r.peek(), "Registry credentials come from a secret store.");
          const ref = readStoreRef(r);
          return ref && { host: host.value, ...ref };
        }),
    }),
    gateway: gatewayField,
    "egress-gateway": egressGatewayField,
    delivery: deliveryField,
    pipeline: pipelineField,
    budget: budgetField,
    sleep: sleepField,
    "cost-center": costCenterField,
    chaos: chaosField,
    "smoke-image": smokeImageField,
    profiling: profilingPlatformField,
    "image-signing": imageSigningField,
    scanning: scanningField,
    ingress: field({
      doc: "The ingress controller for exposed services. `alb`: the AWS Load Balancer Controller (cloud aws; with `mesh istio` the ALB fronts the Istio gateway); `waf \"<ARN>\"` attaches an AWS WAFv2 regional web ACL to the ALB (`alb.ingress.kubernetes.io/wafv2-acl-arn`). `gce`: GKE Ingress (cloud gcp; Google-managed certificates, NEGs); `waf \"<name>\"` names a Cloud Armor security policy (BackendConfig `securityPolicy`). `application-gateway`: AGIC (cloud azure; TLS from the host's cert-manager Secret); `waf \"<ID>\"` names an Application Gateway WAF policy (`appgw.ingress.kubernetes.io/waf-policy-for-path`).",
      syntax: 'istio | nginx | traefik | alb [waf "<web ACL ARN>"] | gce [waf "<Cloud Armor policy>"] | application-gateway [waf "<WAF policy ID>"] | none',
      example: "nginx",
      values: ["istio", "nginx", "traefik", "alb", "gce", "application-gateway", "none"],
      read: (ctx) =>
        single(ctx, (r) => {
          const kind = r.oneOf(["istio", "nginx", "traefik", "alb", "gce", "application-gateway", "none"] as const, "ingress controller");
          if (!kind) return undefined;
          if ((kind !== "alb" && kind !== "gce" && kind !== "application-gateway") || !r.accept("waf")) return { kind };
          const waf = r.string(kind === "alb" ? "the web ACL's ARN in double quotes" : kind === "gce" ? "the Cloud Armor policy's name in double quotes" : "the WAF policy's resource ID in double quotes");
          return waf ? { kind, waf: waf.value } : undefined;
        }),
    }),
  },
};
