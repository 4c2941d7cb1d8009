import { startServer } from "./main.js";

/** The bundle entry (dist/server.cjs): starts the server on load. `finc lsp` imports main.ts instead. */
startServer();
