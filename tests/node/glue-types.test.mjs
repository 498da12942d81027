// The JS glue type-checked against its declarations (issue 16 item 6): tsc
// with checkJs reads the built package's JS, infers each export's type, and
// must find every entry assignable to what its .d.ts declares (a renamed
// method, a missing export or a changed return shape fails), with no type
// error in the glue itself.
// - The error classes are held to their declared instance fields except the
//   call's metadata (status, attempts...), which one helper sets and tsc
//   cannot follow; tests/node/client*.test.mjs check those at run time.
// - wasm-bindgen's generated files (dist/wasm, dist/validate/wasm) are not
//   ours: their errors are not counted; what they export is declared from Rust.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { ROOT, PKG_DIR } from "./support/sandbox.mjs";

const ENTRIES = [
  "node.js", "browser.js", "workerd.js", "edge-light.js",
  "validate/node.js", "validate/browser.js", "validate/workerd.js", "validate/edge-light.js",
  "cli/main.js", // the command line: checked for type errors (it has no declarations)
];

function tsc(files) {
  const dir = fs.mkdtempSync(path.join(ROOT, "target/glue-types-"));
  try {
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    // The workerd and edge-light entries import the .wasm as a module, as their bundlers do.
    fs.writeFileSync(path.join(dir, "wasm.d.ts"), [
      `declare module "*.wasm" { const module: WebAssembly.Module; export default module; }`,
      `declare module "*.wasm?module" { const module: WebAssembly.Module; export default module; }`,
    ].join("\n"));
    fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
      compilerOptions: {
        allowJs: true, checkJs: true, noEmit: true, strict: false, skipLibCheck: true,
        target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext",
        types: ["node"], typeRoots: [path.join(ROOT, "node_modules/@types")],
      },
      files: [...Object.keys(files), "wasm.d.ts", ...ENTRIES.map((e) => path.join(PKG_DIR, "dist", e))],
    }));
    const r = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8" });
    // "<file>(line,col): error TSnnnn: ...", the file relative to the working directory.
    return r.stdout.split("\n").filter((l) => /error TS\d+/.test(l) && !/dist\/(validate\/)?wasm\//.test(l))
      .map((l) => l.replace(/^.*?glue-types-[^/]+\//, ""));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const imports = (impl, decl) =>
  `import * as impl from ${JSON.stringify(path.join(PKG_DIR, "dist", impl))};\n` +
  `import type * as decl from ${JSON.stringify(path.join(PKG_DIR, "types", decl))};\n`;
const check = (impl, decl) => imports(impl, decl) + `export const entry: typeof decl = impl;\n`;

/** The SDK entry: every export but the error classes as declared; those by their instance fields. */
function sdkCheck() {
  const errors = [...fs.readFileSync(path.join(PKG_DIR, "types/errors.d.ts"), "utf8").matchAll(/^export declare class (\w+)/gm)].map((m) => m[1]);
  return [
    imports("node.js", "index.js"),
    `type Errors = ${errors.map((n) => JSON.stringify(n)).join(" | ")};`,
    `export const entry: Omit<typeof decl, Errors> = impl;`,
    `type SetByMeta = "status" | "idempotencyKey" | "attempts" | "rateLimit" | "headers";`,
    `type Fits<A, B> = [A] extends [B] ? true : false;`,
    // One line per class, so an error names it.
    ...errors.map((n) => `export const ${n}Fits: Fits<InstanceType<typeof impl.${n}>, Omit<InstanceType<typeof decl.${n}>, SetByMeta>> = true;`),
  ].join("\n");
}

test("every entry's JS fits its declarations, and the glue has no type error", () => {
  const errors = tsc({
    "sdk.ts": sdkCheck(),
    "validate.ts": check("validate/node.js", "validate.js"),
    // Must fail: the validators alone are not the SDK (no Agoralia, no errors).
    "drift.ts": check("validate/node.js", "index.js"),
  });
  const drift = errors.filter((l) => l.startsWith("drift.ts"));
  assert.ok(drift.length > 0, "the check sees a missing export");
  assert.deepEqual(errors.filter((l) => !l.startsWith("drift.ts")), []);
});
