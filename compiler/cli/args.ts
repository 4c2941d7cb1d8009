/** Minimal argv parsing: flags with values, boolean flags and positionals. */
export interface ParsedArgs {
  readonly command: string | undefined;
  readonly positionals: string[];
  readonly flags: Map<string, string | true>;
}

export class UsageError extends Error {}

export function parseArgs(argv: readonly string[], valueFlags: ReadonlySet<string>): ParsedArgs {
  const positionals: string[] = [];
  const flags = new Map<string, string | true>();
  let command: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith("-")) {
      const [name, inline] = a.split("=", 2) as [string, string | undefined];
      if (valueFlags.has(name)) {
        const v = inline ?? argv[++i];
        if (v === undefined || v.startsWith("-")) throw new UsageError(`${name} needs a value`);
        flags.set(name, v);
      } else flags.set(name, true);
    } else if (command === undefined) command = a;
    else positionals.push(a);
  }
  return { command, positionals, flags };
}
