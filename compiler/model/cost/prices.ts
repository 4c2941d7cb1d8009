/**
 * The price table of `finc cost` (mission area 15), kept as data: list prices in USD of
 * capacity billed by what a pod requests — AWS Fargate, GKE Autopilot (general-purpose pods),
 * Azure Container Instances — per vCPU-hour and per GiB-hour, and block storage per GiB-month,
 * rounded, as the providers published them for these regions (checked 2026-11; approximate:
 * an estimate for reviewing a change, not a bill). Spot capacity is priced at the stated
 * discount. Another table (negotiated rates, node-based pricing) goes in with
 * `finc cost --prices <file.json>` in this shape.
 */
export interface RegionPrices {
  readonly cpuHour: number;
  readonly gibHour: number;
  /** Block storage per GiB-month by finc's storage tier (`standard`, `fast`). */
  readonly storageGibMonth: { readonly standard: number; readonly fast: number };
  /** Fraction taken off for spot/preemptible capacity (`spot yes`). */
  readonly spotDiscount: number;
}

export interface CloudPrices {
  /** Used for a region the table does not list (said so in the estimate). */
  readonly default: string;
  readonly regions: Readonly<Record<string, RegionPrices>>;
}

export interface PriceTable {
  readonly currency: "USD";
  readonly source: string;
  readonly clouds: Readonly<Record<string, CloudPrices>>;
}

export const PRICE_TABLE: PriceTable = {
  currency: "USD",
  source: "list prices (AWS Fargate + EBS gp3/io2, GKE Autopilot + pd-balanced/pd-ssd, Azure Container Instances + Premium SSD), 2026-11, rounded",
  clouds: {
    aws: {
      default: "us-east-1",
      regions: {
        "us-east-1": { cpuHour: 0.04048, gibHour: 0.004445, storageGibMonth: { standard: 0.08, fast: 0.125 }, spotDiscount: 0.7 },
        "eu-west-1": { cpuHour: 0.04456, gibHour: 0.004865, storageGibMonth: { standard: 0.088, fast: 0.138 }, spotDiscount: 0.7 },
        "eu-central-1": { cpuHour: 0.04656, gibHour: 0.00511, storageGibMonth: { standard: 0.0952, fast: 0.149 }, spotDiscount: 0.7 },
        "eu-west-2": { cpuHour: 0.04656, gibHour: 0.00511, storageGibMonth: { standard: 0.0928, fast: 0.145 }, spotDiscount: 0.7 },
      },
    },
    gcp: {
      default: "us-central1",
      regions: {
        "us-central1": { cpuHour: 0.0445, gibHour: 0.0049225, storageGibMonth: { standard: 0.1, fast: 0.17 }, spotDiscount: 0.6 },
        "europe-west1": { cpuHour: 0.049, gibHour: 0.005416, storageGibMonth: { standard: 0.11, fast: 0.187 }, spotDiscount: 0.6 },
        "europe-west3": { cpuHour: 0.0571, gibHour: 0.00631, storageGibMonth: { standard: 0.128, fast: 0.221 }, spotDiscount: 0.6 },
      },
    },
    azure: {
      default: "eastus",
      regions: {
        eastus: { cpuHour: 0.0486, gibHour: 0.0054, storageGibMonth: { standard: 0.077, fast: 0.154 }, spotDiscount: 0.7 },
        westeurope: { cpuHour: 0.0535, gibHour: 0.00594, storageGibMonth: { standard: 0.085, fast: 0.17 }, spotDiscount: 0.7 },
      },
    },
  },
};

/** Hours in the month the estimate and the budgets use (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;
