import type { PlatformModel } from "../../model/platform-model.js";

/**
 * Every container image the spec names in any environment (services, workers, jobs and their
 * migrations), once each and sorted: the Trivy matrix of the workflow. An environment may
 * override an image, so all environments are read.
 */
export function workflowImages(models: Iterable<PlatformModel>): string[] {
  const images = new Set<string>();
  for (const m of models)
    for (const s of m.services) {
      if (s.image) images.add(s.image);
      if (s.migrate?.image) images.add(s.migrate.image);
    }
  return [...images].sort();
}
