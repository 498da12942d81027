// The command line (`npx agoralia`) as a user runs it: the packed tarball
// installed into a scratch project, the bin started through npx, against a
// real sandbox. Every command: its stdout (data), stderr (logs), exit code.
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile, execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startSandbox, KEYS, ROOT } from "../node/support/sandbox.mjs";
import { installTarball } from "../support/tarball.mjs";

const SCRATCH = path.join(ROOT, "target/cli-test");
const BIN = path.join(SCRATCH, "node_modules/.bin/agoralia");

let sandbox;
const env = (extra = {}) => ({ ...process.env, AGORALIA_API_KEY: KEYS.all, AGORALIA_BASE_URL: sandbox.apiUrl, ...extra });

/** Runs `agoralia ...args`; resolves { code, stdout, stderr } whatever the exit code. */
const cli = (args, { extraEnv = {}, input } = {}) =>
  new Promise((resolve) => {
    const child = execFile(BIN, args, { cwd: SCRATCH, env: env(extraEnv), encoding: "utf8", timeout: 120000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (error.code ?? 1) : 0, stdout, stderr }),
    );
    if (input !== undefined) child.stdin.end(input);
  });
const json = (r) => {
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout);
};
const api = async (p) => {
  const res = await fetch(sandbox.apiUrl + p, { headers: { "X-API-Key": KEYS.all } });
  assert.equal(res.status, 200, `GET ${p}`);
  return res.json();
};
const upserts = async () => (await sandbox.requests()).filter((e) => e.method === "POST" && e.path === "/api/v1/leads:upsert");
const write = (name, text) => {
  fs.writeFileSync(path.join(SCRATCH, name), text);
  return name;
};

before(async () => {
  installTarball(SCRATCH);
  sandbox = await startSandbox({ quiet: true });
});
after(() => sandbox?.stop());

test("the bin is installed and npx finds it; --help, --version and usage errors exit 0 or 2", async () => {
  const viaNpx = execFileSync("npx", ["--offline", "agoralia", "--version"], { cwd: SCRATCH, encoding: "utf8" }).trim();
  assert.match(viaNpx, /^\d+\.\d+\.\d+/);
  const h = await cli(["--help"]);
  assert.equal(h.code, 0);
  for (const c of ["me", "agents list", "agents create", "campaigns list", "campaigns create", "campaigns start ID", "campaigns results ID",
    "leads import FILE", "results export ID", "calls list", "validate campaign FILE", "validate agent FILE", "validate leads FILE"]) {
    assert.ok(h.stdout.includes(`  ${c}`), `help lists "${c}"`);
  }
  const sub = await cli(["leads", "import", "--help"]);
  assert.equal(sub.code, 0);
  assert.match(sub.stdout, /--resume/);
  assert.match(sub.stdout, /--rejects VALUE/);
  const group = await cli(["campaigns"]);
  assert.equal(group.code, 2);
  assert.match(group.stderr, /campaigns start ID/);
  for (const [args, why] of [
    [["nope"], /unknown command "nope"/],
    [["me", "--bogus"], /Unknown option '--bogus'/],
    [["me", "--format", "xml"], /--format must be one of json, csv, table/],
    [["campaigns", "start"], /expected ID, got none/],
    [["campaigns", "start", "abc"], /needs a numeric ID, got "abc"/],
    [["calls", "list", "--limit", "500"], /--limit must be an integer from 1 to 100/],
    [["leads", "import", "x.csv"], /--campaign ID is required/],
  ]) {
    const r = await cli(args);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, why);
    assert.equal(r.stdout, "", "usage errors print nothing to stdout");
  }
});

test("me: JSON when piped, a table or CSV on request; the key comes from the environment or --api-key", async () => {
  const me = json(await cli(["me"]));
  assert.ok(Array.isArray(me.api_key_scopes) && me.api_key_scopes.includes("leads:write"), JSON.stringify(me));
  const table = await cli(["me", "--format", "table"]);
  assert.equal(table.code, 0);
  assert.match(table.stdout, /^api_key_scopes +\[/m);
  const csv = await cli(["me", "--format", "csv"]);
  assert.equal(csv.stdout.split("\r\n")[0], Object.keys(me).join(","));
  const flag = await cli(["me", "--api-key", KEYS.readOnly], { extraEnv: { AGORALIA_API_KEY: "" } });
  assert.deepEqual(JSON.parse(flag.stdout).api_key_scopes.includes("leads:write"), false);
  const none = await cli(["me"], { extraEnv: { AGORALIA_API_KEY: "" } });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /no API key: set AGORALIA_API_KEY or pass --api-key/);
});

test("an API error exits 1 with its name on stderr; the key never appears", async () => {
  const wrong = "ago_WrongKeyWrongKeyWrongKey00000000";
  const r = await cli(["me", "--api-key", wrong]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^AuthenticationError: /);
  assert.equal(r.stdout, "");
  assert.ok(!r.stderr.includes(wrong) && !r.stderr.includes(KEYS.all));
  const scope = await cli(["leads", "import", write("one.csv", "id,phone\na,+393401234567\n"), "--campaign", "1"], { extraEnv: { AGORALIA_API_KEY: KEYS.readOnly } });
  assert.equal(scope.code, 1, scope.stderr);
  assert.match(scope.stderr, /PermissionDeniedError: .*\n.*lacks the scope "leads:write"/);
  const missing = await cli(["campaigns", "results", "999"]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /^NotFoundError: /);
});

test("agents and campaigns: list one page or --all, create from --json, --file or stdin, start", async () => {
  await sandbox.reset();
  const page = await cli(["agents", "list", "--limit", "2"]);
  assert.equal(JSON.parse(page.stdout).length, 2);
  assert.match(page.stderr, /^more: --cursor \S+ \(or --all\)$/m);
  const all = json(await cli(["agents", "list", "--limit", "1", "--all"]));
  assert.deepEqual(all.map((a) => a.id), (await api("/agents?limit=100")).items.map((a) => a.id));
  const table = await cli(["agents", "list", "--format", "table"]);
  assert.match(table.stdout.split("\n")[0], /^id +name/);
  assert.match(table.stdout.split("\n")[1], /^-+ +-+/);

  const agent = json(await cli(["agents", "create", "--json", JSON.stringify({ name: "CLI agent", lang: "it-IT" })]));
  assert.equal(agent.name, "CLI agent");
  const body = {
    name: "CLI campaign", purpose: "quote_request", agent_ref_id: agent.id,
    extraction_schema: { type: "object", properties: { quote_amount: { type: "number" } } },
    display_columns: ["name", "quote_amount"],
  };
  const fromFile = json(await cli(["campaigns", "create", "--file", write("campaign.json", JSON.stringify(body))]));
  assert.equal(fromFile.name, "CLI campaign");
  const fromStdin = json(await cli(["campaigns", "create", "--file", "-"], { input: JSON.stringify({ ...body, name: "from stdin" }) }));
  assert.equal(fromStdin.name, "from stdin");
  const listed = json(await cli(["campaigns", "list", "--all"]));
  assert.ok(listed.some((c) => c.id === fromStdin.id));

  // Checked before sending: nothing reaches the server.
  const sentBefore = (await sandbox.requests()).length;
  const invalid = await cli(["campaigns", "create", "--json", JSON.stringify({ ...body, extraction_schema: { type: "object", properties: { quote_amount: { type: "numbr" } } } })]);
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /^RequestValidationError: /);
  assert.match(invalid.stderr, /extraction_schema\.properties\.quote_amount\.type: unknown_type: /);
  assert.equal((await sandbox.requests()).length, sentBefore);

  const started = json(await cli(["campaigns", "start", String(fromFile.id)]));
  assert.equal(typeof started.proposal_id, "string");
  assert.equal(started.requires_confirmation, true);
});

test("results export and calls list: CSV with the display columns' labels, JSON, a file", async () => {
  await sandbox.reset();
  const results = await api("/campaigns/1/results");
  const csv = await cli(["results", "export", "1", "--format", "csv"]);
  assert.equal(csv.code, 0, csv.stderr);
  const lines = csv.stdout.split("\r\n");
  assert.equal(lines[0], results.display_columns.map((c) => c.label).join(","));
  assert.equal(lines.length, results.rows.length + 2, "header, rows, and the final CRLF");
  assert.match(csv.stderr, new RegExp(`^${results.rows.length} rows \\(${results.display_columns.length} columns\\)$`, "m"));
  assert.deepEqual(json(await cli(["campaigns", "results", "1"])), results);
  const out = await cli(["results", "export", "1", "--format", "csv", "--out", "results.csv"]);
  assert.equal(out.stdout, "");
  assert.equal(fs.readFileSync(path.join(SCRATCH, "results.csv"), "utf8"), csv.stdout);

  const calls = json(await cli(["calls", "list", "--campaign", "1", "--all", "--limit", "5"]));
  const want = [];
  for (let cursor = null; ;) {
    const page = await api(`/calls?campaign_id=1&limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    want.push(...page.items);
    if (!(cursor = page.next_cursor)) break;
  }
  assert.deepEqual(calls, want);
  assert.ok(calls.length > 5, "more calls than one page of --limit");
});

test("validate: campaign and agent issues at their line and column, leads at row and column; exit 1 on errors", async () => {
  const text = '{\n  "name": "Q",\n  "purpose": "quote_request",\n  "agent_ref_id": 1,\n  "extraction_schema": {"type": "object", "properties": {"amount": {"type": "numbr"}}},\n  "display_columns": ["amount"]\n}\n';
  const bad = await cli(["validate", "campaign", write("bad.json", text), "--format", "table"]);
  assert.equal(bad.code, 1);
  assert.match(bad.stdout, /^bad\.json:5:\d+: error \w+: /m);
  assert.match(bad.stderr, /bad\.json: 1 error/);
  const asJson = JSON.parse((await cli(["validate", "campaign", "bad.json"])).stdout);
  assert.equal(asJson[0].line, 5);
  const good = await cli(["validate", "agent", write("agent.json", '{"name": "A"}')]);
  assert.equal(good.code, 0, good.stderr);
  assert.deepEqual(JSON.parse(good.stdout), []);

  const leads = await cli(["validate", "leads", write("check.csv", "id,phone\na,+393401234567\nb,not a phone\n,+393401234568\n"), "--format", "table"]);
  assert.equal(leads.code, 1);
  assert.match(leads.stdout, /^check\.csv:3:phone: error invalid_phone: /m);
  assert.match(leads.stdout, /^check\.csv:4:external_id: error required: /m);
  assert.match(leads.stderr, /check\.csv: 3 rows/);
  const missing = await cli(["validate", "leads", "nope.csv"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /ENOENT/);
});

test("leads import: column mapping, data columns, a rejects file that imports again once fixed", async () => {
  await sandbox.reset();
  const before = (await api("/campaigns/2/results")).rows.length;
  const file = write("crm.csv", [
    "Codice cliente;Cellulare;Nome;Città;Note interne",
    "C-1;+39 340 111 0001;Ada;Roma;x",
    "C-2;340 111 0002;Bruno;Milano;y",
    "C-3;chiamare dopo;Carla;Napoli;z",
    ";+393401110004;Dario;Torino;w",
    "C-5;+393401110005;Elena;Bari;\"a;b\"",
  ].join("\r\n") + "\r\n");
  const r = await cli(["leads", "import", file, "--campaign", "2", "--map", 'external_id="Codice cliente",phone=Cellulare', "--data", "Città",
    "--country", "39", "--rejects", "rejects.csv", "--batch-size", "2"]);
  assert.equal(r.code, 1, "rows were rejected: " + r.stderr);
  const summary = JSON.parse(r.stdout);
  assert.deepEqual({ ...summary, seconds: 0 }, { rows: 5, sent: 3, created: 3, updated: 0, failed: 0, rejected: 2, batches: 2, resumedBatches: 0, failedBatches: [], seconds: 0 });
  assert.match(r.stderr, /2 rows rejected: see rejects\.csv/);
  const rejects = fs.readFileSync(path.join(SCRATCH, "rejects.csv"), "utf8").split("\r\n");
  assert.equal(rejects[0], "Codice cliente;Cellulare;Nome;Città;Note interne;_row;_issue");
  assert.match(rejects[1], /^C-3;chiamare dopo;Carla;Napoli;z;4;"phone: phone ""chiamare dopo"" is not an E\.164 number/);
  assert.match(rejects[2], /^;\+393401110004;Dario;Torino;w;5;external_id: /);
  const rows = (await api("/campaigns/2/results")).rows;
  assert.equal(rows.length, before + 3);

  const fixed = fs.readFileSync(path.join(SCRATCH, "rejects.csv"), "utf8").replace("chiamare dopo", "+393401110003").replace("\r\n;+39", "\r\nC-4;+39");
  const again = await cli(["leads", "import", write("fixed.csv", fixed), "--campaign", "2", "--map", 'external_id="Codice cliente",phone=Cellulare', "--data", "Città"]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(JSON.parse(again.stdout).created, 2);
  assert.equal((await api("/campaigns/2/results")).rows.length, before + 5);
  assert.ok(!fs.existsSync(path.join(SCRATCH, "fixed.csv.agoralia-checkpoint.json")), "a finished import leaves no checkpoint");

  const noColumn = await cli(["leads", "import", file, "--campaign", "2"]);
  assert.equal(noColumn.code, 1);
  assert.match(noColumn.stderr, /^RequestValidationError: Invalid CSV: the header has no external_id/m);
});

test("leads import: a batch still failing after the SDK's retries is reported (exit 1); --resume sends it again under its key", async () => {
  await sandbox.reset();
  const file = write("five.csv", "id,phone\n" + Array.from({ length: 5 }, (_, i) => `X-${i},+39340555000${i}`).join("\n") + "\n");
  // The first attempt and both retries of the first batch get a 503.
  await sandbox.fault({ method: "POST", path: "/api/v1/leads:upsert", kind: "status", status: 503, times: 3 });
  const r = await cli(["leads", "import", file, "--campaign", "1", "--batch-size", "3", "--concurrency", "1"]);
  assert.equal(r.code, 1, r.stderr);
  const first = JSON.parse(r.stdout);
  assert.equal(first.created, 2);
  assert.deepEqual(first.failedBatches.map((b) => [b.index, b.leads]), [[0, 3]]);
  assert.match(first.failedBatches[0].error, /^InternalServerError: /);
  assert.match(r.stderr, /1 batches could not be sent: run again with --resume/);
  const again = await cli(["leads", "import", file, "--campaign", "1", "--batch-size", "3", "--resume"]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual([JSON.parse(again.stdout).created, JSON.parse(again.stdout).resumedBatches], [5, 1]);
  const log = await upserts();
  assert.deepEqual(log.map((e) => e.status), [503, 503, 503, 200, 200]);
  assert.deepEqual(log.map((e) => e.idempotency_key === first.failedBatches[0].idempotencyKey), [true, true, true, false, true]);
});

/** A CSV of `n` leads with ids L-0.. and valid phones. */
const bigCsv = (n) => {
  let s = "external_id,phone,name,city\n";
  for (let i = 0; i < n; i++) s += `L-${i},+3934${String(10000000 + i)},Lead ${i},City ${i % 97}\n`;
  return s;
};

for (const signal of ["SIGINT", "SIGKILL"]) {
  test(`leads import killed by ${signal} mid-run resumes with --resume and creates each lead once`, async () => {
    await sandbox.reset();
    const N = 20000;
    const file = write(`kill-${signal}.csv`, bigCsv(N));
    // Slow the upserts down so that the kill lands mid-run.
    await sandbox.fault({ method: "POST", path: "/api/v1/leads:upsert", kind: "delay", delay_ms: 40, times: 100000 });
    const before = (await api("/campaigns/3/results")).rows.length;
    const child = spawn(BIN, ["leads", "import", file, "--campaign", "3", "--batch-size", "100", "--concurrency", "3"], { cwd: SCRATCH, env: env() });
    let stderr = "";
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise((resolve) => child.on("exit", (code, sig) => resolve({ code, sig })));
    for (let t = 0; (await upserts()).filter((e) => e.status === 200).length < 60; t++) {
      assert.ok(t < 600, "the import got going");
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill(signal);
    const { code, sig } = await exited;
    if (signal === "SIGINT") {
      assert.equal(code, 130, stderr);
      assert.match(stderr, /interrupted: finishing the requests in flight/);
    } else assert.equal(sig, "SIGKILL");
    const checkpointFile = path.join(SCRATCH, `${file}.agoralia-checkpoint.json`);
    const checkpoint = JSON.parse(fs.readFileSync(checkpointFile, "utf8"));
    assert.ok(checkpoint.done.length >= 50 && checkpoint.done.length < 200, `part done: ${checkpoint.done.length}`);
    const sentInRun1 = (await upserts()).length;

    // Without --resume it refuses to start over on top of the checkpoint.
    const refused = await cli(["leads", "import", file, "--campaign", "3", "--batch-size", "100"]);
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /holds an interrupted import: add --resume/);

    const resumed = await cli(["leads", "import", file, "--campaign", "3", "--batch-size", "100", "--concurrency", "3", "--resume"]);
    assert.equal(resumed.code, 0, resumed.stderr);
    const summary = JSON.parse(resumed.stdout);
    assert.equal(summary.created, N, "the counts add up across both runs: every lead created once");
    assert.equal(summary.updated, 0, "no batch was applied twice (a second application would count as updates)");
    assert.equal(summary.resumedBatches, checkpoint.done.length);
    assert.equal((await api("/campaigns/3/results")).rows.length, before + N);
    assert.ok(!fs.existsSync(checkpointFile));

    // The request log: one key per batch; a key sent again was a batch in
    // flight at the kill, and the server replayed it.
    const log = await upserts();
    const keys = new Map();
    for (const e of log) keys.set(e.idempotency_key, [...(keys.get(e.idempotency_key) ?? []), e.status]);
    assert.equal(keys.size, N / 100);
    assert.ok([...keys.keys()].every((k) => k.startsWith(checkpoint.runId + ".")));
    const resent = [...keys.entries()].filter(([, s]) => s.length > 1);
    assert.ok(log.length - sentInRun1 === N / 100 - checkpoint.done.length, "the re-run sends exactly the batches not checkpointed");
    for (const [, statuses] of resent) assert.ok(statuses.includes(200));
  });
}
