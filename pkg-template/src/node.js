// Entry for Node (ESM): the wasm is read from disk and compiled synchronously,
// so importing the package needs no top-level await.
import { readFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { useRandomUUID } from "./idempotency.js";
import { initSync } from "./wasm/agoralia.js";

initSync({ module: readFileSync(new URL("./wasm/agoralia_bg.wasm", import.meta.url)) });
useRandomUUID(randomUUID);

export * from "./index.js";
