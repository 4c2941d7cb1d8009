/** A spec with every file and volume form: ESO and Vault-agent secret files, shared and per-replica volumes, scratch on disk and in memory. */
export const VOLUMES_SPEC = `platform p {
  environments dev
}
secretstore vault {
  provider vault
  server   "https://vault.example.com"
}
secretstore agent {
  provider vault
  server   "https://vault.vault.svc:8200"
  path     "kv"
  delivery vault-agent
}
namespace apps {}
service api {
  image    "r.io/api:1.0.0"
  port     http 8080
  replicas 1
  memory   512Mi to 2Gi
  secret   API_KEY from vault "apps/api" key "api-key"
  secret   file /etc/jwt/signing.pem from vault "apps/jwt" key "private-key"
  secret   files /etc/tls from vault "apps/tls" keys "tls.crt" "tls.key" mode 0440
  secret   file /etc/agent/token.txt from agent "apps/agent" key "token" mode 0440
  volume   /data 10Gi fast
  scratch  /tmp 1Gi memory
  scratch  /var/cache/app 2Gi
}
service ledger {
  image    "r.io/ledger:1.0.0"
  port     http 8080
  replicas 3 to 6 at cpu 70%
  volume   /data 20Gi per-replica
  volume   /var/lib/wal 5Gi gp3-encrypted per-replica
}
cronjob statements {
  image    "r.io/statements:1.0.0"
  schedule "0 2 * * *"
  volume   /reports 5Gi
  secret   file /etc/signing/key.pem from vault "apps/statements" key "signing-key"
}
worker consumer {
  image    "r.io/consumer:1.0.0"
  replicas 2
  volume   /data 1Gi archive per-replica
}
`;
