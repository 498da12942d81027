// leads.upsertAll: batches, progress, summed counts, failed batches to re-send.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { KEYS, sandboxWithClient } from "./support/sandbox.mjs";

let sb, sdk, client;
before(async () => ({ sb, sdk, client } = await sandboxWithClient()));
after(() => sb?.stop());

const leads = (n, prefix) =>
  Array.from({ length: n }, (_, i) => ({
    external_id: `${prefix}-${i}`,
    phone: `+3934${String(10000000 + i).padStart(8, "0")}`,
    name: `Lead ${i}`,
  }));

test("upsertAll sends batches, reports progress and sums the counts", async () => {
  const progress = [];
  const items = leads(230, "bulk");
  const r = await client.leads.upsertAll({ campaign_id: 2, items }, { batchSize: 50, concurrency: 3, onProgress: (p) => progress.push(p) });
  assert.equal(r.batches, 5);
  assert.deepEqual([r.created, r.updated, r.failed], [230, 0, 0]);
  assert.deepEqual(r.failedBatches, []);
  assert.equal(progress.length, 5);
  assert.equal(progress.at(-1).itemsDone, 230);
  assert.equal(progress.at(-1).batchesDone, 5);
  const keys = new Set((await sb.requests()).filter((q) => q.path === "/api/v1/leads:upsert").map((q) => q.idempotency_key));
  assert.equal(keys.size, 5, "one idempotency key per batch");
  const again = await client.leads.upsertAll({ campaign_id: 2, items }, { batchSize: 100 });
  assert.deepEqual([again.created, again.updated], [0, 230]);
});

test("a failed batch is returned with its error and key, and can be re-sent alone", async () => {
  await sb.fault({ method: "POST", path: "/api/v1/leads:upsert", kind: "status", status: 400 });
  const items = leads(30, "partial");
  const r = await client.leads.upsertAll({ campaign_id: 3, items }, { batchSize: 10, concurrency: 1 });
  assert.equal(r.created, 20);
  assert.equal(r.failedBatches.length, 1);
  const failed = r.failedBatches[0];
  assert.ok(failed.error instanceof sdk.BadRequestError);
  assert.equal(failed.items.length, 10);
  assert.ok(failed.idempotencyKey);
  const retry = await client.leads.upsert({ campaign_id: 3, items: failed.items }, { idempotencyKey: failed.idempotencyKey });
  assert.equal(retry.created, 10);
});

test("a batch retried after a 503 keeps its key; invalid options are refused; abort stops", async () => {
  await sb.fault({ method: "POST", path: "/api/v1/leads:upsert", kind: "status", status: 503 });
  const before = (await sb.requests()).length;
  const r = await client.leads.upsertAll({ campaign_id: 1, items: leads(5, "retry") }, { batchSize: 5 });
  assert.equal(r.created, 5);
  const sent = (await sb.requests()).slice(before).filter((q) => q.path === "/api/v1/leads:upsert");
  assert.equal(sent.length, 2);
  assert.equal(sent[0].idempotency_key, sent[1].idempotency_key);
  await assert.rejects(client.leads.upsertAll({ campaign_id: 1, items: [] }, { batchSize: 0 }), sdk.RequestValidationError);
  await assert.rejects(client.leads.upsertAll({ campaign_id: 1 }), sdk.RequestValidationError);
  const ac = new AbortController();
  await assert.rejects(
    client.leads.upsertAll({ campaign_id: 1, items: leads(40, "abort") }, { batchSize: 10, concurrency: 1, signal: ac.signal, onProgress: () => ac.abort() }),
    sdk.AbortError,
  );
});

test("an aborted upsertAll rejects only after every batch in flight has ended", async () => {
  // A fetch that, like a real one, hears of an abort a moment later: counts
  // the requests not yet ended. The first answers at once, the others after
  // 500 ms: they are in flight when the first batch's progress aborts.
  let open = 0;
  let calls = 0;
  const slowFetch = (req) => {
    open += 1;
    const delay = ++calls === 1 ? 0 : 500;
    return new Promise((resolve, reject) => {
      const done = (f) => setTimeout(() => ((open -= 1), f()), 5);
      const timer = setTimeout(() => done(() => resolve(fetch(req))), delay);
      req.signal.addEventListener("abort", () => (clearTimeout(timer), done(() => reject(req.signal.reason))), { once: true });
    });
  };
  const c = new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: sb.apiUrl, fetch: slowFetch });
  const ac = new AbortController();
  let openAtAbort;
  await assert.rejects(
    c.leads.upsertAll(
      { campaign_id: 1, items: leads(40, "inflight") },
      { batchSize: 5, concurrency: 4, signal: ac.signal, onProgress: () => ((openAtAbort ??= open), ac.abort()) },
    ),
    sdk.AbortError,
  );
  assert.equal(openAtAbort, 3, "the other three batches were in flight at the abort");
  assert.equal(open, 0, "a batch was still in flight when upsertAll rejected");
});
