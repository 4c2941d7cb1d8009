// Modules the playground build (scripts/build-playground.mjs) generates.
declare module "virtual:examples" {
  const examples: readonly { name: string; text: string; files: Record<string, string> }[];
  export default examples;
}
declare module "virtual:stdlib" {
  const stdlib: Record<string, string>;
  export default stdlib;
}
declare module "monaco-editor/esm/vs/editor/edcore.main.js" {
  export * from "monaco-editor/esm/vs/editor/editor.api.js";
}
