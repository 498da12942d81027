// Entry for browsers and bundlers (Vite, webpack): the wasm file is fetched and
// compiled once, streaming, next to this module. Bundlers see the `new URL(...,
// import.meta.url)` pattern and emit the .wasm as an asset.
import init from "./wasm/agoralia.js";

await init({ module_or_path: new URL("./wasm/agoralia_bg.wasm", import.meta.url) });

export * from "./index.js";
