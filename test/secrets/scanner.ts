/**
 * A secret scanner for build outputs: known key formats, high-entropy tokens, and
 * literal values the caller knows must not appear. The only allowed high-entropy
 * tokens are the ones finc generates on purpose, matched by their exact position.
 */
export interface Finding {
  readonly file: string;
  readonly line: number;
  readonly rule: string;
  readonly match: string;
}

export const KEY_FORMATS: readonly [string, RegExp][] = [
  ["aws-access-key-id", /\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/],
  ["private-key", /-----BEGIN (?:[A-Z]+ )*PRIVATE KEY(?: BLOCK)?-----/],
  ["stripe-secret-key", /\b(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{8,}/],
  ["slack-token", /\bxox[abposr]-[0-9A-Za-z-]{8,}/],
  ["github-token", /\b(?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{20,}|\bgithub_pat_[0-9A-Za-z_]{20,}/],
  ["google-api-key", /\bAIza[0-9A-Za-z_-]{35}\b/],
  ["jwt", /\beyJ[0-9A-Za-z_-]{8,}\.eyJ[0-9A-Za-z_-]{8,}\.[0-9A-Za-z_-]{8,}/],
  ["url-credentials", /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@{}"']+:[^\s@/{}"']{3,}@/i],
];

/** Shannon entropy in bits per character. */
export function entropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

const HEX = /^[0-9a-f]+$/i;
/** Tokens: runs of base64/hex/url-safe characters. */
const TOKEN = /[A-Za-z0-9+/=_-]{16,}/g;

/** The deliberate hashes: finc's config checksum (16 hex) as the annotation value, or as the value of a kustomize patch of it. */
function allowed(token: string, line: string, previous: string | undefined): boolean {
  if (!/^[0-9a-f]{16}$/.test(token)) return false;
  if (/^\s*finc\.dev\/config-hash: "?[0-9a-f]{16}"?$/.test(line)) return true;
  return /^\s*value: "?[0-9a-f]{16}"?$/.test(line) && previous !== undefined && /^\s*(?:- )?path: \/spec\/template\/metadata\/annotations\/finc\.dev~1config-hash$/.test(previous);
}

export function isHighEntropy(token: string): boolean {
  if (HEX.test(token)) return token.length >= 16 && entropy(token) >= 3.0;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(token)).length;
  return token.length >= 20 && classes >= 2 && entropy(token) >= 4.0;
}

/**
 * `payments/ledger-db/app_user`, `/spec/configPatches/0/patch`: lower-case or camelCase words
 * joined by '/', as secret-store paths, URL paths and JSON pointers are.
 */
function pathLike(token: string): boolean {
  return token.includes("/") && token.split("/").every((p) => /^[a-z0-9_-]*$/.test(p) || /^[a-z]+(?:[A-Z][a-z]+)+$/.test(p));
}

export function scanText(file: string, text: string, literals: readonly string[] = []): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split("\n");
  lines.forEach((line, i) => {
    const at = (rule: string, match: string) => findings.push({ file, line: i + 1, rule, match });
    for (const [rule, re] of KEY_FORMATS) {
      const m = re.exec(line);
      if (m) at(rule, m[0]);
    }
    for (const lit of literals) if (line.includes(lit)) at("known-secret-value", lit);
    for (const m of line.matchAll(TOKEN)) {
      const t = m[0];
      if (isHighEntropy(t) && !pathLike(t) && !allowed(t, line, lines[i - 1])) at("high-entropy", t);
    }
  });
  return findings;
}
