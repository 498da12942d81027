// Differential test of extraction-schema validation against ajv 8 (draft-07
// meta-validation) over tests/ajv-diff/corpus.json:
// - every schema ajv rejects, ours rejects too, except the published
//   `"required": true` form, which the contract accepts, and entries marked
//   `lenient` where the contract makes the problem a warning (duplicate enum values);
// - every schema ours rejects and ajv accepts carries a `divergence` naming
//   our error code and the documented rule (docs/validation.md), and really diverges.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const Ajv = require("ajv");
const PKG = process.env.AGORALIA_PKG ?? fileURLToPath(new URL("../../target/npm/agoralia", import.meta.url));
const { validateExtractionSchema } = await import(pathToFileURL(`${PKG}/dist/node.js`).href);

const corpus = JSON.parse(readFileSync(new URL("../ajv-diff/corpus.json", import.meta.url), "utf8"));
const docs = readFileSync(new URL("../../docs/validation.md", import.meta.url), "utf8");
const ajv = new Ajv({ strict: false, validateSchema: true, allErrors: true });

// ajv's verdict: meta-validation, then compilation (which checks regexes).
function ajvAccepts(schema) {
  try {
    if (!ajv.validateSchema(schema)) return false;
    ajv.compile(schema);
    return true;
  } catch {
    return false;
  }
}

// The published form: `"required": true|false` inside a property. Remove it
// to ask ajv whether the rest is fine.
function withoutBooleanRequired(s) {
  if (Array.isArray(s)) return s.map(withoutBooleanRequired);
  if (s && typeof s === "object") {
    const out = {};
    for (const [k, v] of Object.entries(s)) if (!(k === "required" && typeof v === "boolean")) out[k] = withoutBooleanRequired(v);
    return out;
  }
  return s;
}

test("corpus has at least 60 schemas", () => assert.ok(corpus.length >= 60, String(corpus.length)));

for (const entry of corpus) {
  test(entry.name, () => {
    const ours = validateExtractionSchema(entry.schema);
    const theirs = ajvAccepts(entry.schema);
    const publishedForm = !theirs && ajvAccepts(withoutBooleanRequired(entry.schema));
    if (entry.lenient) {
      // The contract makes this a warning; ours must warn with that code.
      assert.ok(!theirs && ours.valid, "a listed lenient case must be ajv-rejected and accepted by ours");
      assert.ok(ours.issues.some((i) => i.code === entry.lenient.code && i.severity === "warning"));
      assert.ok(docs.includes(`\`${entry.lenient.code}\``), `${entry.lenient.code} is not documented`);
    } else if (!theirs && !publishedForm) {
      assert.equal(ours.valid, false, `ajv rejects, ours accepts: ${JSON.stringify(ours.issues)}`);
    }
    if (!ours.valid && theirs) {
      assert.ok(entry.divergence, `ours rejects what ajv accepts with no documented divergence: ${JSON.stringify(ours.issues)}`);
      const codes = ours.issues.filter((i) => i.severity === "error").map((i) => i.code);
      assert.ok(codes.includes(entry.divergence.code), `${entry.divergence.code} not in ${codes}`);
      assert.ok(docs.includes(`\`${entry.divergence.code}\``), `${entry.divergence.code} is not documented`);
    }
    if (entry.divergence) assert.ok(theirs && !ours.valid, "a listed divergence must diverge");
  });
}
