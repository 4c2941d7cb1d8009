import { isImageRef } from "./schema/common-fields.js";

/**
 * Detectors for credentials written into a spec: pure functions from a string to what in it
 * looks like a credential. They know nothing about fields, so every string of every field —
 * including fields added later — goes through the same rules (see check-embedded-credentials.ts).
 */
export interface CredentialMatch {
  /** What the text looks like, for the message: "a Stripe secret key". */
  readonly label: string;
  /** "url" for `user:password@` in a URL (the message names the URL), "key" otherwise. */
  readonly kind: "url" | "key";
  /** Offsets of the credential inside the string: [start, end). */
  readonly start: number;
  readonly end: number;
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) h -= (n / s.length) * Math.log2(n / s.length);
  return h;
}

/** Key formats with a fixed, documented shape; each match is a credential whatever surrounds it. */
/** `needles`: literal text every match contains — a cheap `includes` skips the regex on ordinary strings. */
const KEY_FORMATS: readonly { label: string; needles: readonly string[]; re: RegExp }[] = [
  { label: "an AWS access key ID", needles: ["AKIA", "ASIA"], re: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])/g },
  // Test-mode keys are still keys to somebody's account: refused like live ones. `pk_` keys are public.
  { label: "a Stripe secret key", needles: ["_live_", "_test_"], re: /(?<![A-Za-z0-9])(?:sk|rk)_(?:live|test)_[0-9A-Za-z]{10,}/g },
  { label: "a Stripe webhook signing secret", needles: ["whsec_"], re: /(?<![A-Za-z0-9])whsec_[0-9A-Za-z]{20,}/g },
  { label: "a GitHub token", needles: ["gh"], re: /(?<![A-Za-z0-9])(?:ghp|gho|ghu|ghs|ghr)_[0-9A-Za-z]{30,}|(?<![A-Za-z0-9])github_pat_[0-9A-Za-z_]{22,}/g },
  { label: "a Slack token", needles: ["xox"], re: /(?<![A-Za-z0-9])xox[abposr]-[0-9A-Za-z-]{10,}/g },
  { label: "a Slack webhook URL", needles: ["hooks.slack.com"], re: /https?:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9_/-]+/g },
  { label: "a Google API key", needles: ["AIza"], re: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/g },
  { label: "a PEM private key", needles: ["PRIVATE KEY"], re: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----/g },
];

/** `aws_secret_access_key=<40 characters>` in a connection string or command line; the key is group 1. */
const AWS_SECRET_ASSIGNMENT = /secret_?access_?key["']?[ \t]{0,8}[=:][ \t]{0,8}["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi;

const JWT = /(?<![A-Za-z0-9_-])([A-Za-z0-9_-]{10,})\.([A-Za-z0-9_-]{10,})\.([A-Za-z0-9_-]{10,})(?![A-Za-z0-9_-])/g;

/** A JWT: three base64url segments whose first decodes to a JSON header with "alg". */
function isJwtHeader(segment: string): boolean {
  if (!segment.startsWith("ey")) return false; // `{"` and `{ ` encode to "ey…": skip the decode for everything else
  try {
    const header: unknown = JSON.parse(Buffer.from(segment, "base64url").toString("utf8"));
    return typeof header === "object" && header !== null && "alg" in header;
  } catch {
    return false;
  }
}

/**
 * `scheme://user:password@host`: any scheme. `user@` alone is fine, and so is a password that is
 * a reference the platform expands (`$(DB_PASSWORD)` from the pod's env, `${DB_PASSWORD}`).
 */
const URL_USERINFO = /(?<![a-z0-9+.-])[a-z][a-z0-9+.-]*:\/\/([^\s:/?#@]*):([^\s/?#@]*)@/gi;
/** The same without a scheme, as brokers and registries are written: `user:password@kafka.internal:9092`. */
const BARE_USERINFO = /(?<![^\s,;])([A-Za-z0-9._~%-]+):([^\s/?#@,;]+)@(?:[A-Za-z0-9-]+\.[A-Za-z0-9.-]+(?::[0-9]+)?|[A-Za-z0-9.-]+:[0-9]+)(?![A-Za-z0-9.-])/g;
const EXPANDED = /^(?:\$\([A-Za-z_][A-Za-z0-9_]*\)|\$\{[A-Za-z_][A-Za-z0-9_]*\})$/;

/** Long tokens: runs of base64, base64url and hex characters. */
const TOKEN = /[A-Za-z0-9+/=_-]{32,}/g;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
/** A PEM public key or certificate is meant to be published (a cosign verification key): its base64 body is no secret. */
const PUBLIC_PEM = /-----BEGIN (PUBLIC KEY|CERTIFICATE)-----[\s\S]*?-----END \1-----/g;
const HEX = /^[0-9a-f]+$/i;
/** A digest names content, it hides nothing: `sha256:<64 hex>`, `@sha256:…`. */
const DIGEST_PREFIX = /(?:sha1|sha256|sha384|sha512|md5):$/i;

/**
 * A path or identifier made of words (`/payments/ledger-db/app_user`, `GetPaymentStatusByMerchant`):
 * every segment is lower-case words or CamelCase words. Random base64 has upper-case letters
 * inside segments followed by digits or more capitals, which this never allows.
 */
function wordy(token: string): boolean {
  return token.split(/[/_.=+-]+/).every((p) => p === "" || /^[a-z0-9]*$/.test(p) || /^[0-9]*(?:[A-Z]?[a-z]+[0-9]*)+$/.test(p) || /^[A-Z]{1,4}[0-9]{0,3}$/.test(p));
}

/**
 * High entropy, tuned so that ordinary spec text never qualifies:
 * hex ≥ 40 characters (a SHA-1 or longer) with ≥ 3 bits/char, digits and letters, not after `sha256:`;
 * base64/base64url ≥ 32 characters with upper, lower case and digits and > 4.0 bits/char.
 * UUIDs, image references (tags are often commit hashes) and word-like paths never qualify.
 */
function highEntropyTokens(text: string): CredentialMatch[] {
  if (text.length <= 512 && /[/:]/.test(text) && isImageRef(text)) return [];
  const blank = (u: string) => " ".repeat(u.length);
  const masked = (text.includes("-----BEGIN ") ? text.replace(PUBLIC_PEM, blank) : text).replace(UUID, blank);
  const out: CredentialMatch[] = [];
  for (const m of masked.matchAll(TOKEN)) {
    // Separators at the ends are not part of the token (a path's slashes, a name's dashes).
    let from = 0;
    let to = m[0].length;
    while (from < to && "/=_+-".includes(m[0][from]!)) from++;
    while (to > from && "/_+-".includes(m[0][to - 1]!)) to--;
    const t = m[0].slice(from, to);
    const start = m.index + from;
    if (t.length < 32) continue;
    // A long token is judged by its first kilobyte: entropy needs no more, and megabyte garbage stays cheap.
    const head = t.length > 1024 ? t.slice(0, 1024) : t;
    if (HEX.test(head)) {
      if (t.length >= 40 && /[0-9]/.test(head) && /[a-f]/i.test(head) && shannonEntropy(head) >= 3.0 && !DIGEST_PREFIX.test(text.slice(Math.max(0, start - 8), start))) {
        out.push({ label: "a long hexadecimal token", kind: "key", start, end: start + t.length });
      }
      continue;
    }
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(head)).length;
    if (classes === 3 && shannonEntropy(head) > 4.0 && !wordy(head)) out.push({ label: "a long random token", kind: "key", start, end: start + t.length });
  }
  return out;
}

/** Everything in `text` that looks like a credential, by position. Linear in the length of `text`. */
export function findCredentials(text: string): CredentialMatch[] {
  const found: CredentialMatch[] = [];
  if (text.includes("://")) for (const m of text.matchAll(URL_USERINFO)) {
    const password = m[2]!;
    if (password === "" || EXPANDED.test(password)) continue;
    const start = m.index + m[0].indexOf("://") + 3;
    found.push({ label: "a URL with a password", kind: "url", start, end: start + m[1]!.length + 1 + password.length });
  }
  if (text.includes("@")) for (const m of text.matchAll(BARE_USERINFO)) {
    if (EXPANDED.test(m[2]!)) continue; // never inside a scheme URL: its user follows `//`, not a space or the start
    found.push({ label: "an address with a password", kind: "url", start: m.index, end: m.index + m[1]!.length + 1 + m[2]!.length });
  }
  for (const { label, needles, re } of KEY_FORMATS) {
    if (!needles.some((n) => text.includes(n))) continue;
    for (const m of text.matchAll(re)) found.push({ label, kind: "key", start: m.index, end: m.index + m[0].length });
  }
  if (/access_?key/i.test(text)) for (const m of text.matchAll(AWS_SECRET_ASSIGNMENT)) {
    const start = m.index + m[0].length - m[1]!.length;
    found.push({ label: "an AWS secret access key", kind: "key", start, end: start + 40 });
  }
  if (text.includes("ey")) for (const m of text.matchAll(JWT)) {
    if (isJwtHeader(m[1]!)) found.push({ label: "a JSON Web Token", kind: "key", start: m.index, end: m.index + m[0].length });
  }
  // Overlaps among the named formats: the earlier match wins, on a tie the earlier rule (the sort is stable).
  const kept: CredentialMatch[] = [];
  for (const f of found.sort((a, b) => a.start - b.start)) if (!kept.length || f.start >= kept[kept.length - 1]!.end) kept.push(f);
  // A high-entropy token only counts where no named format matched (`/var/sk_live_…` is the Stripe key).
  const out: CredentialMatch[] = [];
  let k = 0;
  for (const t of highEntropyTokens(text)) {
    while (k < kept.length && kept[k]!.end <= t.start) out.push(kept[k++]!);
    if (!(k < kept.length && kept[k]!.start < t.end)) out.push(t);
  }
  while (k < kept.length) out.push(kept[k++]!);
  return out;
}

/**
 * Config keys whose name says they hold a secret. A name ending in a word that describes a
 * setting about the secret (`PASSWORD_MIN_LENGTH`, `TOKEN_URL`, `SECRET_NAME`, `API_KEY_FILE`)
 * does not: those hold lengths, addresses, names and file paths.
 */
const SECRET_NAME = /PASSWORD|PASSWD|PASSPHRASE|_PWD$|^PWD_|SECRET|TOKEN$|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|SIGNING_?KEY|ENCRYPTION_?KEY|CREDENTIAL|AUTH_?KEY|CONNECTION_?STRING/;
const ABOUT_THE_SECRET = /_(?:FILE|PATH|DIR|URL|URI|ENDPOINT|HOST|PORT|NAME|HEADER|LENGTH|LEN|TTL|EXPIRY|EXPIRES|TIMEOUT|SECONDS|MINUTES|HOURS|DAYS|ENABLED|REQUIRED|POLICY|FORMAT|ALGORITHM|VERSION|TYPE|MODE|PROVIDER|STORE|REF|ROTATION|INTERVAL|COUNT|MAX|MIN)$/;

export function isSecretName(key: string): boolean {
  const k = key.toUpperCase().replace(/-/g, "_");
  return SECRET_NAME.test(k) && !ABOUT_THE_SECRET.test(k);
}
