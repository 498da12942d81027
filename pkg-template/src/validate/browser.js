// Entry of `agoralia/validate` for browsers and bundlers: the validators alone,
// over the validation-only wasm (no API client in it: about a third smaller to
// download). Fetched and compiled once, streaming, as the main entry does.
import init from "./wasm/agoralia.js";

await init({ module_or_path: new URL("./wasm/agoralia_bg.wasm", import.meta.url) });

export * from "./validate-api.js";
