// The Node example scripts (examples/node) run as a user runs them: the packed
// tarball installed into a scratch project, the scripts copied there and started
// with `node`, against a real sandbox.
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startSandbox, KEYS, ROOT } from "../node/support/sandbox.mjs";

const SCRATCH = path.join(ROOT, "target/examples-test");
const EXAMPLES = path.join(ROOT, "examples/node");

const tarball = () => {
  const dir = path.join(ROOT, "target/npm");
  const tgz = fs.readdirSync(dir).filter((f) => /^agoralia-.*\.tgz$/.test(f));
  assert.equal(tgz.length, 1, `expected one tarball in ${dir}, found ${tgz}`);
  return path.join(dir, tgz[0]);
};

let sandbox;

/** Runs an example script; resolves { code, stdout, stderr } whatever the exit code. */
const runScript = (script, args = [], env = {}) =>
  new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(SCRATCH, script), ...args],
      {
        cwd: SCRATCH,
        env: { ...process.env, AGORALIA_API_KEY: KEYS.all, AGORALIA_BASE_URL: sandbox.apiUrl, ...env },
        encoding: "utf8",
        timeout: 60000,
      },
      (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
    );
  });

const api = async (p) => {
  const res = await fetch(sandbox.apiUrl + p, { headers: { "X-API-Key": KEYS.all } });
  assert.equal(res.status, 200, `GET ${p}`);
  return res.json();
};

/** A minimal RFC 4180 reader for checking the export. */
function readCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field), rows.push(row), (row = []), (field = ""), i++;
    } else field += ch;
  }
  assert.equal(field + row.join(""), "", "the CSV ends with CRLF");
  return rows;
}

const cellOf = (v) => (v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v));

before(async () => {
  fs.rmSync(SCRATCH, { recursive: true, force: true });
  fs.mkdirSync(SCRATCH, { recursive: true });
  fs.writeFileSync(path.join(SCRATCH, "package.json"), JSON.stringify({ name: "examples-scratch", private: true, type: "module" }));
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--offline", tarball()], { cwd: SCRATCH, stdio: ["ignore", "pipe", "pipe"] });
  for (const f of fs.readdirSync(EXAMPLES)) {
    if (/\.(mjs|csv)$/.test(f)) fs.copyFileSync(path.join(EXAMPLES, f), path.join(SCRATCH, f));
  }
  sandbox = await startSandbox();
});
after(() => sandbox?.stop());

test("the sample CSV has 10 rows, 2 of them with errors", () => {
  const lines = fs.readFileSync(path.join(EXAMPLES, "leads.csv"), "utf8").trim().split("\n");
  assert.equal(lines.length, 11);
});

test("import-leads: reports the bad rows, upserts the others in batches, counts them, exits 1", async () => {
  await sandbox.reset();
  const before = (await api("/campaigns/2/results")).rows.length;
  const r = await runScript("import-leads.mjs", ["2", "leads.csv", "--country", "39", "--batch-size", "3"]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  // Row numbers as a spreadsheet shows them: header = 1.
  assert.match(r.stdout, /^row 8 phone: error invalid_phone: /m);
  assert.match(r.stdout, /^row 9 external_id: error required: /m);
  assert.match(r.stdout, /^row 4 phone: warning phone_not_normalized: /m);
  assert.match(r.stdout, /10 rows read, 8 valid, 2 rejected/);
  assert.match(r.stdout, /^batch \d\/3 ok: 8\/8 leads sent/m);
  assert.match(r.stdout, /^created: 8$/m);
  assert.match(r.stdout, /^updated: 0$/m);
  assert.match(r.stdout, /^failed: 0$/m);

  const upserts = (await sandbox.requests()).filter((e) => e.method === "POST" && e.path === "/api/v1/leads:upsert");
  assert.equal(upserts.length, 3, "8 leads in batches of 3");
  assert.ok(upserts.every((e) => e.status === 200 && e.idempotency_key), JSON.stringify(upserts));
  assert.equal(new Set(upserts.map((e) => e.idempotency_key)).size, 3, "one key per batch");
  assert.equal((await api("/campaigns/2/results")).rows.length, before + 8);

  // Again: the same leads are now updates.
  const again = await runScript("import-leads.mjs", ["2", "leads.csv", "--country", "39"]);
  assert.match(again.stdout, /^created: 0$/m);
  assert.match(again.stdout, /^updated: 8$/m);
  // Without --country the national number of row 4 is rejected too.
  const noCountry = await runScript("import-leads.mjs", ["2", "leads.csv"]);
  assert.match(noCountry.stdout, /^row 4 phone: error missing_country_code: /m);
  assert.match(noCountry.stdout, /10 rows read, 7 valid, 3 rejected/);
});

test("import-leads: a batch that failed after the retries is re-sent once with its own key; exit 0 when all got in", async () => {
  await sandbox.reset();
  const csv = "id,phone,name\n" + Array.from({ length: 5 }, (_, i) => `X-${i},+39340555000${i},Lead ${i}`).join("\n") + "\n";
  fs.writeFileSync(path.join(SCRATCH, "clean.csv"), csv);
  // The first attempt and both SDK retries of the first batch get a 503.
  await sandbox.fault({ method: "POST", path: "/api/v1/leads:upsert", kind: "status", status: 503, times: 3 });
  const r = await runScript("import-leads.mjs", ["1", "clean.csv", "--batch-size", "3", "--concurrency", "1"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^batch 1\/2 FAILED/m);
  assert.match(r.stdout, /^batch 1 failed: InternalServerError: .*\(HTTP 503\); re-sending its 3 leads$/m);
  assert.match(r.stdout, /^batch 1 re-sent: created 3, updated 0, failed 0$/m);
  assert.match(r.stdout, /^created: 5$/m);

  const upserts = (await sandbox.requests()).filter((e) => e.method === "POST" && e.path === "/api/v1/leads:upsert");
  assert.deepEqual(upserts.map((e) => e.status), [503, 503, 503, 200, 200]);
  const firstKey = upserts[0].idempotency_key;
  assert.deepEqual(upserts.map((e) => e.idempotency_key === firstKey), [true, true, true, false, true], "the re-send reuses batch 1's key");
});

test("export-results: the header is the display_columns' labels, one row per result row, RFC 4180 quoting", async () => {
  await sandbox.reset();
  // Leads whose values need quoting ("Verdi & Co, Milano", a name with quotes).
  assert.equal((await runScript("import-leads.mjs", ["2", "leads.csv", "--country", "39"])).code, 1);
  const results = await api("/campaigns/2/results");
  const out = path.join(SCRATCH, "results.csv");
  const r = await runScript("export-results.mjs", ["2", out]);
  assert.equal(r.code, 0, r.stderr);
  const text = fs.readFileSync(out, "utf8");
  const rows = readCsv(text);
  assert.deepEqual(rows[0], results.display_columns.map((c) => c.label));
  assert.equal(rows.length - 1, results.rows.length);
  assert.deepEqual(rows.slice(1), results.rows.map((row) => results.display_columns.map((c) => cellOf(row[c.name]))));
  assert.ok(text.includes('"Verdi & Co, Milano"') && text.includes('"Dario ""Dado"" Neri"'), text);
  assert.match(r.stderr, new RegExp(`wrote ${results.rows.length} rows`));

  // Without a file: the CSV on stdout, nothing else.
  const toStdout = await runScript("export-results.mjs", ["2"]);
  assert.equal(toStdout.stdout, text);

  const missing = await runScript("export-results.mjs", ["999"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^NotFoundError: /m);
});

test("launch-campaign: creates the agent and campaign, prints the proposal, lists the calls", async () => {
  await sandbox.reset();
  const r = await runScript("launch-campaign.mjs", ["--name", "Example launch"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const campaignId = Number(r.stdout.match(/^campaign created: (\d+)/m)?.[1]);
  const agentId = Number(r.stdout.match(/^agent created: (\d+)/m)?.[1]);
  const campaigns = (await api("/campaigns?limit=100")).items;
  assert.ok(campaigns.some((c) => c.id === campaignId && c.name === "Example launch"), JSON.stringify(campaigns));
  assert.ok((await api("/agents?limit=100")).items.some((a) => a.id === agentId));
  assert.match(r.stdout, /^start proposal: pc_[a-z0-9]+$/m);
  assert.match(r.stdout, /^requires_confirmation: true$/m);
  assert.match(r.stdout, /no endpoint to confirm it/);
  assert.match(r.stdout, /^0 call\(s\) so far$/m);
  const log = await sandbox.requests();
  assert.ok(log.some((e) => e.method === "POST" && e.path === `/api/v1/campaigns/${campaignId}/start` && e.status === 200));
  assert.ok(log.some((e) => e.method === "GET" && e.path === "/api/v1/calls" && e.query?.includes(`campaign_id=${campaignId}`)));

  // With --agent and a column outside the schema: a warning, and it goes on.
  const warned = await runScript("launch-campaign.mjs", ["--agent", "2", "--columns", "name,phone,budget"]);
  assert.equal(warned.code, 0, warned.stdout + warned.stderr);
  assert.match(warned.stdout, /^campaign warning: display_columns\.2: unknown_column: /m);
  assert.doesNotMatch(warned.stdout, /agent created/);
});

test("launch-campaign: an invalid campaign prints its issue codes, exits 1 and sends nothing", async () => {
  await sandbox.reset();
  const r = await runScript("launch-campaign.mjs", ["--purpose", "quote"]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /^campaign error: purpose: invalid_enum: .*quote_request/m);
  const posts = (await sandbox.requests()).filter((e) => e.method === "POST");
  assert.deepEqual(posts, [], "no agent nor campaign was created");
});

test("the scripts report API errors as `name: message` (+ the missing scope) and exit 1", async () => {
  const r = await runScript("launch-campaign.mjs", [], { AGORALIA_API_KEY: KEYS.readOnly });
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^PermissionDeniedError: /m);
  assert.match(r.stderr, /lacks the scope "agents:write"/);
});
