import { describe, expect, it } from "vitest";
import { diagnosticsOf } from "../helpers/compile.js";
import { AWS_PLATFORM, build, find } from "./helpers.js";

const DIGEST = "sha256:" + "ab".repeat(32);
const db = (image: string, engine = "postgres 16") => `database ledger {
  engine      ${engine}
  storage     10Gi
  credentials from vault "apps/ledger"
${image ? `  image       ${image}\n` : ""}}
`;
const pci = AWS_PLATFORM.replace("  environments dev, prod\n", "  environments dev, prod\n  compliance   pci-dss\n");

describe("database image: a custom PostgreSQL image for the Cluster", () => {
  it("is the Cluster's imageName (the source map points at the image line)", () => {
    const { docs, diagnostics } = build(AWS_PLATFORM + db('"registry.example.com/pg/postgresql:16.4-postgis"'));
    expect(diagnostics).toEqual([]);
    expect(find(docs, "Cluster", "ledger").spec.imageName).toBe("registry.example.com/pg/postgresql:16.4-postgis");
  });

  it("without it the operator's image for the major stays the default", () => {
    expect(find(build(AWS_PLATFORM + db("")).docs, "Cluster", "ledger").spec.imageName).toBe("ghcr.io/cloudnative-pg/postgresql:16");
  });

  it("a tag with a digest is accepted everywhere, also under pci-dss", () => {
    const ref = `"registry.example.com/pg/postgresql:16.4@${DIGEST}"`;
    expect(build(pci + db(ref)).diagnostics).toEqual([]);
    expect(find(build(pci + db(ref)).docs, "Cluster", "ledger").spec.imageName).toBe(`registry.example.com/pg/postgresql:16.4@${DIGEST}`);
  });

  it("FIN4057: malformed, no tag, latest, a tag of another major, no digest under pci-dss", () => {
    const cases: [string, string, string][] = [
      [AWS_PLATFORM, '"Registry.Example.com/PG"', '"Registry.Example.com/PG"'],
      [AWS_PLATFORM, '"registry.example.com/pg/postgresql"', '"registry.example.com/pg/postgresql"'],
      [AWS_PLATFORM, '"registry.example.com/pg/postgresql:latest"', '"registry.example.com/pg/postgresql:latest"'],
      [AWS_PLATFORM, `"registry.example.com/pg/postgresql@${DIGEST}"`, `"registry.example.com/pg/postgresql@${DIGEST}"`],
      [AWS_PLATFORM, '"registry.example.com/pg/postgresql:17.2"', '"registry.example.com/pg/postgresql:17.2"'],
      [pci, '"registry.example.com/pg/postgresql:16.4"', '"registry.example.com/pg/postgresql:16.4"'],
    ];
    for (const [platform, image, covers] of cases) {
      expect(diagnosticsOf({ "main.fin": platform + db(image) }).map((d) => [d.code, d.text]), image).toEqual([["FIN4057", covers]]);
    }
  });

  it("FIN4057: `image` on a standalone database (its StatefulSet runs the official image and finc's TLS arguments)", () => {
    expect(diagnosticsOf({ "main.fin": AWS_PLATFORM + db('"registry.example.com/pg/postgresql:16.4"', "postgres 16 standalone") }).map((d) => d.code)).toEqual(["FIN4057"]);
  });
});
