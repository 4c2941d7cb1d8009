import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * A full garbage collection between two environments of a big build. Each environment's
 * documents and their serialized text are garbage once it is written, but V8 grows the heap
 * to a multiple of what is live before it collects the old generation: at 10,000 services
 * that let a build peak above 2 GB with well under 1 GB live. Collecting at the one point
 * where a whole environment has just died costs a few hundred milliseconds on such a build
 * and keeps its peak near what it holds. Small builds skip it (the heap is small: nothing
 * to win, and it would only cost time).
 */
const WORTH_IT_BYTES = 256 * 1024 * 1024;

let collect: (() => void) | undefined;

export function releaseMemory(): void {
  if (process.memoryUsage().heapUsed < WORTH_IT_BYTES) return;
  collect ??= exposeGc();
  collect();
}

function exposeGc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  // The flag applies to contexts created after it: a fresh context sees `gc`, the main one is untouched.
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as () => void;
  setFlagsFromString("--no-expose-gc");
  return gc;
}
