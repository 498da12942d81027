// The validators through the npm package in Chromium, Firefox and WebKit: the
// same cases run in Node and in each browser must give the same issues, byte
// for byte, and the browser results must show the rules (not just agree with Node).
import test, { before, after, describe } from "node:test";
import assert from "node:assert/strict";
import fs from "node:fs";
import path from "node:path";
import { startSandbox, importSdk, PKG_DIR, ROOT } from "../node/support/sandbox.mjs";
import { BROWSERS, ERROR_RECORDER_JS, launchBrowser, waitFor } from "../support/browsers.mjs";

const corpus = JSON.parse(fs.readFileSync(path.join(ROOT, "tests/ajv-diff/corpus.json"), "utf8"));
const campaign = {
  name: "Q1 Sales Campaign", purpose: "quote", agent_ref_id: 1,
  extraction_schema: { type: "object", properties: { quote_amount: { type: "numbr", required: true }, ok: { type: "string", enum: [] } } },
  display_columns: ["name", "quote_amout", ""],
  schedule: { timezone: "Europe/Rome", start_date: "2025-01-31T00:00:00Z", end_date: "2025-01-20T00:00:00Z" },
};
const leads = { campaign_id: 5, items: [
  { external_id: "a", phone: "+39 340 123 4567" }, { external_id: "a", phone: "+393401234568" }, { external_id: "", phone: "12" },
] };
const csv = "\uFEFFexternal_id;phone;name;company\nl-1;+39 340 111 0001;Ann;\"Acme; Inc\"\nl-2;call me;Bob;X\n";

// The cases as a function body, evaluated the same way in both runtimes.
const CASES = `(sdk, corpus, campaign, leads, csv) => ({
  schemas: corpus.map((c) => sdk.validateExtractionSchema(c.schema)),
  campaign: sdk.validateCampaign(campaign),
  leads: sdk.validateLeads(leads),
  text: sdk.validateJsonText("extraction_schema", '{\\n  "type": "object",\\n  "properties": { "a": { "type": "strin" } }\\n}'),
  phone: [sdk.normalizePhone("+39 340 123 4567"), sdk.normalizePhone("340 123 4567"), sdk.normalizePhone("0039 340 123 4567")],
  csv: sdk.parseLeadsCsv(csv, { defaultCountryCode: "39", normalizePhones: true }),
  csvBytes: sdk.parseLeadsCsv(new TextEncoder().encode(csv)),
  csvCheck: sdk.validateLeadsCsv(csv, { defaultCountryCode: "39", normalizePhones: true }),
  notJson: sdk.validateCampaign({ name: "x", big: 10n }),
  standard: sdk.campaignSchema["~standard"].validate(campaign),
})`;

let sandbox;
before(async () => {
  const www = path.join(ROOT, "target/browser-validation");
  fs.mkdirSync(www, { recursive: true });
  const recorder = `<script>${ERROR_RECORDER_JS}</script>`;
  fs.writeFileSync(path.join(www, "index.html"),
    `<!doctype html>${recorder}<script type="importmap">{"imports":{"agoralia":"/pkg/dist/browser.js"}}</script>` +
    `<script type="module">import * as sdk from "agoralia"; window.sdk = sdk; window.ready = true;</script>`);
  // The validation-only entry, alone on its page as an app that only checks forms would load it.
  fs.writeFileSync(path.join(www, "forms.html"),
    `<!doctype html>${recorder}<script type="importmap">{"imports":{"agoralia/validate":"/pkg/dist/validate/browser.js"}}</script>` +
    `<script type="module">import * as sdk from "agoralia/validate"; window.sdk = sdk; window.ready = true;</script>`);
  sandbox = await startSandbox({ args: ["--www", www, "--pkg", PKG_DIR] });
});
after(() => sandbox?.stop());

// The cases run in the page, with their inputs written into the source.
// The one wording that is the engine's: an invalid_pattern message ends with
// what its RegExp threw (docs/validation.md), so only the part before that is compared.
const sameWords = (results) => JSON.parse(JSON.stringify(results), (k, v) =>
  v && v.code === "invalid_pattern" && typeof v.message === "string" ? { ...v, message: v.message.split(": ")[0] } : v);
const casesIn = (target) => `(${CASES})(${target}, ...${JSON.stringify([corpus, campaign, leads, csv])})`;
const WASM_FETCHED = `performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.endsWith(".wasm"))`;

for (const name of BROWSERS) describe(name, () => {
let browser;
before(async () => {
  browser = await launchBrowser(name);
});
after(() => browser?.close());

test(`validators give the same issues in ${name} as in Node, and the rules hold in the browser`, async (t) => {
  const page = await browser.newPage();
  await page.goto(sandbox.url + "/");
  await waitFor(page, "window.ready === true", `${name}: the SDK's import`, 15000);
  t.diagnostic(`${name} ${browser.version}`);
  const inBrowser = await page.evaluate(casesIn("window.sdk"));
  const errors = await page.evaluate("window.__pageErrors");
  await page.close();
  const sdk = await importSdk();
  const inNode = (0, eval)(CASES)(sdk, corpus, campaign, leads, csv);
  assert.deepEqual(sameWords(inBrowser), sameWords(inNode));
  assert.deepEqual(errors, []);
  // The rules themselves, as the browser saw them.
  const codes = (r) => r.issues.map((i) => `${i.severity}:${i.code}:${i.path.join(".")}`);
  assert.equal(inBrowser.campaign.valid, false);
  const c = codes(inBrowser.campaign);
  for (const expected of [
    "error:invalid_enum:purpose",
    "error:unknown_type:extraction_schema.properties.quote_amount.type",
    "error:enum_empty:extraction_schema.properties.ok.enum",
    "warning:unknown_column:display_columns.1",
    "error:empty_column:display_columns.2",
    "error:schedule_order:schedule.end_date",
  ]) assert.ok(c.includes(expected), `campaign issues include ${expected}: ${c.join(", ")}`);
  assert.equal(inBrowser.campaign.issues.find((i) => i.code === "unknown_column").suggestion, "quote_amount");
  assert.ok(codes(inBrowser.leads).includes("error:duplicate_external_id:items.1.external_id"), codes(inBrowser.leads).join(", "));
  assert.equal(inBrowser.leads.issues.find((i) => i.path.join(".") === "items.0.phone").suggestion, "+393401234567");
  assert.deepEqual(inBrowser.phone[0], { ok: true, value: "+393401234567" });
  assert.equal(inBrowser.phone[1].ok, false);
  assert.deepEqual(inBrowser.phone[2], { ok: true, value: "+393401234567" });
  const typo = inBrowser.text.issues.find((i) => i.code === "unknown_type");
  assert.deepEqual([typo.line, typo.suggestion], [3, "string"]);
  assert.equal(inBrowser.csv.rowCount, 2);
  // ';'-separated, BOM, a quoted separator; the spaced phone normalised, the bad one refused.
  assert.deepEqual(inBrowser.csv.items.map((i) => [i.external_id, i.phone, i.data?.company]), [["l-1", "+393401110001", "Acme; Inc"]]);
  assert.ok(inBrowser.csv.issues.some((i) => i.severity === "error" && i.path.includes("phone")), JSON.stringify(inBrowser.csv.issues));
  assert.equal(inBrowser.csvBytes.items.length, 0); // without normalisation both phones are refused
  const { items: _, ...csvReport } = inBrowser.csv;
  assert.deepEqual(inBrowser.csvCheck, csvReport); // the check alone says what the parse says
  assert.equal(inBrowser.notJson.valid, false);
  assert.ok(Array.isArray(inBrowser.standard.issues) && inBrowser.standard.issues.length > 0);
  assert.equal(inBrowser.schemas.length, corpus.length);
});

test(`agoralia/validate in ${name}: the same reports as the whole SDK, from its own smaller wasm`, async () => {
  const page = await browser.newPage();
  await page.goto(sandbox.url + "/forms.html");
  await waitFor(page, "window.ready === true", `${name}: agoralia/validate's import`, 15000);
  const inBrowser = await page.evaluate(`({ results: ${casesIn("window.sdk")}, client: "Agoralia" in window.sdk })`);
  const wasm = await page.evaluate(WASM_FETCHED);
  const errors = await page.evaluate("window.__pageErrors");
  await page.close();
  const sdk = await importSdk();
  assert.deepEqual(sameWords(inBrowser.results), sameWords((0, eval)(CASES)(sdk, corpus, campaign, leads, csv)));
  assert.equal(inBrowser.client, false);
  assert.deepEqual(wasm, ["/pkg/dist/validate/wasm/agoralia_bg.wasm"]);
  assert.deepEqual(errors, []);
});
});
