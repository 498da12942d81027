// Browser apps for the ecosystem tests: the page that runs the checks, served
// by a sandbox (so the API is same-origin) and read in headless Chromium.
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import { startSandbox, KEYS } from "../../node/support/sandbox.mjs";
import { CHECKS_JS, CHROMIUM_ARGS } from "./project.mjs";

/** The page's module: the SDK namespaces as bundled, the checks, results in #out. */
export const pageSource = ({ forms = "agoralia/validate" } = {}) => `
  import * as sdk from "agoralia";
  import * as forms from ${JSON.stringify(forms)};
  import { runChecks } from ${JSON.stringify(CHECKS_JS)};
  const out = document.getElementById("out");
  runChecks(sdk, forms, {
    baseUrl: location.origin + "/api/v1",
    apiKey: ${JSON.stringify(KEYS.all)},
    clientOptions: { dangerouslyAllowBrowser: true }, // a test page holding a key
  }).then((results) => { out.textContent = JSON.stringify(results); },
          (e) => { out.textContent = JSON.stringify({ error: String(e) }); });
`;

// Only this origin's scripts, and wasm compilation: what a strict page allows.
export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

export function writeIndexHtml(dist, script, { csp = CSP, file = "index.html" } = {}) {
  fs.writeFileSync(path.join(dist, file), `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="${csp}">
</head><body><pre id="out">loading</pre><script type="module" src="${script}"></script></body></html>`);
}

/**
 * Serves `dist` from a sandbox, loads `page` in Chromium, returns { results,
 * errors, wasm } (wasm: the paths of the .wasm fetched). With `expectFailure`,
 * returns { out, errors } of a page that reported an error instead.
 */
export async function runPage(dist, { page: pagePath = "/", expectFailure = false } = {}) {
  const served = await startSandbox({ args: ["--www", dist] });
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const errors = [];
    const wasm = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("response", (r) => r.url().endsWith(".wasm") && wasm.push(new URL(r.url()).pathname));
    await page.goto(served.url + pagePath);
    if (expectFailure) {
      // A failed import never runs the page's code: wait for its error.
      for (let i = 0; errors.length === 0 && i < 150; i++) await new Promise((r) => setTimeout(r, 100));
      return { out: await page.textContent("#out"), errors };
    }
    await page.waitForFunction(() => document.getElementById("out").textContent !== "loading", null, { timeout: 30000 });
    const out = JSON.parse(await page.textContent("#out"));
    assert.ok(Array.isArray(out), `the page failed: ${JSON.stringify(out)} ${errors.join("\n")}`);
    return { results: out, errors, wasm };
  } finally {
    await browser.close();
    await served.stop();
  }
}
