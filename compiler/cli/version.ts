declare const FINC_VERSION: string | undefined;
/** Set from package.json by the bundler (scripts/build.mjs). */
export const VERSION: string = typeof FINC_VERSION === "string" ? FINC_VERSION : "0.0.0-dev";
