// Starts a real sandbox process on a free port for one test file and stops it
// after. Each test file gets its own server, so files can run in parallel.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";
import fs from "node:fs";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");

/** The built npm package folder (scripts/build.sh), or $AGORALIA_PKG. */
export const PKG_DIR = process.env.AGORALIA_PKG ?? path.join(ROOT, "target/npm/agoralia");

export const KEYS = {
  all: "ago_SandboxAllScopes0000000000000001",
  readOnly: "ago_SandboxReadOnly00000000000000002",
  noScopes: "ago_SandboxNoScopes00000000000000003",
  expired: "ago_SandboxExpired000000000000000004",
  revoked: "ago_SandboxRevoked000000000000000005",
};

function sandboxBinary() {
  const bin = process.env.AGORALIA_SANDBOX_BIN ?? path.join(ROOT, "target/release/agoralia-sandbox");
  if (!fs.existsSync(bin)) {
    throw new Error(`sandbox binary not found at ${bin}: run scripts/test.sh (or cargo build --release -p agoralia-sandbox)`);
  }
  return bin;
}

/**
 * Starts `agoralia-sandbox --port 0 --faults` with the given extra flags.
 * Returns { url, apiUrl, admin(path, body?), requests(), reset(), stop() }.
 */
export async function startSandbox({ rpm = 100000, ipRpm = 100000, rpd = 100000000, args = [], quiet = false } = {}) {
  const child = spawn(
    sandboxBinary(),
    ["--port", "0", "--faults", "--rpm", String(rpm), "--ip-rpm", String(ipRpm), "--rpd", String(rpd), ...args],
    { stdio: ["ignore", "pipe", quiet ? "ignore" : "inherit"] }, // quiet: no log of connections a test aborts on purpose
  );
  const url = await new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`sandbox did not start: ${out}`)), 15000);
    child.on("exit", (code) => reject(new Error(`sandbox exited with ${code}: ${out}`)));
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const m = out.match(/listening on (http:\/\/\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
  });
  child.stdout.resume();
  const admin = async (p, body) => {
    const res = await fetch(url + p, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`sandbox admin ${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  return {
    url,
    apiUrl: `${url}/api/v1`,
    admin,
    fault: (fault) => admin("/__sandbox/faults", fault),
    requests: async () => (await admin("/__sandbox/requests")).requests,
    reset: () => admin("/__sandbox/reset", {}),
    config: (cfg) => admin("/__sandbox/config", cfg),
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", resolve);
        child.kill("SIGTERM");
      }),
  };
}

/** Imports the built package (ESM entry for Node). */
export async function importSdk() {
  return import(path.join(PKG_DIR, "dist/node.js"));
}

/**
 * The usual fixture of a client test file: its own sandbox, the SDK as a user
 * imports it, and a client holding the every-scope key.
 */
export async function sandboxWithClient(options) {
  const sb = await startSandbox(options);
  const sdk = await importSdk();
  const client = new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: sb.apiUrl });
  return { sb, sdk, client };
}
