/**
 * The drill of `into namespace <scratch>`, in POSIX sh with kubectl only (the pod has no cloud
 * identity and no database client; the restored Cluster's pods have both):
 * 1. a leftover Cluster of a drill that was killed is deleted first (and waited for);
 * 2. the clock starts; the Cluster from the ConfigMap (cluster.yaml: `bootstrap.recovery` from
 *    the database's object store, one instance) is created — the operator restores the latest
 *    base backup, replays the WAL and starts the instance, as it would for a real restore;
 * 3. `kubectl wait` until the Cluster is Ready, within what is left of the Job's deadline;
 * 4. `select 1` and the declared query run by `kubectl exec` in the one instance's postgres container
 *    (psql over its local socket: no password, no Secret to read, no network path to the pod);
 * 5. the seconds from creation to the query's success in the log and the termination message;
 *    the Cluster (and with it its volume) is deleted on any exit, without waiting.
 */
export const DRILL_INTO_SCRIPT = [
  "set -eu",
  'k="kubectl -n $DRILL_NAMESPACE"',
  '$k delete cluster "$DRILL_CLUSTER" --ignore-not-found --wait=true --timeout=15m',
  "start=$(date +%s)",
  'trap \'$k delete cluster "$DRILL_CLUSTER" --ignore-not-found --wait=false\' EXIT',
  'echo "restoring $DRILL_SERVER as the Cluster $DRILL_NAMESPACE/$DRILL_CLUSTER"',
  '$k create -f /etc/drill/cluster.yaml',
  // The Job's deadline bounds the whole run; the wait gets what is left of it.
  'left=$(( DRILL_TIMEOUT_SECONDS - ( $(date +%s) - start ) - 120 ))',
  '$k wait "cluster/$DRILL_CLUSTER" --for=condition=Ready --timeout="${left}s"',
  // One instance: the operator names it <cluster>-1 (the Role names that pod alone).
  'pod="$DRILL_CLUSTER-1"',
  '$k exec "$pod" -c postgres -- psql -d "$DRILL_DATABASE" -v ON_ERROR_STOP=1 -Atc "select 1"',
  'if [ -n "${DRILL_QUERY:-}" ]; then $k exec "$pod" -c postgres -- psql -d "$DRILL_DATABASE" -v ON_ERROR_STOP=1 -Atc "$DRILL_QUERY"; fi',
  "restored=$(( $(date +%s) - start ))",
  'echo "restore drill passed: $DRILL_SERVER restored as a Cluster and verified in ${restored}s"',
  'if [ -w /dev/termination-log ]; then echo "restored_seconds=$restored" > /dev/termination-log; fi',
].join("\n");
