// Browser apps for the ecosystem tests: the page that runs the checks, served
// by a sandbox (so the API is same-origin) and read in each browser engine
// (tests/support/browsers.mjs).
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startSandbox, KEYS } from "../../node/support/sandbox.mjs";
import { ERROR_RECORDER_JS, waitFor } from "../../support/browsers.mjs";
import { CHECKS_JS } from "./project.mjs";

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
  fs.writeFileSync(path.join(dist, "record-errors.js"), ERROR_RECORDER_JS);
  // The app is imported by a loader that records a failed import: engines do
  // not all report a module's rejected top-level await as a page error.
  fs.writeFileSync(path.join(dist, `load-${file}.js`), `import(${JSON.stringify(script)}).catch((e) => window.__pageErrors.push(String(e && e.message || e)));\n`);
  fs.writeFileSync(path.join(dist, file), `<!doctype html><html><head>
<meta http-equiv="Content-Security-Policy" content="${csp}">
<script src="/record-errors.js"></script>
</head><body><pre id="out">loading</pre><script type="module" src="/load-${file}.js"></script></body></html>`);
}

const OUT = `document.getElementById("out") && document.getElementById("out").textContent`;

/**
 * Serves `dist` from a sandbox, loads `page` in `browser` (launchBrowser),
 * returns { results, errors, wasm } (wasm: the paths of the .wasm fetched).
 * With `expectFailure`, returns { out, errors } of a page whose import failed.
 */
export async function runPage(browser, dist, { page: pagePath = "/", expectFailure = false } = {}) {
  const served = await startSandbox({ args: ["--www", dist] });
  const page = await browser.newPage();
  try {
    await page.goto(served.url + pagePath);
    const errors = () => page.evaluate("window.__pageErrors");
    if (expectFailure) {
      // A failed import never runs the page's code: wait for its error.
      await waitFor(page, "window.__pageErrors.length > 0", `${browser.name}: an error on ${pagePath}`, 15000);
      return { out: await page.evaluate(OUT), errors: await errors() };
    }
    await waitFor(page, `${OUT} !== "loading"`, `${browser.name}: the checks on ${pagePath}`);
    const out = JSON.parse(await page.evaluate(OUT));
    assert.ok(Array.isArray(out), `${browser.name}: the page failed: ${JSON.stringify(out)} ${JSON.stringify(await errors())}`);
    const wasm = await page.evaluate(`performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm"))`);
    return { results: out, errors: await errors(), wasm };
  } finally {
    await page.close();
    await served.stop();
  }
}
