// The spec the language-server benchmark edits (and the incremental-diagnostics test): no imports, one file.

/** A platform with `services` services of 13 lines each (150 ≈ 2,000 lines, 1,500 ≈ 20,000). */
export function generateLspSpec(services) {
  const out = [
    `platform bench {\n  cloud        aws\n  regions      eu-west-1 primary\n  kubernetes   "1.31"\n  environments dev, staging, prod\n}\n`,
    `secretstore vault {\n  provider vault\n  server   "https://vault.example.com:8200"\n  path     "secret"\n  role     "bench"\n}\n`,
    `namespace bench {\n  security restricted\n  quota    cpu 4000, memory 8000Gi, pods 10000\n}\n`,
  ];
  for (let i = 0; i < services; i++) {
    out.push(`/// Service number ${i}.
service svc-${i} {
  image    "registry.example.com/bench/svc-${i}:1.0.${i}"
  port     http 8080
  replicas 2 to 6 at cpu 70%
  cpu      250m to 1
  memory   512Mi to 1Gi
  config   LOG_LEVEL = "info", INDEX = "${i}"
  secret   API_KEY from vault "bench/svc-${i}" key "api-key"
  probe    readiness /ready, liveness /healthz
  calls    svc-${(i + 1) % services}
}
`);
  }
  out.push(`environment prod {\n  svc-0.replicas 3 to 12\n}\n`);
  return out.join("\n");
}
