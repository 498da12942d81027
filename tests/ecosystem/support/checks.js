// The behavioural checks every runtime runs, bundled into each runtime's app
// (a Cloudflare worker, a Vercel edge function, a browser page) together with
// the package as that runtime resolves it. Plain ES module, no Node APIs: it
// runs inside the runtime under test. Each check reports { name, ok, detail };
// the test on the Node side asserts that every name in CHECKS came back ok, so
// a check that a runtime cannot run fails by its name.
export const CHECKS = [
  "validate: a valid campaign",
  "validate: an invalid campaign, with its suggestion",
  "agoralia/validate: the validators-only entry gives the same report",
  "me()",
  "campaigns.list({ limit: 1 }): a paginated walk",
  "campaigns.create with an idempotency key, replayed",
  "campaigns.create: a generated UUID v4 idempotency key",
  "campaigns.results(999999): NotFoundError",
  "parseLeadsCsv",
  "abort: a walk stopped by its signal, a call with an aborted signal",
  "readLeadsCsv from a ReadableStream in 5-byte pieces; importCsv from a Blob with a checkpoint",
  "validate: a time zone Intl does not know (warning, suggestion), an alias it knows, a pattern RegExp refuses with flag u",
];

const validCampaign = (name = "Edge Campaign") => ({
  name,
  purpose: "quote_request",
  agent_ref_id: 1,
  extraction_schema: { type: "object", properties: { quote_amount: { type: "number" } } },
  display_columns: ["quote_amount"],
});

function check(cond, what) {
  if (!cond) throw new Error(what);
}
const same = (a, b, what) => check(JSON.stringify(a) === JSON.stringify(b), `${what}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/**
 * Runs every check with the SDK namespaces as the runtime resolved them.
 * `sdk`: `import * as sdk from "agoralia"`; `forms`: `import * as forms from
 * "agoralia/validate"`; `env`: { baseUrl, apiKey, clientOptions? }.
 */
export async function runChecks(sdk, forms, env) {
  const client = new sdk.Agoralia({ apiKey: env.apiKey, baseUrl: env.baseUrl, ...env.clientOptions });
  const bodies = {
    [CHECKS[0]]: async () => {
      const r = sdk.validateCampaign(validCampaign());
      check(r.valid === true, `valid: ${JSON.stringify(r.issues)}`);
      same(r.issues.filter((i) => i.severity === "error"), [], "errors");
    },
    [CHECKS[1]]: async () => {
      const r = sdk.validateCampaign({ ...validCampaign(), purpose: "quote", display_columns: ["quote_amout"] });
      check(r.valid === false, "invalid");
      const purpose = r.issues.find((i) => i.code === "invalid_enum");
      same(purpose && [purpose.path, purpose.severity, purpose.suggestion], [["purpose"], "error", "quote_request"], "purpose issue");
      const column = r.issues.find((i) => i.code === "unknown_column");
      same(column && [column.severity, column.suggestion], ["warning", "quote_amount"], "column issue");
      return `${r.issues.length} issues`;
    },
    [CHECKS[2]]: async () => {
      const input = { ...validCampaign(), purpose: "quote" };
      same(forms.validateCampaign(input), sdk.validateCampaign(input), "the two entries' reports");
      check(!("Agoralia" in forms), "agoralia/validate has no client");
    },
    [CHECKS[3]]: async () => {
      const me = await client.me();
      same([me.workspace_name, me.$meta.status], ["Sandbox Workspace", 200], "workspace and status");
      check(me.api_key_scopes.includes("campaigns:write"), `scopes: ${me.api_key_scopes}`);
    },
    [CHECKS[4]]: async () => {
      const all = (await client.campaigns.list({ limit: 100 })).items.map((c) => c.id);
      check(all.length >= 3, `seeded campaigns: ${all}`);
      const walked = [];
      for await (const c of client.campaigns.list({ limit: 1 })) walked.push(c.id);
      same(walked, all, "the walk's ids");
      let pages = 0;
      for await (const page of client.campaigns.list({ limit: 1 }).pages()) {
        pages++;
        check(page.items.length === 1, `page ${pages} has ${page.items.length} items`);
      }
      check(pages === all.length, `${pages} pages for ${all.length} campaigns`);
      return `${pages} pages`;
    },
    [CHECKS[5]]: async () => {
      const key = "4f7c2a9e-8b1d-4e3f-9a6b-2c5d8e1f0a37";
      const a = await client.campaigns.create(validCampaign("Once"), { idempotencyKey: key });
      const b = await client.campaigns.create(validCampaign("Once"), { idempotencyKey: key });
      same([b.id, b.status, a.$meta.idempotencyKey, b.$meta.idempotencyKey], [a.id, "draft", key, key], "replayed create");
      let conflict;
      try {
        await client.campaigns.create(validCampaign("Another body"), { idempotencyKey: key });
      } catch (e) {
        conflict = e;
      }
      check(conflict instanceof sdk.ApiError && conflict.idempotencyKey === key, `same key, other body: ${conflict?.name} ${conflict?.status}`);
      return `id ${a.id}, then ${conflict.name} ${conflict.status} for another body`;
    },
    [CHECKS[6]]: async () => {
      const c = await client.campaigns.create(validCampaign("Keyed by the SDK"));
      check(UUID_V4.test(c.$meta.idempotencyKey), `key: ${c.$meta.idempotencyKey}`);
    },
    [CHECKS[7]]: async () => {
      let err;
      try {
        await client.campaigns.results(999999);
      } catch (e) {
        err = e;
      }
      check(err instanceof sdk.NotFoundError && err instanceof sdk.ApiError && err instanceof sdk.AgoraliaError && err instanceof Error, `threw ${err?.name}: ${err?.message}`);
      same([err.name, err.status], ["NotFoundError", 404], "name and status");
      check(typeof err.code === "string" && err.code.length > 0, `code: ${err.code}`);
      check(!String(err.message).includes(env.apiKey) && !JSON.stringify(err).includes(env.apiKey), "the key is not on the error");
    },
    [CHECKS[8]]: async () => {
      const csv = "external_id,phone,name\nl-1,+393401110001,Ada\nl-2,nope,Bob\nl-3,340 111 0003,Cy\n";
      const options = { defaultCountryCode: "39", normalizePhones: true };
      const r = sdk.parseLeadsCsv(csv, options);
      same([r.rowCount, r.valid, r.items.map((i) => [i.external_id, i.phone, i.name])],
        [3, false, [["l-1", "+393401110001", "Ada"], ["l-3", "+393401110003", "Cy"]]], "rows and leads");
      // Spreadsheet rows: the header is row 1.
      same(r.issues.map((i) => [i.row, i.code, i.severity]), [[3, "invalid_phone", "error"], [4, "phone_not_normalized", "warning"]], "issues");
      same(sdk.parseLeadsCsv(new TextEncoder().encode(csv), options), r, "the same from bytes");
      same(forms.parseLeadsCsv(csv, options), r, "the same from agoralia/validate");
    },
    [CHECKS[10]]: async () => {
      const csv = "external_id,phone,name\nst-1,+393401110001,\"Nicolò\nsecond line\"\nst-2,nope,Bob\nst-3,340 111 0003,Zoë\n";
      const bytes = new TextEncoder().encode(csv);
      // Pieces that cut the quoted newline and the two-byte characters.
      const stream = new ReadableStream({
        start(c) {
          for (let i = 0; i < bytes.length; i += 5) c.enqueue(bytes.slice(i, i + 5));
          c.close();
        },
      });
      const items = [], issues = [];
      let rejects = "";
      for await (const chunk of sdk.readLeadsCsv(stream, { defaultCountryCode: "39", normalizePhones: true })) {
        items.push(...chunk.items);
        issues.push(...chunk.issues);
        rejects += chunk.rejects;
      }
      same(items.map((i) => [i.external_id, i.phone, i.name]), [["st-1", "+393401110001", "Nicolò\nsecond line"], ["st-3", "+393401110003", "Zoë"]], "leads");
      same(issues.map((i) => [i.row, i.code]), [[3, "invalid_phone"], [4, "phone_not_normalized"]], "issues");
      check(rejects.includes("st-2,nope,Bob,3,"), `rejects: ${rejects}`);
      let saved = null;
      const checkpoint = { load: () => saved, save: (s) => void (saved = s) };
      const r = await client.leads.importCsv(new Blob([bytes]), { campaignId: 1, batchSize: 1, defaultCountryCode: "39", checkpoint });
      same([r.leads, r.sent, r.created + r.updated, r.rejected, r.batches, saved.done], [2, 2, 2, 1, 2, [0, 1]], "import");
      const again = await client.leads.importCsv(new Blob([bytes]), { campaignId: 1, batchSize: 1, defaultCountryCode: "39", checkpoint });
      same([again.resumedBatches, again.sent], [2, 0], "a re-run with the checkpoint sends nothing");
      return `${r.batches} batches, ${r.rejected} rejected`;
    },
    [CHECKS[9]]: async () => {
      const ac = new AbortController();
      const seen = [];
      let err;
      try {
        for await (const c of client.campaigns.list({ limit: 1 }, { signal: ac.signal })) {
          seen.push(c.id);
          if (seen.length === 2) ac.abort();
        }
      } catch (e) {
        err = e;
      }
      check(err instanceof sdk.AbortError && err instanceof sdk.AgoraliaError, `walk: ${err?.name}: ${err?.message}`);
      check(seen.length === 2, `walk saw ${seen.length} items`);
      let early;
      try {
        await client.me({ signal: AbortSignal.abort() });
      } catch (e) {
        early = e;
      }
      check(early instanceof sdk.AbortError, `pre-aborted: ${early?.name}: ${early?.message}`);
    },
    [CHECKS[11]]: async () => {
      const input = (timezone, pattern) => ({
        ...validCampaign(),
        extraction_schema: { type: "object", properties: { quote_amount: { type: "string", pattern } } },
        schedule: { timezone },
      });
      const bad = input("Europe/Rmoe", "a{2,1}");
      const r = sdk.validateCampaign(bad);
      same(forms.validateCampaign(bad), r, "the two entries' reports");
      check(r.valid === false, "invalid");
      const zone = r.issues.find((i) => i.path[1] === "timezone");
      const suggestion = typeof Intl.supportedValuesOf === "function" ? "Europe/Rome" : undefined;
      same(zone && [zone.code, zone.severity, zone.suggestion], ["unknown_timezone", "warning", suggestion], "time zone issue");
      const pattern = r.issues.find((i) => i.code === "invalid_pattern");
      same(pattern && [pattern.path, pattern.severity], [["extraction_schema", "properties", "quote_amount", "pattern"], "error"], "pattern issue");
      same(sdk.validateCampaign(input("US/Eastern", "^\\p{L}+$")), { valid: true, issues: [] }, "an alias and a unicode pattern");
      return pattern.message;
    },
  };
  const results = [];
  for (const name of CHECKS) {
    const start = Date.now();
    try {
      const detail = await bodies[name]();
      results.push({ name, ok: true, detail: detail ?? "", ms: Date.now() - start });
    } catch (e) {
      results.push({ name, ok: false, detail: `${e?.name}: ${e?.message}`, ms: Date.now() - start });
    }
  }
  return results;
}
