// Importing a leads CSV of any size: read as a stream by the wasm, which
// writes the request bodies itself (checked as it reads them: no lead becomes
// a JS object or is serialized twice), sent with a bounded number in flight,
// resumable from a checkpoint.
//
// Why batches are numbered rather than tracked by content: the same file read
// with the same options always cuts the same batches, so a checkpoint only
// needs the run's id and which batch numbers are done. Each batch's
// idempotency key is `<runId>.<index>`: a batch that was in flight when the
// process died is sent again under the same key, and the server replays its
// first answer instead of applying it twice.
import { AbortError, AuthenticationError, NotFoundError, PermissionDeniedError, RequestValidationError } from "./errors.js";
import { newIdempotencyKey } from "./idempotency.js";
import { chunksOf, csvChunks, csvOptionsProblem } from "./validate.js";

const CHECKPOINT_VERSION = 1;
/** Issues kept in the result; the rejects CSV has every rejected row. */
const MAX_ISSUES = 100;

const STOPS_THE_RUN = [AbortError, AuthenticationError, PermissionDeniedError, NotFoundError];

const bad = (path, message) =>
  new RequestValidationError(`Invalid request: ${message}`, [{ path: [path], code: "invalid", message, severity: "error" }]);

/**
 * `send(bodyText, options)` posts one JSON body to /leads:upsert and resolves
 * its counts (the client's, with the body already checked).
 */
export async function importLeadsCsv(send, source, options = {}) {
  const {
    campaignId, batchSize = 1000, concurrency = 4, checkpoint, onRejects, onProgress, signal,
    delimiter, defaultCountryCode, normalizePhones = true, map, data, ...callOptions
  } = options ?? {};
  const csvOptions = { delimiter, defaultCountryCode, normalizePhones, map, data };
  // A Blob or File knows its size: progress then has an estimate and an ETA.
  const totalBytes = options?.totalBytes ?? (typeof source?.size === "number" ? source.size : undefined);
  if (!Number.isSafeInteger(campaignId) || campaignId < 1) throw bad("campaignId", "campaignId must be a positive integer");
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw bad("batchSize", "batchSize must be an integer from 1 to 1000");
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 16) throw bad("concurrency", "concurrency must be an integer from 1 to 16");
  if (checkpoint != null && (typeof checkpoint.load !== "function" || typeof checkpoint.save !== "function")) {
    throw bad("checkpoint", "checkpoint must have load() and save(state) functions");
  }
  for (const [name, fn] of [["onRejects", onRejects], ["onProgress", onProgress]]) {
    if (fn != null && typeof fn !== "function") throw bad(name, `${name} must be a function`);
  }
  const problem = csvOptionsProblem(csvOptions);
  if (problem) throw bad("map", problem);
  if (signal?.aborted) throw new AbortError();

  const state = await startState(checkpoint, { campaignId, batchSize });
  const done = new Set(state.done);
  const started = Date.now();
  const result = {
    rows: 0, leads: 0, sent: 0, created: state.created, updated: state.updated, failed: state.failed,
    rejected: 0, batches: 0, resumedBatches: 0, failedBatches: [], issues: [], runId: state.runId, elapsedMs: 0,
  };
  let bytesRead = 0;
  let rateLimit = null;
  let saving = Promise.resolve();
  const save = () => {
    if (!checkpoint) return saving;
    state.done = [...done].sort((a, b) => a - b);
    Object.assign(state, { created: result.created, updated: result.updated, failed: result.failed });
    const snapshot = JSON.parse(JSON.stringify(state));
    saving = saving.then(() => checkpoint.save(snapshot)); // in order, one at a time
    return saving;
  };
  const progress = () => {
    if (!onProgress) return;
    const elapsedMs = Date.now() - started;
    const leadsPerSecond = elapsedMs > 0 ? (result.sent * 1000) / elapsedMs : 0;
    // Totals are known only from the file's size: estimated from the bytes read so far.
    const estimatedLeads = totalBytes > 0 && bytesRead > 0 ? Math.round((result.leads * totalBytes) / bytesRead) : undefined;
    let etaMs;
    if (estimatedLeads !== undefined) {
      const left = Math.max(0, estimatedLeads - result.sent - result.resumedBatches * batchSize);
      const byRate = leadsPerSecond > 0 ? (left / leadsPerSecond) * 1000 : Infinity;
      // The rate limit is the floor: a minute for every `limit` requests left.
      const byLimit = rateLimit?.limit > 0 ? (Math.ceil(left / batchSize) / rateLimit.limit) * 60_000 : 0;
      etaMs = Math.round(Math.max(Number.isFinite(byRate) ? byRate : byLimit, byLimit));
    }
    onProgress({
      rows: result.rows, leads: result.leads, sent: result.sent, created: result.created, updated: result.updated,
      failed: result.failed, rejected: result.rejected, batchesDone: result.batches, resumedBatches: result.resumedBatches,
      failedBatches: result.failedBatches.length, elapsedMs, leadsPerSecond, estimatedLeads, etaMs, rateLimit,
    });
  };

  const inFlight = new Set();
  let failure;
  const sendBatch = async (index, body, leads) => {
    const idempotencyKey = `${state.runId}.${index}`;
    try {
      const counts = await send(body, { ...callOptions, signal, idempotencyKey });
      result.created += counts.created ?? 0;
      result.updated += counts.updated ?? 0;
      result.failed += counts.failed ?? 0;
      rateLimit = counts.$meta?.rateLimit ?? rateLimit;
      done.add(index);
      result.sent += leads;
      await save();
    } catch (error) {
      // No later batch can succeed past these (a bad key, a missing scope or
      // campaign): stop the run rather than fail every batch in turn.
      if (STOPS_THE_RUN.some((E) => error instanceof E)) throw error;
      // Kept out of `done`: a re-run sends it again, under the same key.
      // The leads as objects only here, for the caller to inspect or re-send.
      result.failedBatches.push({ index, items: JSON.parse(body).items, idempotencyKey, error });
    }
    result.batches += 1;
    progress();
  };
  const dispatch = async (index, body, leads) => {
    if (done.has(index)) {
      result.resumedBatches += 1;
      return;
    }
    while (inFlight.size >= concurrency) await Promise.race(inFlight);
    if (failure) throw failure;
    const p = sendBatch(index, body, leads).catch((e) => {
      failure ??= e;
    }).finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  let index = 0;
  let sentLeads = 0; // leads in the bodies handed out so far
  try {
    const batches = { campaignId, size: batchSize };
    for await (const chunk of csvChunks(counting(source, (n) => (bytesRead += n)), csvOptions, batches)) {
      if (signal?.aborted) throw new AbortError();
      if (failure) throw failure;
      result.rows = chunk.rowCount;
      result.rejected += chunk.rejected;
      for (const i of chunk.issues) if (result.issues.length < MAX_ISSUES) result.issues.push(i);
      if (chunk.fatal) {
        const first = chunk.issues.find((i) => i.severity === "error");
        throw new RequestValidationError(`Invalid CSV: ${first?.message ?? "the file cannot be read as leads"}`, chunk.issues);
      }
      if (chunk.rejects) await onRejects?.(chunk.rejects);
      result.leads += chunk.leads;
      for (const body of chunk.bodies) {
        // Every body holds batchSize leads but the file's last.
        const leads = Math.min(batchSize, result.leads - sentLeads);
        sentLeads += leads;
        await dispatch(index++, body, leads);
      }
    }
    await Promise.all(inFlight);
    if (failure) throw failure;
  } catch (error) {
    // Whatever was in flight settles (and is checkpointed) before the caller hears.
    await Promise.allSettled(inFlight);
    await saving.catch(() => {});
    throw error;
  }
  await saving;
  result.elapsedMs = Date.now() - started;
  result.failedBatches.sort((a, b) => a.index - b.index);
  progress();
  return result;
}

/** The checkpoint to go on from (checked against this run's options), or a new one, saved before anything is sent. */
async function startState(checkpoint, { campaignId, batchSize }) {
  const saved = checkpoint ? await checkpoint.load() : null;
  if (saved != null) {
    if (saved.version !== CHECKPOINT_VERSION || typeof saved.runId !== "string" || !Array.isArray(saved.done)) {
      throw bad("checkpoint", "the checkpoint is not one this SDK wrote");
    }
    if (saved.campaignId !== campaignId || saved.batchSize !== batchSize) {
      throw bad(
        "checkpoint",
        `the checkpoint is for campaign ${saved.campaignId} in batches of ${saved.batchSize}; resume with the same campaign and batch size, or start over without it`,
      );
    }
    return { created: 0, updated: 0, failed: 0, ...saved };
  }
  const state = { version: CHECKPOINT_VERSION, runId: newIdempotencyKey(), campaignId, batchSize, done: [], created: 0, updated: 0, failed: 0 };
  if (checkpoint) await checkpoint.save({ ...state });
  return state;
}

/** The source as the reader takes it (`chunksOf`), counting the bytes that pass, for progress. */
function counting(source, add) {
  const chunks = chunksOf(source);
  if (!chunks) return source; // csvChunks reports what it is not
  return (async function* () {
    for await (const chunk of chunks) {
      add(chunk?.length ?? 0);
      yield chunk;
    }
  })();
}
