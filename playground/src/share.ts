// Shareable state: the document, deflated and base64url-encoded, in the URL fragment (`#s=…`),
// so a link carries the spec and nothing is stored anywhere else.

async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Blob([bytes]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const s = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

export async function encodeState(source: string): Promise<string> {
  return `s=${toBase64Url(await pipe(new TextEncoder().encode(source), new CompressionStream("deflate-raw")))}`;
}

/** The document in a fragment written by `encodeState`, or undefined when there is none or it is damaged. */
export async function decodeState(fragment: string): Promise<string | undefined> {
  const m = /(?:^#?|&)s=([A-Za-z0-9_-]+)/.exec(fragment);
  if (!m) return undefined;
  try {
    return new TextDecoder().decode(await pipe(fromBase64Url(m[1]!), new DecompressionStream("deflate-raw")));
  } catch {
    return undefined;
  }
}
