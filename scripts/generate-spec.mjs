// The generated spec the benchmark and the kill -9 test build: one generator, so both measure the same shape.

/** A spec with n services shaped like the example's: patterns, config, secrets, calls, a migration, environments. */
export function generateSpec(n, tag = "1.0") {
  const dbs = Math.max(1, Math.floor(n / 10));
  let s = `platform bench {\n  cloud aws\n  regions eu-west-1 primary, eu-central-1\n  environments dev, staging, prod\n  registry "registry.example.com" credentials vault "ci/registry" key "dockerconfigjson"\n}\n\nsecretstore vault {\n  provider vault\n  server "https://vault.example.com"\n  role "bench"\n}\n\nnamespace apps {\n  security restricted\n  residency eu\n}\n\nissuer letsencrypt {\n  acme "https://acme-v02.api.letsencrypt.org/directory" email "ops@example.com"\n}\n\nimport "fintech/internal-service"\nimport "fintech/payment-api"\nimport "fintech/ledger-db"\n\n`;
  for (let d = 0; d < dbs; d++) s += `database db${d} is ledger-db {\n  storage 50Gi fast\n  credentials from vault "bench/db${d}"\n}\n\n`;
  for (let i = 0; i < n; i++) {
    const pattern = i % 10 === 0 ? "payment-api" : "internal-service";
    const callee = i + 1 < n ? `svc${i + 1}, ` : "";
    s += `/// Service number ${i}.\nservice svc${i} is ${pattern} {\n  image "registry.example.com/bench/svc${i}:${tag}.${i}"\n  cpu 100m to 500m\n  memory 256Mi\n  config LOG_LEVEL = "info", INDEX = "${i}"\n  secret API_KEY from vault "bench/svc${i}" key "api-key"\n  secret DATABASE_URL from db${i % dbs}.url\n  calls ${callee}db${i % dbs}\n${pattern === "payment-api" ? `  expose "svc${i}.example.com" path /v1 tls letsencrypt\n` : ""}${i % 5 === 0 ? `  migrate "registry.example.com/bench/migrate:1.0.${i}" run "migrate up"\n` : ""}}\n\n`;
  }
  s += `environment dev {\n  svc0.replicas 1 to 2\n}\n`;
  return s;
}
