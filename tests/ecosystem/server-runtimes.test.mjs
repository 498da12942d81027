// The packed tarball on every server-side runtime the package supports: Node
// 18, 20, 22 and 24 (as ES modules and as CommonJS), Deno and Bun. Each runs
// the same checks as the workers and browsers (support/checks.js), in a
// project that installed the tarball as a user does, against its own sandbox
// (the checks create campaigns and walk the list, so runs do not share one).
import test, { before } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startSandbox, KEYS } from "../node/support/sandbox.mjs";
import { CHECKS_JS, reportChecks, scratchProject } from "./support/project.mjs";
import { RUNTIMES, RUNTIME_ENV, runtimeVersion } from "../support/runtimes.mjs";

const CHECKS_URL = JSON.stringify(pathToFileURL(CHECKS_JS).href);

// The environment as each runtime spells it.
const ENV = `const env = globalThis.Deno ? Deno.env.toObject() : process.env;`;
const REPORT = `(results) => console.log(JSON.stringify({ results }))`;

const ESM = `import * as sdk from "agoralia";
import * as forms from "agoralia/validate";
import { runChecks } from ${CHECKS_URL};
${ENV}
await runChecks(sdk, forms, { baseUrl: env.AGORALIA_BASE_URL, apiKey: env.AGORALIA_API_KEY }).then(${REPORT});
`;

// CommonJS: the SDK through require (the node + require entry); the checks
// are an ES module, imported dynamically as a CommonJS script can.
const CJS = `const sdk = require("agoralia");
const forms = require("agoralia/validate");
${ENV}
import(${CHECKS_URL})
  .then(({ runChecks }) => runChecks(sdk, forms, { baseUrl: env.AGORALIA_BASE_URL, apiKey: env.AGORALIA_API_KEY }))
  .then(${REPORT}, (e) => { console.error(e); process.exitCode = 1; });
`;

let dir;
before(() => {
  dir = scratchProject("server-runtimes");
  fs.writeFileSync(path.join(dir, "checks-esm.mjs"), ESM);
  fs.writeFileSync(path.join(dir, "checks-cjs.cjs"), CJS);
});

function runScript(rt, script, env) {
  return new Promise((resolve, reject) => {
    const child = spawn(rt.exe, [...rt.args, script], { cwd: dir, env: { ...process.env, ...RUNTIME_ENV, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c) => (stdout += c));
    child.stderr.on("data", (c) => (stderr += c));
    child.once("error", reject);
    child.once("exit", (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const VARIANTS = RUNTIMES.flatMap((rt) =>
  rt.name.startsWith("Node")
    ? [{ rt, kind: "ESM", script: "checks-esm.mjs" }, { rt, kind: "CommonJS", script: "checks-cjs.cjs" }]
    : [{ rt, kind: "ESM", script: "checks-esm.mjs" }],
);

for (const { rt, kind, script } of VARIANTS) {
  test(`${rt.name}, ${kind}: every check passes`, async (t) => {
    const version = runtimeVersion(rt);
    const sandbox = await startSandbox({ quiet: true });
    try {
      const started = Date.now();
      const run = await runScript(rt, script, { AGORALIA_BASE_URL: sandbox.apiUrl, AGORALIA_API_KEY: KEYS.all });
      const ms = Date.now() - started;
      assert.equal(run.code, 0, `${rt.name} ${kind} exited with ${run.code ?? run.signal}:\n${run.stderr}`);
      const line = run.stdout.trim().split("\n").at(-1);
      const { results } = JSON.parse(line);
      t.diagnostic(`${version}, ${kind}: ${results.length} checks in ${ms} ms (process start included)`);
      assert.ok(!run.stdout.includes(KEYS.all) && !run.stderr.includes(KEYS.all), "the key is printed nowhere");
      await reportChecks(t, results, `${rt.name} ${kind}`);
    } finally {
      await sandbox.stop();
    }
  });
}
