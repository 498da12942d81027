// Validation: thin glue over the wasm core. One crossing per call: the value
// goes in as JSON text, the report comes back as JSON text. The package entry
// has instantiated the wasm before this module's functions can be called.
// Nothing here throws on bad input: every problem is returned as an issue.
import * as wasm from "./wasm/agoralia.js";
import { notJsonReason } from "./json-text.js";

// Input is written straight into wasm memory, through a view the wasm hands
// out (input_view), and the export is told how many bytes to read: text with
// TextEncoder.encodeInto (native, where the generated glue's own string passing
// copies ASCII a char at a time in JS; Chromium's encode() took 6.5 ms for
// 1.4 MB where encodeInto took 1 ms), with no JS buffer to allocate and copy.
const encoder = new TextEncoder();
// A length every export refuses as too_large (without reading anything): for
// input the wasm has no room for (see input_view).
const TOO_LARGE = 0xffffffff;
function toWasm(text) {
  // Room for the text as ASCII plus an eighth; text with more non-ASCII than
  // that is encoded again, with room for the rest at 3 bytes per unit.
  let room = text.length + (text.length >> 3) + 8;
  for (;;) {
    const view = wasm.input_view(room);
    if (view.length < room) return TOO_LARGE;
    const { read, written } = encoder.encodeInto(text, view);
    if (read === text.length) return written;
    room = written + (text.length - read) * 3;
  }
}
function bytesToWasm(bytes) {
  const view = wasm.input_view(bytes.length);
  if (view.length < bytes.length) return TOO_LARGE;
  view.set(bytes);
  return bytes.length;
}

const issue = (code, message, path = []) => ({ path, code, message, severity: "error" });
const failed = (i) => ({ valid: false, issues: [i] });

// JSON.stringify, but a value that cannot be sent as JSON (undefined, a
// function, a symbol, a BigInt, a cycle) becomes an issue instead of a throw.
function toJsonText(input) {
  if (input === undefined) return { issue: issue("invalid_type", "expected a JSON value, got undefined") };
  let text;
  try {
    text = JSON.stringify(input);
  } catch (e) {
    return { issue: issue("not_json", `the value cannot be converted to JSON: ${notJsonReason(e)}`) };
  }
  if (text === undefined) return { issue: issue("invalid_type", `expected a JSON value, got ${typeof input}`) };
  return { text };
}

function run(kind, input) {
  const j = toJsonText(input);
  if (j.issue) return failed(j.issue);
  return report(kind, toWasm(j.text), false);
}

// The checks the runtime makes exactly where the core checks a shape
// (docs/validation.md, "Checks the runtime makes"): the core reports each
// time zone and pattern that passed as a "probe"; this turns the ones the
// runtime refuses into issues, in place, and drops the rest. A pattern RegExp
// refuses with flag u (as ajv compiles it) is an error, as the core's own
// invalid_pattern; a zone Intl does not know is a warning: the contract does
// not say the server refuses it, and a runtime's zone data can lag the tz database.
function report(kind, len, positions) {
  const r = JSON.parse(wasm.validate_json(kind, len, positions));
  r.issues = r.issues.filter((p) => {
    if (p.severity != "probe") return true;
    const v = p.message;
    if (p.code == "pattern") {
      try {
        new RegExp(v, "u");
        return false;
      } catch (e) {
        r.valid = false;
        return Object.assign(p, { code: "invalid_pattern", severity: "error", message: `"pattern" is not a valid regular expression: ${e.message}` });
      }
    }
    // The last zone's answer is kept: a form validates on each keystroke, and a DateTimeFormat takes some 50 us.
    if (v !== lastZone) lastZone = v, unknown = (zones ??= knows("Asia/Tokyo")) && !knows(v) && zoneIssue(v);
    return unknown && Object.assign(p, unknown);
  });
  return r;
}
// Whether Intl knows the zone (true without Intl: the shape check stands);
// `zones`: whether it knows any but UTC (ECMA-402 once allowed refusing them).
const knows = (timeZone) => {
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch (e) {
    return !(e instanceof RangeError);
  }
  return true;
};
let zones, lastZone, unknown;
function zoneIssue(v) {
  // The nearest zone Intl lists, by the core's "did you mean" ("" when none is close).
  const s = Intl.supportedValuesOf && wasm.suggest([v, ...Intl.supportedValuesOf("timeZone")].join("\n"));
  return { code: "unknown_timezone", severity: "warning", message: `"${v}" is not a known time zone${s ? `: did you mean "${s}"?` : ""}`, ...(s && { suggestion: s }) };
}

/** Validates a POST /campaigns body. */
export const validateCampaign = (input) => run("campaign", input);
/** Validates a POST /agents body. */
export const validateAgent = (input) => run("agent", input);
/** Validates a POST /leads:upsert body `{ campaign_id, items }`. */
export const validateLeads = (input) => run("leads", input);
/** Validates a campaign's `extraction_schema` on its own. */
export const validateExtractionSchema = (schema) => run("extraction_schema", schema);
/** Validates `display_columns` against an (optional) extraction schema. Paths start with "columns". */
export const validateDisplayColumns = (columns, extractionSchema) =>
  run("display_columns", { columns, extraction_schema: extractionSchema });
/** Validates `{ limit?, cursor? }` of a list endpoint. */
export const validateListParams = (params) => run("list_params", params ?? {});
/** Validates `{ limit?, cursor?, campaign_id? }` of GET /calls. */
export const validateCallsListParams = (params) => run("calls_list_params", params ?? {});
/** Validates any kind by name ("agent", "campaign", "leads", "extraction_schema", "display_columns", "list_params", "calls_list_params"). */
export const validate = (kind, input) => run(String(kind), input);

/** Validates JSON text as typed in an editor; issues carry `line` and `column` (1-based, UTF-16 columns). */
export function validateJsonText(kind, text) {
  if (typeof text !== "string") return failed(issue("invalid_type", `expected JSON text (a string), got ${typeof text}`));
  return report(String(kind), toWasm(text), true);
}

/** Turns a written phone number into E.164: `{ ok: true, value }` or `{ ok: false, issue }`. */
export function normalizePhone(input, options) {
  if (typeof input !== "string") return { ok: false, issue: issue("invalid_type", `a phone number must be a string, got ${typeof input}`) };
  const cc = options && options.defaultCountryCode != null ? String(options.defaultCountryCode) : undefined;
  return JSON.parse(wasm.normalize_phone(input, cc));
}

/** Reads leads from CSV text or bytes: `{ items, issues, rowCount, valid }`; only rows without errors are in `items`. */
export const parseLeadsCsv = (input, options) => csv(input, options, true);

/**
 * Checks CSV text or bytes as {@link parseLeadsCsv} does, without building the
 * leads: `{ issues, rowCount, valid }`. For a file picker that tells the user
 * what is wrong before any upload (10 000 rows in a few milliseconds).
 */
export const validateLeadsCsv = (input, options) => csv(input, options, false);

function csv(input, options, items) {
  const opts = toJsonText(options ?? {}).text ?? "{}";
  let len;
  if (typeof input === "string") len = toWasm(input);
  else if (input instanceof Uint8Array) len = bytesToWasm(input);
  else if (input instanceof ArrayBuffer) len = bytesToWasm(new Uint8Array(input));
  else {
    const r = { issues: [issue("invalid_type", "expected CSV text, a Uint8Array or an ArrayBuffer")], rowCount: 0, valid: false };
    return items ? { items: [], ...r } : r;
  }
  const r = JSON.parse(wasm.parse_leads_csv_bytes(len, opts, items));
  for (const i of r.issues) if (i.path[0] === "rows" && typeof i.path[1] === "number") i.row = i.path[1];
  return r;
}

/**
 * Bytes handed to the wasm per push: a bigger chunk is cut to this. The
 * wasm's working memory follows a push (its text, its leads' JSON) and never
 * shrinks; at 1 MiB a 1 GB import took 20 MB more of it than at 64 KiB, for
 * the same speed.
 */
const PUSH_BYTES = 1 << 16;

/**
 * Reads leads from a CSV as it arrives, for files of any size: a Node stream
 * (`fs.createReadStream`), a `ReadableStream` (`file.stream()` in a browser),
 * a `Blob`, any (async) iterable of `Uint8Array` or string chunks, or the
 * whole text or bytes. Yields chunks `{ items, issues, rejects, rejected,
 * rowCount, fatal }`: the leads of the rows completed so far, their issues
 * (row numbers as a spreadsheet shows them), the rejected rows as CSV text
 * (original columns plus `_row` and `_issue`; the header comes with the
 * first), and `rowCount` so far. Memory follows the longest row, not the
 * file; the 128 MB limit of `parseLeadsCsv` does not apply. Options are
 * `parseLeadsCsv`'s plus `map` (`{ external_id: "Codice cliente" }`) and
 * `data` (the headers to send in `data`).
 *
 *   for await (const chunk of readLeadsCsv(file.stream())) rows += chunk.items.length;
 */
export async function* readLeadsCsv(source, options) {
  for await (const chunk of csvChunks(source, options)) {
    delete chunk.leads;
    yield chunk;
  }
}

/**
 * readLeadsCsv's loop. With `batches` ({ campaignId, size }) the leads come
 * out as `POST /leads:upsert` bodies, JSON text as the wasm wrote it, in
 * `bodies` (and `items` is empty): the import sends them as they are.
 */
export async function* csvChunks(source, options, batches) {
  const problem = csvOptionsProblem(options) ?? (chunksOf(source) ? undefined : "expected CSV text, bytes, a Blob, a ReadableStream or an (async) iterable of chunks");
  if (problem) {
    yield { items: [], issues: [issue("invalid_type", problem)], rejects: "", rejected: 0, rowCount: 0, fatal: true, valid: false, leads: 0 };
    return;
  }
  const opts = toJsonText(options ?? {}).text ?? "{}";
  const stream = batches ? wasm.CsvStream.batched(opts, batches.campaignId, batches.size) : new wasm.CsvStream(opts);
  try {
    for await (const chunk of chunksOf(source)) {
      const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk instanceof ArrayBuffer ? new Uint8Array(chunk) : chunk;
      if (!(bytes instanceof Uint8Array)) throw new TypeError(`a CSV stream yielded ${typeof chunk}, not bytes or text`);
      for (let at = 0; at < bytes.length; at += PUSH_BYTES) {
        const out = streamed(stream, stream.push(bytesToWasm(bytes.subarray(at, at + PUSH_BYTES))), batches);
        if (out) yield out;
        if (out?.fatal) return;
      }
    }
    const out = streamed(stream, stream.finish(), batches);
    if (out) yield out;
  } finally {
    stream.free();
  }
}

/** A chunk worth yielding, with `row` on each row issue (and the bodies read, when batched); `undefined` when empty. */
function streamed(stream, json, batches) {
  const r = JSON.parse(json);
  if (batches) {
    r.bodies = [];
    for (let b = stream.take_batch(); b !== undefined; b = stream.take_batch()) r.bodies.push(b);
  }
  if (!r.leads && !r.bodies?.length && !r.issues.length && !r.rejected && !r.fatal) return undefined;
  for (const i of r.issues) if (i.path[0] === "rows" && typeof i.path[1] === "number") i.row = i.path[1];
  return r;
}

/** The source as an (async) iterable of chunks, or `undefined` when it is none. */
export function chunksOf(source) {
  if (typeof source === "string" || source instanceof Uint8Array) return [source];
  if (source instanceof ArrayBuffer) return [new Uint8Array(source)];
  if (source == null || typeof source !== "object") return undefined;
  if (typeof source.getReader === "function") return readerChunks(source); // ReadableStream (Safari's is not iterable)
  if (typeof source.stream === "function" && typeof source.size === "number") return readerChunks(source.stream()); // Blob, File
  if (typeof source[Symbol.asyncIterator] === "function" || typeof source[Symbol.iterator] === "function") return source;
  return undefined;
}

async function* readerChunks(stream) {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Why CSV options cannot be used as given (the wasm would ignore them), or `undefined`. */
export function csvOptionsProblem(options) {
  if (options == null) return undefined;
  if (typeof options !== "object") return "options must be an object";
  const { map, data } = options;
  if (map != null) {
    if (typeof map !== "object" || Array.isArray(map)) return "map must be an object like { external_id: \"Customer code\", phone: \"Mobile\" }";
    for (const [k, v] of Object.entries(map)) {
      if (!["external_id", "phone", "name"].includes(k)) return `map: "${k}" is not a lead field (external_id, phone, name); other columns go to data by their header`;
      if (typeof v !== "string" || !v.trim()) return `map.${k} must be the header of a column (a non-empty string)`;
    }
  }
  if (data != null && !(Array.isArray(data) && data.every((d) => typeof d === "string"))) return "data must be an array of headers";
  return undefined;
}

// Only well-formed error issues: a form helper given anything else (a server
// body, garbage) returns what it can instead of throwing mid-render.
const errorsOnly = (issues) => (Array.isArray(issues) ? issues : issues && Array.isArray(issues.issues) ? issues.issues : []).filter(
  (i) => i && typeof i === "object" && Array.isArray(i.path) && i.severity !== "warning",
);

/**
 * Flat errors for plain forms and Formik-style lookups: `{ "items.3.phone": "message" }`,
 * the first error per path; an issue about the whole value uses the key "".
 * Accepts an issue array or a result `{ issues }`. Warnings are left out.
 */
export function toFieldErrors(issues) {
  const out = {};
  for (const i of errorsOnly(issues)) {
    const key = i.path.join(".");
    if (!(key in out)) out[key] = i.message;
  }
  return out;
}

/**
 * Nested errors shaped like react-hook-form's `FieldErrors`:
 * `{ items: [ , { phone: { type: "invalid_phone", message } } ] }` (arrays for
 * numeric steps); an issue about the whole value goes to `root`.
 */
export function toNestedErrors(issues) {
  const out = {};
  for (const i of errorsOnly(issues)) {
    const path = i.path.length ? i.path : ["root"];
    let node = out;
    for (let k = 0; k < path.length - 1; k++) {
      const seg = path[k];
      if (node[seg] == null || typeof node[seg] !== "object" || "message" in node[seg]) {
        node[seg] = typeof path[k + 1] === "number" ? [] : {};
      }
      node = node[seg];
    }
    const last = path[path.length - 1];
    if (node[last] === undefined) node[last] = { type: i.code, message: i.message };
  }
  return out;
}

const SOURCES = new Set(["body", "query", "path", "header", "cookie"]);

/**
 * Maps a FastAPI error `detail` to issues of the same shape as ours: a 422's
 * `[{ loc, msg, type }]` (with the leading "body"/"query"/"path" dropped from
 * `loc`), or a plain message string as one issue with an empty path.
 */
/** @returns {{ path: (string | number)[], code: string, message: string, severity: "error" }[]} */
export function fromServerIssues(detail) {
  if (typeof detail === "string") return [{ path: [], code: "server_error", message: detail, severity: "error" }];
  if (!Array.isArray(detail)) return [];
  return detail.map((d) => {
    const loc = d && Array.isArray(d.loc) ? d.loc.filter((s) => typeof s === "string" || typeof s === "number") : [];
    const path = loc.length && SOURCES.has(loc[0]) ? loc.slice(1) : loc;
    return {
      path,
      code: d && typeof d.type === "string" ? d.type : "server_error",
      message: d && typeof d.msg === "string" ? d.msg : "",
      severity: "error",
    };
  });
}

// Standard Schema v1 (https://standardschema.dev): form libraries
// (react-hook-form's standardSchemaResolver, TanStack Form, ...) accept these
// with no adapter. Only errors fail; warnings never block a form.
function standard(kind) {
  return Object.freeze({
    "~standard": Object.freeze({
      version: 1,
      vendor: "agoralia",
      validate(value) {
        const errors = errorsOnly(run(kind, value).issues);
        return errors.length ? { issues: errors.map((i) => ({ message: i.message, path: i.path })) } : { value };
      },
    }),
  });
}

/** Standard Schema v1 for a POST /campaigns body. */
export const campaignSchema = standard("campaign");
/** Standard Schema v1 for a POST /agents body. */
export const agentSchema = standard("agent");
/** Standard Schema v1 for a POST /leads:upsert body. */
export const leadsSchema = standard("leads");
/** Standard Schema v1 for an extraction schema. */
export const extractionSchemaSchema = standard("extraction_schema");

/**
 * Bytes of memory the wasm instance holds now. It grows to fit the largest
 * input validated so far and never shrinks (WebAssembly memory cannot): for
 * watching a long-lived process or page. See docs/validation.md, "Memory".
 *
 *   wasmMemoryBytes(); // 1179648 at start
 */
export const wasmMemoryBytes = () => wasm.initSync().memory.buffer.byteLength; // the instance's exports once initialised
