import { EmbeddedActionsParser, EOF, type IToken, type TokenType, type IParserErrorMessageProvider } from "chevrotain";
import {
  allTokens, Colon, Comma, Dot, Equals, For, Identifier, Import, Is, LBrace, LBracket, Newline,
  Operator, PathLit, Quantity, RBrace, RBracket, Stray, StringLit, Word,
} from "./tokens.js";
import type { Atom, Block, Declaration, Import as ImportNode, Member, Name, Term } from "./ast.js";

const label = (t: TokenType): string => (t === EOF ? "end of file" : (t.LABEL ?? t.name));
/** A token's text as a message quotes it: a 1 MB string is shown by its first characters. */
export const clip = (image: string, max = 40): string => (image.length <= max ? image : `${image.slice(0, max)}…`);
const shown = (t: IToken): string => (t.tokenType === EOF ? "end of file" : t.tokenType === Newline ? "end of line" : `'${clip(t.image)}'`);

/** Messages in the user's words: what was expected and what was found. */
const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected, actual }) => `Expected ${label(expected)} but found ${shown(actual)}.`,
  buildNotAllInputParsedMessage: ({ firstRedundant }) => `Unexpected ${shown(firstRedundant)}.`,
  buildNoViableAltMessage: ({ expectedPathsPerAlt, actual }) => {
    const first = new Set(expectedPathsPerAlt.flatMap((alt) => alt.map((path) => label(path[0]!))));
    return `Expected ${[...first].join(" or ")} but found ${shown(actual[0]!)}.`;
  },
  buildEarlyExitMessage: ({ expectedIterationPaths, actual }) => {
    const first = new Set(expectedIterationPaths.map((path) => label(path[0]!)));
    return `Expected ${[...first].join(" or ")} but found ${shown(actual[0]!)}.`;
  },
};

const unquote = (image: string): string => {
  try {
    return JSON.parse(image) as string;
  } catch {
    return image.slice(1, -1);
  }
};

export interface StrayToken {
  readonly token: IToken;
}

/** The .fin parser; one instance per process (chevrotain parsers are reusable: set `input`). */
class FinParser extends EmbeddedActionsParser {
  strays: IToken[] = [];

  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 2, errorMessageProvider: messageProvider });
    this.performSelfAnalysis();
  }

  private name(t: IToken): Name {
    return { text: t.image, start: at(t), end: endOf(t) };
  }

  public file = this.RULE("file", () => {
    const imports: ImportNode[] = [];
    const declarations: Declaration[] = [];
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(Newline) },
        { ALT: () => { const i = this.SUBRULE(this.importDecl); this.ACTION(() => i && imports.push(i)); } },
        { ALT: () => { const d = this.SUBRULE(this.declaration); this.ACTION(() => d && declarations.push(d)); } },
        { ALT: () => { const t = this.CONSUME(Stray); this.ACTION(() => this.strays.push(t)); } },
        { ALT: () => { const t = this.CONSUME(RBrace); this.ACTION(() => this.strays.push(t)); } },
        { ALT: () => { const t = this.CONSUME(LBrace); this.ACTION(() => this.strays.push(t)); } },
        { ALT: () => { const t = this.CONSUME(Is); this.ACTION(() => this.strays.push(t)); } },
        { ALT: () => { const t = this.CONSUME(For); this.ACTION(() => this.strays.push(t)); } },
      ]),
    );
    return { imports, declarations };
  });

  private importDecl = this.RULE("importDecl", (): ImportNode => {
    const kw = this.CONSUME(Import);
    const s = this.CONSUME(StringLit);
    return this.ACTION(() => {
      if (isNaN(s.startOffset)) return { kind: "Import" as const, path: "", pathSpan: { start: NO_POSITION, end: NO_POSITION }, start: at(kw), end: NO_POSITION };
      const end = endOf(s);
      return { kind: "Import", path: unquote(s.image), pathSpan: { start: at(s), end }, start: at(kw), end };
    });
  });

  private declaration = this.RULE("declaration", (): Declaration => {
    const kw = this.CONSUME(Identifier);
    let name: IToken | undefined;
    let base: Name | undefined;
    let target: IToken | undefined;
    let slash: IToken | undefined;
    this.OPTION(() => (name = this.CONSUME2(Identifier)));
    // `override deployment/api {`: the object's name after the kind, written as one name `deployment/api`.
    this.OPTION4(() => (slash = this.CONSUME(PathLit)));
    // `is <base>` and `for <kind>` may both be written: `pattern strict-api is payment-api for service`.
    this.OPTION2(() => { this.CONSUME(Is); base = this.SUBRULE(this.dottedName); });
    this.OPTION3(() => { this.CONSUME(For); target = this.CONSUME3(Identifier); });
    const body = this.SUBRULE(this.block);
    return this.ACTION(() => ({
      kind: "Declaration" as const,
      keyword: this.name(kw),
      ...(name && !isNaN(name.startOffset) ? { name: slashName(this.name(name), slash) } : {}),
      ...(base ? { base } : {}),
      ...(target && !isNaN(target.startOffset) ? { target: this.name(target) } : {}),
      body: body ?? { members: [], start: at(kw), end: endOf(kw) },
      start: at(kw),
      end: body ? body.end : endOf(kw),
    }));
  });

  private dottedName = this.RULE("dottedName", (): Name => {
    const parts: IToken[] = [this.CONSUME(Word)];
    this.MANY(() => {
      this.CONSUME(Dot);
      parts.push(this.CONSUME2(Word));
    });
    return this.ACTION(() => {
      // Recovery may insert virtual tokens (NaN offsets); a name made only of those gets NaN and is dropped by parse().
      const real = parts.filter((t) => !isNaN(t.startOffset));
      const last = real[real.length - 1];
      return { text: real.map((t) => t.image).join("."), start: real[0] ? at(real[0]) : NO_POSITION, end: last ? endOf(last) : NO_POSITION };
    });
  });

  private block = this.RULE("block", (): Block => {
    const l = this.CONSUME(LBrace);
    const members: Member[] = [];
    this.MANY(() =>
      this.OR([
        { ALT: () => this.CONSUME(Newline) },
        { ALT: () => { const m = this.SUBRULE(this.member); this.ACTION(() => m && members.push(m)); } },
        { ALT: () => { const t = this.CONSUME(Stray); this.ACTION(() => this.strays.push(t)); } },
        { ALT: () => { const t = this.CONSUME2(LBrace); this.ACTION(() => this.strays.push(t)); } },
      ]),
    );
    const r = this.CONSUME(RBrace);
    return this.ACTION(() => {
      const last = members[members.length - 1];
      const end = isNaN(r.startOffset) ? (last ? last.end : at(l) + 1) : at(r) + 1;
      return { members, start: at(l), end };
    });
  });

  private member = this.RULE("member", (): Member => {
    const path: IToken[] = [this.CONSUME(Word)];
    this.MANY(() => {
      this.CONSUME(Dot);
      // A list index in an override's path: `spec.template.spec.containers.0.image`.
      this.OR([{ ALT: () => path.push(this.CONSUME2(Word)) }, { ALT: () => path.push(this.CONSUME(Quantity)) }]);
    });
    let terms: Term[] = [];
    let block: Block | undefined;
    this.OPTION(() => (terms = this.SUBRULE(this.terms)));
    this.OPTION2(() => (block = this.SUBRULE(this.block)));
    return this.ACTION(() => {
      const names = path.filter((t) => !isNaN(t.startOffset)).map((t) => this.name(t));
      // A sub-rule that failed and re-synced returns undefined.
      const ts: Term[] = (terms as Term[] | undefined) ?? [];
      const lastTerm = ts[ts.length - 1];
      const end = block ? block.end : lastTerm ? lastTerm.end : (names[names.length - 1]?.end ?? NO_POSITION);
      return {
        kind: "Member" as const,
        path: names,
        terms: ts,
        ...(block ? { block } : {}),
        start: names[0]?.start ?? NO_POSITION,
        end,
      };
    });
  });

  private terms = this.RULE("terms", (): Term[] => {
    const terms: Term[] = [];
    const first = this.SUBRULE(this.term);
    this.ACTION(() => first && terms.push(first));
    this.MANY(() => {
      this.CONSUME(Comma);
      this.MANY2(() => this.CONSUME(Newline));
      const t = this.SUBRULE2(this.term);
      this.ACTION(() => t && terms.push(t));
    });
    return terms;
  });

  private term = this.RULE("term", (): Term => {
    const atoms: Atom[] = [];
    this.AT_LEAST_ONE(() => {
      const a = this.SUBRULE(this.atom);
      this.ACTION(() => a && atoms.push(a));
    });
    return this.ACTION(() => ({ atoms, start: atoms[0]?.start ?? 0, end: atoms[atoms.length - 1]?.end ?? 0 }));
  });

  private atom = this.RULE("atom", (): Atom =>
    this.OR([
      { ALT: () => { const t = this.CONSUME(StringLit); return this.ACTION(() => ({ kind: "String" as const, value: unquote(t.image), ...span(t) })); } },
      { ALT: () => { const t = this.CONSUME(Quantity); return this.ACTION(() => quantity(t)); } },
      { ALT: () => { const t = this.CONSUME(PathLit); return this.ACTION(() => ({ kind: "Path" as const, value: t.image, ...span(t) })); } },
      { ALT: () => { const t = this.CONSUME(Equals); return this.ACTION(() => ({ kind: "Operator" as const, op: "=", ...span(t) })); } },
      { ALT: () => { const t = this.CONSUME(Operator); return this.ACTION(() => ({ kind: "Operator" as const, op: t.image, ...span(t) })); } },
      { ALT: () => { const t = this.CONSUME(Colon); return this.ACTION(() => ({ kind: "Operator" as const, op: ":", ...span(t) })); } },
      { ALT: () => this.SUBRULE(this.wordAtom) },
      { ALT: () => this.SUBRULE(this.listAtom) },
    ]),
  );

  private wordAtom = this.RULE("wordAtom", (): Atom => {
    const parts: IToken[] = [this.CONSUME(Word)];
    this.MANY(() => {
      this.CONSUME(Dot);
      parts.push(this.CONSUME2(Word));
    });
    return this.ACTION(() => {
      const names = parts.filter((t) => !isNaN(t.startOffset)).map((t) => this.name(t));
      return { kind: "Word" as const, parts: names, start: names[0]?.start ?? NO_POSITION, end: names[names.length - 1]?.end ?? NO_POSITION };
    });
  });

  private listAtom = this.RULE("listAtom", (): Atom => {
    const l = this.CONSUME(LBracket);
    const items: Term[] = [];
    this.MANY(() => this.CONSUME(Newline));
    this.OPTION(() => {
      const ts = this.SUBRULE(this.terms);
      this.ACTION(() => ts && items.push(...ts));
    });
    this.MANY2(() => this.CONSUME2(Newline));
    const r = this.CONSUME(RBracket);
    return this.ACTION(() => ({
      kind: "List" as const,
      items,
      start: at(l),
      end: isNaN(r.startOffset) ? (items[items.length - 1]?.end ?? at(l) + 1) : at(r) + 1,
    }));
  });
}

/** `deployment` + `/api` → the name `deployment/api` (a path token right after the name). */
function slashName(name: Name, slash: IToken | undefined): Name {
  if (!slash || isNaN(slash.startOffset)) return name;
  return { text: name.text + slash.image, start: name.start, end: endOf(slash) };
}

/** The offset of a node built from tokens that recovery inserted (never NaN, see `at`). */
export const NO_POSITION = -1;

function span(t: IToken): { start: number; end: number } {
  return { start: at(t), end: endOf(t) };
}

/**
 * A token's offsets as small integers. Chevrotain gives the tokens its recovery inserts (and
 * its EOF token) NaN offsets, so V8 holds every token's `startOffset` as a boxed double; one
 * copied as it is into a syntax node makes that node's fields (and those of every range copied
 * from it) boxed doubles too: 16 bytes more per number, over a million numbers in a big spec.
 * `| 0` makes the value a small integer again. A node built from an inserted token gets
 * NO_POSITION (-1) instead of NaN; parse() drops it.
 */
export function at(t: IToken): number {
  return isNaN(t.startOffset) ? NO_POSITION : t.startOffset | 0;
}

export function endOf(t: IToken): number {
  return isNaN(t.startOffset) ? NO_POSITION : (t.startOffset + t.image.length) | 0;
}

function quantity(t: IToken): Atom {
  const m = /^([0-9]+(?:\.[0-9]+)?)(.*)$/.exec(t.image)!;
  return { kind: "Number", raw: t.image, value: Number(m[1]), unit: m[2] ?? "", ...span(t) };
}

export const parser = new FinParser();
