import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { PlatformModel } from "../model/platform-model.js";

export function checkDatabaseReplicas(_model: PlatformModel, _report: (d: Diagnostic) => void): void {}
