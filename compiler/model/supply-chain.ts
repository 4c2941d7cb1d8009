import type { SourceRange } from "../diagnostics/diagnostic.js";
import type { FieldValues } from "../semantic/read-fields.js";
import type { ImageSigningRead } from "../semantic/schema/image-signing-field.js";

/** Supply chain (mission area 9): how the images the platform runs must be signed. */
export interface PlatformSupplyChain {
  readonly imageSigning?: (
    | { readonly kind: "key"; readonly key: string }
    | { readonly kind: "keyless"; readonly issuer: string; readonly subject: string }
  ) & { readonly origin: SourceRange };
}

export function lowerPlatformSupplyChain(v: FieldValues): PlatformSupplyChain {
  const s = v.get<ImageSigningRead>("image-signing");
  if (!s) return {};
  return { imageSigning: s.kind === "key" ? { kind: "key", key: s.key, origin: s.range } : { kind: "keyless", issuer: s.issuer, subject: s.subject, origin: s.range } };
}
