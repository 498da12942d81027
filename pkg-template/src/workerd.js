// Entry for Cloudflare Workers (workerd, wrangler) and other runtimes that set
// the `worker` condition: they cannot compile wasm at run time, nor fetch it
// from a URL at import, but give a `.wasm` import as a precompiled
// WebAssembly.Module (wrangler's CompiledWasm rule, a `wasm` module in
// workerd's config). Instantiated synchronously: no top-level await.
import wasm from "./wasm/agoralia_bg.wasm";
import { initSync } from "./wasm/agoralia.js";

initSync({ module: wasm });

export * from "./index.js";
