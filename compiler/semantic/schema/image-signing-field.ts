import type { SourceRange } from "../../diagnostics/diagnostic.js";
import { single } from "../readers.js";
import { field } from "./field-spec.js";

/** What `image-signing` reads; lowered by model/supply-chain.ts. */
export type ImageSigningRead =
  | { readonly kind: "key"; readonly key: string; readonly range: SourceRange }
  | { readonly kind: "keyless"; readonly issuer: string; readonly subject: string; readonly range: SourceRange };

export const imageSigningField = field({
  doc:
    "Only images signed with cosign run (PCI DSS 6.3.3, SOC 2 CC6.8): a Kyverno ClusterPolicy verifies every image of the platform's pods at admission — against a public key (`key \"awskms:///alias/signing\"`, `gcpkms://…`, `azurekms://…`, `hashivault://…` or an inline PEM) or a keyless Fulcio identity (`keyless issuer \"https://token.actions.githubusercontent.com\" subject \"https://github.com/bank/*\"`) — and pins each admitted pod's images to the verified digest. Only pods are checked (not their Deployments), so GitOps sees no drift. Needs Kyverno in the cluster.",
  syntax: 'cosign key "<kms uri | PEM>" | cosign keyless issuer "<oidc issuer>" subject "<identity>"',
  example: 'cosign key "awskms:///alias/payments-signing"',
  values: ["cosign"],
  keywords: { cosign: ["key", "keyless"], "*": ["issuer", "subject"] },
  read: (ctx) =>
    single(ctx, (r): ImageSigningRead | undefined => {
      const start = r.peek();
      if (!r.accept("cosign")) return r.mismatch("'cosign'", r.peek(), "finc verifies cosign signatures.");
      const range = { file: ctx.file, start: start!.start, end: ctx.member.end };
      if (r.accept("key")) {
        const key = r.string("a key reference (awskms://, gcpkms://, azurekms://, hashivault://) or a PEM public key");
        return key && { kind: "key", key: key.value, range };
      }
      if (r.accept("keyless")) {
        if (!r.accept("issuer")) return r.mismatch("'issuer \"<oidc issuer>\"'", r.peek());
        const issuer = r.string("the OIDC issuer of the signing identity");
        if (!issuer) return undefined;
        if (!r.accept("subject")) return r.mismatch("'subject \"<identity>\"'", r.peek());
        const subject = r.string("the signing identity (a workflow URL or an email)");
        return subject && { kind: "keyless", issuer: issuer.value, subject: subject.value, range };
      }
      return r.mismatch("'key' or 'keyless'", r.peek());
    }),
});
