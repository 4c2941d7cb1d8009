import type { FieldValues } from "../semantic/read-fields.js";
import type { EgressRead, ServiceEgress } from "./egress-model.js";

/** A service's `egress` lines → the model, as written (resolved per platform by serviceEgress). */
export function lowerServiceEgress(v: FieldValues): ServiceEgress {
  const egress = v.all<EgressRead[]>("egress").flat();
  return egress.length ? { egress } : {};
}
