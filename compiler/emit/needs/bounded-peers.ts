/**
 * The needs file denies every undeclared pair of workloads: that is quadratic (10^8
 * entries at 10,000 services, gigabytes per environment). Up to this many peers per
 * workload (every example spec) all of them are listed; past it, each workload
 * lists this many, so the file grows linearly and still tests every workload both as a
 * source and as a target.
 */
export const DENIED_PEERS_PER_WORKLOAD = 16;

/**
 * The items `keep` accepts: all of them when there are at most `limit + 1` items, else
 * the first `limit` accepted ones scanning from index `start` round the list (a ring, so
 * that consecutive workloads cover different targets). Always in the list's order.
 */
export function boundedPeers<T>(items: readonly T[], start: number, keep: (item: T) => boolean, limit = DENIED_PEERS_PER_WORKLOAD): T[] {
  if (items.length <= limit + 1) return items.filter(keep);
  const picked: number[] = [];
  for (let k = 0; k < items.length && picked.length < limit; k++) {
    const i = (start + k) % items.length;
    if (keep(items[i]!)) picked.push(i);
  }
  return picked.sort((a, b) => a - b).map((i) => items[i]!);
}
