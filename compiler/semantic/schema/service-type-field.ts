import { rangeOf, single } from "../readers.js";
import { field } from "./field-spec.js";
import type { ServiceExposure } from "../../model/service-exposure.js";

/** `service-type cluster-ip | load-balancer [internal|public] | node-port`. */
export const serviceTypeField = field({
  doc: "How the Service is reached: `cluster-ip` (the default, from inside the cluster), `load-balancer` (a cloud L4 load balancer with the platform cloud's annotations; `internal` by default, `public` for internet-facing) or `node-port`. Under `compliance pci-dss` a node port and a public load balancer are refused (FIN3029): use `expose` through the ingress, which terminates TLS. With `mesh istio` it is refused too: the mesh's STRICT mTLS rejects the balancer's plaintext.",
  syntax: "cluster-ip | load-balancer [internal | public] | node-port",
  example: "cluster-ip",
  values: ["cluster-ip", "load-balancer", "node-port"],
  keywords: { "load-balancer": ["internal", "public"] },
  read: (ctx) =>
    single(ctx, (r): (ServiceExposure & { range: ReturnType<typeof rangeOf> }) | undefined => {
      const kind = r.oneOf(["cluster-ip", "load-balancer", "node-port"] as const, "service type");
      if (!kind) return undefined;
      const range = rangeOf(ctx, r.term);
      if (kind !== "load-balancer") return { kind, range };
      const scheme = r.done ? "internal" : r.oneOf(["internal", "public"] as const, "load balancer scheme");
      if (!scheme) return undefined;
      return { kind, internal: scheme === "internal", range };
    }),
});
