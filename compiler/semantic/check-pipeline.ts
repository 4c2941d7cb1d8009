import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { isProduction } from "../model/environment-kind.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * `pipeline … promote a -> b -> c`: every name one of the platform's environments, each once,
 * and production (if promoted) last — a change reaches customers only after every other stage.
 */
export function checkPipeline(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const pipeline = model.platform.pipeline;
  // Platform facts are the same in every environment's model: report once, from the first.
  if (!pipeline || model.environment !== model.platform.environments[0]) return;
  const { environments } = model.platform;
  const seen = new Set<string>();
  pipeline.promote.forEach((name, i) => {
    const range = pipeline.promoteRanges[i]!;
    const later = [...new Set(pipeline.promote.slice(i + 1).filter((e) => e !== name))];
    if (!environments.includes(name))
      report(diag("FIN4071", range, { message: `'${name}' is not one of the platform's environments (${environments.join(", ")}).`, hint: "Promote through environments from `environments`, e.g. `promote dev -> staging -> prod`." }));
    else if (seen.has(name))
      report(diag("FIN4071", range, { message: `'${name}' is promoted to twice.`, hint: "Name each environment once, in the order a change reaches them." }));
    else if (isProduction(name) && later.length)
      report(diag("FIN4071", range, { message: `Production ('${name}') is promoted to before ${later.map((e) => `'${e}'`).join(", ")}.`, hint: "Put production last: a change reaches customers only after every other environment." }));
    seen.add(name);
  });
}
