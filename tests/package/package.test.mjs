// The package as a user gets it: the `npm pack` tarball installed into scratch
// projects and used from an ESM script, a CommonJS script, and a Vite app built
// and loaded in headless Chromium, each against a real sandbox.
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { chromium } from "playwright-core";
import { startSandbox, KEYS, ROOT } from "../node/support/sandbox.mjs";
import { installTarball } from "../support/tarball.mjs";

const SCRATCH = path.join(ROOT, "target/package-test");
const run = (cwd, cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

let sandbox;
before(async () => {
  installTarball(SCRATCH, { type: null });
  sandbox = await startSandbox();
});
after(() => sandbox?.stop());

test("the tarball holds the package files and an exports map for every runtime", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(SCRATCH, "node_modules/agoralia/package.json"), "utf8"));
  // Only the entries have side effects (they instantiate the wasm); every other
  // module can be tree-shaken. `false` would let bundlers drop the init.
  // The CLI's main runs when started (the `bin`), and no bundle imports it.
  assert.deepEqual(pkg.sideEffects, [
    "./dist/browser.js", "./dist/node.js", "./dist/node.cjs",
    "./dist/validate/browser.js", "./dist/validate/node.js", "./dist/validate/node.cjs",
    "./dist/workerd.js", "./dist/edge-light.js", "./dist/validate/workerd.js", "./dist/validate/edge-light.js",
    "./dist/cli/main.js",
  ]);
  assert.deepEqual(pkg.bin, { agoralia: "dist/cli/main.js" });
  for (const f of [
    "dist/node.js", "dist/node.cjs", "dist/browser.js", "dist/wasm/agoralia_bg.wasm", "types/index.d.ts", "types/index.d.cts", "README.md",
    "dist/validate/node.js", "dist/validate/node.cjs", "dist/validate/browser.js", "dist/validate/wasm/agoralia_bg.wasm",
    "types/validate.d.ts", "types/validate.d.cts",
    "dist/workerd.js", "dist/edge-light.js", "dist/wasm-module.js", "dist/validate/workerd.js", "dist/validate/edge-light.js",
    "dist/cli/main.js", "dist/cli/import.js", "dist/cli/output.js", "dist/cli/args.js",
  ]) {
    assert.ok(fs.existsSync(path.join(SCRATCH, "node_modules/agoralia", f)), `${f} is in the tarball`);
  }
});

test("ESM: import from 'agoralia' in Node and call the sandbox", () => {
  const script = path.join(SCRATCH, "esm.mjs");
  fs.writeFileSync(script, `
    import { Agoralia, AgoraliaError } from "agoralia";
    const client = new Agoralia({ apiKey: process.env.KEY, baseUrl: process.env.BASE });
    const me = await client.me();
    console.log(JSON.stringify({ workspace: me.workspace_name, base: typeof AgoraliaError }));
  `);
  const out = JSON.parse(run(SCRATCH, "node", [script], { KEY: KEYS.all, BASE: sandbox.apiUrl }));
  assert.deepEqual(out, { workspace: "Sandbox Workspace", base: "function" });
});

test("CommonJS: require('agoralia') in Node and call the sandbox", () => {
  const script = path.join(SCRATCH, "cjs.cjs");
  fs.writeFileSync(script, `
    const { Agoralia, ApiError } = require("agoralia");
    new Agoralia({ apiKey: process.env.KEY, baseUrl: process.env.BASE }).me().then(
      (me) => console.log(JSON.stringify({ workspace: me.workspace_name, scopes: me.api_key_scopes.length })),
      (e) => { console.error(e); process.exit(1); });
  `);
  const out = JSON.parse(run(SCRATCH, "node", [script], { KEY: KEYS.all, BASE: sandbox.apiUrl }));
  assert.deepEqual(out, { workspace: "Sandbox Workspace", scopes: 9 });
});

test("agoralia/validate: ESM and CommonJS give the main entry's reports, with no client and a smaller wasm", () => {
  const cases = `[
    validateCampaign({ name: "", purpose: "quote", extraction_schema: { type: "object", properties: { a: { type: "strin" } } }, display_columns: ["b"] }),
    validateLeads({ campaign_id: 1, items: [{ external_id: "x", phone: "+39 340 123 4567" }, { external_id: "x", phone: "12" }] }),
    validateJsonText("extraction_schema", '{"type": "object",\\n "properties": {"a": {"type": "strin"}}}'),
    parseLeadsCsv("external_id,phone\\nl-1,+393401110001\\nl-2,nope\\n"),
    normalizePhone("340 123 4567", { defaultCountryCode: 39 }),
  ]`;
  const names = "validateCampaign, validateLeads, validateJsonText, parseLeadsCsv, normalizePhone";
  fs.writeFileSync(path.join(SCRATCH, "forms.mjs"), `
    import { ${names} } from "agoralia/validate";
    import * as forms from "agoralia/validate";
    const main = await import("agoralia");
    const run = ({ ${names} }) => ${cases};
    console.log(JSON.stringify({ forms: run(forms), main: run(main), client: "Agoralia" in forms }));
  `);
  fs.writeFileSync(path.join(SCRATCH, "forms.cjs"), `
    const forms = require("agoralia/validate");
    const run = ({ ${names} }) => ${cases};
    console.log(JSON.stringify({ forms: run(forms), client: "Agoralia" in forms }));
  `);
  const esm = JSON.parse(run(SCRATCH, "node", [path.join(SCRATCH, "forms.mjs")]));
  const cjs = JSON.parse(run(SCRATCH, "node", [path.join(SCRATCH, "forms.cjs")]));
  assert.deepEqual(esm.forms, esm.main);
  assert.deepEqual(cjs.forms, esm.main);
  assert.equal(esm.client, false);
  assert.equal(cjs.client, false);
  // The reports hold the rules, not just agree with each other.
  const [campaign, leads, text, csv, phone] = esm.forms;
  assert.ok(campaign.issues.some((i) => i.code === "unknown_type" && i.suggestion === "string"), JSON.stringify(campaign.issues));
  assert.ok(leads.issues.some((i) => i.code === "duplicate_external_id"), JSON.stringify(leads.issues));
  assert.equal(text.issues.find((i) => i.code === "unknown_type").line, 2);
  assert.deepEqual([csv.rowCount, csv.items.map((i) => i.external_id)], [2, ["l-1"]]);
  assert.deepEqual(phone, { ok: true, value: "+393401234567" });
  // Its own wasm, without the client's code.
  const dir = path.join(SCRATCH, "node_modules/agoralia/dist");
  const wasmSize = (f) => fs.statSync(path.join(dir, f)).size;
  assert.ok(wasmSize("validate/wasm/agoralia_bg.wasm") < 0.8 * wasmSize("wasm/agoralia_bg.wasm"));
  assert.doesNotMatch(fs.readFileSync(path.join(dir, "validate/wasm/agoralia.js"), "utf8"), /WasmClient/);
});

test("TypeScript: the installed package's types compile a strict consumer (NodeNext, exports map)", () => {
  const dir = path.join(SCRATCH, "ts");
  fs.mkdirSync(dir, { recursive: true });
  // .mts: an ES module consumer, resolved through the exports map's "types" condition.
  fs.copyFileSync(path.join(ROOT, "tests/consumer-ts/consumer.ts"), path.join(dir, "consumer.mts"));
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext",
      lib: ["ES2022", "DOM", "DOM.Iterable"], types: [], skipLibCheck: false, noUncheckedIndexedAccess: true,
    },
    files: ["consumer.mts"],
  }));
  // A CommonJS consumer resolves the .d.cts twins through the "require" condition.
  fs.writeFileSync(path.join(dir, "consumer-cjs.cts"), `
    import agoralia = require("agoralia");
    const client = new agoralia.Agoralia({ baseUrl: "http://127.0.0.1:8787/api/v1" });
    export const pending: Promise<{ workspace_name: string }> = client.me();
    export const check: boolean = agoralia.validateCampaign({}).valid;
    import forms = require("agoralia/validate");
    export const formCheck: boolean = forms.validateCampaign({}).valid;
  `);
  const tsconfig = JSON.parse(fs.readFileSync(path.join(dir, "tsconfig.json"), "utf8"));
  tsconfig.files.push("consumer-cjs.cts");
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify(tsconfig));
  try {
    run(dir, process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"]);
  } catch (e) {
    assert.fail(`tsc --strict failed:\n${e.stdout}${e.stderr}`);
  }
});

// The app both bundlers build: the client against the sandbox that serves the
// page (same origin), and validation on its own, which needs the wasm init kept.
const APP_SOURCE = `
  import { Agoralia, validateCampaign } from "agoralia";
  const out = document.getElementById("out");
  const check = validateCampaign({ name: "Q1", purpose: "quote", agent_ref_id: 1, extraction_schema: {}, display_columns: [] });
  // The browser opt-in is explicit because this test page holds a key.
  const client = new Agoralia({ apiKey: ${JSON.stringify(KEYS.all)}, baseUrl: location.origin + "/api/v1", dangerouslyAllowBrowser: true });
  client.me().then((me) => { out.textContent = "workspace=" + me.workspace_name + " valid=" + check.valid + " code=" + check.issues.find((i) => i.severity === "error")?.code; },
                   (e) => { out.textContent = "error=" + e.name + ": " + e.message; });
`;
const EXPECTED = "workspace=Sandbox Workspace valid=false code=invalid_enum";

/** Loads `url` in headless Chromium (retrying until a server answers) and returns #out's text. */
async function readOut(url) {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    for (let i = 0; ; i++) {
      try { await page.goto(url); break; } catch (e) { if (i > 50) throw e; await new Promise((r) => setTimeout(r, 200)); }
    }
    await page.waitForFunction(() => document.getElementById("out").textContent !== "loading", null, { timeout: 15000 });
    assert.deepEqual(errors, []);
    return await page.textContent("#out");
  } finally {
    await browser.close();
  }
}

/** Serves a built app from a sandbox (so the API is same-origin) and reads its page. */
async function runInChromium(dist) {
  const served = await startSandbox({ args: ["--www", dist] });
  try {
    return await readOut(served.url + "/");
  } finally {
    await served.stop();
  }
}

test("Vite: an app importing 'agoralia' builds, and its page works in Chromium", async () => {
  const app = path.join(SCRATCH, "vite-app");
  fs.mkdirSync(app, { recursive: true });
  fs.writeFileSync(path.join(app, "index.html"), `<!doctype html><html><body><pre id="out">loading</pre><script type="module" src="/main.js"></script></body></html>`);
  fs.writeFileSync(path.join(app, "main.js"), APP_SOURCE);
  run(app, process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "error"]);
  const dist = path.join(app, "dist");
  assert.ok(fs.readdirSync(path.join(dist, "assets")).some((f) => f.endsWith(".wasm")), "Vite emitted the .wasm as an asset");
  assert.equal(await runInChromium(dist), EXPECTED);
});

test("Vite: a forms-only app importing 'agoralia/validate' gets the smaller wasm alone, and works in Chromium", async () => {
  const app = path.join(SCRATCH, "vite-forms-app");
  fs.mkdirSync(app, { recursive: true });
  fs.writeFileSync(path.join(app, "index.html"), `<!doctype html><html><body><pre id="out">loading</pre><script type="module" src="/main.js"></script></body></html>`);
  fs.writeFileSync(path.join(app, "main.js"), `
    import { validateCampaign, toFieldErrors } from "agoralia/validate";
    const r = validateCampaign({ name: "  ", purpose: "quote", agent_ref_id: 1, extraction_schema: {}, display_columns: [] });
    document.getElementById("out").textContent = "valid=" + r.valid + " " + JSON.stringify(toFieldErrors(r));
  `);
  run(app, process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "build", "--logLevel", "error"]);
  const dist = path.join(app, "dist");
  const wasm = fs.readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one .wasm emitted: ${wasm}`);
  const installed = (f) => fs.readFileSync(path.join(SCRATCH, "node_modules/agoralia/dist", f));
  assert.deepEqual(fs.readFileSync(path.join(dist, "assets", wasm[0])), installed("validate/wasm/agoralia_bg.wasm"));
  const js = fs.readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".js")).map((f) => fs.readFileSync(path.join(dist, "assets", f), "utf8")).join("");
  assert.doesNotMatch(js, /WasmClient|dangerouslyAllowBrowser/, "no client code in the bundle");
  const out = await runInChromium(dist);
  assert.match(out, /^valid=false /);
  const errors = JSON.parse(out.slice("valid=false ".length));
  // Errors only (a blank name is a warning): the purpose, with the value it likely meant.
  assert.deepEqual(Object.keys(errors), ["purpose"]);
  assert.match(errors.purpose, /did you mean "quote_request"/);
});

test("Vite dev server: the same app works unbundled from node_modules, API proxied to the sandbox", async () => {
  const app = path.join(SCRATCH, "vite-app"); // written by the Vite build test above
  const sandbox = await startSandbox();
  const port = await new Promise((resolve) => {
    const probe = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
  fs.writeFileSync(path.join(app, "vite.config.mjs"),
    `export default { server: { port: ${port}, strictPort: true, proxy: { "/api": ${JSON.stringify(sandbox.url)} } } };`);
  const dev = spawn(process.execPath, [path.join(ROOT, "node_modules/vite/bin/vite.js"), "--logLevel", "error"], { cwd: app, stdio: "ignore" });
  try {
    assert.equal(await readOut(`http://127.0.0.1:${port}/`), EXPECTED);
  } finally {
    dev.kill();
    fs.rmSync(path.join(app, "vite.config.mjs"));
    await sandbox.stop();
  }
});

test("webpack: an app importing 'agoralia' builds with the defaults, and its page works in Chromium", async () => {
  const app = path.join(SCRATCH, "webpack-app");
  fs.mkdirSync(path.join(app, "src"), { recursive: true });
  fs.writeFileSync(path.join(app, "src/index.js"), APP_SOURCE);
  // webpack 5 with no special configuration: top-level await and the
  // `new URL("x.wasm", import.meta.url)` asset are handled by default.
  fs.writeFileSync(path.join(app, "build.cjs"), `
    const webpack = require(${JSON.stringify(path.join(ROOT, "node_modules/webpack"))});
    webpack({ mode: "production", context: __dirname, entry: "./src/index.js", target: "web",
              output: { path: __dirname + "/dist", filename: "main.js" } }, (err, stats) => {
      if (err || stats.hasErrors()) { console.error(err || stats.toString("errors-only")); process.exit(1); }
    });
  `);
  run(app, process.execPath, [path.join(app, "build.cjs")]);
  const dist = path.join(app, "dist");
  assert.ok(fs.readdirSync(dist).some((f) => f.endsWith(".wasm")), "webpack emitted the .wasm as an asset");
  fs.writeFileSync(path.join(dist, "index.html"), `<!doctype html><html><body><pre id="out">loading</pre><script src="/main.js"></script></body></html>`);
  assert.equal(await runInChromium(dist), EXPECTED);
});
