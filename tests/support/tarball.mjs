// The packed tarball (scripts/build.sh writes it to target/npm) and a scratch
// project with it installed, as a user installs it: every suite that tests
// the package as shipped starts from here.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "../node/support/sandbox.mjs";

/** The path of the one `agoralia-*.tgz` in target/npm; fails if there is not exactly one. */
export function tarball() {
  const dir = path.join(ROOT, "target/npm");
  const tgz = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^agoralia-.*\.tgz$/.test(f)) : [];
  assert.equal(tgz.length, 1, `expected one tarball in ${dir} (scripts/build.sh), found ${tgz}`);
  return path.join(dir, tgz[0]);
}

/**
 * Empties `dir`, writes a package.json (`type` "module" unless told
 * otherwise) and installs the tarball offline; returns `dir`.
 */
export function installTarball(dir, { type = "module" } = {}) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const manifest = { name: `scratch-${path.basename(dir)}`, private: true, ...(type ? { type } : {}) };
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(manifest));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball()], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
  return dir;
}
