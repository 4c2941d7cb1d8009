// node:crypto for the browser bundle: the compiler names objects with sha256 prefixes
// (synchronously), and WebCrypto's digest is async, so a well-kept pure implementation.
import { sha256 } from "@noble/hashes/sha2";
import { bytesToHex, utf8ToBytes } from "@noble/hashes/utils";

interface Hash {
  update(data: string | Uint8Array): Hash;
  digest(encoding: "hex"): string;
}

export function createHash(algorithm: string): Hash {
  if (algorithm !== "sha256") throw new Error(`playground: hash ${algorithm} is not bundled`);
  const h = sha256.create();
  const hash: Hash = {
    update(data) {
      h.update(typeof data === "string" ? utf8ToBytes(data) : data);
      return hash;
    },
    digest: () => bytesToHex(h.digest()),
  };
  return hash;
}
