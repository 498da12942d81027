// One import in its own process, so that its peak RSS is its own:
//   node import-child.mjs <pkg dir> <api url> <csv file> <mode: stream|whole|read> <batch size> <concurrency>
// (read: readLeadsCsv over the file and nothing sent, what `agoralia validate leads` does)
// Prints one JSON line: { ms, cpuMs (this process's, not the sandbox's), maxRssMB, created, updated, failed, failedBatches }.
import fs from "node:fs";
import path from "node:path";

const [pkg, baseUrl, file, mode, batchSize, concurrency] = process.argv.slice(2);
const { Agoralia, parseLeadsCsv, readLeadsCsv } = await import(path.join(pkg, "dist/node.js"));
const client = new Agoralia({ apiKey: "ago_SandboxAllScopes0000000000000001", baseUrl });
const started = performance.now();
let r;
if (mode === "stream") {
  r = await client.leads.importCsv(fs.createReadStream(file), {
    campaignId: 1, batchSize: Number(batchSize), concurrency: Number(concurrency),
  });
} else if (mode === "read") {
  r = { created: 0, updated: 0, failed: 0, failedBatches: [] };
  for await (const chunk of readLeadsCsv(fs.createReadStream(file), { normalizePhones: true })) r.created += chunk.items.length;
} else {
  // What a script had before: the whole file read and parsed, then upsertAll.
  const { items } = parseLeadsCsv(fs.readFileSync(file), { normalizePhones: true });
  r = await client.leads.upsertAll({ campaign_id: 1, items }, { batchSize: Number(batchSize), concurrency: Number(concurrency) });
}
const ms = performance.now() - started;
const cpu = process.cpuUsage();
console.log(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMB: process.resourceUsage().maxRSS / 1024, created: r.created, updated: r.updated, failed: r.failed, failedBatches: r.failedBatches.length }));
