import { single } from "../readers.js";
import { field } from "./field-spec.js";

/** A Cloud Billing account ID: three groups of six upper-case hex digits (`gcloud billing accounts list`). */
export const BILLING_ACCOUNT = /^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$/;

/** `billing-account "0X0X0X-0X0X0X-0X0X0X"` on `cloud gcp`: where the terraform target creates the `budget`s (google_billing_budget). */
export const billingAccountField = field({
  doc: "`cloud gcp`: the Cloud Billing account the project (`account`) is billed to. The `terraform` target creates each `budget` there (`google_billing_budget`, filtered to the project); a `budget` on gcp without it is FIN4097.",
  syntax: '"<XXXXXX-XXXXXX-XXXXXX>"',
  example: '"01A2B3-C4D5E6-F7A8B9"',
  read: (ctx) =>
    single(ctx, (r) => {
      const s = r.string("the billing account ID in double quotes");
      if (!s) return undefined;
      if (!BILLING_ACCOUNT.test(s.value)) return r.mismatch('a Cloud Billing account ID such as "01A2B3-C4D5E6-F7A8B9" (three groups of six upper-case hex digits)', r.term.atoms[0]);
      return s.value;
    }),
});
