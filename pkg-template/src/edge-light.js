// Entry for Vercel's Edge runtime (the `edge-light` condition). Vercel's
// bundlers (Next.js, `vercel build`) give a `.wasm?module` import as a
// precompiled WebAssembly.Module; run-time compilation is not allowed there.
import wasm from "./wasm/agoralia_bg.wasm?module";
import { initSync } from "./wasm/agoralia.js";
import { sameRealmModule } from "./wasm-module.js";

initSync({ module: sameRealmModule(wasm) });

export * from "./index.js";
