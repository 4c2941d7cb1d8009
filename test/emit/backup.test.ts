import { describe, expect, it } from "vitest";
import { cronFor, ttlFor } from "../../compiler/emit/backup/index.js";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { compileSources, PLATFORM } from "../helpers/compile.js";
import { parseAllDocuments } from "yaml";

describe("database backups → Velero", () => {
  it("turns intervals into cron schedules and retention into Go durations", () => {
    expect(cronFor(6 * 3_600_000)).toBe("0 */6 * * *");
    expect(cronFor(3_600_000)).toBe("0 * * * *");
    expect(cronFor(86_400_000)).toBe("0 3 * * *");
    expect(cronFor(2 * 86_400_000)).toBe("0 3 */2 * *");
    expect(cronFor(15 * 60_000)).toBe("*/15 * * * *");
    expect(ttlFor(35 * 86_400_000)).toBe("840h0m0s");
  });

  it("emits a Schedule per backed-up database and a VolumeSnapshotClass for the cloud's CSI driver, nothing otherwise", () => {
    // Velero backs up standalone databases; the operator backs up its own (test/postgres).
    const spec = (backup: string) => PLATFORM + `database db {\n  engine postgres 16 standalone\n  storage 10Gi\n  credentials from vault "db"\n${backup}}\n`;
    const none = buildOutputs(compileSources({ "main.fin": spec("") }), { environments: ["dev"] });
    expect(none.files.filter((f) => /velero|volumesnapshot/.test(f.path))).toEqual([]);
    const p = compileSources({ "main.fin": spec("  backup every 12h keep 7d\n") });
    expect(p.diagnostics).toEqual([]);
    const files = buildOutputs(p, { environments: ["dev"] }).files;
    const schedule = parseAllDocuments(files.find((f) => f.path === "dev/velero/schedule-apps-db.yaml")!.content)[0]!.toJS();
    expect(schedule.spec.schedule).toBe("0 */12 * * *");
    expect(schedule.spec.template).toMatchObject({ includedNamespaces: ["apps"], ttl: "168h0m0s", labelSelector: { matchLabels: { "app.kubernetes.io/name": "db" } } });
    const vsc = parseAllDocuments(files.find((f) => f.path === "dev/_cluster/volumesnapshotclass-finc-snapshots.yaml")!.content)[0]!.toJS();
    expect(vsc.driver).toBe("ebs.csi.aws.com");
  });
});
