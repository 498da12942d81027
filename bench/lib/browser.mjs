// Chromium measurements through playwright-core and Debian's chromium. The page
// and the package are same-origin, served by the sandbox (--www target/bench-web
// --pkg target/npm/agoralia).
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";
import { median } from "./stats.mjs";

const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

/** Assembles target/bench-web: the page, its bundle, the ajv start-up bundle. */
export async function assembleWeb(benchDir, outDir, pkgDir) {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  fs.copyFileSync(path.join(benchDir, "web/index.html"), path.join(outDir, "index.html"));
  const common = { bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022", logLevel: "error", absWorkingDir: benchDir };
  await build({ ...common, entryPoints: [path.join(benchDir, "web/page.mjs")], outfile: path.join(outDir, "page.js") });
  await build({ ...common, entryPoints: [path.join(benchDir, "web/ajv-startup.mjs")], outfile: path.join(outDir, "ajv-startup.js") });
  // The SDK as an app ships it: its JS bundled into one file (as Vite or esbuild
  // would), the .wasm beside it at the URL the glue asks for.
  fs.writeFileSync(path.join(outDir, "sdk-entry.mjs"), `export * from ${JSON.stringify(path.join(pkgDir, "dist/browser.js"))};\n` +
    (fs.existsSync(path.join(pkgDir, "dist/validate.js")) ? `export { validateCampaign as __validateCampaign } from ${JSON.stringify(path.join(pkgDir, "dist/validate.js"))};\n` : ""));
  await build({ ...common, entryPoints: [path.join(outDir, "sdk-entry.mjs")], outfile: path.join(outDir, "sdk-bundle.js") });
  fs.mkdirSync(path.join(outDir, "wasm"), { recursive: true });
  fs.copyFileSync(path.join(pkgDir, "dist/wasm/agoralia_bg.wasm"), path.join(outDir, "wasm/agoralia_bg.wasm"));
}

export async function withBrowser(fn) {
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: ARGS, headless: true });
  try {
    return await fn(browser);
  } finally {
    await browser.close();
  }
}

async function freshPage(browser, url, { isolate = false } = {}) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  if (isolate) {
    // Cross-origin isolation gives performance.now() 5 us resolution instead of 100 us.
    await page.route("**/*", async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, headers: { ...res.headers(), "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" } });
    });
  }
  await page.goto(url);
  await page.waitForFunction(() => window.bench);
  return { ctx, page };
}

/** Cold start-up, each sample in a fresh browser context (empty HTTP and code caches), alternating. */
export async function startupBrowser(browser, url, { rounds }) {
  const res = { ours: [], bundled: [], base: [], wasm: [] };
  const kinds = [["ours", "startupOurs"], ["base", "startupAjv"], ["bundled", "startupBundled"], ["wasm", "compileWasm"]];
  for (let i = 0; i < rounds + 1; i++) {
    const order = i & 1 ? [...kinds].reverse() : kinds;
    for (const [k, f] of order) {
      const { ctx, page } = await freshPage(browser, url);
      const r = await page.evaluate((f) => window.bench[f](), f);
      await ctx.close();
      if (i > 0) res[k].push(r); // the first round warms the OS file cache and the server
    }
  }
  const pick = (xs, key) => median(xs.map((x) => x[key]));
  return {
    ours: { load: pick(res.ours, "load"), first: pick(res.ours, "first"), total: pick(res.ours, "total") },
    base: { load: pick(res.base, "load"), first: pick(res.base, "first"), total: pick(res.base, "total") },
    bundled: { load: pick(res.bundled, "load"), first: pick(res.bundled, "first"), total: pick(res.bundled, "total") },
    wasmCompile: pick(res.wasm, "total"),
  };
}

export async function validationBrowser(browser, url, opts) {
  const { ctx, page } = await freshPage(browser, url, { isolate: true });
  try {
    return await page.evaluate((o) => window.bench.validation(o), opts);
  } finally {
    await ctx.close();
  }
}
