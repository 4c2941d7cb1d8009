import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { isProduction } from "../model/environment-kind.js";
import type { PlatformModel } from "../model/platform-model.js";
import { didYouMean } from "./did-you-mean.js";

/**
 * FIN4094: `sleep` in a production environment (prod, production) would take the platform down
 * every night; scale-down windows are for dev and test. Each problem is reported in one
 * environment's check only: an `in` name in its own environment (or, unknown, in the first).
 */
export function checkSleep(model: PlatformModel, report: (d: Diagnostic) => void): void {
  const sleep = model.platform.sleep;
  if (!sleep) return;
  const envs = model.platform.environments;
  const hint = "Name the non-production environments (`sleep nights weekends in dev staging`), or write it in their blocks (`environment dev { platform.sleep nights weekends }`).";
  if (!sleep.environments) {
    if (isProduction(model.environment))
      report(diag("FIN4094", sleep.origin, { message: `\`sleep\` would scale every service and worker of the production environment ${model.environment} to zero outside working hours.`, hint: `${hint} In an environment's block, \`platform.sleep none\` turns it off.` }));
    return;
  }
  for (const e of sleep.environments) {
    if (!envs.includes(e.name)) {
      if (model.environment === envs[0]) report(diag("FIN4094", e.range, { message: `\`sleep … in ${e.name}\`: the platform has no environment '${e.name}' (${envs.join(", ")}).`, hint: didYouMean(e.name, envs) || hint }));
    } else if (isProduction(e.name) && model.environment === e.name)
      report(diag("FIN4094", e.range, { message: `\`sleep\` would scale every service and worker of the production environment ${e.name} to zero outside working hours.`, hint }));
  }
}
