import { fileURLToPath, pathToFileURL } from "node:url";

/**
 * Documents that are not files (`untitled:Untitled-1`) still need a path inside the
 * program: they live under this virtual folder, with the URI encoded in the name.
 */
const VIRTUAL = "/__finc_virtual__/";

export function uriToPath(uri: string): string {
  if (uri.startsWith("file:")) {
    try {
      return fileURLToPath(uri);
    } catch {
      // fall through: treat it as a virtual document
    }
  }
  return `${VIRTUAL}${encodeURIComponent(uri)}.fin`;
}

export function pathToUri(path: string): string {
  if (path.startsWith(VIRTUAL)) return decodeURIComponent(path.slice(VIRTUAL.length, -".fin".length));
  return pathToFileURL(path).href;
}

export function isVirtualPath(path: string): boolean {
  return path.startsWith(VIRTUAL);
}
