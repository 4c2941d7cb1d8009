// Requests only tests send. In a module of their own so that a test can name them without
// loading the whole server (and the compiler) into the test process.

/** Test hook: answered only when the server runs with --expose-gc (the leak test does); forces a full GC first. */
export const MEMORY_REQUEST = "finc/debug/memory";
