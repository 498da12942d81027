// Shared by the ecosystem tests: a scratch project with the packed tarball
// installed, esbuild from the workspace, a free port, and the checks' results
// turned into one subtest per check (so a check a runtime cannot run fails by
// its name).
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { ROOT } from "../../node/support/sandbox.mjs";
import { CHECKS } from "./checks.js";
import { freePort } from "../../support/ports.mjs";
import { installTarball, tarball } from "../../support/tarball.mjs";

export { ROOT };
export const CHECKS_JS = path.join(ROOT, "tests/ecosystem/support/checks.js");

export { tarball };

export const run = (cwd, cmd, args, env = {}) =>
  execFileSync(cmd, args, { cwd, env: { ...process.env, ...env }, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });

/** A fresh target/ecosystem/<name> with the tarball installed; returns its path. */
export function scratchProject(name) {
  return installTarball(path.join(ROOT, "target/ecosystem", name));
}

export const installed = (dir, f) => path.join(dir, "node_modules/agoralia", f);

export async function esbuild() {
  return import(path.join(ROOT, "node_modules/esbuild/lib/main.js"));
}

export { freePort };

/** The app's source: both entries as the runtime resolves them, and the checks. */
export const appImports = `
  import * as sdk from "agoralia";
  import * as forms from "agoralia/validate";
  import { runChecks } from ${JSON.stringify(CHECKS_JS)};
`;

/** One subtest per check, each failing with the runtime's own message. */
export async function reportChecks(t, results, runtime) {
  assert.ok(Array.isArray(results), `${runtime} returned no results: ${JSON.stringify(results)}`);
  for (const name of CHECKS) {
    await t.test(name, () => {
      const r = results.find((x) => x.name === name);
      assert.ok(r, `${runtime} did not run the check "${name}"`);
      assert.ok(r.ok, `${runtime}: ${name}: ${r.detail}`);
    });
  }
  assert.deepEqual(results.map((r) => r.name), CHECKS, `${runtime} ran exactly the checks`);
}
