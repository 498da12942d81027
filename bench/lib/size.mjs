// Size: what a browser downloads. Every contender is bundled by esbuild the
// same way (ESM, browser platform, minified, es2022) from a two-line entry:
// one client plus one list call, or one compiled schema. Sizes are raw, gzip -9
// and brotli (quality 11), of the JS bundle plus any .wasm it loads.
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { build } from "esbuild";

export const gzip = (b) => zlib.gzipSync(b, { level: 9 }).length;
export const brotli = (b) =>
  zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length } }).length;

const SCHEMA = `{type:"object",required:["name","purpose"],properties:{name:{type:"string",minLength:1},purpose:{enum:["quote_request","cold_calling"]}}}`;

/** Entries: name -> source. `agoralia` resolves to the built package's browser entry. */
export function entries(sdkHas) {
  const ours = [
    `import { Agoralia${sdkHas.validateCampaign ? ", validateCampaign" : ""} } from "agoralia";`,
    `const c = new Agoralia({ baseUrl: "/api/v1" });`,
    sdkHas.campaignsList ? `console.log(await c.campaigns.list());` : `console.log(await c.me());`,
    sdkHas.validateCampaign ? `console.log(validateCampaign({}));` : ``,
  ].join("\n");
  return {
    agoralia: ours,
    // The validation-only entry (no client in its wasm), for pages that only check forms.
    ...(sdkHas.validateEntry ? { "agoralia/validate": `import { validateCampaign } from "agoralia/validate";\nconsole.log(validateCampaign({}));` } : {}),
    openai: `import OpenAI from "openai";\nconst c = new OpenAI({ apiKey: "k", dangerouslyAllowBrowser: true });\nfor await (const m of c.models.list()) console.log(m);`,
    stripe: `import Stripe from "stripe";\nconst s = new Stripe("sk_test_x");\nconsole.log(await s.customers.list());`,
    "retell-sdk": `import Retell from "retell-sdk";\nconst r = new Retell({ apiKey: "k" });\nconsole.log(await r.call.list());`,
    ajv: `import Ajv from "ajv";\nconst v = new Ajv().compile(${SCHEMA});\nconsole.log(v({}));`,
    "ajv+formats": `import Ajv from "ajv";\nimport addFormats from "ajv-formats";\nconst a = new Ajv(); addFormats(a);\nconst v = a.compile(${SCHEMA});\nconsole.log(v({}));`,
    zod: `import * as z from "zod";\nconst s = z.object({ name: z.string().min(1), purpose: z.enum(["quote_request", "cold_calling"]) });\nconsole.log(s.safeParse({}));`,
    "zod/mini": `import * as z from "zod/mini";\nconst s = z.object({ name: z.string().check(z.minLength(1)), purpose: z.enum(["quote_request", "cold_calling"]) });\nconsole.log(s.safeParse({}));`,
    "openai+ajv": `import OpenAI from "openai";\nimport Ajv from "ajv";\nconst c = new OpenAI({ apiKey: "k", dangerouslyAllowBrowser: true });\nconst v = new Ajv().compile(${SCHEMA});\nfor await (const m of c.models.list()) console.log(m, v(m));`,
  };
}

export async function bundle(source, { benchDir, pkgDir }) {
  const wasmFiles = [];
  const out = await build({
    stdin: { contents: source, resolveDir: benchDir, sourcefile: "entry.js", loader: "js" },
    bundle: true, minify: true, format: "esm", platform: "browser", target: "es2022",
    write: false, logLevel: "silent", outdir: "/tmp/bench-size-out",
    alias: { agoralia: path.join(pkgDir, "dist/browser.js"), "agoralia/validate": path.join(pkgDir, "dist/validate/browser.js") },
    // new URL("x.wasm", import.meta.url) is left as is by esbuild: the .wasm is a separate download.
    loader: { ".wasm": "file" },
  });
  const js = Buffer.concat(out.outputFiles.filter((f) => f.path.endsWith(".js")).map((f) => Buffer.from(f.contents)));
  const m = source.includes('"agoralia"') ? [path.join(pkgDir, "dist/wasm/agoralia_bg.wasm")]
    : source.includes('"agoralia/validate"') ? [path.join(pkgDir, "dist/validate/wasm/agoralia_bg.wasm")] : [];
  for (const f of m) wasmFiles.push(fs.readFileSync(f));
  const parts = [js, ...wasmFiles];
  const sum = (f) => parts.reduce((a, p) => a + f(p), 0);
  return {
    raw: sum((p) => p.length), gzip: sum(gzip), brotli: sum(brotli),
    js: { raw: js.length, gzip: gzip(js), brotli: brotli(js) },
    wasm: wasmFiles.length ? { raw: wasmFiles[0].length, gzip: gzip(wasmFiles[0]), brotli: brotli(wasmFiles[0]) } : null,
  };
}

export async function measureSizes(opts) {
  const res = {};
  for (const [name, src] of Object.entries(entries(opts.sdkHas))) {
    try {
      res[name] = await bundle(src, opts);
    } catch (e) {
      res[name] = { error: String(e.message ?? e).split("\n")[0] };
    }
  }
  return res;
}
