// Builds a copy of the release wasm that keeps its function names (wasm-bindgen
// --keep-debug, then wasm-opt with the release flags from Cargo.toml plus -g),
// and attributes its code bytes to crates and modules.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { analyze, groupFunctions, demangle, clean } from "./wasm-names.mjs";

export function namesReport(root, pkgDir = path.join(root, "target/npm/agoralia")) {
  // The very build that ships: scripts/build.sh compiles the release wasm into
  // target/wasm-min (std rebuilt with panic=immediate-abort) before wasm-bindgen.
  const input = path.join(root, "target/wasm-min/wasm32-unknown-unknown/release/agoralia.wasm");
  if (!fs.existsSync(input)) throw new Error(`${input} missing (scripts/build.sh makes it)`);
  const out = path.join(root, "target/bench-names");
  fs.mkdirSync(out, { recursive: true });
  const bindgen = path.join(os.homedir(), ".cargo/bin/wasm-bindgen");
  execFileSync(fs.existsSync(bindgen) ? bindgen : "wasm-bindgen", ["--target", "web", "--keep-debug", "--out-dir", out, "--out-name", "agoralia", input], { stdio: "pipe" });
  const cargo = fs.readFileSync(path.join(root, "Cargo.toml"), "utf8");
  const m = /\[package\.metadata\.wasm-pack\.profile\.release\][^[]*?wasm-opt\s*=\s*\[([^\]]*)\]/s.exec(cargo);
  const flags = m ? [...m[1].matchAll(/"([^"]+)"/g)].map((x) => x[1]) : ["-Oz"];
  const named = path.join(out, "named.wasm");
  execFileSync(path.join(root, "node_modules/.bin/wasm-opt"), [...flags, "-g", path.join(out, "agoralia_bg.wasm"), "-o", named], { stdio: "pipe" });
  const a = analyze(fs.readFileSync(named));
  const codeBytes = a.functions.reduce((s, f) => s + f.size, 0);
  const shipped = path.join(pkgDir, "dist/wasm/agoralia_bg.wasm");
  return {
    flags,
    codeBytes,
    functionCount: a.functions.length,
    dataBytes: a.sections.find((s) => s.name === "data")?.size ?? 0,
    sections: a.sections,
    shippedRaw: fs.existsSync(shipped) ? fs.statSync(shipped).size : null,
    groups: groupFunctions(a.functions, 2),
    crates: groupFunctions(a.functions, 1),
    top: [...a.functions].sort((x, y) => y.size - x.size).slice(0, 25).map((f) => ({ size: f.size, name: clean(demangle(f.name)) })),
  };
}
