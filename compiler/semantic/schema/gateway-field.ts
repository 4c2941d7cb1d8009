import { diag } from "../../diagnostics/messages.js";
import type { GatewayRead } from "../../model/mesh.js";
import { rangeOf, single, type TermReader } from "../readers.js";
import { isDnsLabel } from "./common-fields.js";
import { field } from "./field-spec.js";

/** A label key (optionally `prefix/`), or a label value (may be empty): what the API server accepts. */
const LABEL_KEY = /^(?:[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^(?:[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

/** A DNS label written as a word (`istio-system`), checked. */
function dnsWord(r: TermReader, what: string): string | undefined {
  const w = r.word(what);
  if (!w) return undefined;
  if (!isDnsLabel(w.name)) {
    r.ctx.report(diag("FIN3008", w.range, { name: w.name, max: 63 }));
    return undefined;
  }
  return w.name;
}

/** A label key or value: a word (`istio`, `app.kubernetes.io/name` needs quotes) or a string. */
function labelPart(r: TermReader, what: string, valid: RegExp): string | undefined {
  const a = r.next();
  const text = a?.kind === "String" ? a.value : a?.kind === "Word" ? a.parts.map((p) => p.text).join(".") : undefined;
  if (text === undefined) return r.mismatch(what, a, 'Write labels as `labels istio=ingressgateway` or `"app.kubernetes.io/name"="gateway"`.');
  if (!valid.test(text)) {
    r.ctx.report(diag("FIN3008", rangeOf(r.ctx, a!), { name: text, max: 63 }));
    return undefined;
  }
  return text;
}

/**
 * `gateway [istioctl | helm <release>] [namespace <ns>] [account <sa>] [labels k=v …]`: where the
 * Istio ingress gateway runs, as installed. Every AuthorizationPolicy, NetworkPolicy, Gateway
 * selector and route that involves the gateway uses these (see model/mesh.ts for the defaults).
 */
export const gatewayField = field({
  doc:
    "Where the Istio ingress gateway runs, as it was installed: its namespace, service account (its mesh identity, admitted by the exposed services' AuthorizationPolicies) and pod labels (the Gateway's selector). " +
    "Default: Istio's `gateway` Helm chart as release `istio-ingressgateway` in namespace `istio-ingress` (service account and Service `istio-ingressgateway`, selected by the label `istio: ingressgateway`). " +
    "`istioctl`: istioctl's default profile (namespace `istio-system`, service account `istio-ingressgateway-service-account`, same label). `helm <release>`: the chart's names for that release. `namespace`, `account` and `labels` override any of them.",
  syntax: "[istioctl | helm <release>] [namespace <ns>] [account <service account>] [labels <key>=<value> …]",
  example: "istioctl",
  values: ["istioctl", "helm", "namespace", "account", "labels"],
  keywords: { "*": ["namespace", "account", "labels"], istioctl: ["namespace", "account", "labels"] },
  read: (ctx) => single(ctx, (r) => readGatewayPlacement(r, "gateway istioctl, or gateway namespace istio-system account istio-ingressgateway labels istio=ingressgateway")),
});

/**
 * `[istioctl | helm <release>] [namespace <ns>] [account <sa>] [labels k=v …]`: where an Istio
 * gateway runs, as installed (shared by `gateway` and `egress-gateway`); `example` is the hint.
 */
export function readGatewayPlacement(r: TermReader, example: string): GatewayRead | undefined {
  let profile: GatewayRead["profile"];
  if (r.accept("istioctl")) profile = { kind: "istioctl" };
  else if (r.accept("helm")) {
    const release = dnsWord(r, "the Helm release name of the gateway");
    if (!release) return undefined;
    profile = { kind: "helm", release };
  }
  let namespace: string | undefined;
  let account: string | undefined;
  let labels: Record<string, string> | undefined;
  while (!r.done) {
    if (r.accept("namespace")) {
      namespace = dnsWord(r, "the gateway's namespace");
      if (!namespace) return undefined;
    } else if (r.accept("account")) {
      account = dnsWord(r, "the gateway's service account");
      if (!account) return undefined;
    } else if (r.accept("labels")) {
      labels = {};
      while (!r.done && !["namespace", "account"].includes(r.peekWord() ?? "")) {
        const key = labelPart(r, "a label key", LABEL_KEY);
        if (key === undefined) return undefined;
        if (!r.acceptOperator("=")) return r.mismatch("'='", r.peek(), "Write labels as `labels istio=ingressgateway app=istio-ingressgateway`.");
        const value = labelPart(r, "a label value", LABEL_VALUE);
        if (value === undefined) return undefined;
        labels[key] = value;
      }
    } else return r.mismatch("'namespace', 'account' or 'labels'", r.peek(), `Example: ${example}.`);
  }
  return { ...(profile ? { profile } : {}), ...(namespace ? { namespace } : {}), ...(account ? { account } : {}), ...(labels ? { labels } : {}) };
}
