/**
 * Units of .fin values and their canonical Kubernetes spellings. A quantity keeps
 * both its numeric value (for checks such as request ≤ limit and quota budgets)
 * and the text Kubernetes should see.
 */

/** The largest int32 and the largest integer a JSON/YAML number holds exactly (int64 fields beyond it become floats). */
export const INT32_MAX = 2 ** 31 - 1;
export const SAFE_INT_MAX = Number.MAX_SAFE_INTEGER;

/**
 * `0.1 * 1000` is 100.00000000000001 in floating point: a product within a billionth of a
 * whole number is that number. A genuinely fractional result (`0.0005` cores, `1.1Mi`) stays
 * fractional, so that the field's range can refuse it instead of rounding it silently.
 */
function snap(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - r) <= 1e-9 * Math.max(1, Math.abs(x)) ? r : x;
}

/** CPU in millicores: `500m` → 500, `2` → 2000, `0.5` → 500; `0.0005` → 0.5 (refused by the range: Kubernetes counts whole millicores). */
export function parseCpu(value: number, unit: string): number | undefined {
  if (unit === "") return snap(value * 1000);
  if (unit === "m") return value;
  return undefined;
}

export function formatCpu(millicores: number): string {
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

const MEMORY_UNITS: Record<string, number> = {
  Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4,
  k: 1e3, K: 1e3, M: 1e6, G: 1e9, T: 1e12,
};

/** Memory in bytes: `512Mi`, `2Gi`, `1G`. A bare number is rejected: bytes are never what people mean. */
export function parseMemory(value: number, unit: string): number | undefined {
  const factor = MEMORY_UNITS[unit];
  return factor === undefined ? undefined : snap(value * factor);
}

/** Formats bytes back to the largest exact binary unit (for quotas and sums). */
export function formatMemory(bytes: number): string {
  for (const [unit, f] of [["Ti", 1024 ** 4], ["Gi", 1024 ** 3], ["Mi", 1024 ** 2], ["Ki", 1024]] as const) {
    if (bytes % f === 0) return `${bytes / f}${unit}`;
  }
  return String(bytes);
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Durations in milliseconds: `300ms`, `30s`, `5m`, `6h`, `30d`. */
export function parseDuration(value: number, unit: string): number | undefined {
  const f = DURATION_UNITS[unit];
  return f === undefined ? undefined : snap(value * f);
}

/** Go-style duration text as Istio and cert-manager expect it: `1.5s`, `300ms`, `6h`. */
export function formatDuration(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/** Rates in requests per second: `100/s`, `6000/m`, `10000/h`. */
export function parseRate(value: number, unit: string): { perSecond: number; amount: number; per: "s" | "m" | "h" } | undefined {
  const per = unit === "/s" ? "s" : unit === "/m" ? "m" : unit === "/h" ? "h" : undefined;
  if (!per) return undefined;
  const perSecond = value / (per === "s" ? 1 : per === "m" ? 60 : 3600);
  return { perSecond, amount: value, per };
}

export const UNIT_SUFFIXES = {
  cpu: ["m"],
  memory: ["Mi", "Gi", "Ti", "Ki", "M", "G", "T", "k"],
  duration: ["ms", "s", "m", "h", "d"],
  rate: ["/s", "/m", "/h"],
  percent: ["%"],
} as const;
