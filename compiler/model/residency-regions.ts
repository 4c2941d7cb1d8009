import type { Cloud } from "./platform-model.js";

/**
 * Data residency as data: for each jurisdiction a namespace may name (`residency eu`), the
 * regions of each cloud whose data centres are inside it, spelled as the cloud's nodes carry
 * them in `topology.kubernetes.io/region` (AWS `eu-west-1`, GCP `europe-west1`, Azure
 * `westeurope`). A region belongs to a jurisdiction by where it is, never by its name's
 * prefix: AWS's `eu-west-2` is London and `eu-central-2` Zurich, neither in the EU.
 *
 * `eu` is the EU and the EEA (GDPR's territory, so Azure's Norway regions are in it);
 * the UK and Switzerland are jurisdictions of their own. `onprem` regions are the
 * operator's own names: there a region belongs to `eu` when it is `eu` or starts `eu-`.
 */
export const JURISDICTIONS = ["eu", "uk", "ch", "us", "ca", "au", "jp", "in", "br", "sg", "kr"] as const;
export type Jurisdiction = (typeof JURISDICTIONS)[number];

type CloudRegions = Readonly<Record<Exclude<Cloud, "onprem">, readonly string[]>>;

export const RESIDENCY_REGIONS: Readonly<Record<Jurisdiction, { readonly name: string; readonly regions: CloudRegions }>> = {
  eu: {
    name: "the EU/EEA",
    regions: {
      aws: ["eu-central-1", "eu-north-1", "eu-south-1", "eu-south-2", "eu-west-1", "eu-west-3"],
      gcp: ["europe-central2", "europe-north1", "europe-north2", "europe-southwest1", "europe-west1", "europe-west3", "europe-west4", "europe-west8", "europe-west9", "europe-west10", "europe-west12"],
      azure: ["francecentral", "francesouth", "germanynorth", "germanywestcentral", "italynorth", "northeurope", "norwayeast", "norwaywest", "polandcentral", "spaincentral", "swedencentral", "swedensouth", "westeurope"],
    },
  },
  uk: { name: "the United Kingdom", regions: { aws: ["eu-west-2"], gcp: ["europe-west2"], azure: ["uksouth", "ukwest"] } },
  ch: { name: "Switzerland", regions: { aws: ["eu-central-2"], gcp: ["europe-west6"], azure: ["switzerlandnorth", "switzerlandwest"] } },
  us: {
    name: "the United States",
    regions: {
      aws: ["us-east-1", "us-east-2", "us-gov-east-1", "us-gov-west-1", "us-west-1", "us-west-2"],
      gcp: ["us-central1", "us-east1", "us-east4", "us-east5", "us-south1", "us-west1", "us-west2", "us-west3", "us-west4"],
      azure: ["centralus", "eastus", "eastus2", "northcentralus", "southcentralus", "westcentralus", "westus", "westus2", "westus3"],
    },
  },
  ca: { name: "Canada", regions: { aws: ["ca-central-1", "ca-west-1"], gcp: ["northamerica-northeast1", "northamerica-northeast2"], azure: ["canadacentral", "canadaeast"] } },
  au: { name: "Australia", regions: { aws: ["ap-southeast-2", "ap-southeast-4"], gcp: ["australia-southeast1", "australia-southeast2"], azure: ["australiacentral", "australiacentral2", "australiaeast", "australiasoutheast"] } },
  jp: { name: "Japan", regions: { aws: ["ap-northeast-1", "ap-northeast-3"], gcp: ["asia-northeast1", "asia-northeast2"], azure: ["japaneast", "japanwest"] } },
  in: { name: "India", regions: { aws: ["ap-south-1", "ap-south-2"], gcp: ["asia-south1", "asia-south2"], azure: ["centralindia", "southindia", "westindia"] } },
  br: { name: "Brazil", regions: { aws: ["sa-east-1"], gcp: ["southamerica-east1"], azure: ["brazilsouth", "brazilsoutheast"] } },
  sg: { name: "Singapore", regions: { aws: ["ap-southeast-1"], gcp: ["asia-southeast1"], azure: ["southeastasia"] } },
  kr: { name: "South Korea", regions: { aws: ["ap-northeast-2"], gcp: ["asia-northeast3"], azure: ["koreacentral", "koreasouth"] } },
};

export function isJurisdiction(name: string): name is Jurisdiction {
  return (JURISDICTIONS as readonly string[]).includes(name);
}

/** Is a region of `cloud` inside the jurisdiction? Unknown jurisdictions contain nothing. */
export function regionInJurisdiction(cloud: Cloud, jurisdiction: string, region: string): boolean {
  if (cloud === "onprem") return region === jurisdiction || region.startsWith(`${jurisdiction}-`);
  if (!isJurisdiction(jurisdiction)) return false;
  return RESIDENCY_REGIONS[jurisdiction].regions[cloud].includes(region);
}

/** The regions of a cloud inside a jurisdiction (for hints). */
export function jurisdictionRegions(cloud: Cloud, jurisdiction: Jurisdiction): readonly string[] {
  return cloud === "onprem" ? [] : RESIDENCY_REGIONS[jurisdiction].regions[cloud];
}
