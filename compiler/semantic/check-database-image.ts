import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel } from "../model/platform-model.js";
import { databaseImageProblem } from "./schema/database-bootstrap-fields.js";

/**
 * `image` on a database, against the rest of the model (the reader already refused malformed,
 * untagged and `latest` references): the tag's major must be the `engine`'s (the operator takes
 * the version from the tag); under `compliance pci-dss` the image is pinned by digest, so what
 * runs is exactly what was scanned; a standalone StatefulSet runs the official image, whose
 * entrypoint its arguments are written for, so a custom image is refused there.
 */
export function checkDatabaseImages(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const pci = model.platform.compliance.includes("pci-dss");
  for (const db of model.databases) {
    const image = db.image;
    if (!image) continue;
    if (db.mode === "standalone") {
      report(diag("FIN4057", image.range, { message: `'${db.name}' is standalone: its StatefulSet runs the official postgres image with finc's TLS arguments, not a custom image.`, hint: "Remove `standalone` to run the image through CloudNativePG, or remove `image`." }));
      continue;
    }
    const why = databaseImageProblem(image.ref, db.version);
    if (why) report(diag("FIN4057", image.range, why));
    else if (pci && !image.ref.includes("@sha256:"))
      report(diag("FIN4057", image.range, { message: `Under \`compliance pci-dss\` the database image '${image.ref}' must be pinned by digest: a tag can be moved to other content after it was scanned.`, hint: `Append the digest: "${image.ref}@sha256:<64 hex>" (docker buildx imagetools inspect shows it).` }));
  }
}
