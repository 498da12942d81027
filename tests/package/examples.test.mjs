// The Node example script (examples/node/launch-campaign.mjs, the library
// showcase; the command line has its own suite, cli.test.mjs) run as a user
// runs it: the packed tarball installed into a scratch project, the script
// copied there and started with `node`, against a real sandbox.
import test, { before, after } from "node:test";
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { startSandbox, KEYS, ROOT } from "../node/support/sandbox.mjs";
import { installTarball } from "../support/tarball.mjs";

const SCRATCH = path.join(ROOT, "target/examples-test");
const EXAMPLES = path.join(ROOT, "examples/node");

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


before(async () => {
  installTarball(SCRATCH);
  for (const f of fs.readdirSync(EXAMPLES)) {
    if (/\.mjs$/.test(f)) fs.copyFileSync(path.join(EXAMPLES, f), path.join(SCRATCH, f));
  }
  sandbox = await startSandbox();
});
after(() => sandbox?.stop());

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
