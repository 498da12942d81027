import type {
  AgentInput,
  CsvSource,
  Issue,
  ParseLeadsCsvOptions,
  CallsListParamsInput,
  CampaignInput,
  JsonValue,
  LeadsUpsertInput,
  ListParamsInput,
} from "./validate.js";
import type { AgoraliaError, ApiError } from "./errors.js";

/** An id as the API sends it (numbers today; treat as opaque). */
export type Id = number;
/** An opaque pagination cursor: pass back what `next_cursor` gave. */
export type Cursor = string | number;

export interface ClientOptions {
  /** `ago_` followed by 32 letters or digits. Defaults to `process.env.AGORALIA_API_KEY` in Node when `baseUrl` is not set. Omit it in proxy mode. */
  apiKey?: string;
  /** Default `https://api.agoralia.app/api/v1`. `http://` only for loopback hosts. In a browser, a path such as "/api/agoralia" is resolved against the page (proxy mode). */
  baseUrl?: string;
  /** Retries after the first attempt, 0 to 10 (default 2; 0 means none). */
  maxRetries?: number;
  /** Timeout of one attempt in ms (default 60 000). */
  timeoutMs?: number;
  /** Total time of a call across attempts and waits, in ms (default the larger of 180 000 and `timeoutMs`). */
  deadlineMs?: number;
  /** Wait for the rate-limit window when a response said `X-RateLimit-Remaining: 0` (default true). */
  throttle?: boolean;
  /** Extra headers on every request (not `X-API-Key`, `Idempotency-Key` or `Content-Type`). */
  headers?: Record<string, string>;
  /** Called as `fetch(request)` instead of the global `fetch`; must resolve to a `Response`. */
  fetch?: (request: Request) => Promise<Response>;
  /** Validate request bodies before sending (default true); per call, `validate: false` skips it. */
  validate?: boolean;
  /** Allow an `apiKey` in a browser page, where any visitor can read it. Prefer proxy mode. */
  dangerouslyAllowBrowser?: boolean;
  /** Called before each retry's wait; see {@link RetryInfo}. A call's own `onRetry` replaces this one. */
  onRetry?: OnRetry;
}

/** Why an attempt is retried: a retryable 5xx, a 429, no response, or the attempt's timeout. */
export type RetryReason = "status" | "network" | "timeout" | "rate_limit";

/** What `onRetry` is told before a retry's wait. Never holds the API key. */
export interface RetryInfo {
  /** The attempt that just failed, 1-based. */
  attempt: number;
  /** How long the SDK waits before the next attempt, in ms. */
  delayMs: number;
  reason: RetryReason;
  /** The failed attempt's HTTP status ("status" and "rate_limit"). */
  status?: number;
  /** A `ConnectionError` or `TimeoutError`, the platform's error as its `cause` ("network" and "timeout"). */
  error?: AgoraliaError;
  /** The POST's `Idempotency-Key`, the same on every attempt; `null` on a GET. */
  idempotencyKey?: string | null;
  method: string;
  url: string;
}

/**
 * Observes retries (logging, metrics). What it throws, or an async hook
 * rejects with, is ignored: it never fails the call. To stop retrying, abort
 * the call's `signal`.
 */
export type OnRetry = (info: RetryInfo) => void | Promise<void>;

/** Per-call options. */
export interface RequestOptions {
  /** Aborts the call, including waits between retries and pagination. */
  signal?: AbortSignal;
  timeoutMs?: number;
  deadlineMs?: number;
  /** 0 to 10; 0 means one attempt. */
  maxRetries?: number;
  /** false: skip client-side validation of this call. */
  validate?: boolean;
  /** Replaces the client's `onRetry` for this call (`null`: none). */
  onRetry?: OnRetry | null;
}

/** Options of a POST. */
export interface PostOptions extends RequestOptions {
  /** Sent as `Idempotency-Key` (a UUID v4 is generated when absent); `null` sends none, and then the POST is never retried. */
  idempotencyKey?: string | null;
}

/** `X-RateLimit-*` of the last response. `reset` is Unix time in seconds. */
export interface RateLimitInfo {
  limit: number | null;
  remaining: number | null;
  reset: number | null;
}

/** What every result carries as the non-enumerable `$meta`. */
export interface ResponseMeta {
  /** HTTP status of the last attempt (null when none answered). */
  status: number | null;
  /** The `Idempotency-Key` sent (POSTs), else null. */
  idempotencyKey: string | null;
  /** Attempts made, 1 when no retry was needed. */
  attempts: number;
  rateLimit: RateLimitInfo | null;
  /** Response headers, names lower-case. */
  headers: Record<string, string>;
  method: "GET" | "POST";
  url: string;
  /** From the first attempt to the answer, including waits. */
  elapsedMs: number;
}

/** A result with its response metadata (non-enumerable: JSON.stringify and spreads do not see it). */
export type WithMeta<T> = T & { readonly $meta: ResponseMeta };

/** GET /me */
export interface Me {
  tenant_id: Id;
  workspace_name: string;
  plan: string;
  rate_limits: { rpm: number; rpd: number };
  api_key_scopes: Scope[];
}

export type Scope =
  | "me:read" | "agents:read" | "agents:write" | "campaigns:read" | "campaigns:write"
  | "campaigns:start" | "results:read" | "leads:write" | "calls:read" | (string & {});

export interface Agent {
  id: Id;
  name: string;
  lang: string | null;
  voice_engine: "vapi" | "retell";
}

export type CampaignStatus = "draft" | "active" | "paused" | "completed" | (string & {});

export interface Campaign {
  id: Id;
  name: string;
  status: CampaignStatus;
}

/** POST /campaigns/{id}/start: a proposal to confirm (double opt-in; no confirmation endpoint is published). */
export interface CampaignStartProposal {
  proposal_id: string;
  requires_confirmation: true;
}

export interface DisplayColumn {
  name: string;
  label: string;
}

export interface CampaignResults {
  display_columns: DisplayColumn[];
  /** One object per lead, keyed by column name. */
  rows: { [column: string]: JsonValue }[];
}

export interface UpsertCounts {
  created: number;
  updated: number;
  failed: number;
}

export type CallStatus = "completed" | "failed" | "no_answer" | "busy" | "in_progress" | "queued" | (string & {});

export interface CallRecord {
  id: Id;
  status: CallStatus;
  to_number: string;
  detected_language: string | null;
}

/** One page of a list. `next_cursor` is null (or absent) on the last page. */
export interface Page<T> {
  items: T[];
  next_cursor?: Id | null;
}

/**
 * A list request. `await` it for the first page; `for await` it for every item;
 * `pages()` for every page; `toArray({ limit })` for items up to a cap.
 */
export interface PageList<T> extends PromiseLike<WithMeta<Page<T>>> {
  catch<R = never>(onRejected?: ((reason: unknown) => R | PromiseLike<R>) | null): Promise<WithMeta<Page<T>> | R>;
  finally(onFinally?: (() => void) | null): Promise<WithMeta<Page<T>>>;
  pages(): AsyncGenerator<WithMeta<Page<T>>, void, undefined>;
  [Symbol.asyncIterator](): AsyncGenerator<T, void, undefined>;
  toArray(options: { limit: number }): Promise<T[]>;
}

export interface UpsertAllOptions extends Omit<PostOptions, "idempotencyKey"> {
  /** Leads per request, 1 to 1000 (default 100). */
  batchSize?: number;
  /** Requests in flight, 1 to 16 (default 2). */
  concurrency?: number;
  /** Called after each batch, success or failure. */
  onProgress?: (progress: UpsertProgress) => void;
}

/** What a checkpoint holds: JSON, to keep anywhere (a file, localStorage). */
export interface ImportCheckpointState {
  version: 1;
  /** Batch `i` is sent with the idempotency key `${runId}.${i}`. */
  runId: string;
  campaignId: number;
  batchSize: number;
  /** Batches the server answered. */
  done: number[];
  created: number;
  updated: number;
  failed: number;
}

export interface ImportCheckpoint {
  load(): ImportCheckpointState | null | Promise<ImportCheckpointState | null>;
  save(state: ImportCheckpointState): void | Promise<void>;
}

export interface ImportCsvOptions extends ParseLeadsCsvOptions, Omit<PostOptions, "idempotencyKey"> {
  campaignId: number;
  /** Leads per request, 1 to 1000 (default 1000). */
  batchSize?: number;
  /** Requests in flight, 1 to 16 (default 4). */
  concurrency?: number;
  /** Resume from here; saved before the first request and after each batch. Same file, campaign and batch size. */
  checkpoint?: ImportCheckpoint;
  /** Rejected rows as CSV text, a chunk at a time (the header first). */
  onRejects?: (csv: string) => void | Promise<void>;
  onProgress?: (progress: ImportProgress) => void;
  /** The file's size in bytes (a Blob's or File's own by default): gives `estimatedLeads` and `etaMs`. */
  totalBytes?: number;
}

/** What an import has counted, in progress and at the end. */
export interface ImportCounts extends UpsertCounts {
  /** Data rows read so far. */
  rows: number;
  /** Valid leads read so far. */
  leads: number;
  /** Leads the server answered for in this run. */
  sent: number;
  rejected: number;
  /** Batches a checkpoint said were done, not sent again. */
  resumedBatches: number;
  elapsedMs: number;
}

export interface ImportProgress extends ImportCounts {
  batchesDone: number;
  failedBatches: number;
  leadsPerSecond: number;
  estimatedLeads?: number;
  /** From the rate so far, never below what the rate limit allows. */
  etaMs?: number;
  rateLimit: RateLimitInfo | null;
}

export interface ImportCsvResult extends ImportCounts {
  batches: number;
  /** Sent again by a re-run with the same checkpoint, under the same idempotency keys. */
  failedBatches: FailedBatch[];
  /** The first 100 issues; the rejects CSV has every rejected row. */
  issues: Issue[];
  runId: string;
}

export interface UpsertProgress extends UpsertCounts {
  batchesDone: number;
  batchesTotal: number;
  itemsDone: number;
  itemsTotal: number;
  failedBatches: number;
  batch: { index: number; ok: boolean };
}

export interface FailedBatch {
  index: number;
  items: LeadsUpsertInput["items"];
  /** Re-send with this key: if the batch did reach the server, it is not applied twice. */
  idempotencyKey: string;
  error: AgoraliaError | ApiError;
}

export interface UpsertAllResult extends UpsertCounts {
  batches: number;
  failedBatches: FailedBatch[];
}

export declare class Agoralia {
  constructor(options?: ClientOptions);
  /** GET /me: the workspace, its plan and rate limits, and the key's scopes. */
  me(options?: RequestOptions): Promise<WithMeta<Me>>;
  readonly agents: {
    list(params?: ListParamsInput, options?: RequestOptions): PageList<Agent>;
    create(body: AgentInput, options?: PostOptions): Promise<WithMeta<Agent>>;
  };
  readonly campaigns: {
    list(params?: ListParamsInput, options?: RequestOptions): PageList<Campaign>;
    create(body: CampaignInput, options?: PostOptions): Promise<WithMeta<Campaign>>;
    start(campaignId: Id | string, options?: PostOptions): Promise<WithMeta<CampaignStartProposal>>;
    results(campaignId: Id | string, options?: RequestOptions): Promise<WithMeta<CampaignResults>>;
  };
  readonly leads: {
    upsert(body: LeadsUpsertInput, options?: PostOptions): Promise<WithMeta<UpsertCounts>>;
    /**
     * Upserts any number of leads in batches, `concurrency` in flight. A batch that still fails after the
     * retries lands in `failedBatches`; an abort (`signal`) rejects with AbortError once every batch in
     * flight has ended (aborted or answered): when it rejects, none of its requests is still in flight.
     */
    upsertAll(body: LeadsUpsertInput, options?: UpsertAllOptions): Promise<UpsertAllResult>;
    /**
     * Imports a leads CSV of any size: read as a stream, sent in batches, resumable from a checkpoint.
     * A batch that still fails after the retries lands in `failedBatches`; an error no later batch
     * could get past (AuthenticationError, PermissionDeniedError, NotFoundError, AbortError) rejects
     * the call, after what was in flight is checkpointed.
     * @example
     * const r = await client.leads.importCsv(fs.createReadStream("leads.csv"), { campaignId: 2, defaultCountryCode: "39" });
     */
    importCsv(source: CsvSource, options: ImportCsvOptions): Promise<ImportCsvResult>;
  };
  readonly calls: {
    list(params?: CallsListParamsInput, options?: RequestOptions): PageList<CallRecord>;
  };
}

/** The response metadata of a result (same as `result.$meta`). */
export declare function getMeta<T extends object>(result: WithMeta<T>): ResponseMeta;
export declare function getMeta(result: unknown): ResponseMeta | undefined;
