import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { fluxUrl } from "../../compiler/emit/gitops/flux.js";
import { compileSources, platformSpec, serviceSpec } from "../helpers/compile.js";
import { schemasAvailable, validateManifest } from "../helpers/schemas.js";

function build(repo = "git@git.example.com:bank/deploy.git", revision = "") {
  const program = compileSources({
    "main.fin": platformSpec(`  delivery flux repo "${repo}" path "clusters/out"${revision ? ` revision "${revision}"` : ""}`, "dev, prod") + serviceSpec("api", "  namespace apps\n"),
  });
  expect(program.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const out = buildOutputs(program);
  const flux = out.files.filter((f) => f.path.startsWith("gitops/"));
  return { out, flux, doc: (path: string) => parseYaml(flux.find((f) => f.path === path)!.content) as Record<string, any> };
}

describe("delivery flux", () => {
  it("writes a GitRepository and two Kustomizations per environment, nothing for Argo CD and no sync waves", () => {
    const { flux, out } = build();
    expect(flux.map((f) => f.path)).toEqual([
      "gitops/flux/dev/gitrepository-p-namespaced.yaml",
      "gitops/flux/dev/gitrepository-p.yaml",
      "gitops/flux/dev/kustomization-p-dev-cluster.yaml",
      "gitops/flux/dev/kustomization-p-dev.yaml",
      "gitops/flux/prod/gitrepository-p-namespaced.yaml",
      "gitops/flux/prod/gitrepository-p.yaml",
      "gitops/flux/prod/kustomization-p-prod-cluster.yaml",
      "gitops/flux/prod/kustomization-p-prod.yaml",
    ]);
    expect(out.files.some((f) => f.content.includes("argocd.argoproj.io"))).toBe(false);
  });

  it("applies the cluster-scoped objects first, then the rest of the environment; production waits for a person", () => {
    const { doc } = build();
    const devCluster = doc("gitops/flux/dev/kustomization-p-dev-cluster.yaml");
    const dev = doc("gitops/flux/dev/kustomization-p-dev.yaml");
    expect(devCluster.spec.path).toBe("./clusters/out/dev/_cluster");
    expect(dev.spec.path).toBe("./clusters/out/dev");
    // No object is managed twice: the namespaced Kustomization's source leaves out every _cluster/ directory.
    expect(devCluster.spec.sourceRef).toEqual({ kind: "GitRepository", name: "p" });
    expect(dev.spec.sourceRef).toEqual({ kind: "GitRepository", name: "p-namespaced" });
    expect(doc("gitops/flux/dev/gitrepository-p-namespaced.yaml").spec.ignore).toMatch(/^_cluster\/$/m);
    expect(doc("gitops/flux/dev/gitrepository-p.yaml").spec.ignore).toBeUndefined();
    expect(dev.spec.dependsOn).toEqual([{ name: "p-dev-cluster" }]);
    expect([dev.spec.prune, dev.spec.wait, dev.spec.suspend, dev.spec.deletionPolicy]).toEqual([true, true, undefined, "Delete"]);
    const prod = doc("gitops/flux/prod/kustomization-p-prod.yaml");
    expect([prod.spec.suspend, prod.spec.deletionPolicy]).toEqual([true, "Orphan"]);
  });

  it("clones the repository over ssh:// with the platform's credentials Secret, tracking the revision", () => {
    const { doc } = build("git@git.example.com:bank/deploy.git", "release");
    expect(doc("gitops/flux/prod/gitrepository-p.yaml").spec).toMatchObject({ url: "ssh://git@git.example.com/bank/deploy.git", ref: { branch: "release" }, secretRef: { name: "p-git" } });
    expect(build("https://git.example.com/bank/deploy.git", "refs/tags/v1.4.0").doc("gitops/flux/dev/gitrepository-p.yaml").spec.ref).toEqual({ name: "refs/tags/v1.4.0" });
    expect(fluxUrl("https://git.example.com/a.git")).toBe("https://git.example.com/a.git");
  });

  it.skipIf(!schemasAvailable)("validates against Flux's schemas (vendored in test/schemas)", () => {
    const { flux } = build();
    expect(flux.flatMap((f) => validateManifest(parseYaml(f.content) as { apiVersion?: unknown; kind?: unknown }).map((e) => `${f.path}: ${e}`))).toEqual([]);
  });
});
