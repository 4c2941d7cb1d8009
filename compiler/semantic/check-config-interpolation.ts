import type { Diagnostic, SourceRange } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { configReferences, INTERPOLATED_OUTPUTS } from "../model/config-interpolation.js";
import { DATABASE_OUTPUTS } from "../model/platform-model.js";
import type { ConfigRead } from "./config-types.js";
import type { DeclInfo, DeclarationTable } from "./declarations.js";
import { closestFix, didYouMean } from "./did-you-mean.js";
import type { FieldValues } from "./read-fields.js";

/** Outputs that carry the credentials (or come from the secret store at run time): never in a ConfigMap. */
const CREDENTIAL_OUTPUTS = new Set(["url", "read-url", "password", "username"]);

/**
 * Source offset of `index` in a string literal whose value is `value`: the literal's quote,
 * then the value's characters as JSON escapes them (how a .fin string is written).
 */
const sourceOffset = (literalStart: number, value: string, index: number): number => literalStart + JSON.stringify(value.slice(0, index)).length - 1;

/**
 * `config KEY = "…${db.output}…"`: the database exists (FIN2004), has the output (FIN3012),
 * the output is an address known at compile time (FIN3001 for ca-file), and it carries no
 * credential (FIN3028). Each database name is a reference for definition and rename.
 */
export function checkConfigInterpolation(
  d: DeclInfo,
  v: FieldValues,
  table: DeclarationTable,
  refer: (r: SourceRange, t: DeclInfo) => void,
  report: (d: Diagnostic) => void,
): void {
  for (const c of v.all<ConfigRead[]>("config").flat()) {
    const value = c.value;
    if (!value || value.atom !== "String") continue;
    const at = (index: number, length: number): SourceRange => {
      const start = sourceOffset(value.range.start, value.text, index);
      return { file: value.range.file, start, end: sourceOffset(value.range.start, value.text, index + length) };
    };
    for (const r of configReferences(value.text)) {
      const dbRange = at(r.databaseIndex, r.database.length);
      const db = table.lookup("workload", r.database);
      if (!db || db.kind !== "database") {
        const dbs = table.all.filter((x) => x.kind === "database").map((x) => x.name);
        report(diag("FIN2004", dbRange, { expected: "database", name: r.database, didYouMean: didYouMean(r.database, dbs) || "Interpolate a database's output: `${<database>.host}`." }, closestFix(dbRange, r.database, dbs)));
        continue;
      }
      refer(dbRange, db);
      const outRange = at(r.outputIndex, r.output.length);
      if (!(DATABASE_OUTPUTS as readonly string[]).includes(r.output)) {
        report(diag("FIN3012", r.output ? outRange : at(r.index, r.length), { name: db.name, output: r.output, kind: "database", valid: INTERPOLATED_OUTPUTS.join(", ") }));
      } else if (CREDENTIAL_OUTPUTS.has(r.output)) {
        const ref = `${r.database}.${r.output}`;
        report(diag("FIN3028", at(r.index, r.length), {
          message: `'${ref}' carries the database's credentials${r.output === "username" ? " (read from the secret store when the pod starts)" : ""}: it cannot go into '${d.name}''s plain config (a ConfigMap anyone who can read the namespace can read).`,
          hint: `Deliver it as a secret: \`secret ${c.key} from ${ref}\`${r.output === "url" || r.output === "read-url" ? "" : ` (or the whole connection string: \`secret ${c.key} from ${r.database}.url\`)`}; a config value may interpolate ${INTERPOLATED_OUTPUTS.join(", ")}.`,
        }));
      } else if (!(INTERPOLATED_OUTPUTS as readonly string[]).includes(r.output)) {
        report(diag("FIN3001", outRange, { field: "config", expected: `a database output known at compile time (${INTERPOLATED_OUTPUTS.join(", ")})`, found: `'${r.output}'`, hint: `The CA file is mounted only for a \`secret … from ${r.database}.<output>\` line: add one, or set the path as a plain value.` }));
      }
    }
  }
}
