// Bulk lead upserts for scripts: any number of leads, sent in batches with a
// bounded number in flight. The client's throttle keeps them within the rate
// limit; each batch has its own idempotency key, kept across its retries and
// returned with a failed batch so the caller can re-send just that one.
import { AbortError, RequestValidationError } from "./errors.js";
import { newIdempotencyKey } from "./idempotency.js";

const bad = (path, message) =>
  new RequestValidationError(message, [{ path: [path], code: "invalid", message, severity: "error" }]);

export async function upsertAll(upsert, body, options = {}) {
  const { batchSize = 100, concurrency = 2, onProgress, signal, ...callOptions } = options ?? {};
  const { campaign_id, items } = body ?? {};
  if (!Array.isArray(items)) throw bad("items", "items must be an array of leads");
  if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > 1000) throw bad("batchSize", "batchSize must be an integer from 1 to 1000");
  if (!Number.isSafeInteger(concurrency) || concurrency < 1 || concurrency > 16) throw bad("concurrency", "concurrency must be an integer from 1 to 16");
  if (signal?.aborted) throw new AbortError();

  const batches = [];
  for (let start = 0; start < items.length; start += batchSize) {
    batches.push({ index: batches.length, items: items.slice(start, start + batchSize), idempotencyKey: newIdempotencyKey() });
  }
  const result = { created: 0, updated: 0, failed: 0, batches: batches.length, failedBatches: [] };
  let next = 0;
  let batchesDone = 0;
  let itemsDone = 0;

  const worker = async () => {
    while (next < batches.length) {
      if (signal?.aborted) throw new AbortError();
      const batch = batches[next++];
      let ok = true;
      try {
        const counts = await upsert(
          { campaign_id, items: batch.items },
          { ...callOptions, signal, idempotencyKey: batch.idempotencyKey },
        );
        result.created += counts.created ?? 0;
        result.updated += counts.updated ?? 0;
        result.failed += counts.failed ?? 0;
      } catch (error) {
        if (error instanceof AbortError) throw error;
        ok = false;
        result.failedBatches.push({ ...batch, error });
      }
      batchesDone += 1;
      itemsDone += batch.items.length;
      onProgress?.({
        batchesDone,
        batchesTotal: batches.length,
        itemsDone,
        itemsTotal: items.length,
        created: result.created,
        updated: result.updated,
        failed: result.failed,
        failedBatches: result.failedBatches.length,
        batch: { index: batch.index, ok },
      });
    }
  };
  // Every worker settles before the caller hears: on an abort, the batches the
  // other workers have in flight end (aborted, or answered) first, so no
  // request of this call is still on its way when it rejects (Promise.all
  // would reject at the first AbortError, with those still in flight).
  const settled = await Promise.allSettled(Array.from({ length: Math.min(concurrency, batches.length) }, worker));
  const stopped = settled.find((s) => s.status === "rejected");
  if (stopped) throw stopped.reason;
  result.failedBatches.sort((a, b) => a.index - b.index);
  return result;
}
