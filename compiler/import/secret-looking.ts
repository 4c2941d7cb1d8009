import { findCredentials, isSecretName } from "../semantic/credential-patterns.js";

/**
 * Whether a literal env value must not be copied into the spec: a secret-sounding name
 * (PASSWORD, TOKEN, API_KEY, …) with a non-empty value, or a value that looks like a
 * credential whatever its name (the same detectors as FIN4032).
 */
export function looksSecret(name: string, value: string): boolean {
  if (value === "") return false;
  return isSecretName(name) || findCredentials(value).length > 0;
}

/** A credential inside a free text (an unmapped field dumped as a comment). */
export function containsCredential(text: string): boolean {
  return findCredentials(text).length > 0;
}
