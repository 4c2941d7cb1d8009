/**
 * The syntax tree. Every node keeps exact UTF-16 offsets [start, end) into its file,
 * so diagnostics, the source map and the language server can point at it.
 */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface Name extends Span {
  readonly text: string;
}

export interface StringAtom extends Span {
  readonly kind: "String";
  readonly value: string;
}
/** A number with an optional unit suffix: `3`, `500m`, `2Gi`, `30s`, `70%`, `100/s`. */
export interface NumberAtom extends Span {
  readonly kind: "Number";
  readonly raw: string;
  readonly value: number;
  readonly unit: string;
}
/** A bare word or a dotted reference: `aws`, `eu-west-1`, `ledger.url`. */
export interface WordAtom extends Span {
  readonly kind: "Word";
  readonly parts: readonly Name[];
}
export interface PathAtom extends Span {
  readonly kind: "Path";
  readonly value: string;
}
export interface OperatorAtom extends Span {
  readonly kind: "Operator";
  readonly op: string;
}
export interface ListAtom extends Span {
  readonly kind: "List";
  readonly items: readonly Term[];
}
export type Atom = StringAtom | NumberAtom | WordAtom | PathAtom | OperatorAtom | ListAtom;

/** One comma-separated item of a field's value: a sequence of atoms such as `3 to 30 at cpu 70%`. */
export interface Term extends Span {
  readonly atoms: readonly Atom[];
}

export interface Block extends Span {
  readonly members: readonly Member[];
}

/** `name value, value … { block }` — a field, possibly with a dotted path in environments. */
export interface Member extends Span {
  readonly kind: "Member";
  readonly path: readonly Name[];
  readonly terms: readonly Term[];
  readonly block?: Block;
  readonly doc?: string;
}

export interface Declaration extends Span {
  readonly kind: "Declaration";
  readonly keyword: Name;
  readonly name?: Name;
  /** `is <pattern>` */
  readonly base?: Name;
  /** `for <kind>` (patterns only) */
  readonly target?: Name;
  readonly body: Block;
  readonly doc?: string;
}

export interface Import extends Span {
  readonly kind: "Import";
  readonly path: string;
  readonly pathSpan: Span;
}

export interface Comment extends Span {
  readonly text: string;
  readonly doc: boolean;
}

export interface FileNode extends Span {
  readonly kind: "File";
  readonly path: string;
  readonly imports: readonly Import[];
  readonly declarations: readonly Declaration[];
  readonly comments: readonly Comment[];
}

export function atomText(atom: Atom): string {
  switch (atom.kind) {
    case "String":
      return JSON.stringify(atom.value);
    case "Number":
      return atom.raw;
    case "Word":
      return atom.parts.map((p) => p.text).join(".");
    case "Path":
      return atom.value;
    case "Operator":
      return atom.op;
    case "List":
      return `[${atom.items.map(termText).join(", ")}]`;
  }
}

export function termText(term: Term): string {
  return term.atoms.map(atomText).join(" ");
}

export function memberName(member: Member): string {
  return member.path.map((p) => p.text).join(".");
}
