import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import type { PlatformModel, ServiceModel } from "../model/platform-model.js";
import { DIGEST_PINNED, immutableNamespaces, podImages } from "../model/supply-chain.js";

/**
 * `deploy immutable` namespaces (model/supply-chain.ts): every image their pods run is pinned
 * by digest (FIN4074, on the image text), and nothing there needs an object to change in place
 * (FIN4075): a standalone database runs Docker Hub's postgres by tag, rotated database
 * credentials must reach an existing Secret, and a SealedSecret is sealed for one Secret name.
 */
export function checkImmutableDeploy(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const immutable = immutableNamespaces(model);
  if (!immutable.size) return;
  for (const s of model.services) {
    if (!immutable.has(s.namespace)) continue;
    for (const { image, field } of podImages(s))
      if (!DIGEST_PINNED.test(image)) report(diag("FIN4074", imageRange(s, field, image), { workload: s.name, image, namespace: s.namespace }));
    const rotated = rotatedCredentialsSecret(model, s);
    if (rotated)
      report(diag("FIN4075", rotated.origin, {
        message: `'${s.name}' reads rotated database credentials (\`credentials … rotate\`), but in the \`deploy immutable\` namespace '${s.namespace}' its Secret is immutable: the rotated password would never reach it.`,
        hint: "Drop `rotate` on the database's credentials, or run the service in a namespace without `deploy immutable`.",
      }));
    if (s.secrets.some((sec) => sec.source.kind === "sealed"))
      report(diag("FIN4075", s.secrets.find((sec) => sec.source.kind === "sealed")!.origin, {
        message: `'${s.name}' has a sealed secret in the \`deploy immutable\` namespace '${s.namespace}': a SealedSecret is sealed for one Secret name, so it can neither get a content-hashed name nor change an immutable Secret.`,
        hint: "Read it from a secret store (`secret NAME from <store> \"<path>\" key \"<key>\"`): finc then writes an immutable, content-named Secret.",
      }));
  }
  for (const d of model.databases)
    if (immutable.has(d.namespace) && d.mode === "standalone")
      report(diag("FIN4075", d.fields["engine"] ?? d.origin, {
        message: `The standalone database '${d.name}' runs docker.io/library/postgres:${d.version} by tag in the \`deploy immutable\` namespace '${d.namespace}', where the admission policy denies images without a digest.`,
        hint: "Drop `standalone`: the CloudNativePG operator runs the database (its `image` may name a digest).",
      }));
}

/**
 * The image's own text when the field is `image "<ref>"` (the string ends the field; image
 * references hold no escapes), else the whole field (`migrate`, `split`, `init` name several things).
 */
function imageRange(s: ServiceModel, field: string, image: string): SourceRange {
  const r = s.fields[field] ?? s.origin;
  if (field !== "image" || r.end - r.start < image.length + 2) return r;
  return { ...r, start: r.end - image.length - 2 };
}

/** The first of the service's secrets that comes from a database whose credentials `rotate`. */
function rotatedCredentialsSecret(model: PlatformModel, s: ServiceModel): ServiceModel["secrets"][number] | undefined {
  return s.secrets.find((sec) => {
    const src = sec.source;
    return src.kind === "output" && model.databases.find((d) => d.name === src.database)?.credentials.rotateMs !== undefined;
  });
}
