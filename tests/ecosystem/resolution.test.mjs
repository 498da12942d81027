// Which file of the exports map each tool's conditions pick, in the installed
// tarball: the workerd entry for wrangler's conditions, edge-light for
// Vercel's, the browser entry for every bundler that builds for a browser or a
// web worker (webpack's webworker target sets `worker` and `browser`: the
// browser condition comes first, so its builds keep the entry they had), and
// the same declarations for TypeScript under the new conditions.
import test, { before } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { ROOT, run, scratchProject } from "./support/project.mjs";

const require = createRequire(import.meta.url);
const webpack = require(path.join(ROOT, "node_modules/webpack"));
const { create } = require(path.join(ROOT, "node_modules/enhanced-resolve"));

/** webpack's own default conditions for a target, ES module imports. */
function webpackConditions(target) {
  const o = webpack.config.getNormalizedWebpackOptions({ mode: "production", target, context: ROOT, entry: "./x.js" });
  webpack.config.applyWebpackOptionsDefaults(o);
  return [...o.resolve.conditionNames, ...o.resolve.byDependency.esm.conditionNames.filter((c) => c !== "...")];
}

const TABLE = [
  // tool, its conditions, what "agoralia" and "agoralia/validate" resolve to
  ["wrangler (esbuild)", ["workerd", "worker", "browser", "import", "module"], "dist/workerd.js", "dist/validate/workerd.js"],
  ["Vercel Edge, Next.js middleware", ["edge-light", "worker", "browser", "import", "module"], "dist/edge-light.js", "dist/validate/edge-light.js"],
  ["a runtime that sets worker alone", ["worker", "import"], "dist/workerd.js", "dist/validate/workerd.js"],
  ["webpack, target web", webpackConditions("web"), "dist/browser.js", "dist/validate/browser.js"],
  ["webpack, target webworker", webpackConditions("webworker"), "dist/browser.js", "dist/validate/browser.js"],
  ["Vite, rollup node-resolve, esbuild (browser)", ["browser", "module", "import", "production"], "dist/browser.js", "dist/validate/browser.js"],
  ["Node, import", ["node", "import"], "dist/node.js", "dist/validate/node.js"],
  ["Node, require", ["node", "require"], "dist/node.cjs", "dist/validate/node.cjs"],
  ["Deno", ["deno", "node", "import"], "dist/node.js", "dist/validate/node.js"],
  ["Bun", ["bun", "node", "import"], "dist/node.js", "dist/validate/node.js"],
  ["no condition matched", ["import"], "dist/browser.js", "dist/validate/browser.js"],
];

let dir;
before(() => {
  dir = scratchProject("resolution");
});

for (const [tool, conditionNames, main, forms] of TABLE) {
  test(`${tool}: ${conditionNames.join(", ")}`, () => {
    const resolve = create.sync({ conditionNames, extensions: [".js"], mainFields: [] });
    const pkg = path.join(dir, "node_modules/agoralia");
    assert.equal(path.relative(pkg, resolve(dir, "agoralia")), main);
    assert.equal(path.relative(pkg, resolve(dir, "agoralia/validate")), forms);
  });
}

test("TypeScript: the same declarations under the workerd, worker and edge-light conditions (strict)", () => {
  const ts = path.join(dir, "ts");
  fs.mkdirSync(ts, { recursive: true });
  fs.writeFileSync(path.join(ts, "worker.ts"), `
    import { Agoralia, NotFoundError, validateCampaign } from "agoralia";
    import { parseLeadsCsv } from "agoralia/validate";
    export default {
      async fetch(_req: Request, env: { KEY: string }): Promise<Response> {
        const client = new Agoralia({ apiKey: env.KEY });
        const me: { workspace_name: string } = await client.me();
        const ok: boolean = validateCampaign({}).valid && parseLeadsCsv("a,b\\n").rowCount === 0;
        return new Response(JSON.stringify({ me, ok, nf: NotFoundError.name }));
      },
    };
  `);
  for (const conditions of [["workerd", "worker"], ["edge-light", "worker"], ["worker"]]) {
    fs.writeFileSync(path.join(ts, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        strict: true, noEmit: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler",
        customConditions: conditions, lib: ["ES2022", "DOM"], types: [], skipLibCheck: false, traceResolution: true,
      },
      files: ["worker.ts"],
    }));
    let out;
    try {
      out = run(ts, process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json"]);
    } catch (e) {
      assert.fail(`tsc (${conditions}) failed:\n${e.stdout.split("\n").filter((l) => /error/.test(l)).join("\n")}${e.stderr}`);
    }
    const resolved = [...out.matchAll(/Module name '(agoralia[^']*)' was successfully resolved to '([^']+)'/g)].map((m) => [m[1], path.relative(path.join(dir, "node_modules/agoralia"), m[2])]);
    assert.deepEqual(Object.fromEntries(resolved), { agoralia: "types/index.d.ts", "agoralia/validate": "types/validate.d.ts" }, `${conditions}: ${JSON.stringify(resolved)}`);
  }
});
