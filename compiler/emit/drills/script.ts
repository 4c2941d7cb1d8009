/**
 * The drill, in POSIX sh on the CloudNativePG operand image (Debian, with PostgreSQL and
 * barman-cloud, the tools its `recovery` bootstrap runs):
 * 1. `barman-cloud-restore … latest`: the newest base backup into the scratch volume, from the
 *    Cluster's object store on its cloud (`DRILL_PROVIDER`: S3, GCS or Azure Blob; on Azure with
 *    `--credential managed-identity`, as CloudNativePG runs barman-cloud for `inheritFromAzureAD`);
 * 2. PostgreSQL started on it in archive recovery, reading WAL with `barman-cloud-wal-restore`
 *    to the end of the archive, then promoted. Settings appended to postgresql.auto.conf (read
 *    last) keep it private to the pod — no TCP listener, a socket in /tmp, trust on that socket
 *    only — and drop what the restored configuration points at the operator's files
 *    (/controller: certificates, logs, archive command). hot_standby off: it answers only once
 *    recovery has ended, so the first successful query is the restore's end;
 * 3. `select 1` and the declared query, with ON_ERROR_STOP;
 * 4. the restore time in the log and the termination message; exit 0 only if all passed.
 * The measured time is also the Job's run time, which kube-state-metrics reports (rules.ts).
 */
export const DRILL_SCRIPT = [
  "set -eu",
  // The pod's emptyDir at /tmp: the socket, the settings files, the server log.
  't="${TMPDIR:-/tmp}"',
  "start=$(date +%s)",
  // The Cluster's destinationPath, per cloud (the same barman-cloud layout below it on each).
  'case "$DRILL_PROVIDER" in',
  '  aws-s3) DRILL_STORE="s3://$DRILL_BUCKET/$DRILL_PREFIX" ;;',
  '  google-cloud-storage) DRILL_STORE="gs://$DRILL_BUCKET/$DRILL_PREFIX" ;;',
  '  azure-blob-storage) DRILL_STORE="$DRILL_ACCOUNT_URL/$DRILL_BUCKET/$DRILL_PREFIX" ;;',
  '  *) echo "unknown DRILL_PROVIDER \'$DRILL_PROVIDER\'"; exit 1 ;;',
  "esac",
  // Word-split on purpose: the provider flag and, on Azure, the credential flag (no spaces or globs in either).
  'cloud="--cloud-provider $DRILL_PROVIDER${DRILL_AZURE_LOGIN:+ --credential $DRILL_AZURE_LOGIN}"',
  'echo "restoring the latest base backup of $DRILL_SERVER from $DRILL_STORE"',
  'barman-cloud-restore $cloud "$DRILL_STORE" "$DRILL_SERVER" latest "$PGDATA"',
  'chmod 0700 "$PGDATA"',
  ': > "$t/pg_ident.conf"',
  "printf 'local all all trust\\n' > \"$t/pg_hba.conf\"",
  'cat >> "$PGDATA/postgresql.auto.conf" <<EOF',
  "listen_addresses = ''",
  "port = 5432",
  "unix_socket_directories = '$t'",
  "hba_file = '$t/pg_hba.conf'",
  "ident_file = '$t/pg_ident.conf'",
  "ssl = off",
  "archive_mode = off",
  "hot_standby = off",
  "logging_collector = off",
  "log_destination = 'stderr'",
  "restore_command = 'barman-cloud-wal-restore $cloud $DRILL_STORE $DRILL_SERVER %f %p'",
  "recovery_target_timeline = 'latest'",
  "recovery_target_action = 'promote'",
  "EOF",
  'touch "$PGDATA/recovery.signal"',
  // -W: recovery may outlast pg_ctl's wait; the loop waits instead, as long as the Job's deadline allows.
  'pg_ctl -D "$PGDATA" -l "$t/postgres.log" -W start',
  "until psql -h \"$t\" -d postgres -Atc 'select pg_is_in_recovery()' 2>/dev/null | grep -qx f; do",
  "  sleep 5",
  '  pg_ctl -D "$PGDATA" status > /dev/null || { cat "$t/postgres.log"; echo "PostgreSQL stopped during recovery"; exit 1; }',
  "done",
  "restored=$(( $(date +%s) - start ))",
  'psql -h "$t" -d "$DRILL_DATABASE" -v ON_ERROR_STOP=1 -Atc "select 1"',
  'if [ -n "${DRILL_QUERY:-}" ]; then psql -h "$t" -d "$DRILL_DATABASE" -v ON_ERROR_STOP=1 -Atc "$DRILL_QUERY"; fi',
  'echo "restore drill passed: $DRILL_SERVER restored and verified in ${restored}s"',
  'if [ -w /dev/termination-log ]; then echo "restored_seconds=$restored" > /dev/termination-log; fi',
  'pg_ctl -D "$PGDATA" -m fast stop',
].join("\n");
