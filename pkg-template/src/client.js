// The client: JS idioms over the wasm core. A call starts in wasm with its
// spec's values as the caller gave them (and the body serialized once); the
// loop in #call awaits each promise the wasm driver hands out and passes its
// outcome back, until the call's outcome is with its CallControl. The core
// runs retries, throttling and decoding.
import { WasmClient } from "./wasm/agoralia.js";
import { AbortError, AgoraliaError, ConfigurationError, RequestValidationError, errorFromEnvelope } from "./errors.js";
import { CallControl } from "./control.js";
import { PageList } from "./pagination.js";
import { upsertAll } from "./bulk.js";
import { importLeadsCsv } from "./import.js";
import { newIdempotencyKey } from "./idempotency.js";
import { notJsonReason } from "./json-text.js";
import {
  validateAgent,
  validateCampaign,
  validateLeads,
  validateListParams,
  validateCallsListParams,
} from "./validate.js";

const DEFAULT_BASE_URL = "https://api.agoralia.app/api/v1";

// A page with a DOM, not a worker, Node, Deno or Bun: where a key would be
// visible to anyone who opens the developer tools.
const inBrowser = () => typeof window !== "undefined" && typeof document !== "undefined" && typeof navigator !== "undefined";

const processEnv = (name) => (typeof process !== "undefined" && process?.env ? process.env[name] : undefined);

/** Attaches the response metadata as a non-enumerable `$meta`: invisible to JSON.stringify, spread and console.log. */
function withMeta(data, meta) {
  if (data !== null && typeof data === "object") Object.defineProperty(data, "$meta", { value: meta, enumerable: false, configurable: true });
  return data;
}

/**
 * withMeta(data, make()), with make() run when `$meta` is first read (then
 * always the same object). Most callers never read it, and building it
 * iterates the response's Headers (sorted on iteration, and slow when the
 * code is cold, as it is after every network wait).
 */
function withLazyMeta(data, make) {
  if (data !== null && typeof data === "object") {
    let meta;
    Object.defineProperty(data, "$meta", { get: () => (meta ??= make()), enumerable: false, configurable: true });
  }
  return data;
}

/** The response metadata of a result (same as `result.$meta`). */
export function getMeta(result) {
  return result?.$meta;
}

/** A client for the Agoralia Public API v1. */
export class Agoralia {
  // Private: the key lives only inside the wasm instance, never on this object.
  #wasm;
  #validate;
  #onRetry;

  constructor(options = {}) {
    const {
      apiKey: givenKey,
      baseUrl: givenBase,
      maxRetries,
      timeoutMs,
      deadlineMs,
      throttle,
      headers,
      fetch,
      validate = true,
      onRetry,
      dangerouslyAllowBrowser = false,
    } = options ?? {};
    const apiKey = givenKey ?? (givenBase === undefined ? processEnv("AGORALIA_API_KEY") : undefined);
    if (apiKey !== undefined && apiKey !== null && typeof apiKey !== "string") throw new ConfigurationError("apiKey must be a string");
    if (fetch !== undefined && typeof fetch !== "function") throw new ConfigurationError("fetch must be a function");
    if (onRetry !== undefined && onRetry !== null && typeof onRetry !== "function") throw new ConfigurationError("onRetry must be a function");
    let baseUrl = givenBase ?? DEFAULT_BASE_URL;
    if (typeof baseUrl !== "string") throw new ConfigurationError("baseUrl must be a string");
    if (!apiKey && baseUrl === DEFAULT_BASE_URL) {
      throw new ConfigurationError(
        "an apiKey is required (or set AGORALIA_API_KEY); without a key, set baseUrl to your own backend that adds it (proxy mode)",
      );
    }
    if (apiKey && inBrowser() && !dangerouslyAllowBrowser) {
      throw new ConfigurationError(
        "refusing to use an API key in a browser, where any visitor can read it. Call the API from your server and point " +
          "baseUrl at it with no apiKey (proxy mode), or pass dangerouslyAllowBrowser: true if you accept the risk",
      );
    }
    // Proxy mode in a page: a relative baseUrl ("/api/agoralia") is resolved against the page.
    if (inBrowser() && baseUrl.startsWith("/") && typeof location !== "undefined") baseUrl = new URL(baseUrl, location.href).href;
    const wasmOptions = JSON.stringify({ maxRetries, timeoutMs, deadlineMs, throttle, headers });
    try {
      this.#wasm = new WasmClient(baseUrl, apiKey || undefined, wasmOptions, fetch);
    } catch (e) {
      throw new ConfigurationError(e instanceof Error ? e.message : String(e));
    }
    this.#validate = validate !== false;
    this.#onRetry = onRetry ?? undefined;

    const call = this.#call.bind(this);
    // Refusals surface as rejections (never synchronous throws), like every other failure.
    const list = (op, check) => (params = {}, options = {}) => {
      const p = params ?? {};
      const refused = plainPage(p) ? undefined : this.#check(check, listOnly(p), options);
      const fetchPage = refused
        ? () => Promise.reject(refused)
        : (cursor) => call({ op, params: { limit: queryNumber(p.limit), cursor, campaign_id: p.campaign_id } }, undefined, options);
      return new PageList(fetchPage, p.cursor, options?.signal);
    };
    const post = (op, check) => (body, options = {}) => {
      const refused = this.#check(check, body, options);
      return refused ? Promise.reject(refused) : call({ op }, body, options, true);
    };

    /** Agents: GET and POST /agents. */
    this.agents = Object.freeze({
      list: list("agents.list", validateListParams),
      create: post("agents.create", validateAgent),
    });
    /** Campaigns: list, create, start, results. */
    this.campaigns = Object.freeze({
      list: list("campaigns.list", validateListParams),
      create: post("campaigns.create", validateCampaign),
      /** POST /campaigns/{id}/start: answers `{ proposal_id, requires_confirmation }` (double opt-in). */
      start: (campaignId, options = {}) => call({ op: "campaigns.start", id: campaignId }, undefined, options, true),
      results: (campaignId, options = {}) => call({ op: "campaigns.results", id: campaignId }, undefined, options),
    });
    const upsert = post("leads.upsert", validateLeads);
    /** Leads: POST /leads:upsert; upsertAll for any number of leads in batches; importCsv for a CSV stream of any size. */
    this.leads = Object.freeze({
      upsert,
      upsertAll: (body, options = {}) => upsertAll(upsert, body, options),
      // The wasm wrote and checked each body as it read the file: sent as it is.
      importCsv: (source, options = {}) => importLeadsCsv((text, o) => call({ op: "leads.upsert" }, undefined, o, true, text), source, options),
    });
    /** Calls: GET /calls, optionally filtered by `campaign_id`. */
    this.calls = Object.freeze({ list: list("calls.list", validateCallsListParams) });
  }

  /** GET /me: the workspace, its plan and rate limits, and the key's scopes. */
  me(options = {}) {
    return this.#call({ op: "me" }, undefined, options);
  }

  /** Client-side validation before sending (./validate.js); returns the error to reject with. Warnings never block. */
  #check(validator, input, options) {
    if (!(options?.validate ?? this.#validate) || typeof validator !== "function") return undefined;
    const report = validator(input);
    if (!report || report.valid !== false) return undefined;
    const errors = report.issues.filter((i) => i.severity !== "warning");
    const first = errors[0];
    const where = first?.path?.length ? `${first.path.join(".")}: ` : "";
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
    return new RequestValidationError(`Invalid request: ${where}${first?.message ?? "invalid"}${more}`, report.issues);
  }

  /** `text`: a body already serialized (and checked), sent instead of `body`. */
  async #call(spec, body, options = {}, isPost = false, text = undefined) {
    const o = options ?? {};
    const signal = o.signal ?? undefined;
    if (signal?.aborted) throw new AbortError();
    // The call's own hook replaces the client's (`onRetry: null` turns it off for the call).
    const onRetry = o.onRetry === undefined ? this.#onRetry : o.onRetry ?? undefined;
    if (onRetry !== undefined && typeof onRetry !== "function") {
      throw new RequestValidationError("Invalid request: onRetry must be a function", [
        { path: ["onRetry"], code: "invalid", message: "onRetry must be a function", severity: "error" },
      ]);
    }
    if (body !== undefined) {
      try {
        text = JSON.stringify(body); // once: every retry re-sends these exact bytes
      } catch (e) {
        const why = notJsonReason(e);
        throw new RequestValidationError(`Invalid request: the body cannot be sent as JSON: ${why}`, [
          { path: [], code: "not_json", message: `the body cannot be sent as JSON: ${why}`, severity: "error" },
        ]);
      }
    }
    // Every POST carries a key unless the caller opts out with `idempotencyKey: null`
    // (and then it is never retried).
    const idempotencyKey = isPost ? (o.idempotencyKey === undefined ? newIdempotencyKey() : o.idempotencyKey) : undefined;
    // The spec's values go over as given, one argument each (no JSON for the
    // wasm to parse on each request, its parser's code being cold after every
    // network wait); the core judges their types.
    const p = spec.params;
    const ctl = new CallControl(signal, onRetry, isPost ? idempotencyKey : null);
    let envelope;
    try {
      // The wasm makes the requests and reads the responses; here its promises
      // (a fetch, a body, a sleep) are awaited and their outcome handed back
      // to ctl.run (set by begin), until it answers none: the call is over.
      let pending = this.#wasm.begin(
        spec.op, idText(spec.id ?? p?.campaign_id), idText(p?.cursor), idempotencyKey,
        p?.limit, o.maxRetries, o.timeoutMs, o.deadlineMs, text, ctl,
      );
      while (pending !== undefined) {
        let value, ok = true;
        try {
          value = await pending;
        } catch (e) {
          value = e;
          ok = false;
        }
        pending = ctl.run.next(value, ok);
      }
      if (ctl.makeMeta) return withLazyMeta(ctl.data, ctl.makeMeta);
      envelope = JSON.parse(ctl.envelope);
    } catch (e) {
      throw new AgoraliaError(`internal SDK error: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
    }
    const headers = ctl.headers();
    if (headers !== undefined) envelope.meta.headers = headers;
    if (envelope.ok) return withMeta(envelope.data, envelope.meta);
    throw errorFromEnvelope(envelope, ctl.lastError);
  }
}

// An id or a cursor given as a number is its text, as String() writes it
// (the core takes text, or refuses another type by name).
const idText = (v) => (typeof v === "number" && Number.isFinite(v) ? String(v) : v);
// A query value is text on the wire, so a limit given as digits is that
// number: the list validators (src/validate/pagination.rs) say the same.
const queryNumber = (v) => (typeof v === "string" && /^\d{1,18}$/.test(v) ? +v : v);

// The list validators look at pagination parameters only (`campaign_id` too for calls).
function listOnly(p) {
  const out = {};
  for (const k of ["limit", "cursor", "campaign_id"]) if (p[k] !== undefined) out[k] = p[k];
  return out;
}

// Parameters whose listOnly() the list validators accept with no error: no
// campaign_id, an integer limit from 1 to 100 (MAX_LIMIT in
// src/validate/pagination.rs) or none, a string cursor or none. These skip the
// wasm validation round trip (slow when its code is cold, as between network
// requests); anything else (a campaign_id, a limit as text,
// null...) is validated as before.
function plainPage(p) {
  const { limit, cursor } = p;
  return (
    p.campaign_id === undefined &&
    (limit === undefined || (Number.isInteger(limit) && limit >= 1 && limit <= 100)) &&
    (cursor === undefined || typeof cursor === "string")
  );
}
