// Runs inside Chromium (bundled into target/bench-web/page.js by bench/run.mjs).
import Ajv from "ajv";
import addFormats from "ajv-formats";
import Papa from "papaparse";
import * as D from "../lib/data.mjs";
import { validationSuite } from "../lib/validation.mjs";
import { adapt } from "../lib/sdk.mjs";

// Variables, so that esbuild leaves these imports to the browser.
const SDK_URL = "/pkg/dist/browser.js";
const AJV_URL = "/ajv-startup.js";
const VALIDATE_URL = "/pkg/dist/validate.js";
const BUNDLE_URL = "/sdk-bundle.js";

window.bench = {
  /** Cold start of ours: fetch + compile + instantiate (browser.js awaits init), then a first validation. */
  async startupOurs() {
    const c = D.campaign();
    const t0 = performance.now();
    const m = await import(/* @vite-ignore */ SDK_URL);
    const t1 = performance.now();
    const v = m.validateCampaign ? m : await import(/* @vite-ignore */ VALIDATE_URL).catch(() => ({}));
    if (v.validateCampaign) v.validateCampaign(c);
    const t2 = performance.now();
    return { load: t1 - t0, first: t2 - t1, total: t2 - t0 };
  },
  /** Cold start of ours as an app ships it: one bundled JS file + the .wasm. */
  async startupBundled() {
    const c = D.campaign();
    const t0 = performance.now();
    const m = await import(/* @vite-ignore */ BUNDLE_URL);
    const t1 = performance.now();
    (m.validateCampaign ?? m.__validateCampaign)?.(c);
    const t2 = performance.now();
    return { load: t1 - t0, first: t2 - t1, total: t2 - t0 };
  },
  /** The wasm alone: fetch + WebAssembly.compileStreaming. */
  async compileWasm() {
    const t0 = performance.now();
    await WebAssembly.compileStreaming(fetch("/pkg/dist/wasm/agoralia_bg.wasm"));
    return { total: performance.now() - t0 };
  },
  /** Cold start of the baseline: fetch + evaluate the ajv bundle, compile the campaign schema, validate once. */
  async startupAjv() {
    const c = D.campaign();
    const t0 = performance.now();
    const m = await import(/* @vite-ignore */ AJV_URL);
    const t1 = performance.now();
    m.check(c);
    const t2 = performance.now();
    return { load: t1 - t0, first: t2 - t1, total: t2 - t0 };
  },
  async validation(opts) {
    const m = await import(/* @vite-ignore */ SDK_URL);
    const v = m.validateCampaign ? null : await import(/* @vite-ignore */ VALIDATE_URL).catch(() => null);
    const sdk = adapt(m, v);
    const r = await validationSuite(sdk, { Ajv, addFormats, Papa }, opts);
    return { ...r, isolated: self.crossOriginIsolated === true };
  },
};
document.getElementById("status").textContent = "ready";
