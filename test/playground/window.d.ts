// The page's test hook (playground/src/main.ts), typed for page.evaluate callbacks.
import type * as MonacoApi from "monaco-editor/esm/vs/editor/editor.api.js";

declare global {
  interface Window {
    finPlayground?: { editor: MonacoApi.editor.IStandaloneCodeEditor; monaco: typeof MonacoApi; compiles: number; files(environment: string): readonly { path: string; content: string }[] };
  }
}
export {};
