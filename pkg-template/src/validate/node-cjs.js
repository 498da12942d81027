// Source of dist/validate/node.cjs (bundled to CommonJS by scripts/build.sh):
// `require("agoralia/validate")`.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { initSync } from "./wasm/agoralia.js";

initSync({ module: readFileSync(join(__dirname, "wasm", "agoralia_bg.wasm")) });

export * from "./validate-api.js";
