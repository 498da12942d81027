// readLeadsCsv and leads.importCsv through the built package against the
// sandbox: every kind of source read alike, column mapping and data columns,
// the rejects CSV, a checkpoint that resumes an aborted run, failed batches.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { sandboxWithClient } from "./support/sandbox.mjs";

let sb, sdk, client;
before(async () => ({ sb, sdk, client } = await sandboxWithClient()));
after(() => sb?.stop());

const phone = (i) => `+3934${String(10000000 + i)}`;
/** A CSV of `n` leads under the given id and phone headers; `bad` rows get an unusable phone. */
const leadsCsv = (n, { id = "id", tel = "phone", prefix = "l", bad = [] } = {}) =>
  `${id},${tel},name,city,notes\n` + Array.from({ length: n }, (_, i) => `${prefix}-${i},${bad.includes(i) ? "call me" : phone(i)},Lead ${i},City ${i % 7},n${i}\n`).join("");

const collect = async (source, options) => {
  const out = { items: [], issues: [], rejects: "", rejected: 0, rowCount: 0, chunks: 0, keys: new Set() };
  for await (const c of sdk.readLeadsCsv(source, options)) {
    out.chunks += 1;
    out.items.push(...c.items);
    out.issues.push(...c.issues);
    out.rejects += c.rejects;
    out.rejected += c.rejected;
    out.rowCount = c.rowCount;
    Object.keys(c).forEach((k) => out.keys.add(k));
  }
  return out;
};

test("readLeadsCsv: text, bytes, a Blob, a ReadableStream and 7-byte pieces read alike", async () => {
  // A BOM, CRLF, a quoted newline and delimiter, a multi-byte character, a bad phone.
  const text = '\uFEFFid,phone,name\r\nl1,+393401234567,"Nicolò, ""il primo""\r\nsecond line"\r\nl2,bad,Zoë\r\nl3,+393401234569,€uro\r\n';
  const bytes = new TextEncoder().encode(text);
  const pieces = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) => bytes.subarray(i * 7, i * 7 + 7));
  const whole = await collect(text);
  assert.deepEqual(whole.items.map((l) => [l.external_id, l.name]), [["l1", 'Nicolò, "il primo"\r\nsecond line'], ["l3", "€uro"]]);
  // Rows are records, as a spreadsheet numbers them: the quoted newline is inside row 2.
  assert.deepEqual(whole.issues.map((i) => [i.code, i.row]), [["invalid_phone", 3]]);
  assert.equal(whole.rowCount, 3);
  assert.deepEqual([...whole.keys].sort(), ["fatal", "issues", "items", "rejected", "rejects", "rowCount", "valid"]);
  for (const source of [bytes, new Blob([bytes]), new Blob([bytes]).stream(), pieces, (async function* () { yield* pieces; })()]) {
    const got = await collect(source);
    assert.deepEqual([got.items, got.issues, got.rejects, got.rowCount], [whole.items, whole.issues, whole.rejects, whole.rowCount]);
  }
  assert.ok((await collect(pieces)).chunks >= 2, "pieces give chunks as rows complete");
  const wrong = await collect(42);
  assert.deepEqual([wrong.issues[0].code, wrong.items.length], ["invalid_type", 0]);
});

test("importCsv: mapped columns, chosen data columns, rejects that import once fixed, one key per batch", async () => {
  const campaign = 2;
  const csv = leadsCsv(2500, { id: "Codice cliente", tel: "Cellulare", prefix: "map", bad: [10, 2000] });
  let rejects = "";
  const progress = [];
  const r = await client.leads.importCsv(new Blob([csv]), {
    campaignId: campaign, map: { external_id: "Codice cliente", phone: "Cellulare" }, data: ["city"],
    onRejects: (text) => void (rejects += text), onProgress: (p) => progress.push(p), // the size comes from the Blob
  });
  assert.deepEqual([r.rows, r.leads, r.sent, r.created, r.updated, r.failed, r.rejected, r.batches], [2500, 2498, 2498, 2498, 0, 0, 2, 3]);
  assert.deepEqual(r.failedBatches, []);
  assert.equal(progress.at(-1).sent, 2498);
  assert.ok(progress.every((p) => p.estimatedLeads > 0 && p.etaMs >= 0), JSON.stringify(progress[0]));
  const lines = rejects.trim().split("\r\n"); // RFC 4180 line ends
  assert.equal(lines[0], "Codice cliente,Cellulare,name,city,notes,_row,_issue");
  assert.deepEqual(lines.slice(1).map((l) => l.split(",").slice(0, 2).join(",") + "," + l.split(",")[5]), ["map-10,call me,12", "map-2000,call me,2002"]);
  const keys = (await sb.requests()).filter((q) => q.path === "/api/v1/leads:upsert").map((q) => q.idempotency_key);
  assert.deepEqual(keys.sort(), [0, 1, 2].map((i) => `${r.runId}.${i}`));
  // The rejects, fixed, import as they are (their own columns ignored).
  const fixed = rejects.replaceAll("call me", "+393409999999").replace("+393409999999", "+393409999998");
  const again = await client.leads.importCsv(fixed, { campaignId: campaign, map: { external_id: "Codice cliente", phone: "Cellulare" }, data: ["city"] });
  assert.deepEqual([again.created, again.rejected], [2, 0]);
});

test("importCsv: an aborted run resumes from its checkpoint and creates each lead once", async () => {
  const csv = leadsCsv(5000, { prefix: "resume" });
  const before = (await client.campaigns.results(3)).rows.length;
  let saved = null;
  const checkpoint = { load: () => saved, save: (s) => void (saved = s) };
  const controller = new AbortController();
  const first = client.leads.importCsv(csv, {
    campaignId: 3, batchSize: 500, concurrency: 2, checkpoint, signal: controller.signal,
    onProgress: (p) => p.batchesDone === 3 && controller.abort(),
  });
  await assert.rejects(first, sdk.AbortError);
  const doneFirst = saved.done.length;
  assert.ok(doneFirst >= 3 && doneFirst < 10, `done after abort: ${saved.done}`);
  const second = await client.leads.importCsv(csv, { campaignId: 3, batchSize: 500, concurrency: 2, checkpoint });
  assert.equal(second.runId, saved.runId);
  assert.equal(second.resumedBatches, doneFirst);
  assert.equal(second.created, 5000, "the checkpoint's counts carry over");
  assert.equal(saved.done.length, 10);
  // Each lead once: the campaign holds 5000 more, and 10 keys were sent, all of this run.
  assert.equal((await client.campaigns.results(3)).rows.length - before, 5000);
  const keys = new Set((await sb.requests()).filter((q) => q.path === "/api/v1/leads:upsert" && q.idempotency_key?.startsWith(saved.runId)).map((q) => q.idempotency_key));
  assert.equal(keys.size, 10);
  // Another campaign or batch size cannot use this checkpoint.
  await assert.rejects(client.leads.importCsv(csv, { campaignId: 3, batchSize: 1000, checkpoint }), sdk.RequestValidationError);
});

test("importCsv: a failing batch is kept with its leads and key; an unknown campaign stops the run", async () => {
  await sb.fault({ method: "POST", path: "/api/v1/leads:upsert", kind: "status", status: 400 });
  const r = await client.leads.importCsv(leadsCsv(30, { prefix: "fail" }), { campaignId: 2, batchSize: 10, concurrency: 1 });
  assert.deepEqual([r.created, r.batches, r.failedBatches.length], [20, 3, 1]);
  const failed = r.failedBatches[0];
  assert.ok(failed.error instanceof sdk.BadRequestError);
  assert.equal(failed.idempotencyKey, `${r.runId}.${failed.index}`);
  assert.deepEqual(failed.items.map((l) => l.external_id), Array.from({ length: 10 }, (_, i) => `fail-${failed.index * 10 + i}`));
  const resent = await client.leads.upsert({ campaign_id: 2, items: failed.items }, { idempotencyKey: failed.idempotencyKey });
  assert.equal(resent.created, 10);
  await assert.rejects(client.leads.importCsv(leadsCsv(5), { campaignId: 999999 }), sdk.NotFoundError);
});
