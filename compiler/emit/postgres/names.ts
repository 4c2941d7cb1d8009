// The database names live in the model (compiler/model/database-names.ts); the emitters import them from here.
export * from "../../model/database-names.js";
