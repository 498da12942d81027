// The soak workload, run by tests/soak/soak.test.mjs in Node 18/20/22/24, Deno
// and Bun from a project where the packed tarball is installed:
//
//   <runtime> workload.mjs <sandbox origin> <rounds> [leak]
//
// First the concurrency checks, then `rounds` rounds of every kind of call with
// a full GC after each. Prints one JSON line per phase on stdout (the driver
// reads them); anything unexpected throws, and the exit code says so. `leak`
// keeps one small object per call alive, to prove the driver's memory bound
// catches a leak that small.
import * as sdk from "agoralia";

const args = globalThis.Deno ? Deno.args : process.argv.slice(2);
const [origin, roundsArg, mode] = args;
const ROUNDS = Number(roundsArg);
const KEY = "ago_SandboxAllScopes0000000000000001";
const apiUrl = `${origin}/api/v1`;

const fullGc = globalThis.Bun ? () => Bun.gc(true) : globalThis.gc;
if (typeof fullGc !== "function") throw new Error("no full GC: run Node and Deno with --expose-gc");
const heapUsed = () => (globalThis.Deno ? Deno.memoryUsage() : process.memoryUsage()).heapUsed;
const print = (o) => console.log(JSON.stringify(o));

let unhandled = 0;
if (globalThis.Deno) {
  globalThis.addEventListener("unhandledrejection", (e) => {
    e.preventDefault();
    unhandled += 1;
  });
} else {
  process.on("unhandledRejection", () => (unhandled += 1));
}

const leaked = [];
let calls = 0;
// Every SDK call goes through here: counted, and in leak mode one object kept.
const counted = (p) => {
  calls += 1;
  if (mode === "leak") leaked.push({ call: calls });
  return p;
};

async function rejectsWith(promise, ErrorClass, what) {
  try {
    await promise;
  } catch (e) {
    if (e instanceof ErrorClass) return e;
    throw new Error(`${what}: expected ${ErrorClass.name}, got ${e?.name}: ${e?.message}`);
  }
  throw new Error(`${what}: expected ${ErrorClass.name}, got a result`);
}

async function admin(path, body) {
  const res = await fetch(origin + path, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}
const fault = (f) => admin("/__sandbox/faults", f);
const upsertsLogged = async () => (await admin("/__sandbox/requests")).requests.filter((r) => r.path.endsWith("/leads:upsert")).length;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const lead = (i) => ({ external_id: `soak-${i}`, phone: `+3934${String(i).padStart(8, "0")}`, name: `Lead ${i}`, data: { city: "Milano" } });
const leads = (n) => Array.from({ length: n }, (_, i) => lead(i));
const validCampaign = {
  name: "Soak",
  purpose: "qualification",
  agent_ref_id: 1,
  extraction_schema: { type: "object", properties: { interested: { type: "boolean" }, budget: { type: "number" } }, required: ["interested"] },
  display_columns: ["name", "phone", "interested"],
};
const bigLeads = { campaign_id: 1, items: leads(1000) }; // a full batch
const bigLeadsText = JSON.stringify({ campaign_id: 1, items: leads(12000) }); // about 1 MB
const csvText = "external_id,phone,name\n" + leads(2000).map((l) => `${l.external_id},${l.phone},${l.name}`).join("\n");

const client = new sdk.Agoralia({ apiKey: KEY, baseUrl: apiUrl });

async function concurrency() {
  const t0 = performance.now();
  // Thousands of calls in flight on one client.
  const many = await Promise.allSettled(Array.from({ length: 3000 }, () => counted(client.me())));
  const manyFailed = many.filter((r) => r.status !== "fulfilled");
  if (manyFailed.length) throw new Error(`3000 concurrent me(): ${manyFailed.length} failed, first: ${manyFailed[0].reason?.message}`);
  // Many clients in one process, each with calls in flight.
  const clients = Array.from({ length: 50 }, () => new sdk.Agoralia({ apiKey: KEY, baseUrl: apiUrl }));
  const each = await Promise.allSettled(clients.flatMap((c) => Array.from({ length: 40 }, () => counted(c.me()))));
  const eachFailed = each.filter((r) => r.status !== "fulfilled");
  if (eachFailed.length) throw new Error(`50 clients x 40 me(): ${eachFailed.length} failed, first: ${eachFailed[0].reason?.message}`);
  // An upsertAll cancelled half-way: it rejects with AbortError, and after it
  // no request of it reaches the server.
  const before = await upsertsLogged();
  const ac = new AbortController();
  const cancelled = counted(
    client.leads.upsertAll(
      { campaign_id: 1, items: leads(2000) },
      { batchSize: 50, concurrency: 4, signal: ac.signal, onProgress: (p) => p.batchesDone === 20 && ac.abort() },
    ),
  );
  await rejectsWith(cancelled, sdk.AbortError, "cancelled upsertAll");
  const atReject = await upsertsLogged();
  await sleep(300);
  const later = await upsertsLogged();
  if (later !== atReject) throw new Error(`cancelled upsertAll: ${later - atReject} upsert requests arrived after it rejected`);
  const sent = atReject - before;
  if (sent < 20 || sent >= 40) throw new Error(`cancelled upsertAll sent ${sent} batches of 40, expected about half`);
  await sleep(50);
  if (unhandled) throw new Error(`${unhandled} unhandled rejections`);
  print({ phase: "concurrency", ms: Math.round(performance.now() - t0), upsertBatchesSent: sent });
}

async function round() {
  // Success.
  for (let i = 0; i < 1000; i++) await counted(client.me());
  // 4xx: 404 from the server, and 422 with client validation off.
  for (let i = 0; i < 200; i++) await rejectsWith(counted(client.campaigns.results(999999 + i)), sdk.NotFoundError, "results of a missing campaign");
  for (let i = 0; i < 20; i++) {
    await rejectsWith(counted(client.campaigns.create({ name: "" }, { validate: false })), sdk.UnprocessableEntityError, "server-side 422");
  }
  // 5xx, retried (Retry-After: 0), and with retries off.
  for (let i = 0; i < 50; i++) {
    await fault({ method: "GET", path: "/api/v1/me", kind: "status", status: 503, retry_after: 0 });
    const me = await counted(client.me());
    if (me.$meta.attempts !== 2) throw new Error(`a 503 then a 200: ${me.$meta.attempts} attempts`);
  }
  for (let i = 0; i < 20; i++) {
    await fault({ method: "GET", path: "/api/v1/me", kind: "status", status: 503, retry_after: 0 });
    await rejectsWith(counted(client.me({ maxRetries: 0 })), sdk.InternalServerError, "a 503 with retries off");
  }
  // Aborts: in flight, and before sending.
  for (let i = 0; i < 50; i++) {
    const ac = new AbortController();
    const p = counted(client.me({ signal: ac.signal }));
    ac.abort();
    await rejectsWith(p, sdk.AbortError, "an aborted me()");
  }
  const aborted = AbortSignal.abort();
  for (let i = 0; i < 50; i++) await rejectsWith(counted(client.me({ signal: aborted })), sdk.AbortError, "a pre-aborted me()");
  // Timeouts.
  for (let i = 0; i < 10; i++) {
    await fault({ method: "GET", path: "/api/v1/agents", kind: "delay", delay_ms: 3000 });
    await rejectsWith(counted(client.agents.list({}, { timeoutMs: 20, maxRetries: 0 })), sdk.TimeoutError, "a timed-out list");
  }
  // Pagination: every call, 10 a page.
  for (let i = 0; i < 5; i++) {
    let n = 0;
    for await (const _ of counted(client.calls.list({ limit: 10 }))) n += 1;
    if (n !== 45) throw new Error(`walked ${n} calls, expected the 45 of the seed`);
  }
  // upsertAll: the same 500 leads again, updated.
  const up = await counted(client.leads.upsertAll({ campaign_id: 1, items: leads(500) }, { batchSize: 100, concurrency: 2 }));
  if (up.created + up.updated !== 500 || up.failedBatches.length) throw new Error(`upsertAll: ${JSON.stringify(up)}`);
  // Validation: small and large inputs.
  for (let i = 0; i < 300; i++) if (!counted(sdk.validateCampaign(validCampaign)).valid) throw new Error("a valid campaign refused");
  for (let i = 0; i < 100; i++) if (counted(sdk.validateCampaign({ ...validCampaign, purpose: "nope" })).valid) throw new Error("an invalid campaign passed");
  for (let i = 0; i < 5; i++) if (!counted(sdk.validateLeads(bigLeads)).valid) throw new Error("1000 valid leads refused");
  for (let i = 0; i < 2; i++) {
    const r = counted(sdk.validateJsonText("leads", bigLeadsText));
    if (r.valid || r.issues.length !== 1) throw new Error(`12000 leads in one text: ${r.issues.length} issues`); // over the batch limit of 1000
  }
  const csv = counted(sdk.parseLeadsCsv(csvText));
  if (csv.items.length !== 2000) throw new Error(`parseLeadsCsv: ${csv.items.length} items`);
}

async function main() {
  await concurrency();
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await round();
    fullGc();
    await sleep(0);
    fullGc();
    print({ phase: "round", round: r, calls, heap: heapUsed(), wasm: sdk.wasmMemoryBytes(), ms: Math.round(performance.now() - t0) });
  }
  if (unhandled) throw new Error(`${unhandled} unhandled rejections`);
  print({ phase: "done", calls, leaked: leaked.length });
}

// Not a bare top-level `await main()`: Deno hands a rejected top-level await
// to the "unhandledrejection" listeners, and the one above cancels it
// (preventDefault), so a failed check would end the run with code 0 and no
// word of it. Said and exited with here instead, the same on every runtime.
try {
  await main();
} catch (e) {
  console.error(e);
  if (globalThis.Deno) Deno.exitCode = 1;
  else process.exitCode = 1;
}
