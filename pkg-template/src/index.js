// The public surface. Modules here never call into wasm at import time: the
// entry (browser.js, node.js, node.cjs) instantiates the module first.
export { Agoralia } from "./client.js";
export { AgoraliaError, ApiError } from "./errors.js";
