// Entry of `agoralia/validate` for Vercel's Edge runtime: the validators
// alone, over the validation-only wasm, as a `.wasm?module` import (see
// ../edge-light.js).
import wasm from "./wasm/agoralia_bg.wasm?module";
import { initSync } from "./wasm/agoralia.js";
import { sameRealmModule } from "../wasm-module.js";

initSync({ module: sameRealmModule(wasm) });

export * from "./validate-api.js";
