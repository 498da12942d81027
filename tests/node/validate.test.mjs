// Validation through the built npm package (scripts/build.sh), on Node's test runner:
//   AGORALIA_PKG=/path/to/package node --test tests/node/validate.test.mjs
import { test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath, pathToFileURL } from "node:url";
import { readFileSync } from "node:fs";

const PKG = process.env.AGORALIA_PKG ?? fileURLToPath(new URL("../../target/npm/agoralia", import.meta.url));
// As a user imports it: the package entry instantiates the wasm and exports the validators.
const v = await import(pathToFileURL(`${PKG}/dist/node.js`).href);

import { PUBLISHED_CAMPAIGN as CAMPAIGN } from "./support/published.mjs";

test("the published campaign example is valid with no issue", () => {
  assert.deepEqual(v.validateCampaign(CAMPAIGN), { valid: true, issues: [] });
});

test("empty extraction schema and display columns are accepted (warning only)", () => {
  const r = v.validateCampaign({ ...CAMPAIGN, extraction_schema: {}, display_columns: [] });
  assert.equal(r.valid, true);
  assert.deepEqual(r.issues.map((i) => [i.code, i.severity]), [["empty_schema", "warning"]]);
});

test("issues point at the exact path with suggestions", () => {
  const r = v.validateCampaign({
    ...CAMPAIGN,
    purpose: "quote",
    extraction_schema: { type: "object", properties: { quote_amount: { type: "nubmer", enmu: [1] } } },
    display_columns: ["name", "quote_amout"],
  });
  assert.equal(r.valid, false);
  const by = Object.fromEntries(r.issues.map((i) => [i.path.join("."), i]));
  assert.equal(by["purpose"].suggestion, "quote_request");
  assert.equal(by["extraction_schema.properties.quote_amount.type"].code, "unknown_type");
  assert.equal(by["extraction_schema.properties.quote_amount.type"].suggestion, "number");
  assert.equal(by["extraction_schema.properties.quote_amount.enmu"].suggestion, "enum");
  assert.equal(by["display_columns.1"].code, "unknown_column");
  assert.equal(by["display_columns.1"].suggestion, "quote_amount");
  assert.deepEqual(by["display_columns.1"].path, ["display_columns", 1]);
});

test("leads: duplicate external_id, phones, size limit", () => {
  const r = v.validateLeads({
    campaign_id: 5,
    items: [
      { external_id: "a", phone: "+393401234567" },
      { external_id: "a", phone: "+39 340 123 4568" },
    ],
  });
  assert.deepEqual(r.issues.map((i) => [i.code, i.path]), [
    ["duplicate_external_id", ["items", 1, "external_id"]],
    ["phone_not_normalized", ["items", 1, "phone"]],
  ]);
  assert.equal(r.issues[1].suggestion, "+393401234568");
  const big = { campaign_id: 5, items: Array.from({ length: 1001 }, (_, i) => ({ external_id: `l${i}`, phone: "+393401234567" })) };
  assert.equal(v.validateLeads(big).issues[0].code, "too_large");
  assert.equal(v.validateLeads({ campaign_id: 5, items: [] }).issues[0].code, "empty_items");
});

test("agent, list params, display columns", () => {
  assert.equal(v.validateAgent({ name: "A", lang: "en-US", voice_engine: "vapi" }).valid, true);
  assert.equal(v.validateAgent({ name: "A", voice_engine: "retel" }).issues[0].suggestion, "retell");
  assert.equal(v.validateListParams({ limit: 101 }).issues[0].code, "out_of_range");
  assert.equal(v.validateListParams().valid, true);
  assert.equal(v.validateCallsListParams({ campaign_id: 5, limit: 50 }).valid, true);
  const d = v.validateDisplayColumns(["name", "name", ""], undefined);
  assert.deepEqual(d.issues.map((i) => i.code), ["duplicate_column", "empty_column"]);
  assert.deepEqual(d.issues[0].path, ["columns", 1]);
  assert.deepEqual(v.validateDisplayColumns([], {}), { valid: true, issues: [] });
});

test("values that are not JSON become issues, never throws", () => {
  const cyclic = {};
  cyclic.self = cyclic;
  for (const bad of [cyclic, { n: 10n }, undefined, () => 1, Symbol("s")]) {
    const r = v.validateCampaign(bad);
    assert.equal(r.valid, false);
    assert.ok(["not_json", "invalid_type"].includes(r.issues[0].code), r.issues[0].code);
  }
  // Worded by the SDK, not by the engine (the browser suite compares them across engines).
  assert.equal(v.validateCampaign({ n: 10n }).issues[0].message, "the value cannot be converted to JSON: it holds a BigInt (send it as a string or a number)");
  assert.equal(v.validateCampaign(cyclic).issues[0].message, "the value cannot be converted to JSON: it holds a cycle (an object that contains itself)");
  let deep = [];
  for (let i = 0; i < 5000; i++) deep = [deep];
  let r;
  try {
    r = v.validateExtractionSchema(deep);
  } catch {
    r = null; // JSON.stringify itself may overflow the JS stack: still an issue, not a throw
  }
  assert.ok(r && r.valid === false);
  assert.equal(v.validate("nope", {}).issues[0].code, "unknown_kind");
});

test("validateJsonText gives line and column", () => {
  const r = v.validateJsonText("extraction_schema", '{\n  "type": "object",\n  "properties": {\n    "a": {"type": "strnig"}\n  }\n}');
  assert.equal(r.issues[0].code, "unknown_type");
  assert.equal(r.issues[0].line, 4);
  assert.equal(r.issues[0].column, 19);
  const bad = v.validateJsonText("campaign", '{\n  "name": "x",\n}');
  assert.equal(bad.issues[0].code, "invalid_json");
  assert.equal(bad.issues[0].line, 3);
  assert.equal(v.validateJsonText("campaign", 5).issues[0].code, "invalid_type");
});

test("normalizePhone", () => {
  assert.deepEqual(v.normalizePhone("+39 340 123 4567"), { ok: true, value: "+393401234567" });
  assert.deepEqual(v.normalizePhone("0039 340 123 4567"), { ok: true, value: "+393401234567" });
  assert.deepEqual(v.normalizePhone("340.123.4567", { defaultCountryCode: 39 }), { ok: true, value: "+393401234567" });
  const r = v.normalizePhone("340 123 4567");
  assert.equal(r.ok, false);
  assert.equal(r.issue.code, "missing_country_code");
  assert.equal(v.normalizePhone(null).ok, false);
});

test("text of any size and script reaches the wasm whole (its input buffer)", () => {
  // Mostly 3-byte UTF-8 (more than the glue's first guess of room): encoded again with room to spare.
  const cjk = "名".repeat(5000);
  const text = JSON.stringify({ campaign_id: 1, items: [{ external_id: cjk, phone: "+393401234567", name: "テスト".repeat(1000) }, { external_id: cjk, phone: "bad" }] }, null, 1);
  const r = v.validateJsonText("leads", text);
  assert.deepEqual(r.issues.map((i) => [i.code, i.path.join(".")]), [["duplicate_external_id", "items.1.external_id"], ["invalid_phone", "items.1.phone"]]);
  const lines = text.split("\n");
  const at = (needle) => { const l = lines.findIndex((x, k) => k > 6 && x.includes(needle)); return [l + 1, lines[l].indexOf(needle) + 1]; };
  assert.deepEqual([r.issues[1].line, r.issues[1].column], at('"bad"'));
  // Past the size the wasm keeps its buffer at (4 MiB), then small again: each call reads only its own bytes.
  const items = Array.from({ length: 1000 }, (_, i) => ({ external_id: `lead-${i % 999}`, phone: "+39340" + String(1000000 + i), data: { note: "x".repeat(4500) } }));
  const big = JSON.stringify({ campaign_id: 1, items });
  assert.ok(big.length > 4 << 20);
  const fromText = v.validateJsonText("leads", big);
  assert.deepEqual(fromText.issues.map((i) => [i.code, i.path.join("."), i.line]), [["duplicate_external_id", "items.999.external_id", 1]]);
  assert.deepEqual(v.validateLeads({ campaign_id: 1, items }).issues.map((i) => i.message), fromText.issues.map((i) => i.message));
  assert.equal(v.validateJsonText("leads", '{"campaign_id":1,"items":[{"external_id":"a","phone":"+393401234567"}]}').valid, true);
  assert.equal(v.validateLeadsCsv(new TextEncoder().encode("id,phone\na,+393401234567\n")).valid, true);
  assert.equal(v.validateJsonText("leads", "").issues[0].code, "invalid_json");
});

test("input past the wasm's limits is refused as too_large, and the module keeps working", () => {
  // 32 MiB of JSON (a tree can take 16 times its text in a 4 GiB heap; 200 MB of
  // it once trapped the module); CSV is streamed, so its limit is 128 MiB.
  const json = "[" + "1,".repeat(17 << 20) + "1]";
  const t = v.validateJsonText("campaign", json);
  assert.deepEqual([t.valid, t.issues.length, t.issues[0].code, t.issues[0].line, t.issues[0].column], [false, 1, "too_large", 1, 1]);
  assert.match(t.issues[0].message, /more than 32 MB/);
  assert.equal(v.validate("campaign", { name: "x".repeat(33 << 20) }).issues[0].code, "too_large");
  const csv = "id,phone\n" + "lead-1,+393401234567\n".repeat((130 << 20) / 21);
  for (const r of [v.validateLeadsCsv(csv), v.parseLeadsCsv(csv)]) {
    assert.deepEqual([r.valid, r.rowCount, r.issues.map((i) => i.code)], [false, 0, ["too_large"]]);
  }
  assert.deepEqual(v.parseLeadsCsv(csv).items, []);
  // Everything still works afterwards.
  assert.equal(v.validateJsonText("leads", '{"campaign_id":1,"items":[{"external_id":"a","phone":"+393401234567"}]}').valid, true);
  assert.equal(v.validateLeadsCsv("id,phone\na,+393401234567\n").valid, true);
});

test("parseLeadsCsv from text and bytes", () => {
  const csv = "\uFEFFID;Full Name;Mobile;Company\r\nl1;Ada;+39 340 123 4567;Acme\r\nl2;\"Bob; Jr\";+393401234568;\r\nl1;Eve;+393401234569;X\r\n";
  const r = v.parseLeadsCsv(csv);
  assert.equal(r.rowCount, 3);
  assert.deepEqual(r.items, [{ external_id: "l2", phone: "+393401234568", name: "Bob; Jr" }]);
  assert.deepEqual(r.issues.map((i) => [i.code, i.row, i.severity]), [
    ["phone_not_normalized", 2, "error"],
    ["duplicate_external_id", 4, "error"],
  ]);
  const n = v.parseLeadsCsv(new TextEncoder().encode(csv), { normalizePhones: true });
  assert.equal(n.items.length, 2);
  assert.equal(n.items[0].phone, "+393401234567");
  assert.equal(n.items[0].data.Company, "Acme");
  assert.equal(v.parseLeadsCsv(new Uint8Array([0x69, 0x64, 0x2c, 0x70, 0x68, 0x6f, 0x6e, 0x65, 0x0a, 0x31, 0x2c, 0xff]).buffer).issues[0].code, "not_utf8");
  assert.equal(v.parseLeadsCsv(42).valid, false);
});

test("validateLeadsCsv reports what parseLeadsCsv does, without the items", () => {
  const csv = "id,phone,city\nl1,+393401234567,Roma\nl2,call me,\n\nl1,+393401234568,\"Milano, MI\"\nl3,\"+39 340 1234569\"\n";
  for (const input of [csv, new TextEncoder().encode(csv), new TextEncoder().encode(csv).buffer]) {
    for (const options of [undefined, { defaultCountryCode: "39", normalizePhones: true }]) {
      const { items, ...want } = v.parseLeadsCsv(input, options);
      const got = v.validateLeadsCsv(input, options);
      assert.deepEqual(got, want);
      assert.ok(!("items" in got));
      assert.ok(items.length >= 1);
    }
  }
  const r = v.validateLeadsCsv(csv);
  assert.equal(r.rowCount, 4);
  assert.equal(r.valid, false);
  assert.deepEqual(r.issues.map((i) => [i.code, i.row]), [["invalid_phone", 3], ["duplicate_external_id", 5], ["phone_not_normalized", 6]]);
  for (const junk of [42, null, undefined, {}, ["id,phone"]]) {
    const bad = v.validateLeadsCsv(junk);
    assert.equal(bad.valid, false);
    assert.equal(bad.issues[0].code, "invalid_type");
  }
});

test("toFieldErrors and toNestedErrors", () => {
  // Garbage in (not issues) gives empty errors, never a TypeError in a render.
  for (const junk of [null, 5, "x", [[[]]], [null, 1, { path: "a" }], { issues: [{}] }]) {
    assert.deepEqual(v.toFieldErrors(junk), {});
    assert.deepEqual(v.toNestedErrors(junk), {});
  }
  const r = v.validateLeads({ campaign_id: 5, items: [{ external_id: "a", phone: "x" }, { phone: "+12" }] });
  assert.deepEqual(v.toFieldErrors(r), {
    "items.0.phone": r.issues[0].message,
    "items.1.external_id": r.issues[1].message,
  });
  const nested = v.toNestedErrors(r.issues);
  assert.equal(nested.items[0].phone.type, "invalid_phone");
  assert.equal(nested.items[1].external_id.type, "required");
  assert.deepEqual(v.toNestedErrors([{ path: [], code: "x", message: "m", severity: "error" }]), { root: { type: "x", message: "m" } });
});

test("Standard Schema v1: errors fail, warnings pass", () => {
  const std = v.campaignSchema["~standard"];
  assert.equal(std.version, 1);
  assert.equal(std.vendor, "agoralia");
  assert.deepEqual(std.validate(CAMPAIGN), { value: CAMPAIGN });
  const warnOnly = { ...CAMPAIGN, display_columns: ["company"] };
  assert.deepEqual(std.validate(warnOnly), { value: warnOnly });
  const bad = std.validate({ ...CAMPAIGN, purpose: "x" });
  assert.deepEqual(bad.issues.map((i) => i.path), [["purpose"]]);
  assert.equal(typeof bad.issues[0].message, "string");
  assert.ok(v.agentSchema["~standard"].validate({}).issues.length > 0);
  assert.ok(v.leadsSchema["~standard"].validate({ campaign_id: 1, items: [] }).issues.length > 0);
});

test("fromServerIssues maps FastAPI 422 detail", () => {
  const detail = [
    { loc: ["body", "items", 0, "phone"], msg: "invalid phone", type: "value_error" },
    { loc: ["query", "limit"], msg: "too big", type: "less_than_equal" },
  ];
  assert.deepEqual(v.fromServerIssues(detail), [
    { path: ["items", 0, "phone"], code: "value_error", message: "invalid phone", severity: "error" },
    { path: ["limit"], code: "less_than_equal", message: "too big", severity: "error" },
  ]);
  assert.deepEqual(v.fromServerIssues("Invalid API key format")[0].path, []);
  assert.deepEqual(v.fromServerIssues(null), []);
});

// Time zones and patterns: the core checks their shape; where the runtime has
// Intl and RegExp the glue checks them exactly (docs/validation.md, "Checks the runtime makes").
const vOnly = await import(pathToFileURL(`${PKG}/dist/validate/node.js`).href);
const withZone = (timezone) => ({ ...CAMPAIGN, schedule: { ...CAMPAIGN.schedule, timezone } });
const withPattern = (pattern) => ({ ...CAMPAIGN, extraction_schema: { type: "object", properties: { code: { type: "string", pattern } } }, display_columns: ["name", "code"] });
const tzIssues = (r) => r.issues.filter((i) => i.path[1] === "timezone");

test("a time zone Intl does not know is a warning with the nearest zone as suggestion, in both entries and as you type", () => {
  for (const m of [v, vOnly]) {
    const r = m.validateCampaign(withZone("Europe/Rmoe"));
    assert.equal(r.valid, true);
    assert.deepEqual(r.issues, [{
      path: ["schedule", "timezone"], code: "unknown_timezone", severity: "warning",
      message: "\"Europe/Rmoe\" is not a known time zone: did you mean \"Europe/Rome\"?", suggestion: "Europe/Rome",
    }]);
    const text = JSON.stringify(withZone("America/New_Yrok"), null, 2);
    const [i] = tzIssues(m.validateJsonText("campaign", text));
    assert.equal(i.code, "unknown_timezone");
    assert.equal(i.suggestion, "America/New_York");
    assert.equal(text.split("\n")[i.line - 1].indexOf("\"America/New_Yrok\"") + 1, i.column);
    // Nothing close: no suggestion. Warnings never fail a form.
    assert.deepEqual(tzIssues(m.validateCampaign(withZone("Europe/Qqqqqqqqqq"))).map((x) => [x.code, x.suggestion]), [["unknown_timezone", undefined]]);
    assert.ok(!("issues" in m.campaignSchema["~standard"].validate(withZone("Europe/Rmoe"))));
  }
  // The same zone asked again (the answer is kept for one zone) and then another.
  assert.equal(tzIssues(v.validateCampaign(withZone("Europe/Rmoe"))).length, 1);
  assert.equal(tzIssues(v.validateCampaign(withZone("Europe/Rome"))).length, 0);
  // A wrong shape stays the core's error, with its own suggestion.
  const [e] = tzIssues(v.validateCampaign(withZone("Europa/Rome")));
  assert.deepEqual([e.code, e.severity, e.suggestion], ["invalid_timezone", "error", "Europe/Rome"]);
});

test("every zone Intl lists and the aliases it accepts are valid with no time zone issue", () => {
  const aliases = ["US/Eastern", "US/Pacific", "UTC", "Etc/UTC", "Etc/GMT+1", "Etc/GMT-14", "GMT", "GMT0", "Zulu", "EST5EDT",
    "Asia/Calcutta", "Europe/Kiev", "America/Buenos_Aires", "America/Argentina/ComodRivadavia", "Canada/Newfoundland", "Japan"];
  // And every zone and link of the system's tz database, when it has one, that Intl knows.
  let tzdata = [];
  try {
    tzdata = readFileSync("/usr/share/zoneinfo/tzdata.zi", "utf8").split("\n").map((l) => l.split(" "))
      .flatMap(([k, a, b]) => (k === "Z" ? [a] : k === "L" ? [b] : []));
  } catch {}
  const knows = (z) => { try { return !!new Intl.DateTimeFormat("en", { timeZone: z }); } catch { return false; } };
  for (const z of aliases) assert.ok(knows(z), z);
  for (const z of new Set([...Intl.supportedValuesOf("timeZone"), ...aliases, ...tzdata.filter(knows)])) {
    for (const m of [v, vOnly]) assert.deepEqual(tzIssues(m.validateCampaign(withZone(z))), [], z);
  }
});

test("a pattern RegExp refuses with flag u is an invalid_pattern error carrying its message; unicode patterns pass", () => {
  for (const m of [v, vOnly]) {
    for (const p of ["(?<n>a)(?<n>b)", "\\p{Foo}", "a{2,1}"]) {
      const r = m.validateCampaign(withPattern(p));
      assert.equal(r.valid, false, p);
      assert.equal(r.issues.length, 1, p);
      const [i] = r.issues;
      assert.deepEqual([i.path, i.code, i.severity], [["extraction_schema", "properties", "code", "pattern"], "invalid_pattern", "error"], p);
      let thrown;
      try { new RegExp(p, "u"); } catch (e) { thrown = e.message; }
      assert.equal(i.message, `"pattern" is not a valid regular expression: ${thrown}`);
      assert.deepEqual(m.validateExtractionSchema(withPattern(p).extraction_schema).issues.map((x) => x.code), ["invalid_pattern"]);
      const fe = m.campaignSchema["~standard"].validate(withPattern(p));
      assert.deepEqual(fe.issues?.map((x) => x.path), [["extraction_schema", "properties", "code", "pattern"]]);
    }
    for (const p of ["^\\p{L}+$", "^\\p{Script=Greek}\\u{1F600}?$", "(?<year>\\d{4})-(?<m>\\d{2})", "^[a-z]+$"]) {
      assert.deepEqual(m.validateCampaign(withPattern(p)), { valid: true, issues: [] }, p);
    }
    // The core's own check still answers first, with its message.
    assert.match(m.validateCampaign(withPattern("(")).issues[0].message, /a group "\(" is not closed/);
    // As typed in an editor: at the pattern's line and column.
    const text = JSON.stringify(withPattern("a{2,1}"), null, 2);
    const [i] = m.validateJsonText("campaign", text).issues;
    assert.equal(i.code, "invalid_pattern");
    assert.equal(text.split("\n")[i.line - 1].indexOf("\"a{2,1}\"") + 1, i.column);
    // The core's probes never reach a caller.
    assert.ok(!JSON.stringify([m.validateJsonText("campaign", JSON.stringify(CAMPAIGN)), m.validate("extraction_schema", withPattern("^a$").extraction_schema)]).includes("probe"));
  }
});
