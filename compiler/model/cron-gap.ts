/**
 * The longest wait between two runs of a five-field cron schedule (minute hour day-of-month month
 * day-of-week), in seconds, found by listing a year and a month of fire times in UTC. A "did not
 * run" alert waits this long (plus the run's deadlines) before it fires: `0 22 * * 1-5` has a
 * 72-hour gap over the weekend, `0 2 1 * *` one of 31 days. The schedule's time zone shifts the
 * times by a fixed amount except at clock changes (an hour), which the alert's slack covers.
 * Expects a schedule that passed cronProblem (semantic/schema/scaling-fields.ts).
 */
const BOUNDS: readonly (readonly [number, number, (readonly string[])?])[] = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12, ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]],
  [0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]],
];

function values(field: string, i: number): Set<number> {
  const [min, max, names] = BOUNDS[i]!;
  const num = (t: string): number => {
    const n = names?.indexOf(t.toUpperCase()) ?? -1;
    return n >= 0 ? (i === 3 ? n + 1 : n) : Number(t);
  };
  const out = new Set<number>();
  for (const item of field.split(",")) {
    const [range, stepText] = item.split("/");
    const step = stepText ? Number(stepText) : 1;
    const [lo, hi] = range === "*" ? [min, max] : range!.includes("-") ? range!.split("-").map(num) as [number, number] : [num(range!), stepText ? max : num(range!)];
    for (let v = lo; v <= hi; v += step) out.add(i === 4 && v === 7 ? 0 : v);
  }
  return out;
}

export function maxCronGapSeconds(cron: string): number {
  const parts = cron.trim().split(/\s+/);
  const [minutes, hours, doms, months, dows] = parts.map(values) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  // Cron's rule: with both day fields restricted, a day matches either of them.
  const domAny = parts[2] === "*";
  const dowAny = parts[4] === "*";
  const dayMatches = (d: Date): boolean => {
    const dom = doms.has(d.getUTCDate());
    const dow = dows.has(d.getUTCDay());
    return domAny && dowAny ? true : domAny ? dow : dowAny ? dom : dom || dow;
  };
  const start = Date.UTC(2026, 0, 1);
  const minuteList = [...minutes].sort((a, b) => a - b);
  const hourList = [...hours].sort((a, b) => a - b);
  let prev: number | undefined;
  let gap = 0;
  for (let day = 0; day < 366 + 62; day++) {
    const d = new Date(start + day * 86_400_000);
    if (!months.has(d.getUTCMonth() + 1) || !dayMatches(d)) continue;
    for (const h of hourList)
      for (const m of minuteList) {
        const t = d.getTime() / 1000 + h * 3600 + m * 60;
        if (prev !== undefined) gap = Math.max(gap, t - prev);
        prev = t;
      }
  }
  // Fewer than two runs in the span (29 February): wait a year.
  return gap || 366 * 86_400;
}
