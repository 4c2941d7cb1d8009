/**
 * Fake credentials of every kind finc refuses (FIN4032), planted into specs by the tests:
 * `covers` is the text a diagnostic must point at (default: the whole value); `word` says
 * the value also lexes as one bare word or path segment.
 */
export const CREDENTIALS: Readonly<Record<string, { value: string; covers?: string; word?: boolean }>> = {
  "postgres URL with a password": { value: "postgres://app:hunter22@db.internal:5432/ledger", covers: "app:hunter22" },
  "amqp URL with a password": { value: "amqp://guest:s3cr3t-Pw@rabbit.internal:5672/", covers: "guest:s3cr3t-Pw" },
  "https URL with a password": { value: "https://admin:pa55w0rd@grafana.example.com/api", covers: "admin:pa55w0rd" },
  "broker address with a password": { value: "app:hunter22@kafka.internal:9092", covers: "app:hunter22" },
  "AWS access key ID": { value: "AKIAIOSFODNN7EXAMPLE", word: true },
  "AWS session key ID": { value: "ASIAY34FZKBOKMUTVV7A", word: true },
  "AWS secret access key": { value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  "Stripe live secret key": { value: "sk_live_4eC39HqLyjWDarjtT1zdp7dc", word: true },
  "Stripe restricted key": { value: "rk_live_51H8xYzAbCdEfGh0123", word: true },
  "Stripe test secret key": { value: "sk_test_4eC39HqLyjWDarjtT1zdp7dc", word: true },
  "GitHub personal token": { value: "ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789", word: true },
  "GitHub OAuth token": { value: "gho_16C7e42F292c6912E7710c838347Ae178B4a", word: true },
  "GitHub app token": { value: "ghs_16C7e42F292c6912E7710c838347Ae178B4a", word: true },
  "GitHub fine-grained token": { value: "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP", word: true },
  "Slack bot token": { value: "xoxb-2048-4096-QWERTYUIOPasdf", word: true },
  "Slack user token": { value: "xoxp-1234567890-abcdefABCDEF", word: true },
  "Slack webhook URL": { value: "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX" },
  "Google API key": { value: "AIzaSyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY" },
  JWT: { value: "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U" },
  "PEM private key": { value: "-----BEGIN RSA PRIVATE KEY-----" },
  "PEM OpenSSH key": { value: "-----BEGIN OPENSSH PRIVATE KEY-----" },
  "high-entropy base64": { value: "q8Xv2LmN4pRt7WzK9bYc3HdJ6fGs1QaE" },
  "high-entropy hex": { value: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", word: false },
};
