// Differential test (issue 16 item 2): the SDK's validators against the
// sandbox's own, independent validation, on generated campaign, agent and
// leads bodies. The rule (contract.md, "Decisions for client-side
// validation"): the SDK says "error" exactly when the server answers 422, so
// that no request is sent only to be refused (a wasted round trip) and no
// request the server takes is refused by the SDK (a false refusal).
//
// Bodies: start from valid ones (the published examples and a few more) and
// mutate them field by field: every mutation once on its own, then random
// combinations of one to three, from a seeded PRNG (DIFF_SEED, DIFF_CASES to
// change them). A failure names the case (`campaign#57 seed=... [mutations]`)
// and both verdicts; `DIFF_SEED=<seed> DIFF_CASES=<n> DIFF_ONLY=campaign#57` reruns one case.
//
// Sending: plain fetch of JSON.stringify(body) (the bytes the SDK's client
// sends, and what its validators read), no retries. Campaigns and agents:
// SDK error <=> 422. Leads: the API does not 422 on a bad item, it counts it
// in `failed`; the sandbox runs with --item-errors, which adds
// `errors: [{index, detail}]`, and the comparison is per item (an SDK error
// at items.<i> <=> i in errors) plus the body (an SDK error elsewhere <=> 422).
//
// Where the two may rightly differ, KNOWN_DIFFERENCES says so, with the
// reason. Each entry must still happen in this run, else the test fails (a
// fixed difference must leave the list).
import test from "node:test";
import assert from "node:assert/strict";
import { startSandbox, importSdk, KEYS } from "./support/sandbox.mjs";
import { PUBLISHED_CAMPAIGN } from "./support/published.mjs";

const SEED = Number(process.env.DIFF_SEED ?? 0x16_02);
const RANDOM_CASES = Number(process.env.DIFF_CASES ?? 250);
const ONLY = process.env.DIFF_ONLY ?? null;
const CONCURRENCY = 16;

// ---------------------------------------------------------------- known differences
//
// side "sdk": the SDK has an error, the sandbox accepts. Allowed only where the
//   contract makes it an error (it cannot mean what the user wants), each
//   rule by name. `sdk(issue)` matches the SDK's error issues.
// side "server": the sandbox refuses, the SDK has no error: something the SDK
//   cannot know. `server(entry)` matches a 422 `detail` entry (or, for
//   leads items, the item's `detail` text).
// A disagreement is explained when every SDK error (side "sdk") or every
// server entry (side "server") of that case matches an entry of its kind.
const under = (issue, ...prefix) => prefix.every((p, i) => issue.path[i] === p);
const code = (issue, ...codes) => issue.severity === "error" && codes.includes(issue.code);

const KNOWN_DIFFERENCES = [
  // Campaigns: the SDK checks the extraction schema; the sandbox stores any object.
  {
    id: "schema-types", kind: "campaign", side: "sdk",
    sdk: (i) => under(i, "extraction_schema") && code(i, "unknown_type", "duplicate_type"),
    reason: "contract: unknown `type` names are errors; a type listed twice in a type array is one the author did not mean (and draft-07 requires the items to be unique)",
  },
  {
    id: "schema-shapes", kind: "campaign", side: "sdk",
    sdk: (i) => under(i, "extraction_schema") && i.path.length > 1 && code(i, "invalid_type", "invalid_value"),
    reason: "contract: `properties` not an object, a property schema not an object, `required` of the wrong shape are errors; likewise any other keyword whose value no JSON Schema validator can read (`minLength: -1`, `multipleOf: 0`, `items: 5`, `allOf: []`)",
  },
  {
    id: "schema-enum", kind: "campaign", side: "sdk",
    sdk: (i) => under(i, "extraction_schema") && code(i, "enum_empty", "enum_type_mismatch"),
    reason: "contract: `enum` that is not a non-empty array, or whose values do not fit the declared type, is an error",
  },
  {
    id: "schema-required-duplicate", kind: "campaign", side: "sdk",
    sdk: (i) => under(i, "extraction_schema") && code(i, "duplicate_name"),
    reason: "contract: `required` of the wrong shape is an error; draft-07 requires its names to be unique",
  },
  {
    id: "schema-pattern", kind: "campaign", side: "sdk",
    sdk: (i) => under(i, "extraction_schema") && code(i, "invalid_pattern"),
    reason: "a `pattern` that is not a regular expression cannot mean what the user wants: nothing could ever be checked against it",
  },
  // Campaigns: display columns.
  {
    id: "columns-empty-duplicate", kind: "campaign", side: "sdk",
    sdk: (i) => under(i, "display_columns") && code(i, "empty_column", "duplicate_column"),
    reason: "contract: display columns are non-empty strings with no duplicates (errors); the sandbox keeps any strings",
  },
  // Campaigns: the schedule's values.
  {
    id: "schedule-values", kind: "campaign", side: "sdk",
    sdk: (i) => under(i, "schedule") && code(i, "invalid_timezone", "invalid_datetime", "empty_string", "schedule_order"),
    reason: "contract: an IANA time zone name, RFC 3339 / ISO 8601 dates, start before end (errors); the sandbox only checks they are strings",
  },
  // Languages.
  {
    id: "output-language-tag", kind: "campaign", side: "sdk",
    sdk: (i) => under(i, "output_language") && code(i, "invalid_language_tag", "empty_string"),
    reason: "contract: output_language is \"same_as_call\" or a well-formed BCP-47 tag; the sandbox keeps any string",
  },
  {
    id: "agent-lang-tag", kind: "agent", side: "sdk",
    sdk: (i) => under(i, "lang") && code(i, "invalid_language_tag"),
    reason: "contract: language tags are well-formed BCP-47 (RFC 5646 syntax); the sandbox keeps any string",
  },
  // Existence: server state the SDK cannot see.
  {
    id: "agent-must-exist", kind: "campaign", side: "server",
    server: (d) => d.type === "value_error" && d.loc?.[1] === "agent_ref_id" && /^Agent -?\d+ not found$/.test(d.msg),
    reason: "agent_ref_id must name an existing agent: server state, unknown to a validator that runs before any request",
  },
  // Leads.
  {
    id: "leads-duplicate-external-id", kind: "leads", level: "item", side: "sdk",
    sdk: (i) => code(i, "duplicate_external_id"),
    reason: "contract: the same external_id twice in one batch is an error; the sandbox updates the first with the second, which is never what was meant",
  },
  {
    id: "leads-empty-items", kind: "leads", side: "sdk",
    sdk: (i) => i.path.length === 1 && under(i, "items") && code(i, "empty_items"),
    reason: "contract: a leads batch has non-empty items; the sandbox answers 0/0/0 to an empty one",
  },
];

// ---------------------------------------------------------------- seeded generation

/** mulberry32: a small, fast, seedable PRNG (uniform 32-bit output). */
function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (arr) => arr[Math.floor(next() * arr.length)],
  };
}
const caseSeed = (kind, i) => (Math.imul(SEED ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(kind.length * 7919 + i + 1, 0xc2b2ae35)) >>> 0;

const clone = (v) => (v === undefined ? undefined : structuredClone(v));
const LABEL = Symbol("label");
/** A value with a short name for case labels (huge or deep values). */
const named = (label, value) => ({ [LABEL]: label, value });
const valueOf = (v) => (v && typeof v === "object" && LABEL in v ? v.value : v);
function label(v) {
  if (v && typeof v === "object" && LABEL in v) return v[LABEL];
  if (v === undefined) return "(absent)";
  const s = JSON.stringify(v);
  return s.length > 48 ? `${s.slice(0, 36)}…(${s.length} chars)` : s;
}

function setPath(obj, path, value) {
  let o = obj;
  for (const k of path.slice(0, -1)) {
    if (o[k] === null || typeof o[k] !== "object") o[k] = {};
    o = o[k];
  }
  if (value === undefined) delete o[path.at(-1)];
  else o[path.at(-1)] = value;
}

/** Mutations setting `path` to each of `values` (undefined = drop the field). */
const field = (path, values) =>
  values.map((v) => ({ name: `${path.join(".")}=${label(v)}`, apply: (b) => setPath(b, path, clone(valueOf(v))) }));

/** Nested objects `levels` deep: extraction-schema levels, each two JSON levels (schema + properties). */
function deepSchema(levels) {
  let s = { type: "string" };
  for (let i = 0; i < levels; i++) s = { type: "object", properties: { a: s } };
  return s;
}
function deepArray(levels) {
  let v = 1;
  for (let i = 0; i < levels; i++) v = [v];
  return v;
}

// Values every field gets tried with (wrong types included).
const TYPES = [null, 0, -1, 1.5, true, "", "x", [], ["x"], {}, { a: 1 }];
const HUGE_STRING = named("200 KB string", "x".repeat(200_000));
const STRINGS = ["", " ", "x", "Campagna Q1 🇮🇹 — naïve", "\u0000nul", named("lone surrogate \\ud800", "a\ud800b"), HUGE_STRING];
const TAGS = [
  "same_as_call", "en-US", "it-IT", "de", "zh-Hant-TW", "sr-Latn-RS", "en-US-u-ca-buddhist", "x-private", "i-klingon",
  "it_IT", "english", "en-", "-en", "e", "en--US", "EN-us", "en-US ", " ", "same-as-call", "Same_As_Call", "123",
];
const IDS = [
  1, 2, 3, 0, -1, 1.5, 2 ** 53, 1e20, 2 ** 63, 1e300, 5e-324, "1", "01", "3", "100000000000000000000", "1.0", " 1", "-1", "+1", "1e3", "1_0",
  "", "abc", "١", true, [1], { id: 1 }, null,
];

// Extraction-schema snippets, used as a property's schema (and nested in an
// object's property and in an array's items).
const PROPERTY_SCHEMAS = [
  // valid
  { type: "string" }, { type: "number", required: true }, { type: "integer", minimum: 0, maximum: 10 },
  { type: ["string", "null"] }, { type: "string", enum: ["yes", "no", "unknown"] }, { type: "integer", enum: [1, 2] },
  { type: ["integer", "null"], enum: [1, null] }, { type: "string", pattern: "^[A-Z]{2}\\d+$" }, { type: "string", pattern: "(?:a|b)+" },
  { type: "string", format: "email" }, { type: "string", format: "date-time" }, { type: "string", minLength: 1, maxLength: 80 },
  { type: "object", properties: { a: { type: "string" } }, required: ["a"] },
  { type: "object", properties: { a: { type: "string", required: true } } },
  { type: "array", items: { type: "string" } }, { type: "array", items: [{ type: "string" }, { type: "number" }] },
  { type: "array", items: { type: "object", properties: { sku: { type: "string" } } }, minItems: 1, uniqueItems: true },
  { anyOf: [{ type: "string" }, { type: "null" }] }, { oneOf: [{ type: "number" }, { type: "boolean" }] }, { not: { type: "null" } },
  {}, { description: "free text" }, { const: "x" }, { $ref: "#/definitions/x" }, { type: "number", multipleOf: 0.5 },
  { type: "object", additionalProperties: false }, { type: "object", additionalProperties: { type: "number" } },
  { if: { type: "string" }, then: { minLength: 2 }, else: { type: "number" } }, { nullable: true, type: "string", example: "a" },
  // warnings
  { type: "string", enmu: ["a"] }, { type: "string", default: 3 }, { type: "string", enum: ["a", "a"] },
  { type: "number", minimum: 5, maximum: 1 }, { type: "object", required: ["nope"], properties: {} }, { type: "strnig" },
  // errors (per the contract's list)
  { type: "float" }, { type: "str" }, { type: [] }, { type: ["string", "string"] }, { type: 5 }, { type: ["string", 5] },
  { type: "string", enum: [] }, { type: "string", enum: "yes" }, { type: "integer", enum: [1.5] }, { type: "string", enum: [1] },
  { type: "object", properties: [] }, { type: "object", properties: { a: 5 } }, { type: "object", properties: { a: "string" } },
  { type: "object", required: "a", properties: { a: {} } }, { type: "object", required: [1] },
  { type: "object", required: ["a", "a"], properties: { a: {} } }, { type: "string", required: "yes" },
  { type: "string", pattern: "(" }, { type: "string", pattern: "[a-" }, { type: "string", pattern: "*a" }, { type: "string", pattern: 5 },
  { type: "string", minLength: -1 }, { type: "string", minLength: 1.5 }, { type: "string", maxLength: "5" }, { type: "number", multipleOf: 0 },
  { type: "array", items: 5 }, { allOf: [] }, { anyOf: {} }, { additionalProperties: "no" }, { not: 5 }, { format: 5 },
  { type: "number", minimum: "1" }, { type: "array", uniqueItems: "yes" },
  // not a schema at all
  5, "string", null, [], true, false,
];

const ROOT_SCHEMAS = [
  undefined, null, {}, [], "object", 5, true,
  { type: "object" }, { type: "string" }, { type: ["object", "null"], properties: { a: { type: "string" } } },
  { type: "object", properties: { quote_amount: { type: "number" } }, required: ["quote_amount"] },
  { type: "object", properties: { quote_amount: { type: "number" } }, required: ["quote_amout"] },
  { type: "object", properties: { a: {} }, required: "a" },
  { properties: { a: { type: "string" } } }, { $schema: "http://json-schema.org/draft-07/schema#", type: "object", properties: {} },
  { type: "object", properties: {}, definitions: { x: { type: "string" } } }, { type: "objekt", properties: {} },
  named("schema 20 levels deep", deepSchema(20)), named("schema 40 levels deep", deepSchema(40)),
  named("schema 70 levels deep (JSON depth ~143)", deepSchema(70)), named("schema 130 levels deep (JSON depth ~263)", deepSchema(130)),
  named("schema with 2000 properties", { type: "object", properties: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`p${i}`, { type: "string" }])) }),
];

// ---------------------------------------------------------------- campaigns

const CAMPAIGN_BASES = [
  // The published full example.
  PUBLISHED_CAMPAIGN,
  // The published minimal example.
  {
    name: "Q1 Sales Campaign", purpose: "quote_request", agent_ref_id: 1,
    extraction_schema: { type: "object", properties: { quote_amount: { type: "number" } } },
    display_columns: ["quote_amount"],
  },
  // The published empty forms.
  { name: "x", purpose: "inbound", agent_ref_id: 1, extraction_schema: {}, display_columns: [] },
  // Nested objects and arrays, the `required` array, a date-only schedule.
  {
    name: "Dental follow-up", purpose: "appointment", agent_ref_id: 2, call_language_mode: "fixed", output_language: "it-IT",
    extraction_schema: {
      type: "object", required: ["appointment_date"],
      properties: {
        appointment_date: { type: "string", format: "date" },
        patient: { type: "object", properties: { age: { type: "integer", minimum: 0 }, new_patient: { type: "boolean" } } },
        notes: { type: "array", items: { type: "string" } },
      },
    },
    display_columns: ["name", "appointment_date", "external_id", "email"],
    schedule: { timezone: "UTC", start_date: "2025-03-01", end_date: "2025-03-31" },
  },
];

const schemaProbe = (where, variants) =>
  variants.map((s) => ({
    name: `extraction_schema.${where}=${label(s)}`,
    apply: (b) => {
      if (b.extraction_schema === null || typeof b.extraction_schema !== "object" || Array.isArray(b.extraction_schema)) {
        b.extraction_schema = { type: "object" };
      }
      const es = b.extraction_schema;
      if (es.properties === null || typeof es.properties !== "object" || Array.isArray(es.properties)) es.properties = {};
      const v = clone(valueOf(s));
      if (where === "properties.probe") es.properties.probe = v;
      else if (where === "properties.obj.properties.inner") es.properties.obj = { type: "object", properties: { inner: v } };
      else es.properties.list = { type: "array", items: v };
    },
  }));

const DATES = [
  "2025-01-20", "2025-01-20T00:00:00Z", "2025-01-20T00:00:00.123+01:00", "2025-01-20T09:30:00-05:00", "2025-01-20T00:00:00",
  "2025-01-20 00:00:00Z", "2025-01-20t00:00:00z", "2024-02-29T12:00:00Z", "2025-02-29", "2025-02-30", "2025-13-01", "2025-01-20T24:00:00Z",
  "2025-01-20T23:59:60Z", "20/01/2025", "2025/01/20", "tomorrow", "2025-1-20", "", " ", 1737331200, null, undefined, [], {},
];

const CAMPAIGN_MUTATIONS = [
  ...field(["name"], [undefined, ...TYPES, ...STRINGS]),
  ...field(["purpose"], [
    undefined, ...TYPES, "quote_request", "cold_calling", "appointment", "qualification", "inbound",
    "quote", "Quote_request", "QUOTE_REQUEST", "quote_request ", " inbound", "cold-calling", "inbound\n", "appointments", ["inbound"],
  ]),
  ...field(["agent_ref_id"], [undefined, ...IDS, 4, 999]),
  ...field(["from_number_id"], [undefined, ...IDS, 123, "123", "12a"]),
  ...field(["call_language_mode"], [undefined, ...TYPES, "auto", "fixed", "Auto", "fix", "automatic", " auto", ["auto"]]),
  ...field(["output_language"], [undefined, ...TYPES, ...TAGS]),
  ...field(["extraction_schema"], ROOT_SCHEMAS),
  ...schemaProbe("properties.probe", PROPERTY_SCHEMAS),
  ...schemaProbe("properties.obj.properties.inner", PROPERTY_SCHEMAS),
  ...schemaProbe("properties.list.items", PROPERTY_SCHEMAS),
  ...field(["display_columns"], [
    undefined, ...TYPES, ["name"], ["name", "phone", "external_id"], ["name", "name"], ["phone", "quote_amount", "phone"], ["", "name"],
    [" "], ["quote_amout"], ["unknown_column"], ["company"], ["Name"], [1], [null], [["name"]], [{}], "name",
    named("10000 columns", Array.from({ length: 10_000 }, (_, i) => `c${i}`)), named("a 100 KB column", ["x".repeat(100_000)]),
  ]),
  ...field(["schedule"], [
    undefined, null, {}, [], "Europe/Rome", 5, true,
    { timezone: "Europe/Rome", start_date: "2025-01-20T00:00:00Z", end_date: "2025-01-31T23:59:59Z" },
    { timezone: "Europe/Rome", start_date: "2025-02-01", end_date: "2025-01-01" },
    { timezone: "Europe/Rome", start_date: "2025-01-20T00:00:00Z", end_date: "2025-01-20T00:00:00Z" },
    { timezone: "Europe/Rome", start_date: "2025-01-20T00:00:00Z", end_date: "2025-01-20T00:00:01Z" },
    { timezone: "Europe/Rome", start_date: "2025-01-20T10:00:00+02:00", end_date: "2025-01-20T09:00:00Z" },
    { timezone: "Europe/Rome", start_date: "2025-01-20", end_date: "2025-01-20T00:00:00Z" },
    { start_date: "2025-01-20" }, { end_date: "2025-01-20" }, { timezone: "UTC" },
    { timezone: "Europe/Rome", tz: "UTC" }, { timezone: "Europe/Rome", startDate: "2025-01-20" },
  ]),
  ...field(["schedule", "timezone"], [
    undefined, null, "Europe/Rome", "UTC", "Etc/GMT+1", "Etc/GMT-14", "America/Argentina/Buenos_Aires", "America/Indiana/Indianapolis",
    "US/Eastern", "GMT", "Asia/Kolkata", "Europa/Rome", "Rome", "+01:00", "UTC+1", "CET", "europe/rome", "Europe/ Rome", "Europe/Rome ",
    "Mars/Olympus", "", " ", 5, [], {},
  ]),
  ...field(["schedule", "start_date"], DATES),
  ...field(["schedule", "end_date"], DATES),
  ...field(["nmae"], ["x"]),
  ...field(["status"], ["active"]),
  ...field(["id"], [5]),
  ...field(["metadata"], [{ source: "crm", tags: ["a", "b"] }, named("deep array (JSON depth 200)", deepArray(200))]),
  ...field(["schedule", "tz"], ["UTC"]),
  {
    name: "__proto__ as an own field",
    apply: (b) => Object.defineProperty(b, "__proto__", { value: { x: 1 }, enumerable: true, writable: true, configurable: true }),
  },
];

// ---------------------------------------------------------------- agents

const AGENT_BASES = [
  {
    name: "Customer Support Agent", lang: "en-US", voice_engine: "vapi", voice_id: "voice-id-here", model: "gpt-4o-mini",
    general_tools: [], post_call_analysis_data: [],
  },
  { name: "Customer Support Agent", lang: "en-US", voice_engine: "vapi" },
  { name: "Sales Agent" },
  {
    name: "Agente vendite", lang: "it-IT", voice_engine: "retell", model: "gpt-4o",
    general_tools: [{ type: "function", function: { name: "book", parameters: { type: "object", properties: {} } } }],
    post_call_analysis_data: [{ name: "interest", type: "string", description: "how interested" }],
  },
];

const AGENT_MUTATIONS = [
  ...field(["name"], [undefined, ...TYPES, ...STRINGS]),
  ...field(["lang"], [undefined, ...TYPES, ...TAGS.filter((t) => t !== "same_as_call")]),
  ...field(["voice_engine"], [undefined, ...TYPES, "vapi", "retell", "Vapi", "vappi", "retel", "vapi ", "eleven", ["vapi"]]),
  ...field(["voice_id"], [undefined, ...TYPES, ...STRINGS]),
  ...field(["model"], [undefined, ...TYPES, "gpt-4o", "gpt-4o-mini", "claude", HUGE_STRING]),
  ...["general_tools", "post_call_analysis_data"].flatMap((k) =>
    field([k], [
      undefined, ...TYPES, [{}], [{ type: "function", function: { name: "x" } }], [1], [null], ["x"], [[]], [true], [{}, 1],
      named("5000 entries", Array.from({ length: 5000 }, (_, i) => ({ name: `t${i}` }))),
      named("deep array (JSON depth 200)", [deepArray(198)]),
    ])),
  ...field(["temperature"], [0.3]),
  ...field(["Name"], ["x"]),
  ...field(["voice"], [{ id: "x" }]),
];

// ---------------------------------------------------------------- leads

const lead = (n, extra = {}) => ({ external_id: `diff-lead-${n}`, phone: `+3934012${String(n).padStart(5, "0")}`, ...extra });
const LEADS_BASES = [
  {
    campaign_id: 1,
    items: [
      { external_id: "lead-123", phone: "+393401234567", name: "John Doe", data: { company: "Acme Corp", email: "john@acme.com" } },
      { external_id: "lead-124", phone: "+393401234568", name: "Jane Smith", data: { company: "Tech Inc", email: "jane@tech.com" } },
    ],
  },
  { campaign_id: 2, items: [{ external_id: "lead-123", phone: "+393401234567", name: "John Doe" }] },
  { campaign_id: 3, items: Array.from({ length: 6 }, (_, n) => lead(n, { name: `Lead ${n}`, data: { n } })) },
  { campaign_id: 1, items: [lead(1), lead(2), lead(3)] },
];

const PHONES = [
  "+393401234567", "+12", "+123456789012345", "+1234567890123456", "+1", "+0123456789", "+39 340 123 4567", "+39-340-1234567",
  "(+39) 3401234567", "0039 340 123 4567", "393401234567", "3401234567", "tel:+393401234567", "+39340123456a", "call me", "",
  " ", "+", "+393401234567 ", "＋393401234567", 393401234567, null, undefined, [], {},
];

/** Mutations of one item: the rng picks which. */
const itemField = (key, values) =>
  values.map((v) => ({
    name: `items[?].${key}=${label(v)}`,
    apply: (b, rng) => {
      if (!Array.isArray(b.items) || b.items.length === 0) b.items = [lead(900)];
      const i = rng.int(b.items.length);
      if (b.items[i] === null || typeof b.items[i] !== "object" || Array.isArray(b.items[i])) b.items[i] = lead(901 + i);
      setPath(b.items[i], [key], clone(valueOf(v)));
    },
  }));
const itemWhole = (values) =>
  values.map((v) => ({
    name: `items[?]=${label(v)}`,
    apply: (b, rng) => {
      if (!Array.isArray(b.items) || b.items.length === 0) b.items = [lead(900)];
      b.items[rng.int(b.items.length)] = clone(valueOf(v));
    },
  }));

const LEADS_MUTATIONS = [
  ...field(["campaign_id"], [undefined, ...IDS, 999]),
  ...field(["items"], [
    undefined, null, {}, "x", 5, true, [],
    named("1000 leads", Array.from({ length: 1000 }, (_, n) => lead(n, { data: { n } }))),
    named("1001 leads", Array.from({ length: 1001 }, (_, n) => lead(n))),
    named("1001 leads, some bad", Array.from({ length: 1001 }, (_, n) => (n % 100 ? lead(n) : { external_id: "" }))),
  ]),
  ...itemField("external_id", [undefined, ...TYPES, ...STRINGS, "lead-123", "lead 😀", "  lead-1  ", "\t", "\u00a0", named("10 KB id", "i".repeat(10_000))]),
  ...itemField("phone", PHONES),
  ...itemField("name", [undefined, ...TYPES, ...STRINGS]),
  ...itemField("data", [
    undefined, ...TYPES, { company: "Acme", nested: { a: [1, 2, { b: null }] } },
    named("data 50 KB", { blob: "d".repeat(50_000) }), named("deep array in data (JSON depth 200)", { d: deepArray(196) }),
  ]),
  ...itemField("email", ["a@b.c"]),
  ...itemField("Phone", ["+393401234567"]),
  ...itemWhole([null, 5, "lead", [], [lead(7)], {}, { external_id: "only-id" }, { phone: "+393401234567" }]),
  {
    name: "items[last].external_id=items[0].external_id (duplicate)",
    apply: (b) => {
      if (!Array.isArray(b.items)) b.items = [];
      if (b.items.length < 2) b.items.push(lead(950), lead(951));
      const last = b.items.length - 1;
      for (const i of [0, last]) {
        if (b.items[i] === null || typeof b.items[i] !== "object" || Array.isArray(b.items[i])) b.items[i] = lead(960 + i);
      }
      const first = b.items[0].external_id;
      b.items[0].external_id = b.items[last].external_id = typeof first === "string" && first.trim() ? first : "dup";
    },
  },
  ...field(["campaign"], [1]),
  ...field(["leads"], [[lead(1)]]),
];

// ---------------------------------------------------------------- cases

function cases(kind, bases, mutations) {
  const out = [];
  const make = (index, pickMutations) => {
    const seed = caseSeed(kind, index);
    const rng = prng(seed);
    const base = clone(rng.pick(bases));
    const chosen = pickMutations(rng);
    for (const m of chosen) m.apply(base, rng);
    out.push({ id: `${kind}#${index}`, seed, mutations: chosen.map((m) => m.name), body: base });
  };
  // Every mutation alone, then random combinations of one to three.
  mutations.forEach((m, i) => make(i, () => [m]));
  for (let r = 0; r < RANDOM_CASES; r++) {
    make(mutations.length + r, (rng) => Array.from({ length: 1 + rng.int(3) }, () => rng.pick(mutations)));
  }
  return ONLY ? out.filter((c) => c.id === ONLY) : out;
}

// ---------------------------------------------------------------- running

async function pool(items, n, fn) {
  const out = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const k = next++;
      out[k] = await fn(items[k]);
    }
  }));
  return out;
}

async function post(apiUrl, path, body) {
  const res = await fetch(apiUrl + path, {
    method: "POST",
    headers: { "content-type": "application/json", "x-api-key": KEYS.all },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

const show = (issues) =>
  issues.slice(0, 8).map((i) => `${i.code}@${i.path.join(".") || "(root)"}`).join(", ") +
  (issues.length > 8 ? `, … ${issues.length - 8} more` : "");
const showDetail = (detail) =>
  Array.isArray(detail) ? detail.slice(0, 8).map((d) => `${d.type}@${(d.loc ?? []).join(".")}: ${String(d.msg).slice(0, 60)}`).join("; ") : String(detail);
const sdkVerdict = (errors, all) => (errors.length ? `error [${show(errors)}]` : all.length ? `no error (warnings: ${show(all)})` : "no issue");

/** The entries of `kind` that explain every one of `things`, or null. */
function explain(kind, level, side, things, hits, caseId) {
  const entries = KNOWN_DIFFERENCES.filter((e) => e.kind === kind && (e.level ?? "body") === level && e.side === side);
  const used = new Set();
  for (const t of things) {
    const e = entries.find((x) => (side === "sdk" ? x.sdk(t) : x.server(t)));
    if (!e) return null;
    used.add(e);
  }
  if (used.size === 0) return null;
  for (const e of used) {
    const h = hits.get(e.id);
    h.count++;
    h.example ??= caseId;
  }
  return [...used];
}

function report(kind, all, failures, hits, extra = "") {
  const explained = [...hits.entries()].filter(([, h]) => h.count > 0);
  console.log(
    `differential ${kind}: ${all.length} cases (seed ${SEED}), ${failures.length} unexplained disagreement(s)${extra}` +
      explained.map(([id, h]) => `\n  known difference ${id}: ${h.count} (e.g. ${h.example})`).join(""),
  );
}

function checkHits(kind, hits, failures) {
  if (ONLY) return;
  for (const e of KNOWN_DIFFERENCES.filter((x) => x.kind === kind)) {
    if (hits.get(e.id).count === 0) {
      failures.push(`KNOWN_DIFFERENCES "${e.id}" no longer happens in any ${kind} case: the two sides agree now, remove it from the list`);
    }
  }
}

function newHits(kind) {
  return new Map(KNOWN_DIFFERENCES.filter((e) => e.kind === kind).map((e) => [e.id, { count: 0, example: null }]));
}

const failureText = (kind, failures) =>
  `${failures.length} ${kind} case(s) where the SDK and the sandbox disagree (rerun one with DIFF_SEED=${SEED} DIFF_CASES=${RANDOM_CASES} DIFF_ONLY=<id>):\n` +
  failures.slice(0, 40).join("\n") + (failures.length > 40 ? `\n... and ${failures.length - 40} more` : "");

const caseName = (c) => `${c.id} seed=${c.seed} [${c.mutations.join(" + ")}]`;

/** Campaigns and agents: SDK error <=> 422 (and nothing but 201 or 422). */
async function differential(kind, path, validate, all) {
  const sb = await startSandbox({ rpm: 100000000, ipRpm: 100000000, rpd: 1000000000, quiet: true });
  try {
    const hits = newHits(kind);
    const failures = [];
    const results = await pool(all, CONCURRENCY, async (c) => ({ c, res: await post(sb.apiUrl, path, c.body) }));
    for (const { c, res } of results) {
      const { issues } = validate(c.body);
      const errors = issues.filter((i) => i.severity === "error");
      const verdicts = `SDK: ${sdkVerdict(errors, issues)}; sandbox: ${res.status} ${res.status === 422 ? showDetail(res.body.detail) : ""}`;
      if (res.status !== 201 && res.status !== 422) {
        failures.push(`${caseName(c)}\n    unexpected status: ${verdicts} ${JSON.stringify(res.body).slice(0, 200)}`);
        continue;
      }
      const refused = res.status === 422;
      if (errors.length > 0 === refused) continue;
      const side = refused ? "server" : "sdk";
      if (explain(kind, "body", side, refused ? res.body.detail : errors, hits, c.id)) continue;
      failures.push(`${caseName(c)}\n    ${refused ? "wasted round trip" : "false refusal"}: ${verdicts}`);
    }
    checkHits(kind, hits, failures);
    report(kind, all, failures, hits);
    assert.equal(failures.length, 0, failureText(kind, failures));
  } finally {
    await sb.stop();
  }
}

let sdk;
test.before(async () => {
  sdk = await importSdk();
});

test("campaigns: the SDK has an error exactly when the sandbox answers 422", async () => {
  await differential("campaign", "/campaigns", (b) => sdk.validateCampaign(b), cases("campaign", CAMPAIGN_BASES, CAMPAIGN_MUTATIONS));
});

test("agents: the SDK has an error exactly when the sandbox answers 422", async () => {
  await differential("agent", "/agents", (b) => sdk.validateAgent(b), cases("agent", AGENT_BASES, AGENT_MUTATIONS));
});

test("leads: an SDK error at items.<i> exactly when the sandbox fails item i; body errors exactly when 422", async () => {
  const kind = "leads";
  const all = cases(kind, LEADS_BASES, LEADS_MUTATIONS);
  const sb = await startSandbox({ rpm: 100000000, ipRpm: 100000000, rpd: 1000000000, args: ["--item-errors"], quiet: true });
  try {
    const hits = newHits(kind);
    const failures = [];
    let itemsCompared = 0;
    let unknownCampaign = 0;
    const results = await pool(all, CONCURRENCY, async (c) => ({ c, res: await post(sb.apiUrl, "/leads:upsert", c.body) }));
    for (const { c, res } of results) {
      const { issues } = sdk.validateLeads(c.body);
      const errors = issues.filter((i) => i.severity === "error");
      const itemOf = (i) => (i.path[0] === "items" && typeof i.path[1] === "number" ? i.path[1] : null);
      const bodyErrors = errors.filter((i) => itemOf(i) === null);
      const fail = (what, verdicts) => failures.push(`${caseName(c)}\n    ${what}: ${verdicts}`);
      const bodyVerdicts = `SDK: ${sdkVerdict(bodyErrors, issues.filter((i) => itemOf(i) === null))}; sandbox: ${res.status} ${res.status === 422 ? showDetail(res.body.detail) : ""}`;
      if (![200, 404, 422].includes(res.status)) {
        fail("unexpected status", `${bodyVerdicts} ${JSON.stringify(res.body).slice(0, 200)}`);
        continue;
      }
      // The body: SDK body-level error <=> 422. A 404 (no such campaign) is
      // server state; then no item was looked at.
      const refused = res.status === 422;
      if (bodyErrors.length > 0 !== refused) {
        const side = refused ? "server" : "sdk";
        if (!explain(kind, "body", side, refused ? res.body.detail : bodyErrors, hits, c.id)) {
          fail(refused ? "wasted round trip" : "false refusal", bodyVerdicts);
        }
      }
      if (res.status === 404) unknownCampaign++;
      if (res.status !== 200) continue;
      // Each item: SDK error at items.<i> <=> i in the sandbox's errors.
      const { errors: itemErrors, failed } = res.body;
      assert.ok(Array.isArray(itemErrors), `${c.id}: no errors list in ${JSON.stringify(res.body)} (is --item-errors on?)`);
      assert.equal(failed, itemErrors.length, `${c.id}: failed is not the number of errors`);
      const serverFailed = new Map(itemErrors.map((e) => [e.index, e.detail]));
      const items = Array.isArray(c.body.items) ? c.body.items : [];
      for (let i = 0; i < items.length; i++) {
        itemsCompared++;
        const sdkItem = errors.filter((e) => itemOf(e) === i);
        const serverItem = serverFailed.get(i);
        if ((sdkItem.length > 0) === (serverItem !== undefined)) continue;
        const side = serverItem !== undefined ? "server" : "sdk";
        if (explain(kind, "item", side, side === "server" ? [serverItem] : sdkItem, hits, c.id)) continue;
        fail(side === "server" ? `item ${i}: wasted round trip` : `item ${i}: false refusal`,
          `SDK: ${sdkVerdict(sdkItem, issues.filter((e) => itemOf(e) === i))}; sandbox: ${serverItem ?? "accepted"}`);
      }
    }
    checkHits(kind, hits, failures);
    report(kind, all, failures, hits, `; ${itemsCompared} items compared; ${unknownCampaign} bodies with an unknown campaign (404, items not compared)`);
    assert.equal(failures.length, 0, failureText(kind, failures));
  } finally {
    await sb.stop();
  }
});
