#!/usr/bin/env node
// Exports a campaign's results as CSV.
//
//   node export-results.mjs <campaign_id> [out.csv]
//
// Environment: AGORALIA_API_KEY (required), AGORALIA_BASE_URL (optional; the
// SDK's default, https://api.agoralia.app/api/v1, when unset).
//
// The header row holds the labels of the campaign's display_columns; each lead
// is one row, its values taken by column name. Quoting follows RFC 4180 (CRLF
// line ends; a field with a comma, quote or line break is quoted, quotes doubled).
// Objects and arrays are written as JSON, null as an empty field. Without
// out.csv the CSV goes to stdout (the summary always goes to stderr).
import fs from "node:fs";
import { Agoralia } from "agoralia";
import { fail } from "./cli.mjs";

const USAGE = "usage: node export-results.mjs <campaign_id> [out.csv]";

/** One value as CSV text. */
function cell(value) {
  if (value === null || value === undefined) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const line = (values) => values.map(cell).join(",") + "\r\n";

async function main() {
  const [id, out, ...rest] = process.argv.slice(2);
  if (!id || rest.length > 0 || id.startsWith("-")) {
    console.error(USAGE);
    process.exit(2);
  }
  const campaignId = Number(id);
  if (!Number.isSafeInteger(campaignId) || campaignId < 1) {
    console.error(`campaign_id must be a positive integer, got ${id}\n${USAGE}`);
    process.exit(2);
  }

  const client = new Agoralia({
    apiKey: process.env.AGORALIA_API_KEY,
    baseUrl: process.env.AGORALIA_BASE_URL || undefined,
  });
  const { display_columns: columns, rows } = await client.campaigns.results(campaignId);

  let csv = line(columns.map((c) => c.label));
  for (const row of rows) csv += line(columns.map((c) => row[c.name]));

  if (out) {
    fs.writeFileSync(out, csv);
    console.error(`wrote ${rows.length} rows (${columns.length} columns) to ${out}`);
  } else {
    process.stdout.write(csv);
    console.error(`${rows.length} rows (${columns.length} columns)`);
  }
}

main().catch(fail);
