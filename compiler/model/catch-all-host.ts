/**
 * `expose "*"` / `expose any`: the catch-all host of a demo or internal gateway. Istio's
 * Gateway and VirtualService take `*` as is; an Ingress rule without `host` is its form
 * (`host: "*"` is not a valid Ingress host); external-dns gets no record for it.
 */
export const CATCH_ALL_HOST = "*";

export const isCatchAll = (host: string): boolean => host === CATCH_ALL_HOST;
