// The bench's data, deterministic (seeded), used alike by Node and the browser
// page: a realistic campaign (an extraction schema of 50 properties with enums
// and nesting), a 10 000-lead batch (as a JS array, CSV text and JSON text),
// and the baseline a user would write instead: ajv schemas plus the same phone
// and duplicate checks in JS.

export function rng(seed = 42) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------- campaign
/** 50 top-level properties: strings, numbers, integers, booleans, enums, nested objects, arrays. */
export function extractionSchema() {
  const props = {};
  const required = [];
  const enums = {
    interest_level: ["none", "low", "medium", "high"],
    budget_band: ["<1k", "1k-5k", "5k-20k", ">20k"],
    decision_role: ["owner", "manager", "employee", "other"],
    contact_preference: ["phone", "email", "sms", "none"],
    sentiment: ["negative", "neutral", "positive"],
    timeline: ["now", "1-3 months", "3-6 months", "later", "never"],
    company_size: ["1", "2-10", "11-50", "51-200", "201+"],
    current_provider: ["none", "competitor_a", "competitor_b", "in_house", "unknown"],
    call_outcome: ["qualified", "not_qualified", "callback", "wrong_number", "voicemail"],
    language_spoken: ["it", "en", "es", "fr", "de"],
  };
  let i = 0;
  for (const [name, values] of Object.entries(enums)) {
    props[name] = { type: "string", enum: values, description: `The lead's ${name.replace(/_/g, " ")}` };
    if (i++ % 2 === 0) required.push(name);
  }
  for (let k = 0; k < 12; k++) props[`note_${k}`] = { type: "string", description: `Free-text note ${k}` };
  for (let k = 0; k < 8; k++) props[`amount_${k}`] = { type: "number", description: `An amount quoted (${k})` };
  for (let k = 0; k < 6; k++) props[`count_${k}`] = { type: "integer", description: `A count (${k})` };
  for (let k = 0; k < 6; k++) props[`flag_${k}`] = { type: "boolean", description: `A yes/no answer (${k})` };
  props.address = {
    type: "object",
    description: "Where the lead is",
    properties: {
      street: { type: "string" }, city: { type: "string" }, postcode: { type: "string" },
      country: { type: "string", enum: ["IT", "ES", "FR", "DE", "GB", "US"] },
      geo: { type: "object", properties: { lat: { type: "number" }, lon: { type: "number" } } },
    },
    required: ["city"],
  };
  props.appointment = {
    type: "object",
    properties: {
      date: { type: "string", description: "ISO date" },
      slot: { type: "string", enum: ["morning", "afternoon", "evening"] },
      confirmed: { type: "boolean" },
    },
  };
  props.products_of_interest = { type: "array", items: { type: "string", enum: ["solar", "battery", "heat_pump", "ev_charger"] } };
  props.objections = { type: "array", items: { type: "object", properties: { kind: { type: "string", enum: ["price", "timing", "trust", "other"] }, text: { type: "string" } } } };
  props.competitors_named = { type: "array", items: { type: "string" } };
  props.household = { type: "object", properties: { adults: { type: "integer" }, children: { type: "integer" }, owner: { type: "boolean" } } };
  props.follow_up = { type: "object", properties: { needed: { type: "boolean", required: true }, channel: { type: "string", enum: ["phone", "email", "sms"] }, when: { type: "string" } } };
  props.consent_recorded = { type: "boolean", required: true };
  const n = Object.keys(props).length;
  if (n !== 50) throw new Error(`extraction schema has ${n} properties, expected 50`);
  return { type: "object", required, properties: props };
}

export function campaign(name = "Spring qualification round 2025") {
  return {
    name,
    purpose: "qualification",
    agent_ref_id: 2,
    call_language_mode: "fixed",
    output_language: "it-IT",
    extraction_schema: extractionSchema(),
    display_columns: ["name", "phone", "interest_level", "budget_band", "call_outcome", "sentiment", "timeline", "follow_up"],
    schedule: { timezone: "Europe/Rome", start_date: "2025-03-01T09:00:00+01:00", end_date: "2025-04-30T18:00:00+02:00" },
  };
}

/** The form states a user goes through typing: the name, then an enum value in the schema. */
export function keystrokes(count = 200) {
  const out = [];
  const base = campaign();
  const title = "Spring qualification round 2025 - north-east region, second pass";
  for (let i = 0; out.length < count; i++) {
    const c = structuredClone(base);
    const k = i % (title.length * 2);
    if (k < title.length) c.name = title.slice(0, k + 1);
    else c.extraction_schema.properties.sentiment.enum[2] = "positive".slice(0, (k - title.length) % 8 + 1);
    out.push(c);
  }
  return out;
}

// ---------------------------------------------------------------- leads
const FIRST = ["Mario", "Giulia", "Luca", "Sofia", "Marco", "Anna", "Paolo", "Elena", "Carlos", "Lucia", "John", "Emma"];
const LAST = ["Rossi", "Bianchi", "Romano", "Colombo", "Ricci", "Garcia", "Lopez", "Smith", "Brown", "Martin"];
const CITY = ["Milano", "Roma", "Torino", "Madrid", "Sevilla", "London", "Paris", "Lyon"];

/**
 * `n` leads; about 1 % have a malformed phone and 0.5 % repeat an earlier
 * external_id, so every validator has something to report.
 */
export function leads(n = 10000, seed = 7) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const dup = i > 10 && r() < 0.005;
    const bad = r() < 0.01;
    const phone = bad ? `+39 340 ${Math.floor(r() * 1e7)}` : `+39${340 + Math.floor(r() * 60)}${String(Math.floor(r() * 1e7)).padStart(7, "0")}`;
    out.push({
      external_id: dup ? `crm-${String(Math.floor(r() * i)).padStart(6, "0")}` : `crm-${String(i).padStart(6, "0")}`,
      phone,
      name: `${FIRST[Math.floor(r() * FIRST.length)]} ${LAST[Math.floor(r() * LAST.length)]}`,
      data: { city: CITY[Math.floor(r() * CITY.length)], company: `Company ${Math.floor(r() * 5000)}`, source: r() < 0.5 ? "web" : "fair" },
    });
  }
  return out;
}

/** The same leads as a CSV file's content: external_id,phone,name,city,company,source. */
export function leadsCsv(list) {
  const esc = (s) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const rows = ["external_id,phone,name,city,company,source"];
  for (const l of list) rows.push([l.external_id, l.phone, l.name, l.data.city, l.data.company, l.data.source].map(esc).join(","));
  return rows.join("\n") + "\n";
}

/** The same leads as a JSON file's content: a leads:upsert body (`{ campaign_id, items }`). */
export const leadsJson = (list) => JSON.stringify({ campaign_id: 1, items: list });

// ---------------------------------------------------------------- the ajv baseline
export const PURPOSES = ["quote_request", "cold_calling", "appointment", "qualification", "inbound"];
export const BCP47 = "^(same_as_call|[A-Za-z]{2,3}(-[A-Za-z]{4})?(-([A-Za-z]{2}|[0-9]{3}))?(-([A-Za-z0-9]{5,8}|[0-9][A-Za-z0-9]{3}))*)$";

/** The campaign body as JSON Schema; extraction_schema is checked against the draft-07 meta-schema. */
export const campaignSchema = {
  type: "object",
  required: ["name", "purpose", "agent_ref_id", "extraction_schema", "display_columns"],
  properties: {
    name: { type: "string", minLength: 1 },
    purpose: { enum: PURPOSES },
    agent_ref_id: { type: "integer" },
    from_number_id: { type: ["integer", "string"] },
    call_language_mode: { enum: ["auto", "fixed"] },
    output_language: { type: "string", pattern: BCP47 },
    extraction_schema: { $ref: "http://json-schema.org/draft-07/schema#" },
    display_columns: { type: "array", items: { type: "string", minLength: 1 }, uniqueItems: true },
    schedule: {
      type: "object",
      properties: { timezone: { type: "string", minLength: 1 }, start_date: { type: "string", format: "date-time" }, end_date: { type: "string", format: "date-time" } },
    },
  },
};

export const leadSchema = {
  type: "array",
  minItems: 1,
  items: {
    type: "object",
    required: ["external_id", "phone"],
    properties: {
      external_id: { type: "string", minLength: 1 },
      phone: { type: "string" },
      name: { type: "string" },
      data: { type: "object" },
    },
  },
};

const E164 = /^\+[1-9][0-9]{1,14}$/;

/** ajv plus the checks JSON Schema cannot say: columns known, start before end. Returns an error count. */
export function ajvCampaignCheck(validate, c) {
  let n = validate(c) ? 0 : validate.errors.length;
  const props = c.extraction_schema?.properties ?? {};
  for (const col of c.display_columns ?? []) if (!["name", "phone", "external_id"].includes(col) && !(col in props)) n++;
  const s = c.schedule;
  if (s?.start_date && s?.end_date && Date.parse(s.start_date) >= Date.parse(s.end_date)) n++;
  return n;
}

/** ajv for the shape plus the same phone (E.164) and duplicate external_id checks in JS. Returns an error count. */
export function ajvLeadsCheck(validate, items) {
  let n = validate(items) ? 0 : validate.errors.length;
  const seen = new Set();
  for (const l of items) {
    if (typeof l.phone === "string" && !E164.test(l.phone)) n++;
    if (seen.has(l.external_id)) n++;
    else seen.add(l.external_id);
  }
  return n;
}

/** CSV rows (papaparse, header: true) to lead items, as a user's import code would do. */
export function csvRowsToLeads(rows) {
  return rows.map(({ external_id, phone, name, ...data }) => ({ external_id, phone, name, data }));
}
