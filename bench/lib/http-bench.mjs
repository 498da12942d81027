// Request overhead (SDK call vs bare fetch over loopback, interleaved) and bulk
// throughput (leads.upsertAll under a low rate limit vs the physical limit).
import * as D from "./data.mjs";
import { interleave, summary } from "./stats.mjs";

export const KEY = "ago_SandboxAllScopes0000000000000001";

/** `baselineMod`: another build of the package, measured in the same rounds as `before`. */
export async function requestOverhead(sdkMod, has, sb, { rounds, baselineMod = null }) {
  const client = new sdkMod.Agoralia({ apiKey: KEY, baseUrl: sb.apiUrl });
  const old = baselineMod && new baselineMod.Agoralia({ apiKey: KEY, baseUrl: sb.apiUrl });
  const headers = { "X-API-Key": KEY, accept: "application/json" };
  // Two more yardsticks, run in the same rounds (no goal): a bare fetch with an
  // AbortSignal, the part of the overhead any per-attempt timeout costs in
  // undici; and openai-node's own client (its generic get of the same URL),
  // what a user of another SDK pays for retries, timeouts and headers.
  const { default: OpenAI } = await import("openai");
  const openai = new OpenAI({ apiKey: KEY, baseURL: sb.apiUrl, defaultHeaders: { "X-API-Key": KEY } });
  const bare = async (url, signal) => {
    const r = await fetch(url, signal ? { headers, signal } : { headers });
    if (!r.ok) throw new Error(String(r.status));
    return r.json();
  };
  const pairs = {};
  // GET /me: every version of the SDK has it.
  pairs.me = {
    ours: () => client.me(),
    base: () => bare(`${sb.apiUrl}/me`),
    signal: () => bare(`${sb.apiUrl}/me`, new AbortController().signal),
    openai: () => openai.get("/me"),
    ...(old ? { before: () => old.me() } : {}),
  };
  if (has.campaignsList) {
    pairs.list = {
      ours: async () => await client.campaigns.list({ limit: 20 }),
      base: () => bare(`${sb.apiUrl}/campaigns?limit=20`),
      signal: () => bare(`${sb.apiUrl}/campaigns?limit=20`, new AbortController().signal),
      openai: () => openai.get("/campaigns", { query: { limit: 20 } }),
      ...(old ? { before: async () => await old.campaigns.list({ limit: 20 }) } : {}),
    };
  }
  const out = {};
  for (const [name, p] of Object.entries(pairs)) {
    const r = await interleave(p, { rounds, warmup: 20 });
    out[name] = Object.fromEntries(Object.entries(r).map(([k, xs]) => [k, summary(xs)]));
  }
  return out;
}

/**
 * Bulk: `n` leads through leads.upsertAll with the key's limit set to `rpm`.
 * The sandbox has fixed 60 s windows starting at a window's first request, so
 * the physical limit for R requests is (ceil(R / rpm) - 1) * 60 s (plus the
 * last window's own transfer time, which the unthrottled run measures).
 */
export async function bulk(sdkMod, has, sb, { n, batchSize, rpm }) {
  const items = D.leads(n).map((l, i) => ({ ...l, external_id: `bulk-${i}`, phone: "+39340" + String(1000000 + i) }));
  const campaignId = 1;
  const run = async (label) => {
    await sb.reset();
    await sb.config({ rpm, ip_rpm: 1000000 });
    let thrown429 = 0, thrownOther = null, res = null;
    const t0 = performance.now();
    try {
      res = await callUpsertAll(sdkMod, sb, campaignId, items, batchSize);
    } catch (e) {
      if (e?.status === 429) thrown429++;
      else thrownOther = String(e?.message ?? e);
    }
    const ms = performance.now() - t0;
    const log = (await sb.requests()).filter((r) => r.path.includes("leads"));
    // A 429 "reaches the caller" when it is thrown or comes back as a failed batch.
    const failed = res?.failedBatches ?? [];
    const failed429 = failed.filter((b) => b.error?.status === 429).length;
    if (failed.length > failed429 && !thrownOther) thrownOther = `${failed.length - failed429} failed batches: ${failed[0].error?.message}`;
    return {
      label, ms, thrown429: thrown429 + failed429, thrownOther, requests: log.length, server429: log.filter((r) => r.status === 429).length,
      created: res?.created, updated: res?.updated, failedItems: res?.failed,
    };
  };
  // The unthrottled baseline: bare fetch of the same batches in sequence.
  const bareFetch = async () => {
    await sb.reset();
    await sb.config({ rpm: 1000000, ip_rpm: 1000000 });
    const t0 = performance.now();
    for (let i = 0; i < items.length; i += batchSize) {
      const r = await fetch(`${sb.apiUrl}/leads:upsert`, {
        method: "POST",
        headers: { "X-API-Key": KEY, "content-type": "application/json" },
        body: JSON.stringify({ campaign_id: campaignId, items: items.slice(i, i + batchSize) }),
      });
      if (!r.ok) throw new Error(`bare fetch upsert: ${r.status}`);
      await r.json();
    }
    return performance.now() - t0;
  };
  const requests = Math.ceil(n / batchSize);
  const physicalMs = (Math.ceil(requests / rpm) - 1) * 60000;
  const bare = await bareFetch();
  if (!has.upsertAll) return { requests, physicalMs, bareMs: bare, sdk: null };
  const saved = rpm;
  rpm = 1000000;
  const fast = await run("unthrottled");
  rpm = saved;
  const slow = await run("throttled");
  return { requests, physicalMs, bareMs: bare, fast, slow };
}

/** leads.upsertAll(body, { batchSize }): the SDK's own throttle and retries, default concurrency. */
async function callUpsertAll(sdkMod, sb, campaignId, items, batchSize) {
  const client = new sdkMod.Agoralia({ apiKey: KEY, baseUrl: sb.apiUrl });
  return client.leads.upsertAll({ campaign_id: campaignId, items }, { batchSize });
}
