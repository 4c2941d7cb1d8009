import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { hasErrors } from "../diagnostics/diagnostic.js";
import { renderDiagnostics } from "../diagnostics/render-text.js";
import { estimateCost, type EnvironmentCost, type Range } from "../model/cost/estimate.js";
import { PRICE_TABLE, type PriceTable } from "../model/cost/prices.js";
import type { Program } from "../program.js";
import { UsageError } from "./args.js";

export interface CostIo {
  out(text: string): void;
  err(text: string): void;
  readonly cwd: string;
  readonly color: boolean;
}

const money = (n: number): string => n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const span = (r: Range, f: (n: number) => string = String): string => (r.min === r.max ? f(r.min) : `${f(r.min)}–${f(r.max)}`);

/**
 * `finc cost <spec> [--env E] [--format text|json|markdown] [--prices table.json]`: the monthly
 * cost of each environment (model/cost/estimate.ts) per workload and namespace, at the
 * autoscalers' minimum and maximum, against the budgets. Markdown is for a pull-request comment.
 */
export function costCommand(program: Program, flags: Map<string, string | true>, io: CostIo): number {
  if (hasErrors(program.diagnostics)) {
    io.err(renderDiagnostics(program.diagnostics, program.getSourceFile, { color: io.color, cwd: io.cwd }));
    io.err("finc: the spec has errors; no estimate.\n");
    return 1;
  }
  const format = String(flags.get("--format") ?? "text");
  if (!["text", "json", "markdown"].includes(format)) throw new UsageError(`unknown format '${format}' for cost (text, json or markdown)`);
  const env = flags.get("--env");
  const envs = typeof env === "string" ? env.split(",") : [...program.checked.environments];
  for (const e of envs) if (!program.checked.models.has(e)) throw new UsageError(`'${e}' is not an environment of the spec (${program.checked.environments.join(", ")})`);
  const table = loadTable(flags.get("--prices"), io.cwd);
  const estimates = envs.map((e) => ({ environment: e, cost: estimateCost(program.checked.models.get(e)!, table) }));
  if (format === "json") {
    io.out(JSON.stringify({ currency: table.currency, prices: table.source, environments: estimates.map((x) => x.cost ?? { environment: x.environment, unpriced: true }) }, null, 2) + "\n");
    return 0;
  }
  const md = format === "markdown";
  for (const { environment, cost } of estimates) {
    if (!cost) {
      io.out(`${md ? "### " : ""}${environment}: no prices for cloud '${program.checked.models.get(environment)!.platform.cloud}' (give a table with --prices)\n\n`);
      continue;
    }
    io.out(render(cost, table, md));
  }
  return 0;
}

function loadTable(flag: string | true | undefined, cwd: string): PriceTable {
  if (typeof flag !== "string") return PRICE_TABLE;
  let table: PriceTable;
  try {
    table = JSON.parse(readFileSync(resolve(cwd, flag), "utf8")) as PriceTable;
  } catch (e) {
    throw new UsageError(`cannot read the price table ${flag}: ${(e as Error).message}`);
  }
  if (table?.currency !== "USD" || typeof table.clouds !== "object") throw new UsageError(`${flag} is not a price table: it needs "currency": "USD" and "clouds" (see compiler/model/cost/prices.ts)`);
  return table;
}

function render(c: EnvironmentCost, table: PriceTable, md: boolean): string {
  const rows: string[][] = [["namespace", "workload", "kind", "replicas", "min / month", "max / month", "note"]];
  for (const l of c.lines) rows.push([l.namespace, l.name, l.kind, span(l.replicas), money(l.monthly.min), money(l.monthly.max), l.note ?? ""]);
  for (const n of c.namespaces) rows.push([n.namespace, "(namespace)", "", "", money(n.monthly.min), money(n.monthly.max), budgetNote(n.budget, n.monthly)]);
  rows.push(["", "(total)", "", "", money(c.monthly.min), money(c.monthly.max), budgetNote(c.budget, c.monthly)]);
  const title = `${c.environment} on ${c.cloud} ${c.region}${c.regionFallback ? " (prices of the table's default region: the platform's region is not in it)" : ""}, ${table.currency} per month; prices: ${table.source}`;
  if (md) return `### ${title}\n\n${rows.map((r, i) => `| ${r.join(" | ")} |${i === 0 ? `\n|${r.map(() => " --- ").join("|")}|` : ""}`).join("\n")}\n\n`;
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const numeric = new Set([4, 5]);
  const line = (r: string[]): string => r.map((v, i) => (numeric.has(i) ? v.padStart(widths[i]!) : v.padEnd(widths[i]!))).join("  ").trimEnd();
  return `${title}\n${rows.map(line).join("\n")}\n\n`;
}

function budgetNote(budget: number | undefined, monthly: Range): string {
  if (budget === undefined) return "";
  const state = monthly.max <= budget ? "within" : monthly.min <= budget ? "over at the maximum" : "over";
  return `budget ${money(budget)}: ${state}`;
}
