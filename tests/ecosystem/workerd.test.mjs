// Cloudflare workerd: a worker bundled the way wrangler bundles it (esbuild,
// conditions workerd/worker/browser, each `.wasm` kept as a separate file and
// declared as a `wasm` module, i.e. a precompiled WebAssembly.Module), served
// by `workerd serve`; the test fetches the worker, which runs every check
// inside workerd against a real sandbox and returns the results as JSON.
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startSandbox, KEYS } from "../node/support/sandbox.mjs";
import { ROOT, appImports, esbuild, freePort, installed, reportChecks, scratchProject } from "./support/project.mjs";

const WORKERD = path.join(ROOT, "node_modules/.bin/workerd");
// At or before the workerd release's own date (it refuses later ones).
const COMPATIBILITY_DATE = "2025-09-01";

let dir, sandbox, bundle;
before(async () => {
  dir = scratchProject("workerd");
  sandbox = await startSandbox();
  fs.writeFileSync(path.join(dir, "worker.js"), `${appImports}
    export default {
      async fetch(request, env) {
        const results = await runChecks(sdk, forms, { baseUrl: env.BASE_URL, apiKey: env.API_KEY });
        return Response.json({ results, userAgent: navigator.userAgent });
      },
    };
  `);
  const { build } = await esbuild();
  // As wrangler does: conditions workerd, worker, browser; ES module output;
  // `.wasm` imports left to the runtime as modules of their own.
  const out = await build({
    entryPoints: [path.join(dir, "worker.js")], bundle: true, format: "esm", platform: "browser", target: "es2022",
    conditions: ["workerd", "worker", "browser"], loader: { ".wasm": "copy" }, outdir: path.join(dir, "dist"),
    metafile: true, logLevel: "error",
  });
  bundle = out.metafile;
});
after(() => sandbox?.stop());

test("the worker bundle resolves the workerd entries and imports both .wasm as modules", () => {
  const inputs = Object.keys(bundle.inputs);
  assert.ok(inputs.some((f) => f.endsWith("agoralia/dist/workerd.js")), inputs.join("\n"));
  assert.ok(inputs.some((f) => f.endsWith("agoralia/dist/validate/workerd.js")), inputs.join("\n"));
  assert.ok(!inputs.some((f) => /agoralia\/dist\/(validate\/)?(browser|node)\.js$/.test(f)), "no browser or node entry");
  const js = fs.readFileSync(path.join(dir, "dist/worker.js"), "utf8");
  assert.doesNotMatch(js, /node:|readFileSync/);
  const wasm = fs.readdirSync(path.join(dir, "dist")).filter((f) => f.endsWith(".wasm")).sort();
  assert.equal(wasm.length, 2, `two .wasm files: ${wasm}`);
  const sizes = new Set(wasm.map((f) => fs.statSync(path.join(dir, "dist", f)).size));
  assert.deepEqual(sizes, new Set(["dist/wasm/agoralia_bg.wasm", "dist/validate/wasm/agoralia_bg.wasm"].map((f) => fs.statSync(installed(dir, f)).size)));
});

/** Serves dist/worker.js and its .wasm modules with `workerd serve`; returns { port, logs, stop }. */
async function serve(dist) {
  const wasm = fs.readdirSync(dist).filter((f) => f.endsWith(".wasm"));
  const port = await freePort();
  // The default outbound network of workerd reaches only public addresses; the
  // sandbox listens on 127.0.0.1, so the worker's fetch goes out through a
  // network service that allows local addresses too.
  fs.writeFileSync(path.join(dist, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "outbound", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
${wasm.map((f) => `    (name = ${JSON.stringify(f)}, wasm = embed ${JSON.stringify(f)}),`).join("\n")}
  ],
  compatibilityDate = "${COMPATIBILITY_DATE}",
  bindings = [
    (name = "BASE_URL", text = ${JSON.stringify(sandbox.apiUrl)}),
    (name = "API_KEY", text = ${JSON.stringify(KEYS.all)}),
  ],
  globalOutbound = "outbound",
);
`);
  const logs = { text: "" };
  const child = spawn(WORKERD, ["serve", "config.capnp", "--verbose"], { cwd: dist, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (c) => (logs.text += c));
  child.stderr.on("data", (c) => (logs.text += c));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  return {
    port,
    logs,
    exited: () => child.exitCode !== null,
    stop: async () => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

test("workerd: every check passes inside a Cloudflare worker", async (t) => {
  const server = await serve(path.join(dir, "dist"));
  try {
    let res;
    for (let i = 0; ; i++) {
      if (server.exited()) assert.fail(`workerd exited:\n${server.logs.text}`);
      try {
        res = await fetch(`http://127.0.0.1:${server.port}/`);
        break;
      } catch (e) {
        if (i > 150) assert.fail(`workerd did not answer on ${server.port}: ${e.message}\n${server.logs.text}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    const text = await res.text();
    assert.equal(res.status, 200, `${text}\n${server.logs.text}`);
    const body = JSON.parse(text);
    assert.equal(body.userAgent, "Cloudflare-Workers");
    await reportChecks(t, body.results, "workerd");
  } finally {
    await server.stop();
  }
});

test("workerd: the browser entry (what a worker got before the workerd condition) dies at import, as issue 14 says", async () => {
  const { build } = await esbuild();
  const dist = path.join(dir, "dist-browser-entry");
  fs.writeFileSync(path.join(dir, "worker-browser-entry.js"), `
    import { validateCampaign } from "agoralia/dist/browser.js";
    export default { fetch: () => new Response(String(validateCampaign({}).valid)) };
  `);
  // The package's exports map does not expose dist/; an alias stands for the resolution of old.
  await build({
    entryPoints: [path.join(dir, "worker-browser-entry.js")], bundle: true, format: "esm", platform: "browser", target: "es2022",
    alias: { "agoralia/dist/browser.js": installed(dir, "dist/browser.js") }, loader: { ".wasm": "copy" },
    outfile: path.join(dist, "worker.js"), logLevel: "error",
  });
  const server = await serve(dist);
  try {
    for (let i = 0; !/Invalid URL/.test(server.logs.text) && !server.exited() && i < 100; i++) {
      await fetch(`http://127.0.0.1:${server.port}/`).catch(() => {});
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(server.logs.text, /TypeError: Invalid URL string/, server.logs.text);
  } finally {
    await server.stop();
  }
});
