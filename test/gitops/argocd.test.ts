import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { formatDuration } from "../../compiler/model/units.js";
import { compileSources, itReportsEach, platformSpec, serviceSpec } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

const DELIVERY = 'delivery argocd repo "https://git.example.com/bank/deploy.git" path "deploy" window "0 9 * * 1-4" 6h timezone "Europe/London"';

/** A platform delivered by Argo CD: a database, a secret from a store, an autoscaled API, a cluster per environment. */
function spec(delivery = DELIVERY): Record<string, string> {
  return {
    "main.fin":
      platformSpec(`  ${delivery}\n  cluster "bank-dev"`, "dev, staging, prod") +
      `environment prod {\n  platform.cluster "bank-prod"\n}\n` +
      `database ledger {\n  engine postgres 16\n  namespace apps\n  storage 10Gi\n  credentials from vault "apps/ledger"\n}\n` +
      serviceSpec("api", '  namespace apps\n  replicas 2 to 6 at cpu 70%\n  secret TOKEN from vault "apps/api" key "token"\n  secret DATABASE_URL from ledger.url\n'),
  };
}

function build(files = spec()) {
  const program = compileSources(files);
  expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const out = buildOutputs(program);
  const file = (path: string) => {
    const f = out.files.find((x) => x.path === path);
    if (!f) throw new Error(`no ${path} among ${out.files.map((x) => x.path).filter((p) => p.startsWith("gitops/")).join(", ")}`);
    return parseYaml(f.content) as Record<string, any>;
  };
  return { out, file };
}

describe("delivery argocd", () => {
  it("writes one AppProject and one Application per environment, and nothing without delivery", () => {
    const { out } = build();
    expect(out.files.map((f) => f.path).filter((p) => p.startsWith("gitops/"))).toEqual([
      "gitops/argocd/application-p-dev.yaml",
      "gitops/argocd/application-p-prod.yaml",
      "gitops/argocd/application-p-staging.yaml",
      "gitops/argocd/appproject-p.yaml",
    ]);
    const plain = buildOutputs(compileSources({ "main.fin": platformSpec("", "dev, prod") + serviceSpec("api", "  namespace apps\n") }));
    expect(plain.files.filter((f) => f.path.startsWith("gitops/"))).toEqual([]);
    expect(plain.files.some((f) => f.content.includes("argocd.argoproj.io"))).toBe(false);
  });

  it("syncs non-production automatically with prune and self-heal, production only by hand", () => {
    const { file } = build();
    const dev = file("gitops/argocd/application-p-dev.yaml");
    expect(dev.spec.source).toEqual({ repoURL: "https://git.example.com/bank/deploy.git", targetRevision: "main", path: "deploy/dev", directory: { recurse: true } });
    expect(dev.spec.destination).toEqual({ name: "bank-dev" });
    expect(dev.spec.syncPolicy.automated).toEqual({ enabled: true, prune: true, selfHeal: true, allowEmpty: false });
    expect(dev.metadata.finalizers).toEqual(["resources-finalizer.argocd.argoproj.io"]);
    const prod = file("gitops/argocd/application-p-prod.yaml");
    expect(prod.spec.destination).toEqual({ name: "bank-prod" });
    expect(prod.spec.source.path).toBe("deploy/prod");
    expect(prod.spec.syncPolicy.automated).toBeUndefined();
    // Deleting the production Application must not delete the bank.
    expect(prod.metadata.finalizers).toBeUndefined();
  });

  it("lets the autoscaler own replicas: self-heal ignores the HPA target's /spec/replicas", () => {
    const { file } = build();
    const dev = file("gitops/argocd/application-p-dev.yaml");
    expect(dev.spec.ignoreDifferences).toEqual([{ group: "apps", kind: "Deployment", name: "api", namespace: "apps", jsonPointers: ["/spec/replicas"] }]);
    expect(dev.spec.syncPolicy.syncOptions).toContain("RespectIgnoreDifferences=true");
  });

  it("limits the project to the repository, the environments' clusters and namespaces, and the kinds emitted", () => {
    const { file, out } = build();
    const project = file("gitops/argocd/appproject-p.yaml");
    expect(project.spec.sourceRepos).toEqual(["https://git.example.com/bank/deploy.git"]);
    const dests = project.spec.destinations as { name: string; namespace: string }[];
    expect(dests).toContainEqual({ name: "bank-prod", namespace: "apps" });
    expect(dests).toContainEqual({ name: "bank-dev", namespace: "apps" });
    expect(dests.every((d) => d.name === "bank-prod" || d.name === "bank-dev")).toBe(true);
    // Every emitted kind is whitelisted in the right scope, and nothing else.
    const emitted = (scoped: boolean) =>
      [...new Set(out.files.filter((f) => /^(dev|staging|prod)\//.test(f.path)).map((f) => parseYaml(f.content) as Record<string, any>)
        .filter((o) => !!o.metadata?.namespace === scoped).map((o) => `${o.apiVersion.includes("/") ? o.apiVersion.split("/")[0] : ""}/${o.kind}`))].sort();
    const listed = (l: { group: string; kind: string }[]) => l.map((g) => `${g.group}/${g.kind}`);
    expect(listed(project.spec.clusterResourceWhitelist)).toEqual(emitted(false));
    expect(listed(project.spec.namespaceResourceWhitelist)).toEqual(emitted(true));
    expect(listed(project.spec.clusterResourceWhitelist)).toContain("/Namespace");
    expect(project.spec.syncWindows).toEqual([{ kind: "allow", schedule: "0 9 * * 1-4", duration: "6h", applications: ["p-prod"], timeZone: "Europe/London" }]);
  });

  it("orders prerequisites before workloads and never prunes namespaces or databases", () => {
    const { out } = build();
    const objects = out.files.filter((f) => f.path.startsWith("prod/")).map((f) => parseYaml(f.content) as Record<string, any>);
    const wave = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.annotations?.["argocd.argoproj.io/sync-wave"]);
    expect(new Set(wave("SecretStore"))).toEqual(new Set(["-2"]));
    expect(new Set(wave("ExternalSecret"))).toEqual(new Set(["-1"]));
    expect(new Set(wave("Cluster"))).toEqual(new Set(["-1"]));
    expect(new Set(wave("Deployment"))).toEqual(new Set([undefined]));
    const options = (kind: string) => objects.filter((o) => o.kind === kind).map((o) => o.metadata.annotations?.["argocd.argoproj.io/sync-options"]);
    expect(new Set(options("Namespace"))).toEqual(new Set(["Prune=false,Delete=false"]));
    expect(new Set(options("Cluster"))).toEqual(new Set(["Prune=false,Delete=false"]));
  });

  it.skipIf(!schemasAvailable)("every Argo CD object and every annotated object validates against its schema", () => {
    const { out } = build();
    const problems = out.files
      .filter((f) => f.path.endsWith(".yaml") && (f.path.startsWith("gitops/") || f.path.startsWith("prod/")))
      .flatMap((f) => validateManifest(parseYaml(f.content) as { apiVersion?: unknown; kind?: unknown }).map((e) => `${f.path}: ${e}`));
    expect(problems).toEqual([]);
  });

  it("formats sync windows as Go durations (time.ParseDuration reads 6h, 90m, 45m)", () => {
    expect([formatDuration(6 * 3_600_000), formatDuration(90 * 60_000), formatDuration(45 * 60_000)]).toEqual(["6h", "90m", "45m"]);
  });
});

describe("delivery diagnostics", () => {
  const at = (delivery: string) => platformSpec(`  ${delivery}`);
  itReportsEach([
    { name: "plain http repository", spec: at('delivery argocd repo "http://git.example.com/bank.git"'), code: "FIN3042", covers: '"http://git.example.com/bank.git"', line: 3 },
    { name: "not a Git URL", spec: at('delivery flux repo "deploy"'), code: "FIN3042", covers: '"deploy"', line: 3 },
    { name: "a path leaving the repository", spec: at('delivery argocd repo "git@git.example.com:bank/deploy.git" path "../other"'), code: "FIN3043", covers: '"../other"', line: 3 },
    { name: "an absolute path", spec: at('delivery argocd repo "https://git.example.com/bank.git" path "/deploy"'), code: "FIN3043", covers: '"/deploy"', line: 3 },
    { name: "an unknown tool", spec: at('delivery jenkins repo "https://git.example.com/bank.git"'), code: "FIN3007", covers: "jenkins", line: 3 },
    { name: "a bad window schedule", spec: at('delivery argocd repo "https://git.example.com/bank.git" window "every day" 6h'), code: "FIN3016", covers: '"every day"', line: 3 },
  ]);

  it("accepts ssh and https remotes", () => {
    for (const repo of ["https://git.example.com/bank/deploy.git", "ssh://git@git.example.com/bank/deploy.git", "git@github.com:bank/deploy.git"]) {
      const p = compileSources({ "main.fin": at(`delivery argocd repo "${repo}"`) });
      expect(p.diagnostics.filter((d) => d.severity === "error").map((d) => d.code)).toEqual([]);
    }
  });
});
