/**
 * A secret scanner for build outputs: known key formats, high-entropy tokens, and
 * literal values the caller knows must not appear. The only allowed high-entropy
 * tokens are the ones finc generates on purpose, matched by their exact position, and the
 * ciphertext of a SealedSecret's encryptedData (see sealedCiphertextLines).
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
  return /^\s*value: "?[0-9a-f]{16}"?$/.test(line) && previous !== undefined && /^\s*(?:- )?path: \/spec\/(?:jobTemplate\/spec\/)?template\/metadata\/annotations\/finc\.dev~1config-hash$/.test(previous);
}

export function isHighEntropy(token: string): boolean {
  if (HEX.test(token)) return token.length >= 16 && entropy(token) >= 3.0;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(token)).length;
  return token.length >= 20 && classes >= 2 && entropy(token) >= 4.0;
}

/**
 * `payments/ledger-db/app_user`, `/spec/configPatches/0/patch`: lower-case or camelCase words
 * joined by '/', as secret-store paths, URL paths and JSON pointers are; a JSON pointer may end
 * in an environment variable name made of short words (`/spec/encryptedData/WEBHOOK_SIGNING_KEY`).
 */
function pathLike(token: string): boolean {
  const parts = token.split("/");
  // camelCase may end in an acronym (`diskEncryptionSetID`); Azure resource IDs name their provider `Microsoft.<Service>` (`/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft`).
  const word = (p: string) => /^[a-z0-9_-]*$/.test(p) || /^[a-z]+(?:[A-Z][a-z]+)*(?:[A-Z][a-z]+|[A-Z]{2,3})$/.test(p) || p === "Microsoft";
  const envName = (p: string) => /^[A-Z][A-Z0-9]{0,11}(?:_[A-Z0-9]{1,12})*$/.test(p);
  const last = parts[parts.length - 1]!;
  // A file path may end in an upper-case file name (`helm/<chart>/README`, `templates/NOTES`).
  // Helm's per-environment document switches are keyed `<Kind>/<namespace>/<name>` (`Cluster/payments/ledger-db-eu-central-1`).
  const kind = (p: string, i: number) => i === 0 && /^[A-Z][a-z]+(?:[A-Z][a-z]+)*$/.test(p);
  return token.includes("/") && parts.slice(0, -1).every((p, i) => word(p) || kind(p, i)) && (word(last) || envName(last));
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** `aws_s3_bucket_lifecycle_configuration`, `payments-dev-backups-123456789012`: whole lower-case words and digit groups joined by `-`/`_`, as Terraform types and generated names are. */
export function wordsJoined(token: string): boolean {
  // finc's collision-proof names end in `--` and 8–10 hex digits of a SHA-256 (generated-names.ts).
  const name = token.replace(/--[0-9a-f]{8,10}$/, "");
  // PascalCase words only, as alert names are (`SavingsDbDrillNotSucceeded`): no digit, words of 4 letters on average (random case has 2).
  if (/^(?:[A-Z][a-z]+){3,}$/.test(token) && token.match(/[A-Z]/g)!.length * 4 <= token.length) return true;
  return /^(?:[a-z]+[0-9]*|[0-9]+)(?:[-_](?:[a-z]+[0-9]*|[0-9]+))+$/.test(name);
}

/**
 * Lines that hold a value of a SealedSecret's `spec.encryptedData` map: ciphertext for the
 * cluster's controller, not a secret. Exactly there — a document whose top-level `kind` is
 * SealedSecret, the 4-space-indented `KEY: <base64>` entries right under `  encryptedData:`
 * under top-level `spec:` — and nowhere else (not in its template, not in another kind).
 */
export function sealedCiphertextLines(lines: readonly string[]): Set<number> {
  const out = new Set<number>();
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !/^---\s*$/.test(lines[i]!)) continue;
    const doc = lines.slice(start, i);
    if (doc.some((l) => /^kind: "?SealedSecret"?\s*$/.test(l))) {
      let inSpec = false;
      let inData = false;
      doc.forEach((l, j) => {
        if (/^\S/.test(l)) {
          inSpec = /^spec:\s*$/.test(l);
          inData = false;
        } else if (inSpec && /^ {2}\S/.test(l)) inData = /^ {2}encryptedData:\s*$/.test(l);
        else if (inData) {
          const m = /^ {4}[A-Za-z0-9_.-]+: "?([^"\s]+)"?\s*$/.exec(l);
          if (m && BASE64.test(m[1]!)) out.add(start + j);
        }
      });
    }
    start = i + 1;
  }
  return out;
}

export function scanText(file: string, text: string, literals: readonly string[] = []): Finding[] {
  const findings: Finding[] = [];
  const lines = text.split("\n");
  const ciphertext = sealedCiphertextLines(lines);
  lines.forEach((line, i) => {
    const at = (rule: string, match: string) => findings.push({ file, line: i + 1, rule, match });
    for (const [rule, re] of KEY_FORMATS) {
      const m = re.exec(line);
      if (m) at(rule, m[0]);
    }
    for (const lit of literals) if (line.includes(lit)) at("known-secret-value", lit);
    for (const m of line.matchAll(TOKEN)) {
      const t = m[0];
      if (isHighEntropy(t) && !pathLike(t) && !wordsJoined(t) && !allowed(t, line, lines[i - 1]) && !ciphertext.has(i)) at("high-entropy", t);
    }
  });
  return findings;
}
