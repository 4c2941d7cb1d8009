import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { splitShellWords } from "../../compiler/model/shell-words.js";

const words = (s: string) => {
  const r = splitShellWords(s);
  if (!r.ok) throw new Error(`${s}: ${r.why}`);
  return r.words;
};

describe("splitShellWords: POSIX-shell-like quoting, no expansion", () => {
  it.each([
    ["migrate up", ["migrate", "up"]],
    ["  migrate \t up\n", ["migrate", "up"]],
    ["sh -c 'migrate up && echo done'", ["sh", "-c", "migrate up && echo done"]],
    [`sh -c "echo \\"hi\\" \\\\ \\$HOME"`, ["sh", "-c", 'echo "hi" \\ $HOME']],
    [`echo "a\\nb"`, ["echo", "a\\nb"]], // in double quotes \n is not an escape: both characters stay
    [`a'b'"c"d`, ["abcd"]],
    ["echo '' x", ["echo", "", "x"]],
    [`echo a\\ b \\'c`, ["echo", "a b", "'c"]],
    ["echo 'it''s'", ["echo", "its"]],
    ["echo $HOME ~ *.sql $(DATABASE_URL)", ["echo", "$HOME", "~", "*.sql", "$(DATABASE_URL)"]],
    ["migrate 'up && down'", ["migrate", "up && down"]],
    ["a \\\nb", ["a", "b"]],
  ])("%j", (input, expected) => {
    expect(words(input)).toEqual(expected);
  });

  it.each([
    ["sh -c 'migrate up", 6, 17, "single quote"],
    ['echo "unclosed', 5, 14, "double quote"],
    ["migrate up\\", 10, 11, "backslash"],
    ["", 0, 0, "empty"],
    ["   ", 0, 3, "empty"],
    ["'' up", 0, 5, "program name"],
    ["migrate up && echo done", 11, 13, "'&&' is shell syntax"],
    ["migrate up | tee log", 11, 12, "'|'"],
    ["migrate up; echo", 10, 11, "';'"],
    ["migrate > out", 8, 9, "'>'"],
    ["echo `id`", 5, 6, "'`'"],
  ])("%j is an error at its offending characters", (input, offset, end, why) => {
    const r = splitShellWords(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect([r.offset, r.end]).toEqual([offset, end]);
      expect(r.why).toContain(why);
    }
  });

  // Where a shell is installed, it is the reference: with globbing off and no `$`, its words are ours.
  const sh = spawnSync("sh", ["-c", "true"]).status === 0;
  it.skipIf(!sh)("agrees with sh on quoting (globbing off, nothing to expand)", () => {
    const inputs = ["sh -c 'migrate up && echo done'", `a'b'"c"d`, `echo "x \\" y" 'z\\'`, `echo a\\ b \\'c "" ''`, `"a\\\\b" 'c"d' "e'f"`, "x\\\ny", `"q\\\nr"`, "* ? [a] x~"]; // ~ alone: sh expands it, finc does not
    for (const input of inputs) {
      const out = spawnSync("sh", ["-c", `set -f; for a in ${input}; do printf '%s\\0' "$a"; done`], { encoding: "utf8" });
      expect(out.status, out.stderr).toBe(0);
      expect(words(input), input).toEqual(out.stdout.split("\0").slice(0, -1));
    }
  });
});
