// Vercel's Edge runtime, as the `edge-runtime` package runs it (the emulator
// behind `vercel dev` and `next dev`): the function bundled with esbuild under
// the edge-light condition, each `.wasm?module` import turned into a global
// binding holding a WebAssembly.Module compiled by the host (as Vercel's own
// edge bundling does), and wasm code generation switched off inside the
// runtime, as on Vercel's edge network: the SDK must not compile at run time.
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import vm from "node:vm";
import { startSandbox, KEYS } from "../node/support/sandbox.mjs";
import { ROOT, appImports, esbuild, reportChecks, scratchProject } from "./support/project.mjs";

const { EdgeRuntime } = createRequire(import.meta.url)(path.join(ROOT, "node_modules/edge-runtime"));

// `import wasm from "x.wasm?module"` -> `globalThis.wasm_<sha1>`, and the host
// puts the compiled module there.
function wasmBindings() {
  const files = new Map();
  return {
    files,
    plugin: {
      name: "wasm-module-bindings",
      setup(b) {
        b.onResolve({ filter: /\.wasm\?module$/ }, async (args) => {
          const file = path.resolve(args.resolveDir, args.path.replace(/\?module$/, ""));
          const name = `wasm_${createHash("sha1").update(fs.readFileSync(file)).digest("hex")}`;
          files.set(name, file);
          return { path: name, namespace: "wasm-module-binding" };
        });
        b.onLoad({ filter: /.*/, namespace: "wasm-module-binding" }, (args) => ({
          loader: "js",
          contents: `export default globalThis[${JSON.stringify(args.path)}];`,
        }));
      },
    },
  };
}

let dir, sandbox, built, wasm;
before(async () => {
  dir = scratchProject("edge-runtime");
  sandbox = await startSandbox();
  fs.writeFileSync(path.join(dir, "function.js"), `${appImports}
    addEventListener("fetch", (event) => {
      event.respondWith((async () => {
        const results = await runChecks(sdk, forms, { baseUrl: AGORALIA_BASE_URL, apiKey: AGORALIA_API_KEY });
        return new Response(JSON.stringify({ results, edgeRuntime: typeof EdgeRuntime }), { headers: { "content-type": "application/json" } });
      })());
    });
  `);
  const { build } = await esbuild();
  wasm = wasmBindings();
  built = await build({
    entryPoints: [path.join(dir, "function.js")], bundle: true, format: "iife", platform: "browser", target: "es2022",
    conditions: ["edge-light", "worker", "browser"], plugins: [wasm.plugin], write: false, metafile: true, logLevel: "error",
  });
});
after(() => sandbox?.stop());

test("the edge bundle resolves the edge-light entries and binds both .wasm as modules", () => {
  const inputs = Object.keys(built.metafile.inputs);
  assert.ok(inputs.some((f) => f.endsWith("agoralia/dist/edge-light.js")), inputs.join("\n"));
  assert.ok(inputs.some((f) => f.endsWith("agoralia/dist/validate/edge-light.js")), inputs.join("\n"));
  assert.ok(!inputs.some((f) => /agoralia\/dist\/(validate\/)?(browser|node|workerd)\.js$/.test(f)), "no other entry");
  assert.deepEqual([...wasm.files.values()].map((f) => path.relative(path.join(dir, "node_modules/agoralia"), f)).sort(),
    ["dist/validate/wasm/agoralia_bg.wasm", "dist/wasm/agoralia_bg.wasm"]);
  assert.doesNotMatch(built.outputFiles[0].text, /node:|readFileSync/);
});

/** An EdgeRuntime with the bundle's wasm bindings; `realm`: who compiled them. */
async function edgeRuntime(realm) {
  const hostModules = {};
  for (const [name, file] of wasm.files) hostModules[name] = await WebAssembly.compile(fs.readFileSync(file));
  return new EdgeRuntime({
    // As on Vercel's edge network: no run-time compilation, for the modules
    // the host compiled; on when the runtime compiles its own.
    codeGeneration: { strings: false, wasm: realm === "runtime" },
    extend: (context) => Object.assign(context, {
      AGORALIA_BASE_URL: sandbox.apiUrl,
      AGORALIA_API_KEY: KEYS.all,
      // The emulator's timers are Node's, handed out as numbers (as in a
      // browser), so the SDK cannot unref its attempt-timeout watchdog, which
      // would keep this test process alive for timeoutMs (60 s) after the last
      // call. Unref'd here, in the host; in the runtime they are numbers still.
      setTimeout: (...args) => {
        const timer = setTimeout(...args);
        timer.unref();
        return timer[Symbol.toPrimitive]();
      },
    }, realm === "host" ? hostModules : Object.fromEntries(
      [...wasm.files].map(([name, file]) => [name, new (vm.runInContext("WebAssembly.Module", context))(fs.readFileSync(file))]))),
  });
}

async function runIn(runtime, t) {
  runtime.evaluate(built.outputFiles[0].text);
  const res = await runtime.dispatchFetch("http://edge.test/");
  const body = JSON.parse(await res.text());
  assert.equal(body.edgeRuntime, "string");
  await reportChecks(t, body.results, "edge-runtime");
}

test("edge-runtime: every check passes with modules compiled by the host (vercel dev, next dev) and wasm code generation off", async (t) => {
  const runtime = await edgeRuntime("host");
  // Run-time compilation is refused in there: what the SDK must do without.
  assert.throws(() => runtime.evaluate("new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))"), /disallowed/);
  // Node's realm compiled them: not `instanceof` the runtime's WebAssembly.Module.
  for (const name of wasm.files.keys()) assert.equal(runtime.evaluate(`globalThis[${JSON.stringify(name)}] instanceof WebAssembly.Module`), false);
  await runIn(runtime, t);
});

test("edge-runtime: every check passes with modules of the runtime's own realm (as on Vercel's edge network)", async (t) => {
  const runtime = await edgeRuntime("runtime");
  for (const name of wasm.files.keys()) assert.equal(runtime.evaluate(`globalThis[${JSON.stringify(name)}] instanceof WebAssembly.Module`), true);
  await runIn(runtime, t);
});
