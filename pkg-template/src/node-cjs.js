// Source of dist/node.cjs (bundled to CommonJS by scripts/build.sh): `require("agoralia")`.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { useRandomUUID } from "./idempotency.js";
import { join } from "node:path";
import { initSync } from "./wasm/agoralia.js";

initSync({ module: readFileSync(join(__dirname, "wasm", "agoralia_bg.wasm")) });
useRandomUUID(randomUUID);

export * from "./index.js";
