// Compiled with `tsc --strict --noEmit` against the built package's types: the
// public surface must type-check with no `any` leaking into user code.
import {
  Agoralia,
  AgoraliaError,
  ApiError,
  BadRequestError,
  AuthenticationError,
  PermissionDeniedError,
  NotFoundError,
  ConflictError,
  UnprocessableEntityError,
  RateLimitError,
  InternalServerError,
  ConnectionError,
  TimeoutError,
  AbortError,
  RequestValidationError,
  getMeta,
  parseLeadsCsv,
  readLeadsCsv,
  validateLeadsCsv,
} from "agoralia";
import type { Agent, CallRecord, Campaign, ImportCheckpointState, ImportCsvResult, Page, ResponseMeta, UpsertAllResult, WithMeta } from "agoralia";
// The validation-only entry: the same validators and types, no client.
import * as formsOnly from "agoralia/validate";
import type { ValidationResult } from "agoralia/validate";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
function expectType<T>(_: T): void {}
// `any` on the public surface would make this true.
type IsAny<T> = 0 extends 1 & T ? true : false;

export async function main(apiKey: string, signal: AbortSignal): Promise<void> {
  const client = new Agoralia({ apiKey, baseUrl: "http://127.0.0.1:8787/api/v1", maxRetries: 3, timeoutMs: 5_000, headers: { "X-Trace": "1" } });

  const me = await client.me({ signal });
  expectType<string>(me.workspace_name);
  expectType<number>(me.rate_limits.rpm);
  expectType<ResponseMeta>(me.$meta);
  expectType<number | null>(me.$meta.status);
  const anyCheck: IsAny<typeof me.plan> = false;

  const page = await client.agents.list({ limit: 10 });
  expectType<Agent[]>(page.items);
  const cursor = page.next_cursor;
  if (cursor != null) await client.agents.list({ limit: 10, cursor });
  for await (const agent of client.agents.list()) {
    expectType<string>(agent.name);
  }
  for await (const p of client.campaigns.list().pages()) {
    expectType<WithMeta<Page<Campaign>>>(p);
  }
  const calls: CallRecord[] = await client.calls.list({ campaign_id: 5, limit: 50 }).toArray({ limit: 1_000 });
  expectType<string | null>(calls[0]!.to_number);

  const agent = await client.agents.create({ name: "Support", voice_engine: "retell", general_tools: [] }, { idempotencyKey: "k-1" });
  expectType<number>(agent.id);
  const campaign = await client.campaigns.create({
    name: "Q1",
    purpose: "quote_request",
    agent_ref_id: agent.id,
    extraction_schema: { type: "object", properties: { quote_amount: { type: "number", required: true } } },
    display_columns: ["quote_amount"],
    schedule: { timezone: "Europe/Rome", start_date: "2025-01-20T00:00:00Z" },
  });
  const proposal = await client.campaigns.start(campaign.id);
  expectType<boolean>(proposal.requires_confirmation);
  const results = await client.campaigns.results(campaign.id, { maxRetries: 0 });
  expectType<string>(results.display_columns[0]!.label);
  const counts = await client.leads.upsert({ campaign_id: campaign.id, items: [{ external_id: "a", phone: "+393401234567" }] });
  expectType<number>(counts.created);
  const all: UpsertAllResult = await client.leads.upsertAll(
    { campaign_id: campaign.id, items: [] },
    { batchSize: 100, concurrency: 2, onProgress: (p) => expectType<number>(p.itemsDone), signal },
  );
  for (const failed of all.failedBatches) {
    await client.leads.upsert({ campaign_id: campaign.id, items: failed.items }, { idempotencyKey: failed.idempotencyKey });
  }
  expectType<ResponseMeta>(getMeta(counts));

  // Streaming import: any source, a checkpoint kept anywhere, progress and rejects.
  let saved: ImportCheckpointState | null = null;
  const imported: ImportCsvResult = await client.leads.importCsv(new Blob(["id,phone\n"]), {
    campaignId: campaign.id,
    map: { external_id: "Codice cliente" },
    data: ["city"],
    checkpoint: { load: () => saved, save: (s) => { saved = s; } },
    onRejects: async (csv) => expectType<string>(csv),
    onProgress: (p) => { expectType<number>(p.created); expectType<number | undefined>(p.etaMs); },
    signal,
  });
  expectType<string>(imported.runId);
  expectType<number>(imported.failedBatches[0]!.index);
  for await (const chunk of readLeadsCsv(["id,phone\n", new Uint8Array(0)], { defaultCountryCode: "39" })) {
    expectType<string>(chunk.items[0]!.external_id);
    expectType<boolean>(chunk.fatal);
  }

  try {
    await client.me();
  } catch (e) {
    if (e instanceof PermissionDeniedError) expectType<string | undefined>(e.requiredScope);
    if (e instanceof RateLimitError) expectType<number | undefined>(e.retryAfterMs);
    if (e instanceof UnprocessableEntityError) expectType<(string | number)[]>(e.issues[0]!.path);
    if (e instanceof ApiError) {
      expectType<number | undefined>(e.status);
      expectType<string>(e.detail);
      expectType<number>(e.attempts);
    }
    // Each subclass has its literal status: no `undefined` to rule out first.
    if (e instanceof NotFoundError) {
      const s: number = e.status;
      const literal: 404 = e.status;
      // @ts-expect-error: a NotFoundError's status is 404, never 400
      const wrong: 400 = e.status;
      void s, literal, wrong;
    }
    if (e instanceof BadRequestError) expectType<400>(e.status);
    if (e instanceof AuthenticationError) expectType<401>(e.status);
    if (e instanceof PermissionDeniedError) expectType<403>(e.status);
    if (e instanceof ConflictError) expectType<409>(e.status);
    if (e instanceof UnprocessableEntityError) expectType<422>(e.status);
    if (e instanceof RateLimitError) expectType<429>(e.status);
    if (e instanceof InternalServerError) {
      const s: number = e.status;
      void s;
    }
    if (e instanceof RequestValidationError) expectType<string>(e.issues[0]!.message);
    if (e instanceof TimeoutError || e instanceof AbortError || e instanceof ConnectionError) expectType<number>(e.attempts);
    const classes = [AuthenticationError, NotFoundError, ConflictError, InternalServerError];
    if (e instanceof AgoraliaError) expectType<string>(e.code);
    void classes;
  }
  const ok: Equal<typeof anyCheck, false> = true;
  void ok;
  // @ts-expect-error: limit is required by toArray
  await client.calls.list().toArray({});
  // @ts-expect-error: purpose must be one of the published values
  await client.campaigns.create({ name: "x", purpose: "spam", agent_ref_id: 1, extraction_schema: {}, display_columns: [] });

  // CSV: the check alone has no items; both take text, bytes or a buffer.
  const parsed = parseLeadsCsv(new Uint8Array(0), { defaultCountryCode: 39, normalizePhones: true });
  expectType<string>(parsed.items[0]!.phone);
  const checked = validateLeadsCsv("id,phone\n", { delimiter: ";" });
  expectType<number>(checked.rowCount);
  expectType<number | undefined>(checked.issues[0]!.row);
  // @ts-expect-error: the check builds no items
  void checked.items;

  // agoralia/validate: typed as the main entry's validators; no client there.
  const form: ValidationResult = formsOnly.validateCampaign({ name: "x" });
  expectType<boolean>(form.valid);
  expectType<string>(formsOnly.toFieldErrors(form)["name"]!);
  // @ts-expect-error: the validation-only entry has no client
  void formsOnly.Agoralia;
}
