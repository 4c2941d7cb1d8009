import { diag } from "../../diagnostics/messages.js";
import { single } from "../readers.js";
import { isImageRef } from "./common-fields.js";
import { field } from "./field-spec.js";

/** What is wrong with a PostgreSQL image reference on its own (the platform's compliance is checked on the model), or undefined. */
export function databaseImageProblem(image: string, major: string | undefined): { message: string; hint: string } | undefined {
  if (!isImageRef(image)) return { message: `The database image '${image}' is not an image reference.`, hint: 'Write "<registry>/<repository>:<tag>", lower case, e.g. "registry.example.com/pg/postgresql:16.4".' };
  const last = image.split("/").pop()!.split("@")[0]!;
  const tag = last.includes(":") ? last.slice(last.indexOf(":") + 1) : undefined;
  if (tag === undefined) return { message: `The database image '${image}' has no tag: the operator reads the PostgreSQL major version from the tag, and an untagged image is whatever was pushed last.`, hint: "Pin a version tag (add the digest too: `:16.4@sha256:…`)." };
  if (tag === "latest") return { message: `The database image '${image}' is not pinned: \`latest\` changes under the running cluster and the operator cannot tell its major version.`, hint: "Pin a version tag such as `:16.4` (and the digest)." };
  if (major !== undefined && !new RegExp(`^${major}(?![0-9])`).test(tag)) return { message: `The database image '${image}' is tagged '${tag}', which is not PostgreSQL ${major} as \`engine postgres ${major}\` says.`, hint: `Use an image of PostgreSQL ${major} (a tag starting with ${major}), or change \`engine\`.` };
  return undefined;
}

/** Database fields about how the Cluster's instances start: the image they run and the SQL run once at creation. */
export const databaseBootstrapFields = {
  image: field({
    doc: "A custom PostgreSQL image for the CloudNativePG Cluster (`spec.imageName`), e.g. one with extensions. It must be built on CloudNativePG's operand image (barman-cloud for backups), pinned by a version tag whose major is the `engine`'s, and carry a `@sha256:` digest under `compliance pci-dss` (FIN4057). Default: `ghcr.io/cloudnative-pg/postgresql:<major>`. Not for `standalone`.",
    syntax: '"<registry>/<repository>:<tag>[@sha256:<digest>]"',
    example: '"registry.example.com/pg/postgresql:16.4"',
    read: (ctx) =>
      single(ctx, (r) => {
        const s = r.string("an image reference in double quotes");
        if (!s) return undefined;
        // The major is checked against `engine` on the model (check-database-image.ts): the fields are read independently.
        const why = databaseImageProblem(s.value, undefined);
        if (why) ctx.report(diag("FIN4057", s.range, why));
        return why ? undefined : s;
      }),
  }),
  init: field({
    doc: "SQL run once, as the superuser in the application database, right after the Cluster is created (`bootstrap.initdb.postInitApplicationSQLRefs`): extensions, schemas, grants. A `.sql` file relative to the spec file, inside its directory, at most 1 MiB, with no credentials in it (FIN4056); finc puts it in a ConfigMap `<database>-init`. Not for `standalone`.",
    syntax: '"<file.sql>"',
    example: '"sql/init.sql"',
    read: (ctx) =>
      single(ctx, (r) => {
        const s = r.string("the path of a .sql file in double quotes");
        return s && { path: s.value, range: s.range };
      }),
  }),
};
