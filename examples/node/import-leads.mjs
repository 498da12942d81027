#!/usr/bin/env node
// Imports leads from a CSV file into a campaign.
//
//   node import-leads.mjs <campaign_id> <file.csv> [--country 39] [--batch-size 100] [--concurrency 2]
//
// Environment: AGORALIA_API_KEY (required), AGORALIA_BASE_URL (optional; the
// SDK's default, https://api.agoralia.app/api/v1, when unset).
//
// 1. parseLeadsCsv reads the file; rows with errors are listed (row numbers as a
//    spreadsheet shows them: the header is row 1) and left out.
// 2. leads.upsertAll sends the valid rows in batches, printing progress.
// 3. A batch that still failed after the SDK's own retries is re-sent once with
//    its own idempotency key: if it had reached the server after all, it is not
//    applied twice.
// Exit code 1 when a row was rejected or a batch could not be sent.
import fs from "node:fs";
import { Agoralia, parseLeadsCsv } from "agoralia";
import { fail, usage } from "./cli.mjs";

const USAGE = "usage: node import-leads.mjs <campaign_id> <file.csv> [--country 39] [--batch-size 100] [--concurrency 2]";

function parseArgs(argv) {
  const positional = [];
  const flags = { country: undefined, batchSize: 100, concurrency: 2 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(USAGE, `${arg} needs a value`);
      return argv[++i];
    };
    if (arg === "--country") flags.country = value().replace(/^\+/, "");
    else if (arg === "--batch-size") flags.batchSize = Number(value());
    else if (arg === "--concurrency") flags.concurrency = Number(value());
    else if (arg === "-h" || arg === "--help") usage(USAGE);
    else if (arg.startsWith("--")) usage(USAGE, `unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 2) usage(USAGE);
  const campaignId = Number(positional[0]);
  if (!Number.isSafeInteger(campaignId) || campaignId < 1) usage(USAGE, `campaign_id must be a positive integer, got ${positional[0]}`);
  return { campaignId, file: positional[1], ...flags };
}

const describe = (err) => `${err.name}: ${err.message}${err.status ? ` (HTTP ${err.status})` : ""}`;

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const client = new Agoralia({
    apiKey: process.env.AGORALIA_API_KEY,
    baseUrl: process.env.AGORALIA_BASE_URL || undefined,
  });

  // 1. Read and check the CSV (bytes: the parser handles a BOM and Excel's Windows-1252).
  const bytes = fs.readFileSync(args.file);
  const parsed = parseLeadsCsv(bytes, { defaultCountryCode: args.country, normalizePhones: true });
  for (const issue of parsed.issues) {
    const where = issue.row !== undefined ? `row ${issue.row}` : "file";
    const field = issue.path.length > 2 ? ` ${issue.path.slice(2).join(".")}` : "";
    console.log(`${where}${field}: ${issue.severity} ${issue.code}: ${issue.message}`);
  }
  const fileErrors = parsed.issues.filter((i) => i.severity === "error" && i.row === undefined).length;
  const badRows = parsed.rowCount - parsed.items.length;
  console.log(`${parsed.rowCount} rows read, ${parsed.items.length} valid, ${badRows} rejected`);
  if (parsed.items.length === 0) {
    console.log("nothing to import");
    process.exitCode = 1;
    return;
  }

  // 2. Upsert the valid rows in batches.
  const result = await client.leads.upsertAll(
    { campaign_id: args.campaignId, items: parsed.items },
    {
      batchSize: args.batchSize,
      concurrency: args.concurrency,
      onProgress: (p) =>
        console.log(
          `batch ${p.batch.index + 1}/${p.batchesTotal} ${p.batch.ok ? "ok" : "FAILED"}: ` +
            `${p.itemsDone}/${p.itemsTotal} leads sent (created ${p.created}, updated ${p.updated}, failed ${p.failed})`,
        ),
    },
  );
  const totals = { created: result.created, updated: result.updated, failed: result.failed };

  // 3. Re-send each failed batch once, with the idempotency key it was first sent with.
  let batchesFailed = 0;
  for (const batch of result.failedBatches) {
    console.log(`batch ${batch.index + 1} failed: ${describe(batch.error)}; re-sending its ${batch.items.length} leads`);
    try {
      const counts = await client.leads.upsert(
        { campaign_id: args.campaignId, items: batch.items },
        { idempotencyKey: batch.idempotencyKey },
      );
      totals.created += counts.created;
      totals.updated += counts.updated;
      totals.failed += counts.failed;
      console.log(`batch ${batch.index + 1} re-sent: created ${counts.created}, updated ${counts.updated}, failed ${counts.failed}`);
    } catch (err) {
      batchesFailed += 1;
      console.log(`batch ${batch.index + 1} failed again: ${describe(err)}`);
      for (const issue of err.issues ?? []) console.log(`  ${issue.path.join(".")}: ${issue.code}: ${issue.message}`);
      if (err.requiredScope) console.log(`  the API key lacks the scope "${err.requiredScope}"`);
    }
  }

  console.log(`created: ${totals.created}`);
  console.log(`updated: ${totals.updated}`);
  console.log(`failed: ${totals.failed}`);
  if (batchesFailed > 0) console.log(`batches not sent: ${batchesFailed} of ${result.batches}`);
  if (badRows > 0 || fileErrors > 0 || totals.failed > 0 || batchesFailed > 0) process.exitCode = 1;
}

main().catch(fail);
