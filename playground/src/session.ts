import { buildOutputs } from "../../compiler/emit/build-outputs.js";
import { createProgram, type Program } from "../../compiler/program.js";
import { createMemoryHost, STDLIB_DIR } from "./memory-host.js";

/** Where the edited document lives in the in-memory file system. */
export const DOCUMENT_PATH = "/playground/main.fin";

export interface OutputFileView {
  readonly path: string;
  readonly content: string;
}

/**
 * One compilation of the document: the same Program the CLI and the language server
 * build, over an in-memory host (stdlib + the document + files it reads, e.g. SQL).
 */
export class PlaygroundSession {
  private readonly files = new Map<string, string>();
  private current: Program | undefined;
  private readonly outputs = new Map<string, readonly OutputFileView[]>();

  constructor(stdlib: Readonly<Record<string, string>>) {
    for (const [rel, text] of Object.entries(stdlib)) this.files.set(`${STDLIB_DIR}/${rel}`, text);
  }

  /** Replaces the document (and the side files of an example, relative to the document's folder). */
  update(text: string, sideFiles: Readonly<Record<string, string>> = {}): Program {
    for (const p of [...this.files.keys()]) if (p.startsWith("/playground/")) this.files.delete(p);
    for (const [rel, content] of Object.entries(sideFiles)) this.files.set(`/playground/${rel}`, content);
    this.files.set(DOCUMENT_PATH, text);
    const host = createMemoryHost(this.files);
    this.current = createProgram({ host, roots: [DOCUMENT_PATH], ...(this.current ? { oldProgram: this.current } : {}) });
    this.outputs.clear();
    return this.current;
  }

  /** The document text the current program was built from. */
  get text(): string | undefined {
    return this.files.get(DOCUMENT_PATH);
  }

  get program(): Program | undefined {
    return this.current;
  }

  get environments(): readonly string[] {
    return this.current?.checked.environments ?? [];
  }

  /** The files one environment compiles to; none while the spec has errors (the CLI would refuse to build). */
  filesOf(environment: string): readonly OutputFileView[] {
    const program = this.current;
    if (!program || program.diagnostics.some((d) => d.severity === "error")) return [];
    let files = this.outputs.get(environment);
    if (!files) {
      const out = buildOutputs(program, { environments: [environment] });
      files = out.diagnostics.some((d) => d.severity === "error") ? [] : out.files.map((f) => ({ path: f.path, content: f.content }));
      this.outputs.set(environment, files);
    }
    return files;
  }
}
