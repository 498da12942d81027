// Entry of `agoralia/validate` for Cloudflare Workers and `worker` runtimes:
// the validators alone, over the validation-only wasm, imported as a
// precompiled module and instantiated synchronously (see ../workerd.js).
import wasm from "./wasm/agoralia_bg.wasm";
import { initSync } from "./wasm/agoralia.js";

initSync({ module: wasm });

export * from "./validate-api.js";
