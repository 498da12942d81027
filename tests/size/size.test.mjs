// The size budget: what a browser downloads for the whole SDK (JS glue bundled
// and minified with esbuild, plus the .wasm), gzip -9. A size is deterministic,
// so this is a test; speed and the comparison with other SDKs live in bench/.
import test from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { build } from "esbuild";
import { PKG_DIR, ROOT } from "../node/support/sandbox.mjs";

// Bytes, min+gzip: openai-node + ajv is 74 KB. Raised from 74 KB to 84 KB for
// the streaming leads reader (a File.stream() of any size, column mapping, a
// rejects CSV: 5 KB of wasm) and importCsv's batching and checkpoints (2.4 KB
// of JS); our goal stays 40 KB. Raised from 84 KB to 85 KB for the checks the
// runtime makes (issue 16 item 5): time zones by Intl with the core's "did you
// mean" over Intl's zones, patterns by RegExp with flag u; +590 B measured
// (83 886 -> 84 476: JS +376, wasm +214), rounded up to 0.5 KB steps. The
// validators alone took +563 B of this and still fit 56 KB (55 964 B).
// Raised from 85 KB to 86 KB for the request driver as one state machine
// (issue 16 item 3): the spec's values read as the caller gave them instead of
// NaN/-Infinity sentinels made by the glue, the call's outcome handed to its
// control, retries named by the core; +1245 B measured (84 476 -> 85 721:
// wasm +1.4 KB, JS -0.2 KB; bench/RESULTS.md).
const BUDGET = 86 * 1000;
// The validation-only entry, for pages that check forms and send nothing
// (no client in its wasm): ajv + ajv-formats' own size (41 KB) plus the
// streaming reader. Raised from 50 KB to 56 KB with it.
const VALIDATE_BUDGET = 56 * 1000;

/** esbuild (ESM, browser, minified) of `source` plus the .wasm it loads: gzip -9 sizes. */
async function download(name, source, wasmFile) {
  const entry = path.join(ROOT, `target/size-entry-${name}.js`);
  fs.writeFileSync(entry, source);
  const out = await build({
    entryPoints: [entry], bundle: true, minify: true, format: "esm", platform: "browser",
    target: "es2022", write: false, logLevel: "error", outdir: path.join(ROOT, "target/size-out"),
    loader: { ".wasm": "file" },
  });
  const js = Buffer.concat(out.outputFiles.filter((f) => f.path.endsWith(".js")).map((f) => Buffer.from(f.contents)));
  const wasm = fs.readFileSync(path.join(PKG_DIR, wasmFile));
  const gz = (b) => zlib.gzipSync(b, { level: 9 }).length;
  const total = gz(js) + gz(wasm);
  // The command line (node:util's parseArgs, files, signals) is Node-only: none of it in a browser build.
  assert.ok(!js.toString().includes("parseArgs") && !js.toString().includes("agoralia-checkpoint"), `${name}: the CLI leaked into the browser bundle`);
  console.log(`${name}: js ${js.length} B (gzip ${gz(js)}), wasm ${wasm.length} B (gzip ${gz(wasm)}), total gzip ${total} B`);
  return total;
}

test("SDK with its validator stays under the 86 KB min+gzip budget", async () => {
  const total = await download("sdk",
    `import { Agoralia, validateCampaign } from ${JSON.stringify(path.join(PKG_DIR, "dist/browser.js"))};\n` +
      `const c = new Agoralia({ baseUrl: "/api/v1" });\nconsole.log(await c.me(), validateCampaign({}));\n`,
    "dist/wasm/agoralia_bg.wasm");
  assert.ok(total <= BUDGET, `SDK download is ${total} B min+gzip, over the ${BUDGET} B budget`);
});

test("the validators alone (agoralia/validate) stay under 56 KB min+gzip, two thirds of the whole SDK", async () => {
  const total = await download("validate",
    `import { validateCampaign } from ${JSON.stringify(path.join(PKG_DIR, "dist/validate/browser.js"))};\n` +
      `console.log(validateCampaign({}));\n`,
    "dist/validate/wasm/agoralia_bg.wasm");
  assert.ok(total <= VALIDATE_BUDGET, `agoralia/validate download is ${total} B min+gzip, over the ${VALIDATE_BUDGET} B budget`);
});
