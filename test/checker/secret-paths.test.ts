import { describe, expect, it } from "vitest";
import { diagnosticsOf, itReportsEach, PLATFORM } from "../helpers/compile.js";

/** Secret paths become IAM Resources (aws) and ExternalSecret keys: each names exactly one secret. */
const AWS = `platform p {
  cloud        aws
  regions      eu-west-1 primary
  environments dev
  registry     "registry.example.com" credentials aws "ci/*" key "dockerconfigjson"
}
secretstore aws {
  provider aws
  server   "eu-west-1"
}
namespace apps {}
`;

const service = (secret: string) => `${PLATFORM}service web {
  namespace apps
  image  "registry.example.com/apps/web:1.0.0"
  port   8080
  secret ${secret}
}
`;

describe("secret paths name exactly one secret", () => {
  itReportsEach([
    { name: "a * in a service's secret path (every secret under payments/)", spec: service('API_KEY from vault "payments/*" key "k"'), code: "FIN4033", covers: '"payments/*"', line: 13 },
    { name: "a ? wildcard", spec: service('API_KEY from vault "payments/stripe-?" key "k"'), code: "FIN4033", covers: '"payments/stripe-?"', line: 13 },
    { name: "a glob character class", spec: service('API_KEY from vault "payments/[a-z]" key "k"'), code: "FIN4033", covers: '"payments/[a-z]"', line: 13 },
    { name: "an IAM policy variable", spec: service('API_KEY from vault "payments/${aws:username}" key "k"'), code: "FIN4033", covers: '"payments/${aws:username}"', line: 13 },
    { name: "a database's credentials", spec: `${PLATFORM}database db {\n  namespace apps\n  storage 10Gi\n  credentials from vault "db/*"\n}\n`, code: "FIN4033", covers: '"db/*"', line: 12 },
    { name: "the registry's credentials in an aws store", spec: AWS, code: "FIN4033", covers: '"ci/*"', line: 5 },
  ]);

  it("FIN4033 says which character and why", () => {
    const [d] = diagnosticsOf({ "main.fin": service('API_KEY from vault "payments/*" key "k"') });
    expect(d).toMatchObject({ code: "FIN4033", text: '"payments/*"' });
  });

  it("ordinary paths are accepted: letters, digits and / _ + = . @ -", () => {
    expect(diagnosticsOf({ "main.fin": service('API_KEY from vault "payments/stripe_v2+eu=1.0@x-y" key "k"') })).toEqual([]);
  });
});
