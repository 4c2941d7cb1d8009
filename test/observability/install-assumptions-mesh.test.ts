import { describe, expect, it } from "vitest";
import { installAssumptionsFor } from "../../compiler/model/install-assumptions.js";
import { compileSources } from "../helpers/compile.js";

/**
 * What finc cannot emit because it lives in a namespace finc does not own is an install
 * assumption, printed by `finc build` when it matters: the egress gateway (and its own way
 * out), Alertmanager's webhooks from the monitoring namespace, and Prometheus's mesh identity
 * (ambient enrollment, or Istio's certificates with sidecars).
 */
const spec = (fields: string, svc = "") => `platform p {\n  environments dev\n${fields}\n}\nsecretstore vault {\n  provider vault\n  server "https://vault.example.com:8200"\n}\nnamespace shop {}\nservice api {\n  image "r.io/api:1.0.0"\n  port http 8080, metrics 9102\n${svc}\n}\n`;
const rows = (fields: string, svc = "") => {
  const p = compileSources({ "main.fin": spec(fields, svc) });
  expect(p.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
  return installAssumptionsFor([p.checked.models.get("dev")!]);
};

describe("install assumptions for what lives outside finc's namespaces", () => {
  it("the egress gateway where `egress-gateway` says, with its own egress to the declared hosts", () => {
    expect(rows("  mesh istio sidecar cni\n  egress-gateway istioctl", '  egress "api.stripe.com" 443')).toContain(
      "Istio egress gateway: namespace istio-system, service account istio-egressgateway-service-account, pods istio=egressgateway; its own egress to api.stripe.com:443");
    expect(rows("  mesh istio sidecar cni", '  egress "api.stripe.com" 443').some((r) => r.startsWith("Istio egress gateway"))).toBe(false);
  });

  it("Alertmanager's webhooks leave from the monitoring namespace, which finc does not own: the hosts it must reach", () => {
    const alerting = '  monitoring prometheus namespace obs\n  alerting slack "#oncall" from vault "m/slack", pagerduty from vault "m/pd"';
    expect(rows(alerting)).toContain("Alertmanager webhooks: from namespace obs (pods app.kubernetes.io/name=alertmanager) to hooks.slack.com:443 and events.pagerduty.com:443 through its NetworkPolicies (and ServiceEntries if that namespace is in the mesh with REGISTRY_ONLY)");
    expect(rows('  monitoring prometheus\n  alerting pagerduty from vault "m/pd"').find((r) => r.startsWith("Alertmanager"))).toMatch(/to events\.pagerduty\.com:443 through/);
    expect(rows("  monitoring prometheus").some((r) => r.startsWith("Alertmanager"))).toBe(false);
  });

  it("a TCP ServiceEntry (an external host on a port other than 443) needs Istio's DNS proxy with address auto-allocation, or it claims its port for every destination", () => {
    expect(rows("  mesh istio sidecar cni", '  egress "smtp.example.com" 587')).toContain(
      "Istio DNS proxying with address auto-allocation: ISTIO_META_DNS_CAPTURE=true and ServiceEntry address auto-allocation (ISTIO_META_DNS_AUTO_ALLOCATE, or auto-allocation v2 from Istio 1.23), for the TCP ServiceEntries of smtp.example.com:587");
    expect(rows("  mesh istio sidecar cni", '  egress "api.stripe.com" 443').some((r) => r.startsWith("Istio DNS proxying"))).toBe(false);
    expect(rows("", '  egress "smtp.example.com" 587').some((r) => r.startsWith("Istio DNS proxying"))).toBe(false);
  });

  it("Prometheus with a mesh identity: enrolled in ambient, or Istio's certificates next to sidecars", () => {
    expect(rows("  mesh istio ambient\n  monitoring prometheus")).toContain(
      "Prometheus in the ambient mesh: namespace monitoring labelled istio.io/dataplane-mode=ambient (ztunnel's STRICT mTLS refuses plain-text scrapes; enrolled, ztunnel carries them with Prometheus's identity)");
    expect(rows("  mesh istio sidecar cni\n  monitoring prometheus").find((r) => r.startsWith("Prometheus with Istio certificates"))).toMatch(/\/etc\/prom-certs/);
    expect(rows("  mesh istio ambient\n  monitoring prometheus").some((r) => r.startsWith("Prometheus with Istio certificates"))).toBe(false);
  });
});
