// Entry of `agoralia/validate` for Node (ESM): the validators alone, over the
// validation-only wasm, read from disk and compiled synchronously.
import { readFileSync } from "node:fs";
import { initSync } from "./wasm/agoralia.js";

initSync({ module: readFileSync(new URL("./wasm/agoralia_bg.wasm", import.meta.url)) });

export * from "./validate-api.js";
