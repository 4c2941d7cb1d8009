import { find, type Doc } from "./helpers.js";

/**
 * Reading finc's own output the way the cluster would: what a Secret that ESO syncs contains,
 * given test values for the secret store, and the URL an ExternalSecret template renders.
 */

/** Go's url.QueryEscape, which the `urlquery` template function is: space → '+', all but [A-Za-z0-9-_.~] → %XX. */
export function goQueryEscape(s: string): string {
  return Array.from(new TextEncoder().encode(s), (b) => {
    const ch = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~]/.test(ch)) return ch;
    return b === 0x20 ? "+" : `%${b.toString(16).toUpperCase().padStart(2, "0")}`;
  }).join("");
}

/**
 * Renders the template forms finc writes: `{{ .k }}` and `{{ index . "k" }}`, piped through
 * `urlquery` and sprig's `replace "old" "new"`; anything else fails the test.
 */
export function renderTemplate(template: string, values: Readonly<Record<string, string>>): string {
  const value = (k: string) => {
    const v = values[k];
    if (v === undefined) throw new Error(`template reads ${k}, which the ExternalSecret does not sync`);
    return v;
  };
  const out = template.replace(/\{\{ (?:index \. "([^"]+)"|\.([A-Za-z0-9_]+))((?: \| (?:urlquery|replace "[^"]*" "[^"]*"))*) \}\}/g, (_m, k1?: string, k2?: string, pipe?: string) => {
    let v = value((k1 ?? k2)!);
    for (const fn of (pipe ?? "").split(" | ").slice(1)) {
      const r = /^replace "([^"]*)" "([^"]*)"$/.exec(fn);
      v = r ? v.split(r[1]!).join(r[2]!) : goQueryEscape(v);
    }
    return v;
  });
  if (out.includes("{{")) throw new Error(`template form this test does not know: ${template}`);
  return out;
}

/** What key `key` of Secret `secret` holds once ESO has synced it from a store holding `store` at every path. */
export function syncedValue(docs: Doc[], secret: string, key: string, store: Readonly<Record<string, string>>): string {
  const es = docs.find((d) => d.kind === "ExternalSecret" && (d.spec?.target?.name ?? d.metadata.name) === secret);
  if (!es) throw new Error(`no ExternalSecret creates Secret ${secret}`);
  const data: { secretKey: string; remoteRef: { property: string } }[] = es.spec.data;
  const values = Object.fromEntries(data.map((d) => {
    const v = store[d.remoteRef.property];
    if (v === undefined) throw new Error(`the test store has no ${d.remoteRef.property}`);
    return [d.secretKey, v];
  }));
  const template: Record<string, string> | undefined = es.spec.target?.template?.data;
  if (template) {
    if (!(key in template)) throw new Error(`Secret ${secret} has no key ${key}`);
    return renderTemplate(template[key]!, values);
  }
  const v = values[key];
  if (v === undefined) throw new Error(`Secret ${secret} has no key ${key}`);
  return v;
}

/**
 * The client CA chain finc hands an application for `sslrootcert`: the mounted volume, the
 * CA-only Secret, and where ESO copies it from (Secret name and key), checked end to end.
 */
export function clientCaSource(docs: Doc[], deployment: string, sslrootcert: string): { secret: string; key: string } {
  const pod = find(docs, "Deployment", deployment).spec.template.spec;
  const mount = pod.containers[0].volumeMounts.find((m: { mountPath: string }) => sslrootcert.startsWith(`${m.mountPath}/`));
  if (!mount) throw new Error(`${sslrootcert} is not under a mount of ${deployment}`);
  const vol = pod.volumes.find((v: { name: string }) => v.name === mount.name);
  const item = vol.secret.items.find((i: { path: string }) => i.path === sslrootcert.slice(mount.mountPath.length + 1));
  const es = docs.find((d) => d.kind === "ExternalSecret" && d.spec.target.name === vol.secret.secretName);
  if (!es || !item) throw new Error(`nothing puts ${sslrootcert} into ${deployment}`);
  const ref = es.spec.data.find((d: { secretKey: string }) => d.secretKey === item.key).remoteRef;
  return { secret: ref.key, key: ref.property };
}

/** Rewrites only where the connection goes: hostaddr/port to the local server (host stays, for verify-full), and the CA's local copy. */
export function toLocalServer(url: string, port: number, localCa: string): string {
  const m = /([?&])sslrootcert=([^&]*)/.exec(url);
  if (!m) throw new Error(`no sslrootcert in ${url}`);
  return `${url.replace(m[0], `${m[1]}sslrootcert=${localCa}`)}&hostaddr=127.0.0.1&port=${port}`;
}

export function withSslmode(url: string, mode: string): string {
  if (!/[?&]sslmode=[^&]*/.test(url)) throw new Error(`no sslmode in ${url}`);
  return url.replace(/([?&])sslmode=[^&]*/, `$1sslmode=${mode}`);
}
