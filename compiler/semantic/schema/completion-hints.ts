import { CONFIG_TYPES } from "../config-types.js";
import { UNIT_SUFFIXES } from "../../model/units.js";
import type { FieldSpec } from "./field-spec.js";
import { DNS_PROVIDERS, RETRY_CONDITIONS } from "./traffic-fields.js";

/**
 * Completion hints (follow-up keywords and units) of the fields whose schema files are
 * owned elsewhere (traffic-fields.ts, secret-store.ts) or edited concurrently (service.ts).
 * index.ts merges them into KIND_SPECS; they can move into the field definitions any time.
 */
type Hints = Readonly<Record<string, Pick<FieldSpec, "keywords" | "units">>>;

const DURATION = UNIT_SUFFIXES.duration;
const PERCENT = UNIT_SUFFIXES.percent;

export const PLATFORM_TRAFFIC_HINTS: Hints = {
  mesh: { keywords: { istio: ["sidecar", "ambient", "cni"], sidecar: ["cni"] } },
  tracing: { keywords: { '"': ["sampling"] }, units: PERCENT },
  dns: { keywords: { "external-dns": ["ttl"] }, units: DURATION },
};

export const SERVICE_HINTS: Hints = {
  // A count, then `at cpu 70%`: completion narrows to percentages after `cpu`/`memory`.
  replicas: { keywords: { "*": ["to", "at"], "#": ["at"], at: ["cpu", "memory"] }, units: PERCENT },
  config: { keywords: { "*": CONFIG_TYPES } },
  secret: { keywords: { "*": ["from"], '"': ["key", "refresh"] }, units: DURATION },
  migrate: { keywords: { '"': ["run"] } },
  expose: { keywords: { "*": ["path", "port", "tls"], "/": ["port", "tls"] } },
  probe: { keywords: { "/": ["on"] } },
  grace: { units: DURATION },
  limit: { units: UNIT_SUFFIXES.rate },
  update: { units: PERCENT },
  // traffic fields (traffic-fields.ts)
  timeout: { units: DURATION },
  retries: { keywords: { "#": ["per-try", "on"], "per-try": [], on: RETRY_CONDITIONS }, units: DURATION },
  "circuit-breaker": { keywords: { "*": ["errors"], errors: ["in"], "#": ["eject", "max"] }, units: [...DURATION, ...PERCENT] },
  connections: { keywords: { "*": ["pending"] } },
};

export const ISSUER_HINTS: Hints = {
  acme: { keywords: { "*": ["email"] } },
  solver: {
    keywords: {
      dns: DNS_PROVIDERS,
      route53: ["region"],
      cloudflare: ["key"],
      google: ["zone"],
      azure: ["group"],
      group: ["zone"],
    },
  },
};

export const SECRET_STORE_HINTS: Hints = {
  refresh: { units: DURATION },
};
