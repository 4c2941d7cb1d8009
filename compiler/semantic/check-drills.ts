import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { diag } from "../diagnostics/messages.js";
import { DEFAULT_DRILL_TIMEOUT_MS, drillProblem, estimatedDrillMs } from "../model/drill-model.js";
import { environmentClusters } from "../model/cluster-topology.js";
import type { PlatformModel } from "../model/platform-model.js";
import { humanDuration } from "../model/recovery.js";
import { CNPG_IMAGE, postgresImage } from "../model/database-image.js";
import { smokeImage, smokeTarget } from "../model/smoke-test-model.js";
import { checkDrillInto } from "./check-drill-into.js";

/** Profiles whose admission policies admit images from the platform's `registry` only (as FIN4065). */
const REGISTRY_ONLY_PROFILES = ["pci-dss", "soc2", "dora"];

/** Why a verification query cannot run as one psql `-c` statement, or undefined. */
function queryProblem(sql: string): string | undefined {
  const text = sql.trim().replace(/;\s*$/, "");
  if (!text) return "is empty";
  if (text.startsWith("\\")) return "is a psql meta-command, which `psql -c` does not run with other commands";
  // A `;` inside quotes is data; outside them it starts a second statement, which psql -c would run in one transaction with the first and report only the last.
  if (text.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, "").includes(";")) return "holds more than one statement";
  return undefined;
}

/**
 * Drills and smoke tests, per environment:
 * - `drill` needs the WAL archive and base backups in the environment's object store (FIN4077),
 *   and on Azure the client IDs of the Cluster's and the drill's managed identities (FIN4103, a
 *   warning: the terraform target that makes Azure pick them is built meanwhile);
 * - its query must be one statement, and its deadline must leave room for the restore finc
 *   estimates (model/recovery.ts's throughput; FIN4078);
 * - under a registry-only compliance profile its image (the database's) from the registry (FIN4078);
 * - `smoke-test` needs an HTTP port and a path (written, or the readiness probe's), and under a
 *   registry-only compliance profile the smoke image from that registry (FIN4079).
 */
export function checkDrills(model: PlatformModel, report: (d: Diagnostic) => void): void {
  for (const db of model.databases) {
    const d = db.drill;
    if (!d) continue;
    const why = drillProblem(model, db);
    if (why) {
      // On two or more azure clusters each has its drill identity: check-cluster-client-ids.ts reports per cluster.
      if (!(why.code === "FIN4103" && environmentClusters(model).length >= 2)) report(diag(why.code, d.origin, { name: db.name, why: why.why, hint: why.hint }));
      continue;
    }
    checkDrillInto(model, db, report);
    const q = d.query && queryProblem(d.query.text);
    if (q && d.query) report(diag("FIN4078", d.query.origin, { name: db.name, why: `query ${q}`, hint: "Write one SQL statement that reads what must be there, e.g. `query \"select count(*) from accounts\"` (the drill runs `select 1` itself first)." }));
    // The operator's own pods are exempt from the registry admission rule; the drill's CronJob is not.
    const p = model.platform;
    const image = postgresImage(db);
    if (p.registry && p.compliance.some((c) => REGISTRY_ONLY_PROFILES.includes(c)) && !image.startsWith(`${p.registry.host}/`))
      report(diag("FIN4078", d.origin, { name: db.name, why: `image '${image}' is not from the registry ${p.registry.host}, and the ${p.compliance.join(", ")} admission policies admit no other (the operator's own pods are exempt, the drill's are not)`, hint: `Give the database an \`image "${p.registry.host}/postgresql:${db.version}@sha256:…"\` copied from ${CNPG_IMAGE} (the drill runs the database's image).` }));
    // CloudNativePG's `minimal` and `standard` images leave barman-cloud to its plugin: the drill (which runs barman-cloud-restore in the database's image) would fail on its first command.
    const variant = /^ghcr\.io\/cloudnative-pg\/postgresql:[^@]*-(minimal|standard)-[a-z]+(?:@|$)/.exec(image)?.[1];
    if (variant && db.image)
      report(diag("FIN4078", db.image.range, { name: db.name, why: `image '${image}' is CloudNativePG's ${variant} image, which has no barman-cloud (those images leave it to the Barman Cloud plugin), and the drill runs barman-cloud-restore in the database's image`, hint: `Use the image with barman-cloud: its \`system\` tag, e.g. \`image "${CNPG_IMAGE}:${db.version}"\` (or a copy of it in your registry).` }));
    const timeoutMs = d.timeoutMs ?? DEFAULT_DRILL_TIMEOUT_MS;
    const needMs = estimatedDrillMs(db);
    if (timeoutMs < needMs)
      report(diag("FIN4078", d.origin, { name: db.name, why: `deadline of ${humanDuration(timeoutMs)} is shorter than the restore itself, about ${humanDuration(needMs)} (${db.storage.size} at 100 MiB/s plus a quarter of the ${humanDuration(db.backup?.everyMs ?? 0)} backup interval of WAL replay)`, hint: `Give it \`timeout ${Math.ceil((needMs * 1.5) / 3_600_000)}h\` or more.` }));
  }
  const p = model.platform;
  let imageReported = false;
  for (const s of model.services) {
    const t = smokeTarget(s);
    if (!t) continue;
    if (!t.ok) {
      report(diag("FIN4079", t.origin, { name: s.name, why: t.why, hint: t.hint }));
      continue;
    }
    const image = smokeImage(model);
    if (!imageReported && p.registry && p.compliance.some((c) => REGISTRY_ONLY_PROFILES.includes(c)) && !image.startsWith(`${p.registry.host}/`)) {
      imageReported = true;
      report(diag("FIN4079", p.fields["smoke-image"] ?? t.origin, { name: s.name, why: `its image '${image}' is not from the registry ${p.registry.host}, and the ${p.compliance.join(", ")} admission policies admit no other`, hint: `Copy the image there and name it: \`smoke-image "${p.registry.host}/tools/curl:8.11.1"\` on the platform.` }));
    }
  }
}
