// Bulk import at scale (issue 15): how time and memory grow with the number
// of leads, through the streaming import (client.leads.importCsv) beside the
// whole-file path (parseLeadsCsv + upsertAll), against the sandbox.
//   node bench/import.mjs [--sizes 10000,100000,1000000] [--rounds 3] [--throttled 300000,1000000] [--no-whole] [--read]
// --read adds readLeadsCsv alone (nothing sent; `agoralia validate leads`) per size.
// Each import runs in its own process against a fresh sandbox; medians of
// --rounds runs (one run for sizes of a million or more). The throttled row
// runs at the published rpm 120 and compares the time with the least the
// limit allows.
import fs from "node:fs";
import path from "node:path";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { startSandbox } from "../tests/node/support/sandbox.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, "..");
const PKG = process.env.AGORALIA_PKG ?? path.join(ROOT, "target/npm/agoralia");
const DATA = path.join(ROOT, "target/bench-import");
const argv = process.argv.slice(2);
const arg = (name, dflt) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : dflt);
const SIZES = arg("--sizes", "10000,100000,1000000").split(",").map(Number);
const ROUNDS = Number(arg("--rounds", "3"));
const THROTTLED = arg("--throttled", "").split(",").filter(Boolean).map(Number);
const WHOLE = !argv.includes("--no-whole");
const READ = argv.includes("--read");
const BATCH = 1000, CONCURRENCY = 4;
const log = (...a) => console.error("bench:", ...a);

/** A CSV of `n` leads (about 45 bytes a row), written in pieces. */
function csvFile(n) {
  const file = path.join(DATA, `leads-${n}.csv`);
  if (fs.existsSync(file)) return file;
  fs.mkdirSync(DATA, { recursive: true });
  const fd = fs.openSync(file + ".tmp", "w");
  fs.writeSync(fd, "external_id,phone,name,city\n");
  for (let i = 0; i < n; i += 10000) {
    let s = "";
    for (let j = i; j < Math.min(n, i + 10000); j++) s += `crm-${j},+3934${String(10000000 + (j % 89999999))},Lead ${j},City ${j % 97}\n`;
    fs.writeSync(fd, s);
  }
  fs.closeSync(fd);
  fs.renameSync(file + ".tmp", file);
  return file;
}

const child = (apiUrl, file, mode) =>
  new Promise((resolve, reject) =>
    // Streaming runs with Node's defaults, as a user's script would; the whole-file path needs a bigger heap for a million leads.
    execFile(process.execPath, [...(mode === "whole" ? ["--max-old-space-size=8192"] : []), path.join(BENCH, "lib/import-child.mjs"), PKG, apiUrl, file, mode, String(BATCH), String(CONCURRENCY)],
      { maxBuffer: 1 << 20, timeout: 3_600_000 }, (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(JSON.parse(out)))));

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(n, mode, sandboxOptions) {
  const file = csvFile(n);
  const runs = [];
  for (let r = 0; r < (n >= 1_000_000 ? 1 : ROUNDS); r++) {
    const sandbox = await startSandbox({ quiet: true, ...sandboxOptions });
    try {
      const out = await child(sandbox.apiUrl, file, mode);
      const log429 = (await sandbox.requests()).filter((e) => e.status === 429).length;
      if (out.created !== n || out.failedBatches) throw new Error(`${mode} ${n}: created ${out.created}, failed batches ${out.failedBatches}`);
      runs.push({ ...out, log429 });
    } finally {
      await sandbox.stop();
    }
  }
  return { n, mode, ms: median(runs.map((r) => r.ms)), cpuMs: median(runs.map((r) => r.cpuMs)), rss: median(runs.map((r) => r.maxRssMB)), log429: Math.max(...runs.map((r) => r.log429)), runs: runs.length, bytes: fs.statSync(file).size };
}

const rows = [];
for (const n of SIZES) {
  log(`stream ${n}`);
  rows.push(await measure(n, "stream"));
  if (WHOLE && n <= 1_000_000) {
    log(`whole ${n}`);
    rows.push(await measure(n, "whole"));
  }
  if (READ) {
    log(`read ${n}`);
    rows.push(await measure(n, "read"));
  }
}
const PATHS = { stream: "importCsv (stream)", whole: "parseLeadsCsv + upsertAll", read: "readLeadsCsv, nothing sent" };
const line = (cells) => console.log(`| ${cells.join(" | ")} |`);
console.log(`\nUnthrottled (sandbox limits lifted), batches of ${BATCH}, ${CONCURRENCY} in flight; medians of ${ROUNDS} runs (1 for >= 1M).`);
console.log("Linear means the ratio to the same path at the size before stays near 1.00x; the SDK's own CPU (the sandbox's not counted) says which side a change is on.\n");
line(["path", "leads", "file", "time", "us/lead", "vs the size before", "SDK CPU us/lead", "peak RSS"]);
line(["---", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]);
const perLead = (r) => (r.ms * 1000) / r.n;
for (const r of rows) {
  const before = rows.filter((x) => x.mode === r.mode && x.n < r.n).at(-1);
  line([PATHS[r.mode], r.n, `${(r.bytes / 1e6).toFixed(1)} MB`, `${(r.ms / 1000).toFixed(2)} s`, perLead(r).toFixed(2),
    before ? `${(perLead(r) / perLead(before)).toFixed(2)}x` : "-", ((r.cpuMs * 1000) / r.n).toFixed(2), `${Math.round(r.rss)} MB`]);
}

if (THROTTLED.length) {
  const rpm = 120;
  console.log(`\nAt the published rpm ${rpm} (fixed 60 s windows: the first ${rpm} requests go at once, then ${rpm} a window), batches of ${BATCH}:\n`);
  line(["leads", "requests", "time", "least the limit allows", "ratio", "429s sent by the server", "429s reaching the caller", "peak RSS"]);
  line(["---:", "---:", "---:", "---:", "---:", "---:", "---:", "---:"]);
  for (const n of THROTTLED) {
    log(`throttled ${n} at rpm ${rpm}`);
    const r = await measure(n, "stream", { rpm, ipRpm: 1_000_000, rpd: 100_000_000 });
    const requests = Math.ceil(n / BATCH);
    // The last window opens (windows - 1) minutes after the first; its requests then take the unthrottled time.
    const ceilingMs = (Math.ceil(requests / rpm) - 1) * 60_000;
    const ratio = ceilingMs ? `${(r.ms / ceilingMs).toFixed(3)}x` : "one window: no wait";
    // measure() threw if any batch failed, so no 429 reached the caller.
    line([n, requests, `${(r.ms / 1000).toFixed(1)} s`, `${(ceilingMs / 1000).toFixed(0)} s`, ratio, r.log429, 0, `${Math.round(r.rss)} MB`]);
  }
}
