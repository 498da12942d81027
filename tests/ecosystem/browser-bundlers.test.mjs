// Browser apps bundled with esbuild and with rollup (the two bundlers the
// package suite does not cover: it has Vite and webpack), each loaded in
// Chromium, Firefox and WebKit under a strict CSP, running every check against
// a sandbox that serves the page (same origin).
import test, { before, after, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { ROOT, esbuild, installed, reportChecks, scratchProject } from "./support/project.mjs";
import { pageSource, runPage, writeIndexHtml } from "./support/browser.mjs";
import { BROWSERS, launchBrowser } from "../support/browsers.mjs";

let dir, esbuildDist, rollupDist;
before(async () => {
  dir = scratchProject("browser-bundlers");
  esbuildDist = await buildEsbuildApp();
  rollupDist = await buildRollupApp();
});

// What each engine says when the CSP forbids compiling wasm.
const CSP_REFUSAL = {
  Chromium: /WebAssembly.*(wasm-unsafe-eval|Content Security Policy)/i,
  Firefox: /WebAssembly.*blocked by CSP/,
  WebKit: /Refused to create a WebAssembly object because 'unsafe-eval' or 'wasm-unsafe-eval'/,
};

const sameBytes = (dist, served, file) =>
  assert.deepEqual(fs.readFileSync(path.join(dist, served)), fs.readFileSync(installed(dir, file)), `${served} is ${file}`);

async function buildEsbuildApp() {
  // esbuild leaves `new URL("./wasm/agoralia_bg.wasm", import.meta.url)` as it
  // is: the URL is then relative to the bundle, so the .wasm is copied there.
  // Both entries name their wasm the same way, so an app that uses both bundles
  // agoralia/validate apart (forms/), each beside its own wasm.
  const app = path.join(dir, "esbuild-app");
  const dist = path.join(app, "dist");
  fs.mkdirSync(app, { recursive: true });
  fs.writeFileSync(path.join(app, "main.js"), pageSource({ forms: "/forms/index.js" }));
  fs.writeFileSync(path.join(app, "forms.js"), `export * from "agoralia/validate";`);
  const { build } = await esbuild();
  const common = { bundle: true, format: "esm", platform: "browser", target: "es2022", logLevel: "error", metafile: true };
  const main = await build({ ...common, entryPoints: [path.join(app, "main.js")], outfile: path.join(dist, "main.js"), external: ["/forms/index.js"] });
  const forms = await build({ ...common, entryPoints: [path.join(app, "forms.js")], outfile: path.join(dist, "forms/index.js") });
  assert.ok(Object.keys(main.metafile.inputs).some((f) => f.endsWith("agoralia/dist/browser.js")));
  assert.ok(Object.keys(forms.metafile.inputs).some((f) => f.endsWith("agoralia/dist/validate/browser.js")));
  fs.mkdirSync(path.join(dist, "wasm"), { recursive: true });
  fs.mkdirSync(path.join(dist, "forms/wasm"), { recursive: true });
  fs.copyFileSync(installed(dir, "dist/wasm/agoralia_bg.wasm"), path.join(dist, "wasm/agoralia_bg.wasm"));
  fs.copyFileSync(installed(dir, "dist/validate/wasm/agoralia_bg.wasm"), path.join(dist, "forms/wasm/agoralia_bg.wasm"));
  writeIndexHtml(dist, "/main.js");
  // The same page where the CSP lacks 'wasm-unsafe-eval': the wasm may not be compiled.
  writeIndexHtml(dist, "/main.js", { csp: "default-src 'self'; script-src 'self'", file: "no-wasm-csp.html" });
  return dist;
}

async function buildRollupApp() {
  // @web/rollup-plugin-import-meta-assets emits each `new URL(..., import.meta.url)`
  // asset under its own hashed name: both entries' wasm, in one bundle.
  const app = path.join(dir, "rollup-app");
  const dist = path.join(app, "dist");
  fs.mkdirSync(app, { recursive: true });
  fs.writeFileSync(path.join(app, "main.js"), pageSource());
  const { rollup } = await import(path.join(ROOT, "node_modules/rollup/dist/es/rollup.js"));
  const { nodeResolve } = await import(path.join(ROOT, "node_modules/@rollup/plugin-node-resolve/dist/es/index.js"));
  const { importMetaAssets } = await import(path.join(ROOT, "node_modules/@web/rollup-plugin-import-meta-assets/index.mjs"));
  const bundle = await rollup({ input: path.join(app, "main.js"), plugins: [nodeResolve({ browser: true }), importMetaAssets()], onwarn: (w) => assert.fail(`rollup: ${w.message}`) });
  await bundle.write({ dir: dist, format: "es", entryFileNames: "main.js", assetFileNames: "assets/[name]-[hash][extname]" });
  assert.ok(bundle.watchFiles.some((f) => f.endsWith("agoralia/dist/browser.js")) && bundle.watchFiles.some((f) => f.endsWith("agoralia/dist/validate/browser.js")), bundle.watchFiles.join("\n"));
  await bundle.close();
  const assets = fs.readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".wasm"));
  assert.equal(assets.length, 2, `two .wasm assets: ${assets}`);
  writeIndexHtml(dist, "/main.js");
  return dist;
}

for (const name of BROWSERS) {
  describe(name, () => {
    let browser;
    before(async () => {
      browser = await launchBrowser(name);
    });
    after(() => browser?.close());

    test(`esbuild: a browser app, with each entry's .wasm copied beside its bundle, works in ${name}`, async (t) => {
      const { results, errors, wasm } = await runPage(browser, esbuildDist);
      t.diagnostic(`${name} ${browser.version}`);
      assert.deepEqual(errors, []);
      assert.deepEqual(wasm.sort(), ["/forms/wasm/agoralia_bg.wasm", "/wasm/agoralia_bg.wasm"]);
      await reportChecks(t, results, `esbuild in ${name}`);
    });

    test(`esbuild: without 'wasm-unsafe-eval' in the CSP, ${name} refuses to compile the wasm`, async () => {
      const refused = await runPage(browser, esbuildDist, { page: "/no-wasm-csp.html", expectFailure: true });
      assert.equal(refused.out, "loading");
      assert.match(refused.errors.join("\n"), CSP_REFUSAL[name], refused.errors.join("\n"));
    });

    test(`rollup: a browser app (node-resolve, import-meta-assets) works in ${name}`, async (t) => {
      const { results, errors, wasm } = await runPage(browser, rollupDist);
      assert.deepEqual(errors, []);
      assert.equal(wasm.length, 2, `both .wasm fetched: ${wasm}`);
      const bySize = (f) => fs.statSync(path.join(rollupDist, f)).size;
      const [forms, full] = wasm.sort((a, b) => bySize(a) - bySize(b));
      sameBytes(rollupDist, forms, "dist/validate/wasm/agoralia_bg.wasm");
      sameBytes(rollupDist, full, "dist/wasm/agoralia_bg.wasm");
      await reportChecks(t, results, `rollup in ${name}`);
    });
  });
}
