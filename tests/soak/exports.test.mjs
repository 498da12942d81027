// The shipped wasm (both builds) returns no externref from any export: on
// Node 20 and 22 such a return aborts the process when V8 deoptimizes the
// JS caller of an inlined wasm call (docs/v8-externref-deopt/). The fix is a
// build flag (scripts/build.sh); this holds every export to it, present and future.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import binaryen from "binaryen";
import { PKG_DIR } from "../node/support/sandbox.mjs";

/** Names of the exported functions whose results include an externref. */
export function externrefResults(file) {
  const m = binaryen.readBinary(readFileSync(file));
  try {
    const out = [];
    for (let i = 0; i < m.getNumExports(); i++) {
      const e = binaryen.getExportInfo(m.getExportByIndex(i));
      if (e.kind !== binaryen.ExternalFunction) continue;
      const { results } = binaryen.getFunctionInfo(m.getFunction(e.value));
      if (binaryen.expandType(results).includes(binaryen.externref)) out.push(e.name);
    }
    return out;
  } finally {
    m.dispose();
  }
}

for (const build of ["dist/wasm/agoralia_bg.wasm", "dist/validate/wasm/agoralia_bg.wasm"]) {
  test(`${build}: no export returns an externref`, () => {
    assert.deepEqual(externrefResults(path.join(PKG_DIR, build)), []);
  });
}
