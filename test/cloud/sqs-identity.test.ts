import { describe, expect, it } from "vitest";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { sqsQueueArn } from "../../compiler/model/cloud-model.js";
import { compileSources, diagnosticsOf, itReportsEach, type CheckCase } from "../helpers/compile.js";
import { validateManifest } from "../helpers/schemas.js";
import { module, terraformFiles, validateTfJson, type Json } from "../terraform/support.js";

type Obj = Record<string, any>;

const QUEUE = "https://sqs.eu-west-1.amazonaws.com/123456789012/orders.fifo";
const SPEC = `platform shop {
  cloud        aws
  regions      eu-west-1 primary
  environments prod
  account      "123456789012"
  cluster      "shop-prod"
}
namespace apps {}
service worker {
  image    "r.io/worker:1.0.0"
  port     8080
  replicas 0 to 10
  scale on queue sqs "${QUEUE}" depth 20
}
`;

function program() {
  const p = compileSources({ "main.fin": SPEC });
  expect(p.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return p;
}
const documents = (): Obj[] => buildOutputs(program()).documents.get("prod")!.map((d) => d.object as Obj);
const statements = (m: ReturnType<typeof module>, doc: string) => ((m.data["aws_iam_policy_document"] as Json)[doc] as { statement: Obj[] }).statement;

describe("SQS scaling: KEDA, the ServiceAccount and the Terraform role agree", () => {
  it("the role exists and may read the attributes of exactly that queue, nothing else", () => {
    const m = module(terraformFiles(program()), "prod");
    const role = (m.resource["aws_iam_role"] as Json)["apps__worker"] as Obj;
    expect(role["name"]).toBe("shop-prod-apps-worker");
    expect(statements(m, "apps__worker_permissions")).toEqual([
      { sid: "ReadOwnQueueDepth", effect: "Allow", actions: ["sqs:GetQueueAttributes"], resources: ["arn:aws:sqs:eu-west-1:123456789012:orders.fifo"] },
    ]);
  });

  it("the role trusts the workload's ServiceAccount and the KEDA operator's role (which assumes it)", () => {
    const m = module(terraformFiles(program()), "prod");
    const trust = statements(m, "apps__worker_trust");
    expect(trust.map((s) => s["sid"])).toEqual(["ServiceAccount", "KedaOperator"]);
    expect(JSON.stringify(trust[0]!["condition"])).toContain("system:serviceaccount:apps:worker");
    expect(trust[1]).toEqual({ sid: "KedaOperator", effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: ["${var.keda_operator_role_arn}"] }] });
    expect((m.variable["keda_operator_role_arn"] as Obj)["type"]).toBe("string");
  });

  it("the TriggerAuthentication uses the workload's identity, and that workload's ServiceAccount carries the role", () => {
    const docs = documents();
    const so = docs.find((d) => d["kind"] === "ScaledObject")!;
    const ta = docs.find((d) => d["kind"] === "TriggerAuthentication")!;
    expect(so["spec"].triggers[0].authenticationRef).toEqual({ name: ta["metadata"].name });
    expect(ta["spec"]).toEqual({ podIdentity: { provider: "aws", identityOwner: "workload" } });
    const target = docs.find((d) => d["kind"] === so["spec"].scaleTargetRef.kind && d["metadata"].name === so["spec"].scaleTargetRef.name)!;
    const saName = target["spec"].template.spec.serviceAccountName;
    const sa = docs.find((d) => d["kind"] === "ServiceAccount" && d["metadata"].name === saName && d["metadata"].namespace === "apps")!;
    expect(sa["metadata"].annotations["eks.amazonaws.com/role-arn"]).toBe("arn:aws:iam::123456789012:role/shop-prod-apps-worker");
    for (const d of docs) expect(validateManifest(d as { apiVersion: string; kind: string }), `${d["kind"]} ${d["metadata"]?.name}`).toEqual([]);
  });

  it("every Terraform file is valid Terraform JSON", () => {
    for (const [path, body] of terraformFiles(program())) expect(validateTfJson(body), path).toBe(true);
  });

  it("queue ARNs follow the URL's partition", () => {
    expect(sqsQueueArn("https://sqs.us-east-1.amazonaws.com/123456789012/jobs")).toBe("arn:aws:sqs:us-east-1:123456789012:jobs");
    expect(sqsQueueArn("https://sqs.cn-north-1.amazonaws.com.cn/123456789012/jobs")).toBe("arn:aws-cn:sqs:cn-north-1:123456789012:jobs");
    expect(sqsQueueArn("https://sqs.us-gov-west-1.amazonaws.com/123456789012/jobs")).toBe("arn:aws-us-gov:sqs:us-gov-west-1:123456789012:jobs");
  });
});

const SCALE = `on queue sqs "${QUEUE}" depth 20`;
const cases: CheckCase[] = [
  { name: "SQS scaling on gcp: no AWS role to assume", spec: SPEC.replace("cloud        aws", "cloud        gcp").replace('  account      "123456789012"\n  cluster      "shop-prod"\n', ""), code: "FIN4053", covers: SCALE, line: 11 },
  { name: "SQS scaling on aws without account: the ServiceAccount cannot be annotated", spec: SPEC.replace('  account      "123456789012"\n', ""), code: "FIN4054", covers: SCALE, line: 12 },
  { name: "SQS scaling on aws without cluster", spec: SPEC.replace('  cluster      "shop-prod"\n', ""), code: "FIN4054", covers: SCALE, line: 12 },
];

describe("SQS scaling identity checks", () => {
  itReportsEach(cases);
  it("aws with account and cluster: nothing to report", () => {
    expect(diagnosticsOf({ "main.fin": SPEC }).filter((d) => d.code === "FIN4053" || d.code === "FIN4054")).toEqual([]);
  });
});
