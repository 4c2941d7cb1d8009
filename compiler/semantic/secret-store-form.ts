/**
 * The `secret` line a plaintext value should become: one spelling for every diagnostic that
 * refuses a plaintext secret (FIN4001, FIN4032) and their quick fixes.
 */
export function secretKeyName(env: string): string {
  return env.toLowerCase().replace(/_/g, "-");
}

/** `API_KEY from vault "path/to/api-key" key "api-key"` — what follows the word `secret`. */
export function secretStoreForm(env: string, store = "vault"): string {
  const lower = secretKeyName(env);
  return `${env} from ${store} "path/to/${lower}" key "${lower}"`;
}
