import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { isProduction } from "../model/environment-kind.js";
import type { PlatformModel } from "../model/platform-model.js";

/**
 * `chaos <environment> …`: each name one of the platform's environments, and none of them
 * production unless `allow-production` says so — killing pods and partitioning databases where
 * customers are is a decision, never a default.
 */
export function checkChaos(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const chaos = model.platform.chaos;
  // Platform facts are the same in every environment's model: report once, from the first.
  if (!chaos || model.environment !== model.platform.environments[0]) return;
  for (const e of chaos.environments) {
    if (!model.platform.environments.includes(e.name))
      report(diag("FIN4070", e.range, { message: `'${e.name}' is not one of the platform's environments (${model.platform.environments.join(", ")}).`, hint: "Name an environment from `environments`, e.g. `chaos staging`." }));
    else if (isProduction(e.name) && !chaos.allowProduction)
      report(diag("FIN4070", e.range, { message: `Chaos experiments in '${e.name}' would kill pods, slow calls and partition databases where customers are.`, hint: "Run them in staging; if production game days are agreed, add `allow-production`." }));
  }
}
