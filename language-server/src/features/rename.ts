import { ResponseError, ErrorCodes, type Range, type TextEdit, type WorkspaceEdit } from "vscode-languageserver";
import type { Program } from "../../../compiler/program.js";
import { nameSpace, type DeclInfo } from "../../../compiler/semantic/declarations.js";
import { sourceRangeToRange } from "../positions.js";
import { symbolAt } from "../syntax-query.js";
import { pathToUri } from "../uri.js";
import { referenceRanges } from "./references.js";

const NAME = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

const refuse = (message: string): ResponseError<void> => new ResponseError(ErrorCodes.InvalidRequest, message);

function renameTarget(program: Program, path: string, offset: number): { target: DeclInfo; range: Range; name: string } {
  const sym = symbolAt(program, path, offset);
  if (!sym) throw refuse("Only names of declarations can be renamed.");
  const t = sym.target;
  if (t.stdlib || program.files.get(t.file)?.stdlib) throw refuse(`'${t.name}' is declared in the stdlib and cannot be renamed.`);
  const range = sourceRangeToRange(program, sym.range);
  if (!range) throw refuse("Nothing to rename here.");
  const name = program.getSourceFile(sym.range.file)!.text.slice(sym.range.start, sym.range.end);
  return { target: t, range, name };
}

/** Throws a ResponseError saying why the name cannot be renamed here. */
export function prepareRename(program: Program, path: string, offset: number): { range: Range; placeholder: string } {
  const { range, name } = renameTarget(program, path, offset);
  return { range, placeholder: name };
}

export function rename(program: Program, path: string, offset: number, newName: string): WorkspaceEdit {
  const { target, name } = renameTarget(program, path, offset);
  if (!NAME.test(newName)) throw refuse(`'${newName}' is not a valid name: use lower-case letters, digits and '-', starting with a letter and not ending with '-'.`);
  if (newName === name) return { changes: {} };
  if (target.kind === "environment") {
    if (program.checked.environments.includes(newName)) throw refuse(`The platform already has an environment '${newName}'.`);
  } else {
    const clash = program.declarations.lookup(nameSpace(target.kind), newName);
    if (clash && clash !== target) throw refuse(`A ${clash.kind} named '${newName}' already exists${clash.stdlib ? " in the stdlib" : ""}.`);
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const r of referenceRanges(program, target, true)) {
    const range = sourceRangeToRange(program, r);
    if (!range) continue;
    const uri = pathToUri(r.file);
    (changes[uri] ??= []).push({ range, newText: newName });
  }
  return { changes };
}
