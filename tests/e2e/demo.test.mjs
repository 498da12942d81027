// End-to-end: the demo page (www/) served by a real sandbox with the built
// package at /pkg/, driven by Playwright in Debian's Chromium. Each step asserts
// what the user sees AND what reached the server (the sandbox's request log),
// and saves a full-page screenshot to target/screenshots/ for review.
import { test, before, after, afterEach, describe } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import fs from "node:fs";
import { chromium } from "playwright-core";
import { startSandbox, ROOT, PKG_DIR, KEYS } from "../node/support/sandbox.mjs";

const SHOTS = path.join(ROOT, "target/screenshots");
const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

let sandbox;
let browser;
let page;
let problems = [];

const byTestId = (id) => page.locator(`[data-testid="${id}"]`);
const shot = async (name) => {
  // Top of the page, transient toasts gone, progress bars settled.
  await page.evaluate(() => {
    window.scrollTo(0, 0);
    document.getElementById("toasts").replaceChildren();
  });
  await page.waitForTimeout(350);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
};
const posts = async (p) => (await sandbox.requests()).filter((r) => r.method === "POST" && r.path === p);
const api = async (p) => {
  const res = await fetch(`${sandbox.apiUrl}${p}`, { headers: { "X-API-Key": KEYS.all } });
  assert.equal(res.status, 200, `GET ${p}`);
  return res.json();
};
const tab = async (name) => {
  await page.click(`#tab-${name}`);
  await page.locator(`#view-${name}`).waitFor({ state: "visible" });
};
/** Replaces a text control's content the way a user would: select all, type. */
const retype = async (selector, text) => {
  await page.fill(selector, "");
  await page.locator(selector).pressSequentially(text, { delay: 0 });
};

describe("demo page", { timeout: 180_000 }, () => {
  before(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    sandbox = await startSandbox({ rpd: 20000, args: ["--www", path.join(ROOT, "www"), "--pkg", PKG_DIR] });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const context = await browser.newContext({ viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      // A 4xx answer is logged by Chromium itself as "Failed to load resource";
      // the tests provoke some on purpose (403, 401, 422). Anything else fails.
      if (m.type() === "error" && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(m.text())) problems.push(`console error: ${m.text()}`);
    });
    await page.goto(sandbox.url + "/");
  });

  after(async () => {
    await browser?.close();
    await sandbox?.stop();
  });

  afterEach(() => {
    const p = problems;
    problems = [];
    assert.deepEqual(p, [], "the page logged errors");
  });

  test("workspace: GET /me, scopes, rate limits, and what a key may not do", async () => {
    await byTestId("workspace-name").waitFor();
    assert.equal(await byTestId("workspace-name").textContent(), (await api("/me")).workspace_name);
    assert.equal(await page.locator('[data-testid="scopes"] li.granted').count(), 9);
    assert.match(await page.locator("#conn").textContent(), /Sandbox Workspace/);
    await shot("1-workspace");

    // The read-only key: the page lists what it may not do.
    await page.selectOption("#key-preset", "read-only");
    await byTestId("denied").waitFor();
    const denied = await byTestId("denied").textContent();
    for (const what of ["Create agents", "Create campaigns", "Start campaigns", "Import leads"]) assert.ok(denied.includes(what), `denied list names ${what}`);
    assert.equal(await page.locator('[data-testid="scopes"] li.granted').count(), 5);
    await shot("1-workspace-read-only");

    // An expired key: refused with 401, said plainly.
    await page.selectOption("#key-preset", "expired");
    await byTestId("me-error").waitFor();
    assert.match(await byTestId("me-error").textContent(), /401/);

    await page.selectOption("#key-preset", "all");
    await page.locator('[data-testid="scopes"] li.granted').nth(8).waitFor();
  });

  test("agents: paged list follows the cursor; the form creates one", async () => {
    await tab("agents");
    const rows = page.locator('[data-testid="agents-table"] tbody tr');
    await rows.nth(1).waitFor();
    assert.equal(await rows.count(), 2, "first page of 2");
    await byTestId("agents-more").click();
    await rows.nth(2).waitFor();
    await page.waitForFunction(() => /end of list/.test(document.querySelector('[data-testid="agents-count"]')?.textContent ?? ""));
    assert.equal(await rows.count(), 3);
    const lists = (await sandbox.requests()).filter((r) => r.method === "GET" && r.path === "/api/v1/agents" && /limit=2/.test(r.query ?? ""));
    assert.ok(lists.some((r) => /cursor=/.test(r.query)), "the second page was asked for with the cursor");

    await page.fill("#agent-name", "Renewals Agent");
    await page.fill("#agent-lang", "it-IT");
    await page.selectOption("#agent-engine", "retell");
    await page.click('#agent-form button[type="submit"]');
    await byTestId("agent-created").waitFor();
    assert.equal((await posts("/api/v1/agents")).length, 1);
    assert.match(await rows.first().textContent(), /Renewals Agent/);
    await shot("2-agents");
  });

  let campaignId;

  test("campaign builder: an invalid campaign shows its issues where they belong and sends nothing", async () => {
    await tab("builder");
    await page.locator("#c-summary > .sum.ok").waitFor();
    await page.fill("#c-name", "");
    await retype(
      "#c-schema",
      `{
  "type": "object",
  "properties": {
    "quote_amount": { "type": "numbr", "requird": true },
    "availability": { "type": "string", "enum": ["yes", "no", "unknown"] }
  }
}`,
    );
    await page.locator(".offer .opt", { hasText: "quote_amount" }).click(); // off: retyped below, misspelt
    await page.fill("#c-col-add", "quote_amout");
    await page.press("#c-col-add", "Enter");
    await page.fill("#c-end", "2025-01-10T18:00");

    // Each issue next to its field, as the user types.
    await page.locator("#c-name-issues .issue").waitFor();
    await page.locator("#c-schema-issues .issue.error").first().waitFor();
    const schemaIssues = await page.locator("#c-schema-issues").textContent();
    assert.match(schemaIssues, /line 4/, "schema issues carry their line");
    assert.ok(await page.locator(".gutter .ln.error[data-line='4']").count(), "the gutter marks line 4");
    await page.locator("#c-schema-issues .btn.suggest", { hasText: "number" }).waitFor();
    await page.locator("#c-schema-issues .btn.suggest", { hasText: "required" }).waitFor();
    await page.locator('#c-columns .chip.warning[data-column="quote_amout"]').waitFor();
    await page.locator("#c-columns-issues .btn.suggest", { hasText: "quote_amount" }).waitFor();
    await page.locator("#c-end-issues .issue.error, #c-schedule-issues .issue.error").first().waitFor();
    assert.match(await page.locator("#c-summary").textContent(), /error/);

    await page.click("#c-submit");
    await byTestId("not-sent").waitFor();
    await shot("3-builder-invalid");
    assert.equal((await posts("/api/v1/campaigns")).length, 0, "no POST /campaigns reached the server");
  });

  test("campaign builder: fixed with the suggestions, server errors land at the field, then it is created", async () => {
    await page.locator("#c-schema-issues .btn.suggest", { hasText: "number" }).click();
    await page.locator("#c-schema-issues .btn.suggest", { hasText: "required" }).click();
    await page.locator("#c-columns-issues .btn.suggest", { hasText: "quote_amount" }).click();
    await page.fill("#c-name", "Spring renewals");
    await page.fill("#c-end", "2025-03-31T18:00");
    await page.selectOption("#c-purpose", "appointment");
    await page.selectOption("#c-outlang", "it-IT");
    await page.locator("#c-summary > .sum:not(.error)").waitFor();
    assert.equal(await page.locator("#campaign-form .issue.error").count(), 0);
    assert.deepEqual(await page.locator("#c-columns .chip").evaluateAll((cs) => cs.map((c) => c.dataset.column)), ["name", "phone", "quote_amount"]);
    // The picker offers the schema's fields: add one.
    await page.locator(".offer .opt", { hasText: "availability" }).click();
    // The schema was fixed in place, keeping the user's formatting.
    assert.match(await page.inputValue("#c-schema"), /"quote_amount": \{ "type": "number", "required": true \}/);

    // Only the server knows agent 999 does not exist: its 422 shows at the agent field.
    await page.fill("#c-agent", "999");
    await page.click("#c-submit");
    await byTestId("server-refused").waitFor();
    await page.locator("#c-agent-issues .issue.error").waitFor();
    assert.match(await page.locator("#c-agent-issues").textContent(), /999/);
    await shot("3-builder-server-error");

    await page.fill("#c-agent", "1");
    await page.locator("#c-agent-issues .issue").waitFor({ state: "detached" });
    await page.click("#c-submit");
    await byTestId("created").waitFor();
    const sent = await posts("/api/v1/campaigns");
    assert.deepEqual(sent.map((r) => r.status), [422, 201], "one refused by the server, one created");
    const created = (await api("/campaigns?limit=100")).items.at(-1);
    assert.equal(created.name, "Spring renewals");
    assert.equal((await byTestId("created-id").textContent()).trim(), `#${created.id}`);
    campaignId = created.id;

    // 4. Start it: the proposal is shown.
    await byTestId("start").click();
    await byTestId("proposal-id").waitFor();
    assert.match(await byTestId("proposal-id").textContent(), /^pc_[a-z0-9]{8}$/);
    assert.equal((await posts(`/api/v1/campaigns/${campaignId}/start`)).length, 1);
    await shot("3-builder-created");
  });

  test("leads import: every row checked, phone suggestions, batches, counts match the server", async () => {
    await tab("leads");
    await page.selectOption("#leads-campaign", "1");
    await page.click("#leads-sample");
    await byTestId("rows-table").waitFor();
    assert.equal(await byTestId("rows-total").textContent(), "12");
    assert.equal(await byTestId("rows-ready").textContent(), "7");
    assert.equal(await byTestId("rows-bad").textContent(), "5");
    const rowIssue = (n) => page.locator(`[data-testid="rows-table"] tr[data-row="${n}"] .issues-col`);
    assert.match(await rowIssue(3).textContent(), /\+393401110002/, "row 3: spaces in the phone, with the E.164 suggestion");
    assert.match(await rowIssue(5).textContent(), /external_id/, "row 5: missing external_id");
    assert.match(await rowIssue(7).textContent(), /row 4/, "row 7: duplicate of row 4");
    assert.ok(await page.locator('tr[data-row="8"] .issue.error').count(), "row 8: a bad phone");
    assert.match(await rowIssue(11).textContent(), /\+393401110010/, "row 11: 0039 prefix, with the suggestion");
    assert.equal(await page.locator('tr[data-row="2"] .issue').count(), 0);
    await shot("4-leads-validated");

    await byTestId("fix-phones").click();
    await page.waitForFunction(() => document.querySelector('[data-testid="rows-ready"]')?.textContent === "9");
    assert.equal(await byTestId("rows-bad").textContent(), "3");

    const before = (await api("/campaigns/1/results")).rows.length;
    await page.fill("#leads-batch", "4");
    await page.click("#leads-upsert");
    await byTestId("import-done").waitFor();
    const count = async (k) => Number(await byTestId(`count-${k}`).textContent());
    const shown = { created: await count("created"), updated: await count("updated"), failed: await count("failed") };
    // Two rows (c1-lead-1, c1-lead-2) already exist in campaign 1: updated; the other 7 are new.
    assert.deepEqual(shown, { created: 7, updated: 2, failed: 0 });
    const upserts = await posts("/api/v1/leads:upsert");
    assert.equal(upserts.length, 3, "9 rows in batches of 4");
    assert.ok(upserts.every((r) => r.status === 200));
    assert.equal((await api("/campaigns/1/results")).rows.length, before + shown.created, "the server holds the created leads");
    assert.equal(await page.locator(".progress").getAttribute("aria-valuenow"), "100");
    await shot("4-leads-imported");
  });

  test("results: the campaign's display columns, CSV download, calls", async () => {
    await tab("results");
    await page.selectOption("#results-campaign", "1");
    const expected = await api("/campaigns/1/results");
    await page.locator('[data-testid="results-table"] tbody tr').nth(expected.rows.length - 1).waitFor();
    const headers = await page.locator('[data-testid="results-table"] thead th').allTextContents();
    assert.deepEqual(headers, expected.display_columns.map((c) => c.label));
    assert.equal(await page.locator('[data-testid="results-table"] tbody tr').count(), expected.rows.length);
    const calls = page.locator('[data-testid="calls-table"] tbody tr');
    await calls.nth(4).waitFor();
    await byTestId("calls-more").click();
    await calls.nth(9).waitFor();

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#results-csv")]);
    assert.equal(download.suggestedFilename(), "campaign-1-results.csv");
    const csv = fs.readFileSync(await download.path(), "utf8").trim().split(/\r\n/);
    assert.equal(csv[0], expected.display_columns.map((c) => c.label).join(","));
    assert.equal(csv.length, expected.rows.length + 1);
    await shot("5-results");

    // The campaign made in the builder: its own columns, no leads yet.
    await page.selectOption("#results-campaign", String(campaignId));
    await page.locator(".results-body .empty").waitFor();
  });
});
