// Retries, idempotency, timeouts, abort and throttling against injected faults.
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import { sandboxWithClient, startSandbox, KEYS } from "./support/sandbox.mjs";

let sb, sdk, client;
before(async () => ({ sb, sdk, client } = await sandboxWithClient()));
after(() => sb?.stop());
beforeEach(() => sb.reset());

const posts = async (path) => (await sb.requests()).filter((r) => r.method === "POST" && r.path === path);
const countAgents = async () => (await client.agents.list({ limit: 100 }).toArray({ limit: 10000 })).length;

test("a POST retried after a dropped connection creates one object, with one key", async () => {
  const before = await countAgents();
  await sb.fault({ method: "POST", path: "/api/v1/agents", kind: "drop", when: "after" });
  const agent = await client.agents.create({ name: "Dropped once" });
  assert.equal(agent.$meta.attempts, 2);
  assert.equal(await countAgents(), before + 1);
  const sent = await posts("/api/v1/agents");
  assert.equal(sent.length, 2);
  assert.equal(sent[0].idempotency_key, sent[1].idempotency_key);
  assert.equal(sent[0].idempotency_key, agent.$meta.idempotencyKey);
});

test("5xx and 429 are retried, then succeed", async () => {
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "status", status: 503, times: 1 });
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "html502", times: 1 });
  const me = await client.me();
  assert.equal(me.$meta.attempts, 3);
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "rate_limit", retry_after: 1 });
  const t0 = Date.now();
  const again = await client.me();
  assert.equal(again.$meta.attempts, 2);
  assert.ok(Date.now() - t0 >= 900, "waited for Retry-After");
});

test("retries give up after maxRetries with the last error; 0 means one attempt", async () => {
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "status", status: 500, times: 3 });
  await assert.rejects(client.me(), (e) => {
    assert.ok(e instanceof sdk.InternalServerError);
    assert.equal(e.attempts, 3);
    assert.match(e.message, /after 3 attempts/);
    return true;
  });
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "html502", times: 1 });
  await assert.rejects(client.me({ maxRetries: 0 }), (e) => {
    assert.ok(e instanceof sdk.InternalServerError);
    assert.equal(e.status, 502);
    assert.equal(e.detail, "502 Bad Gateway");
    assert.equal(e.attempts, 1);
    return true;
  });
  const noRetry = new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: sb.apiUrl, maxRetries: 0 });
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "status", status: 503 });
  await assert.rejects(noRetry.me(), (e) => e.attempts === 1);
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "status", status: 503 });
  assert.equal((await noRetry.me({ maxRetries: 1 })).$meta.attempts, 2);
});

test("4xx are not retried", async () => {
  await sb.fault({ method: "POST", path: "/api/v1/agents", kind: "status", status: 409 });
  await assert.rejects(client.agents.create({ name: "x" }), (e) => e instanceof sdk.ConflictError && e.attempts === 1);
  assert.equal((await posts("/api/v1/agents")).length, 1);
});

test("a POST without an idempotency key is never re-sent", async () => {
  await sb.fault({ method: "POST", path: "/api/v1/agents", kind: "status", status: 503 });
  await assert.rejects(client.agents.create({ name: "x" }, { idempotencyKey: null }), (e) => {
    assert.ok(e instanceof sdk.InternalServerError);
    assert.equal(e.attempts, 1);
    assert.equal(e.idempotencyKey, undefined);
    return true;
  });
  const sent = await posts("/api/v1/agents");
  assert.equal(sent.length, 1);
  assert.equal(sent[0].idempotency_key, null);
});

test("a long server wait is reported, not slept through", async () => {
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "rate_limit", retry_after: 600 });
  const t0 = Date.now();
  await assert.rejects(client.me(), (e) => {
    assert.ok(e instanceof sdk.RateLimitError);
    assert.equal(e.retryAfterMs, 600000);
    assert.equal(e.rateLimit.remaining, 0);
    return true;
  });
  assert.ok(Date.now() - t0 < 2000);
});

test("malformed success bodies are ApiErrors", async () => {
  await sb.fault({ method: "GET", path: "/api/v1/agents", kind: "malformed" });
  await assert.rejects(client.agents.list(), (e) => {
    assert.equal(e.constructor, sdk.ApiError);
    assert.equal(e.status, 200);
    assert.match(e.message, /not valid JSON/);
    return true;
  });
});

test("timeouts: per attempt, retried, and a total deadline", async () => {
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "delay", delay_ms: 1500, times: 1 });
  const me = await client.me({ timeoutMs: 300 });
  assert.equal(me.$meta.attempts, 2);
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "delay", delay_ms: 1500, times: 5 });
  const t0 = Date.now();
  await assert.rejects(client.me({ timeoutMs: 300, deadlineMs: 700, maxRetries: 5 }), (e) => {
    assert.ok(e instanceof sdk.TimeoutError && e instanceof sdk.ConnectionError);
    assert.match(e.message, /deadline of 700 ms/);
    return true;
  });
  assert.ok(Date.now() - t0 < 1500);
  await sb.reset();
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "delay", delay_ms: 1500 });
  await assert.rejects(client.me({ timeoutMs: 200, maxRetries: 0 }), (e) => e instanceof sdk.TimeoutError && /200 ms/.test(e.message));
});

test("abort: before sending, during a request, during a backoff sleep", async () => {
  const before = (await sb.requests()).length;
  await assert.rejects(client.me({ signal: AbortSignal.abort() }), sdk.AbortError);
  assert.equal((await sb.requests()).length, before);

  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "delay", delay_ms: 3000 });
  let ac = new AbortController();
  setTimeout(() => ac.abort(), 100);
  let t0 = Date.now();
  await assert.rejects(client.me({ signal: ac.signal }), (e) => e instanceof sdk.AbortError && e.name === "AbortError");
  assert.ok(Date.now() - t0 < 1000);

  await sb.reset();
  await sb.fault({ method: "POST", path: "/api/v1/agents", kind: "rate_limit", retry_after: 30 });
  ac = new AbortController();
  setTimeout(() => ac.abort(), 200);
  t0 = Date.now();
  await assert.rejects(client.agents.create({ name: "x" }, { signal: ac.signal }), (e) => {
    assert.ok(e instanceof sdk.AbortError);
    assert.equal(e.attempts, 1);
    assert.ok(e.idempotencyKey);
    return true;
  });
  assert.ok(Date.now() - t0 < 1000);
});

test("connection errors are ConnectionErrors with a cause", async () => {
  const dead = new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: "http://127.0.0.1:9/api/v1", maxRetries: 1 });
  await assert.rejects(dead.me(), (e) => {
    assert.ok(e instanceof sdk.ConnectionError && !(e instanceof sdk.TimeoutError));
    assert.equal(e.attempts, 2);
    assert.ok(e.cause);
    assert.ok(!e.message.includes(KEYS.all));
    return true;
  });
});

test("throttling: with Remaining 0 the next request waits instead of earning a 429", async () => {
  const key = KEYS.readOnly; // its own rate-limit bucket
  await sb.config({ rpm: 2 });
  try {
    const c = new sdk.Agoralia({ apiKey: key, baseUrl: sb.apiUrl });
    await c.me();
    const second = await c.me();
    assert.equal(second.$meta.rateLimit.remaining, 0);
    const ac = new AbortController();
    const third = c.me({ signal: ac.signal });
    await new Promise((r) => setTimeout(r, 600));
    const sent = (await sb.requests()).filter((r) => r.path === "/api/v1/me");
    assert.equal(sent.length, 2, "the third request is held back");
    ac.abort();
    await assert.rejects(third, sdk.AbortError);

    const eager = new sdk.Agoralia({ apiKey: key, baseUrl: sb.apiUrl, throttle: false, maxRetries: 0 });
    await assert.rejects(eager.me(), (e) => e instanceof sdk.RateLimitError && e.status === 429 && e.retryAfterMs > 0);
  } finally {
    await sb.config({ rpm: 100000 });
  }
});

test("onRetry sees each retry with what failed, never the key; a throwing hook does not break the call", async () => {
  const seen = [];
  const c = new sdk.Agoralia({
    apiKey: KEYS.all,
    baseUrl: sb.apiUrl,
    onRetry: (info) => {
      seen.push(info);
      throw new Error("hook bug");
    },
  });
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "status", status: 503, times: 2 });
  const me = await c.me();
  assert.equal(me.$meta.attempts, 3);
  assert.equal(seen.length, 2);
  seen.forEach((info, i) => {
    assert.equal(info.attempt, i + 1);
    assert.equal(info.reason, "status");
    assert.equal(info.status, 503);
    assert.equal(info.method, "GET");
    assert.equal(info.url, `${sb.apiUrl}/me`);
    assert.equal(info.idempotencyKey, null);
    assert.ok(typeof info.delayMs === "number" && info.delayMs >= 0);
    assert.ok(!JSON.stringify(info).includes(KEYS.all));
  });
  // The call's own hook replaces the client's.
  const own = [];
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "status", status: 503, times: 1 });
  await c.me({ onRetry: (info) => own.push(info.attempt) });
  assert.deepEqual(own, [1]);
  assert.equal(seen.length, 2);
});

test("a used-up daily quota (rpd) is a RateLimitError at once, not a wait of hours", async () => {
  const daily = await startSandbox({ rpd: 2 });
  try {
    const c = new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: daily.apiUrl });
    await c.me();
    await c.me();
    const started = Date.now();
    await assert.rejects(c.me(), (e) => {
      assert.ok(e instanceof sdk.RateLimitError, e.name);
      assert.ok(e.retryAfterMs > 60_000, `retryAfterMs ${e.retryAfterMs}`);
      assert.equal(e.attempts, 1);
      return true;
    });
    assert.ok(Date.now() - started < 5_000, "no client-side wait for a day-long reset");
  } finally {
    await daily.stop();
  }
});
