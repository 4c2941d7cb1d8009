/** The declared type of an application config key (`LOG_LEVEL enum debug info = info`). */
export type ConfigType =
  | { readonly kind: "string" | "int" | "bool" | "duration" | "url" }
  | { readonly kind: "enum"; readonly values: readonly string[] };
