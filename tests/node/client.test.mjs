// The SDK client against a running sandbox: every endpoint, pagination to the
// end, each error class, metadata on results, and the safety rules.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { inspect } from "node:util";
import { sandboxWithClient, KEYS } from "./support/sandbox.mjs";

let sb, sdk, client;
before(async () => ({ sb, sdk, client } = await sandboxWithClient()));
after(() => sb?.stop());

const campaignBody = (name = "Q1 Sales Campaign") => ({
  name,
  purpose: "quote_request",
  agent_ref_id: 1,
  extraction_schema: { type: "object", properties: { quote_amount: { type: "number" } } },
  display_columns: ["quote_amount"],
});

test("me() returns the workspace with its metadata out of the way", async () => {
  const me = await client.me();
  assert.equal(me.workspace_name, "Sandbox Workspace");
  assert.ok(me.api_key_scopes.includes("agents:write"));
  assert.equal(me.$meta.status, 200);
  assert.equal(me.$meta.attempts, 1);
  assert.equal(typeof me.$meta.rateLimit.remaining, "number");
  assert.equal(me.$meta.idempotencyKey, null);
  assert.ok(!Object.keys(me).includes("$meta"));
  assert.ok(!JSON.stringify(me).includes("$meta"));
  assert.equal(sdk.getMeta(me), me.$meta);
});

test("agents: create then find it by walking every page", async () => {
  const agent = await client.agents.create({ name: "Support", lang: "en-US", voice_engine: "retell" });
  assert.equal(agent.name, "Support");
  assert.equal(agent.$meta.status, 201);
  assert.match(agent.$meta.idempotencyKey, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  const first = await client.agents.list({ limit: 1 });
  assert.equal(first.items.length, 1);
  assert.notEqual(first.next_cursor, null);
  const all = [];
  for await (const a of client.agents.list({ limit: 1 })) all.push(a);
  assert.ok(all.some((a) => a.id === agent.id));
  assert.equal(new Set(all.map((a) => a.id)).size, all.length);
});

test("a caller's idempotency key is sent and replays the same result", async () => {
  const key = "my-key-" + Date.now();
  const a = await client.agents.create({ name: "Once" }, { idempotencyKey: key });
  const b = await client.agents.create({ name: "Once" }, { idempotencyKey: key });
  assert.equal(a.id, b.id);
  assert.equal(b.$meta.idempotencyKey, key);
  await assert.rejects(client.agents.create({ name: "Other body" }, { idempotencyKey: key }), (e) => {
    assert.ok(e instanceof sdk.ConflictError);
    assert.equal(e.status, 409);
    assert.equal(e.idempotencyKey, key);
    return true;
  });
});

test("campaigns: create, list, start, results", async () => {
  const c = await client.campaigns.create(campaignBody());
  assert.equal(c.status, "draft");
  const page = await client.campaigns.list({ limit: 100 });
  assert.ok(page.items.some((x) => x.id === c.id));
  const proposal = await client.campaigns.start(c.id);
  assert.equal(typeof proposal.proposal_id, "string");
  assert.equal(proposal.requires_confirmation, true);
  assert.ok(proposal.$meta.idempotencyKey);
  const results = await client.campaigns.results(1);
  assert.ok(Array.isArray(results.display_columns) && results.display_columns.every((d) => d.name && d.label));
  assert.ok(Array.isArray(results.rows));
});

test("leads: upsert creates then updates by external_id", async () => {
  const items = [{ external_id: "t-1", phone: "+393401234567", name: "John Doe", data: { company: "Acme" } }];
  const first = await client.leads.upsert({ campaign_id: 1, items });
  assert.deepEqual([first.created, first.updated, first.failed], [1, 0, 0]);
  const second = await client.leads.upsert({ campaign_id: 1, items });
  assert.deepEqual([second.created, second.updated, second.failed], [0, 1, 0]);
});

test("calls: pages to the end, filtered, as pages and capped arrays", async () => {
  const ids = [];
  for await (const call of client.calls.list({ limit: 10 })) ids.push(call.id);
  assert.ok(ids.length >= 45);
  assert.equal(new Set(ids).size, ids.length);
  let pages = 0;
  for await (const page of client.calls.list({ limit: 10 }).pages()) {
    pages++;
    assert.ok(page.items.length <= 10);
  }
  assert.equal(pages, Math.ceil(ids.length / 10));
  const filtered = await client.calls.list({ campaign_id: 1, limit: 100 });
  assert.ok(filtered.items.length > 0 && filtered.items.length < ids.length);
  const twelve = await client.calls.list({ limit: 5 }).toArray({ limit: 12 });
  assert.equal(twelve.length, 12);
  await assert.rejects(client.calls.list().toArray(), sdk.RequestValidationError);
});

test("pagination stops on abort", async () => {
  const ac = new AbortController();
  const seen = [];
  await assert.rejects(
    (async () => {
      for await (const call of client.calls.list({ limit: 5 }, { signal: ac.signal })) {
        seen.push(call);
        if (seen.length === 7) ac.abort();
      }
    })(),
    sdk.AbortError,
  );
  assert.equal(seen.length, 7);
});

test("bad list parameters are refused before any request", async () => {
  const before = (await sb.requests()).length;
  await assert.rejects(client.agents.list({ limit: 0 }), sdk.RequestValidationError);
  await assert.rejects(client.agents.list({ limit: 101 }).toArray({ limit: 5 }), sdk.RequestValidationError);
  await assert.rejects(client.agents.list({ limit: 500 }, { validate: false }), (e) => {
    assert.ok(e instanceof sdk.RequestValidationError); // the core refuses it too
    assert.deepEqual(e.issues[0].path, ["limit"]);
    return true;
  });
  assert.equal((await sb.requests()).length, before);
});

test("a call's own options and ids of the wrong type are refused by name, before any request", async () => {
  const before = (await sb.requests()).length;
  const refused = async (call, field) =>
    assert.rejects(call(), (e) => {
      assert.ok(e instanceof sdk.RequestValidationError, `${field}: ${e}`);
      assert.deepEqual(e.issues[0].path, [field]);
      return true;
    });
  await refused(() => client.me({ maxRetries: "3" }), "maxRetries");
  await refused(() => client.me({ maxRetries: 3n }), "maxRetries"); // a BigInt, which JSON cannot carry
  await refused(() => client.me({ maxRetries: 1.5 }), "maxRetries");
  await refused(() => client.me({ timeoutMs: true }), "timeoutMs");
  await refused(() => client.me({ timeoutMs: -1 }), "timeoutMs");
  await refused(() => client.me({ deadlineMs: {} }), "deadlineMs");
  await refused(() => client.campaigns.start(true), "campaign_id");
  await refused(() => client.campaigns.start(NaN), "campaign_id");
  await refused(() => client.campaigns.results(7n), "campaign_id");
  await refused(() => client.me({ maxRetries: Symbol("3") }), "maxRetries");
  await refused(() => client.campaigns.results(""), "campaign_id");
  await refused(() => client.campaigns.start(5, { idempotencyKey: 5 }), "idempotencyKey");
  await refused(() => client.campaigns.start(5, { idempotencyKey: "a b" }), "idempotencyKey");
  await refused(() => client.calls.list({ campaign_id: true }, { validate: false }), "campaign_id");
  await refused(() => client.calls.list({ cursor: [1] }, { validate: false }), "cursor");
  await refused(() => client.agents.list({ limit: "many" }, { validate: false }), "limit");
  assert.equal((await sb.requests()).length, before);
  // Numbers stand for ids and cursors as their text; a non-finite option is absent, as in JSON.
  assert.equal((await client.campaigns.results(123456, { maxRetries: 0 }).catch((e) => e)).status, 404);
  assert.ok(Array.isArray((await client.me({ timeoutMs: Infinity })).api_key_scopes));
  assert.ok(Array.isArray((await client.me({ maxRetries: null, deadlineMs: undefined })).api_key_scopes));
});

test("a path id that is empty or a dot segment, in any spelling, is refused before any request", async () => {
  // ".." would send POST /api/v1/start and "." POST /api/v1/campaigns/start:
  // the URL resolves dot segments, and WHATWG URL reads %2e as a dot.
  const ids = ["", ".", "..", "%2e", "%2E", ".%2e", "%2E.", "%2e%2E", "%2E%2e"];
  const before = (await sb.requests()).length;
  for (const op of ["start", "results"]) {
    for (const id of ids) {
      await assert.rejects(client.campaigns[op](id, { maxRetries: 0 }), (e) => {
        assert.ok(e instanceof sdk.RequestValidationError, `${op}(${JSON.stringify(id)}): ${e}`);
        assert.deepEqual(e.issues[0].path, ["campaign_id"]);
        assert.match(e.message, /^Invalid request: campaign_id must not be/);
        return true;
      });
    }
  }
  assert.deepEqual((await sb.requests()).slice(before), [], "nothing reached the sandbox");
  // Three dots are an ordinary segment: sent, and the sandbox knows no such campaign.
  const e = await client.campaigns.results("...", { maxRetries: 0 }).catch((x) => x);
  assert.ok(e instanceof sdk.ApiError && !(e instanceof sdk.RequestValidationError), String(e));
  assert.deepEqual((await sb.requests()).slice(before).map((r) => r.path), ["/api/v1/campaigns/.../results"]);
});

test("client-side validation blocks an invalid body; validate:false lets the server answer 422", async () => {
  const before = (await sb.requests()).length;
  await assert.rejects(client.campaigns.create({ name: "" }), (e) => {
    assert.ok(e instanceof sdk.RequestValidationError && e instanceof sdk.AgoraliaError);
    assert.ok(e.issues.length > 0);
    return true;
  });
  assert.equal((await sb.requests()).length, before);
  await assert.rejects(client.campaigns.create({ name: "x" }, { validate: false }), (e) => {
    assert.ok(e instanceof sdk.UnprocessableEntityError);
    assert.equal(e.status, 422);
    assert.ok(e.issues.length > 0);
    assert.ok(e.issues.every((i) => Array.isArray(i.path) && i.path[0] !== "body" && i.code && i.message));
    assert.ok(e.issues.some((i) => i.path[0] === "purpose"));
    return true;
  });
});

test("each status maps to its error class with the server's detail", async () => {
  await assert.rejects(client.campaigns.results(999999), (e) => {
    assert.ok(e instanceof sdk.NotFoundError && e instanceof sdk.ApiError && e instanceof sdk.AgoraliaError);
    assert.equal(e.name, "NotFoundError");
    assert.equal(e.code, "not_found");
    assert.equal(typeof e.detail, "string");
    assert.equal(e.attempts, 1);
    assert.equal(typeof e.headers, "object");
    assert.ok(e.rateLimit);
    return true;
  });
  const readOnly = new sdk.Agoralia({ apiKey: KEYS.readOnly, baseUrl: sb.apiUrl });
  await assert.rejects(readOnly.agents.create({ name: "No" }), (e) => {
    assert.ok(e instanceof sdk.PermissionDeniedError);
    assert.equal(e.requiredScope, "agents:write");
    assert.ok(e.idempotencyKey);
    return true;
  });
  for (const key of [KEYS.expired, KEYS.revoked]) {
    const c = new sdk.Agoralia({ apiKey: key, baseUrl: sb.apiUrl });
    await assert.rejects(c.me(), (e) => e instanceof sdk.AuthenticationError && e.status === 401 && !e.message.includes(key));
  }
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "status", status: 400 });
  await assert.rejects(client.me(), sdk.BadRequestError);
});

test("each ApiError subclass carries the one status its type names (InternalServerError: the 5xx)", async () => {
  const classes = { 400: "BadRequestError", 401: "AuthenticationError", 403: "PermissionDeniedError", 404: "NotFoundError",
    409: "ConflictError", 422: "UnprocessableEntityError", 429: "RateLimitError", 503: "InternalServerError" };
  for (const [status, name] of Object.entries(classes)) {
    await sb.fault({ method: "GET", path: "/api/v1/me", kind: "status", status: Number(status) });
    const e = await client.me({ maxRetries: 0 }).catch((x) => x);
    assert.ok(e instanceof sdk[name], `${status}: ${e}`);
    assert.equal(e.status, Number(status));
    // Built by hand, a class keeps its own status whatever the metadata says.
    const byHand = new sdk[name]("x", {}, { status: 418 });
    assert.equal(byHand.status, name === "InternalServerError" ? 418 : Number(status));
  }
  assert.equal(new sdk.NotFoundError("x").status, 404);
  assert.equal(new sdk.InternalServerError("x").status, 500);
  assert.equal(new sdk.ApiError("x").status, undefined);
});

test("the key never appears in errors, messages or the client object", async () => {
  const c = new sdk.Agoralia({ apiKey: KEYS.expired, baseUrl: sb.apiUrl });
  const err = await c.me().catch((e) => e);
  for (const text of [err.message, err.stack, JSON.stringify(err), inspect(err, { depth: 5, showHidden: true }), inspect(c, { showHidden: true })]) {
    assert.ok(!String(text).includes(KEYS.expired));
  }
  const bad = "ago_" + "x".repeat(31) + "!";
  assert.throws(() => new sdk.Agoralia({ apiKey: bad, baseUrl: sb.apiUrl }), (e) => {
    assert.ok(e instanceof sdk.ConfigurationError && e instanceof sdk.AgoraliaError);
    assert.match(e.message, /ago_/);
    assert.ok(!e.message.includes(bad));
    return true;
  });
});

test("configuration rules: http only on loopback, a key or a proxy, browser opt-in", () => {
  assert.throws(() => new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: "http://api.example.com/api/v1" }), /loopback/);
  assert.throws(() => new sdk.Agoralia({}), sdk.ConfigurationError);
  assert.throws(() => new sdk.Agoralia({ apiKey: KEYS.all, maxRetries: 99 }), sdk.ConfigurationError);
  assert.throws(() => new sdk.Agoralia({ apiKey: KEYS.all, headers: { "X-API-Key": "x" } }), sdk.ConfigurationError);
  new sdk.Agoralia({ baseUrl: "https://my-backend.example.com/agoralia" }); // proxy mode: no key needed
  const saved = { window: globalThis.window, document: globalThis.document, navigator: globalThis.navigator };
  Object.assign(globalThis, { window: {}, document: {} });
  if (!globalThis.navigator) globalThis.navigator = {};
  try {
    assert.throws(() => new sdk.Agoralia({ apiKey: KEYS.all }), /dangerouslyAllowBrowser/);
    new sdk.Agoralia({ apiKey: KEYS.all, dangerouslyAllowBrowser: true });
    new sdk.Agoralia({ baseUrl: "https://my-backend.example.com/agoralia" });
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete globalThis[k];
      else globalThis[k] = v;
    }
  }
});

test("custom fetch and headers are used; a fetch returning junk is a ConnectionError", async () => {
  const seen = [];
  const c = new sdk.Agoralia({
    apiKey: KEYS.all,
    baseUrl: sb.apiUrl,
    headers: { "X-Trace": "t-42" },
    fetch: (req) => {
      seen.push([req.method, req.url, req.headers.get("x-trace")]);
      return fetch(req);
    },
  });
  await c.me();
  assert.deepEqual(seen, [["GET", `${sb.apiUrl}/me`, "t-42"]]);
  const junk = new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: sb.apiUrl, maxRetries: 0, fetch: async () => ({ nope: true }) });
  await assert.rejects(junk.me(), (e) => e instanceof sdk.ConnectionError && /Response/.test(e.message));
});

test("the global fetch is looked up at each call: a replaced one is used, a missing one is named", async () => {
  const c = new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: sb.apiUrl, maxRetries: 0 });
  const real = globalThis.fetch;
  const urls = [];
  try {
    globalThis.fetch = (url, init) => { urls.push(String(url)); return real(url, init); };
    assert.equal((await c.me()).workspace_name, "Sandbox Workspace");
    assert.deepEqual(urls, [`${sb.apiUrl}/me`]);
    for (const missing of [undefined, 42]) {
      if (missing === undefined) delete globalThis.fetch;
      else globalThis.fetch = missing;
      await assert.rejects(c.me(), (e) => e instanceof sdk.ConnectionError && /no global fetch: pass the `fetch` option/.test(e.message));
    }
  } finally {
    globalThis.fetch = real;
  }
  assert.equal((await c.me()).workspace_name, "Sandbox Workspace");
});

test("huge or garbage error bodies give typed errors quickly, and the module keeps working", async () => {
  const answering = (status, body) => new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: sb.apiUrl, maxRetries: 0, fetch: async () => new Response(body, { status }) });
  // 200 MB of valid JSON once exhausted the wasm heap (a trap): only the first MiB is read.
  const huge = '{"detail":[' + "1,".repeat(100e6) + "1]}";
  const t0 = performance.now();
  await assert.rejects(answering(500, huge).me(), (e) => e instanceof sdk.InternalServerError && e.message.length < 1000 && /detail/.test(e.message));
  assert.ok(performance.now() - t0 < 20000);
  // A 422 list of thousands: its first 100 issues, and how many more there were.
  const items = Array.from({ length: 5000 }, (_, i) => ({ loc: ["body", "items", i, "phone"], msg: "bad phone", type: "value_error" }));
  await assert.rejects(answering(422, JSON.stringify({ detail: items })).me(), (e) => {
    assert.ok(e instanceof sdk.UnprocessableEntityError);
    assert.equal(e.issues.length, 100);
    assert.deepEqual(e.issues[0].path, ["items", 0, "phone"]);
    assert.match(e.message, /and 4900 more/);
    return true;
  });
  // A 2xx that is not JSON, however long.
  await assert.rejects(answering(200, "<html>" + "x".repeat(3e6)).me(), (e) => e instanceof sdk.ApiError && /not valid JSON/.test(e.message));
  assert.ok(await client.me());
});

test("the limit rule has one owner: list() takes what validateListParams() takes, and refuses what it refuses", async () => {
  for (const limit of ["2", 2, "100"]) {
    assert.equal(sdk.validateListParams({ limit }).valid, true, `validateListParams limit ${JSON.stringify(limit)}`);
    const page = await client.agents.list({ limit });
    const n = page.items.length;
    assert.ok(Number(limit) === 2 ? n === 2 : n >= 3, `list limit ${JSON.stringify(limit)}: ${n} items`); // the seed has 3 agents
  }
  for (const limit of ["abc", "0", 2.5, "", "-1", true]) {
    assert.equal(sdk.validateListParams({ limit }).valid, false, `validateListParams limit ${JSON.stringify(limit)}`);
    await assert.rejects(client.agents.list({ limit }), sdk.RequestValidationError, `list limit ${JSON.stringify(limit)}`);
  }
});

test("a 422's issues have one owner: ApiError.issues (from the core) equals fromServerIssues(detail) on the same body", async () => {
  const details = [
    [{ loc: ["body", "name"], msg: "Field required", type: "missing" }],
    [{ loc: ["body", "items", 3, "phone"], msg: "String should match pattern", type: "string_pattern_mismatch", input: "x" }],
    [{ loc: ["query", "limit"], msg: "too big", type: "less_than_equal" }, { loc: ["path", "campaign_id"], msg: "bad", type: "int_parsing" }],
    [{ loc: ["header", "x-api-key"], msg: "m", type: "t" }, { loc: ["cookie", "c"], msg: "m", type: "t" }, { loc: ["name"], msg: "m", type: "t" }],
    [{ loc: ["body"], msg: "no type" }, { type: "no_loc" }, { loc: ["body", "a"], type: "" }, null, 7],
  ];
  for (const detail of details) {
    const c = new sdk.Agoralia({ apiKey: KEYS.all, baseUrl: sb.apiUrl, maxRetries: 0, fetch: async () => new Response(JSON.stringify({ detail }), { status: 422 }) });
    const e = await c.agents.create({ name: "x" }, { validate: false }).catch((err) => err);
    assert.ok(e instanceof sdk.UnprocessableEntityError, String(e));
    assert.deepEqual(e.issues, sdk.fromServerIssues(detail), JSON.stringify(detail));
  }
});
