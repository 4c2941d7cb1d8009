import { KIND_SPECS } from "../../compiler/semantic/schema/index.js";
import { minimalDeclaration } from "../../scripts/gen-language-reference.js";

/**
 * Wrong inputs that drive every hint a user can meet: for each field of each kind, the field
 * with no value and with values of the wrong shape; a misspelt field and a misspelt kind; names
 * that resolve to nothing; plaintext secrets. They are written against a platform whose only
 * secret store is `sm`, an AWS Secrets Manager store, so that a hint naming another provider
 * (or a store `vault` that does not exist) shows up.
 */
export const AWS_STORE = "sm";

const HEAD = `platform p {
  environments dev, prod
  cloud aws
  regions eu-west-1 primary
}
secretstore ${AWS_STORE} {
  provider aws
  server "eu-west-1"
}
namespace apps {}
`;

/** Values of the wrong shape for any field: nothing, a stray comma, a string, a huge number, an unknown word, a path. */
const BAD_VALUES = ["", ",", '"zzz"', "99999999999", "zzz", "/zzz", "zzz zzz zzz", "1 2 3"];

/** The example values of a kind's required fields use the store `vault`: the battery's store is `sm`. */
const onAwsStore = (text: string): string => text.replace(/\bvault\b(?= ")/g, AWS_STORE);

function declaration(kind: string, line: string): string {
  if (kind === "platform") return `platform p {\n  environments dev, prod\n  cloud aws\n  regions eu-west-1 primary\n  ${line}\n}\nsecretstore ${AWS_STORE} {\n  provider aws\n  server "eu-west-1"\n}\nnamespace apps {}\n`;
  return HEAD + onAwsStore(minimalDeclaration(kind, "subject", [line]));
}

export interface BatteryCase {
  readonly name: string;
  readonly text: string;
}

export function hintBattery(): BatteryCase[] {
  const cases: BatteryCase[] = [];
  for (const [kind, k] of Object.entries(KIND_SPECS)) {
    for (const field of Object.keys(k.fields)) for (const v of BAD_VALUES) cases.push({ name: `${kind}.${field} ${v || "(empty)"}`, text: declaration(kind, `${field} ${v}`.trimEnd()) });
    cases.push({ name: `${kind}: misspelt field`, text: declaration(kind, "zzzz 1") });
    for (const f of k.required) cases.push({ name: `${kind}: misspelt ${f}`, text: declaration(kind, `${f.slice(0, -1)} 1`) });
    for (const refused of Object.keys(k.refused ?? {})) cases.push({ name: `${kind}: refused ${refused}`, text: declaration(kind, `${refused} 1`) });
  }
  const svc = (lines: string): string => `${HEAD}service api {\n  image "r.io/api:1.0.0"\n  port http 8080\n${lines}}\n`;
  cases.push(
    { name: "misspelt kind", text: `${HEAD}servise api {}\n` },
    { name: "unknown pattern", text: `${HEAD}service api is zzz-api {\n  image "r.io/api:1.0.0"\n  port http 8080\n}\n` },
    { name: "unknown environment", text: `${HEAD}environment zzz {}\n` },
    { name: "unknown override target", text: `${HEAD}environment dev {\n  zzz.replicas 2\n}\n` },
    { name: "calls nothing declared", text: svc("  calls zzz\n") },
    { name: "unknown store", text: svc('  secret API_KEY from zzz "team/api" key "api-key"\n') },
    { name: "plaintext secret", text: svc('  secret API_KEY = "hunter2"\n') },
    { name: "not sealed", text: svc('  secret API_KEY from sealed "hunter2"\n') },
    { name: "credential in config", text: svc('  config DATABASE_URL = "postgres://admin:hunter2@db:5432/ledger"\n') },
    { name: "unknown issuer", text: svc('  expose "api.example.com" tls zzz\n') },
    { name: "unknown namespace", text: svc("  namespace zzz\n") },
    { name: "unknown database output", text: svc("  secret DB from ledger.zzz\n") },
    { name: "enum without values", text: svc("  config LEVEL enum\n") },
    { name: "no database to read an output of", text: svc("  secret DB from ledger.url\n") },
    { name: "no namespace declared", text: `platform p {\n  environments dev\n}\nservice api {\n  namespace zzz\n  image "r.io/api:1.0.0"\n  port http 8080\n}\n` },
    // test/checker/multiple-errors.test.ts: five different errors in one file.
    { name: "multiple errors", text: "platform p {\n  environments dev\n}\nnamespace apps {\n  security strict\n}\nservice api {\n  image \"r.io/api:1.0\"\n  port http 8080\n  replcas 3\n  cpu 2 to 500m\n  calls ledgr\n}\nservice ledger {\n  port http 8080\n}\n" },
    { name: "syntax errors", text: "platform p {\n  environments dev\n}\nservice a {\n  image = \n  port 80 ]\n}\n}\nservice b {\n  port 80 $\n}\n" },
  );
  return cases;
}
