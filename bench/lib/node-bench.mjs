// Node start-up: fresh processes, ours and the ajv baseline alternating.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as D from "./data.mjs";
import { median } from "./stats.mjs";

const BENCH = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(path.join(BENCH, "package.json"));
export const Ajv = require("ajv");
export const addFormats = require("ajv-formats");
export const Papa = require("papaparse");


/** Start-up in fresh Node processes: import to first validation, ours vs ajv, interleaved. */
export function startupNode({ pkgDir, rounds }) {
  const ours = `
    const t0 = performance.now();
    const m = await import(${JSON.stringify(path.join(pkgDir, "dist/node.js"))});
    const t1 = performance.now();
    const D = await import(${JSON.stringify(path.join(BENCH, "lib/data.mjs"))});
    const c = D.campaign();
    const t2 = performance.now();
    const v = m.validateCampaign ? m : await import(${JSON.stringify(path.join(pkgDir, "dist/validate.js"))}).catch(() => ({}));
    if (v.validateCampaign) v.validateCampaign(c);
    const t3 = performance.now();
    console.log(JSON.stringify({ load: t1 - t0, first: t3 - t2, total: t1 - t0 + t3 - t2 }));`;
  const base = `
    const t0 = performance.now();
    const { default: Ajv } = await import(${JSON.stringify(require.resolve("ajv"))});
    const { default: addFormats } = await import(${JSON.stringify(require.resolve("ajv-formats"))});
    const t1 = performance.now();
    const D = await import(${JSON.stringify(path.join(BENCH, "lib/data.mjs"))});
    const c = D.campaign();
    const t2 = performance.now();
    const ajv = new Ajv({ allErrors: true, allowUnionTypes: true }); addFormats(ajv);
    const v = ajv.compile(D.campaignSchema);
    D.ajvCampaignCheck(v, c);
    const t3 = performance.now();
    console.log(JSON.stringify({ load: t1 - t0, first: t3 - t2, total: t1 - t0 + t3 - t2 }));`;
  const run = (src) => {
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", src], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(r.stderr);
    return JSON.parse(r.stdout.trim().split("\n").pop());
  };
  const res = { ours: [], base: [] };
  for (let i = 0; i < rounds; i++) {
    if (i & 1) { res.base.push(run(base)); res.ours.push(run(ours)); }
    else { res.ours.push(run(ours)); res.base.push(run(base)); }
  }
  const pick = (xs, k) => median(xs.map((x) => x[k]));
  return {
    ours: { load: pick(res.ours, "load"), first: pick(res.ours, "first"), total: pick(res.ours, "total") },
    base: { load: pick(res.base, "load"), first: pick(res.base, "first"), total: pick(res.base, "total") },
  };
}

