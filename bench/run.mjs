// The one bench: measures the SDK beside what a user would pick instead and
// prints one table of medians and ratios. Run through bench/run.sh (which sets
// up and builds first); `node bench/run.mjs [--quick] [--record] [--only a,b]`.
//   --quick   fewer rounds, no throttled bulk run (it takes one 60 s rate window)
//   --record  also writes the table into bench/RESULTS.md (between its markers)
//   --only    sections: size,startup,validation,browser,request,bulk
// AGORALIA_BASELINE_PKG=<a built package dir> adds that build beside ours in
// the size and request rows (the same bundle, the same interleaved rounds):
// how a change moved them, before against after.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { measureSizes, bundle, entries } from "./lib/size.mjs";
import { namesReport } from "./lib/names-build.mjs";
import { startupNode, Ajv, addFormats, Papa } from "./lib/node-bench.mjs";
import { validationSuite } from "./lib/validation.mjs";
import { requestOverhead, bulk } from "./lib/http-bench.mjs";
import { assembleWeb, withBrowser, startupBrowser, validationBrowser } from "./lib/browser.mjs";
import { adapt } from "./lib/sdk.mjs";
import { startSandbox } from "../tests/node/support/sandbox.mjs";

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(BENCH, "..");
const PKG = process.env.AGORALIA_PKG ?? path.join(ROOT, "target/npm/agoralia");
const argv = process.argv.slice(2);
const QUICK = argv.includes("--quick");
const RECORD = argv.includes("--record");
const onlyArg = argv.find((a) => a.startsWith("--only"));
const ONLY = onlyArg ? (onlyArg.includes("=") ? onlyArg.split("=")[1] : argv[argv.indexOf(onlyArg) + 1]).split(",") : null;
const want = (s) => !ONLY || ONLY.includes(s);
const N = QUICK
  ? { startup: 5, browserStartup: 4, keystrokes: 300, leadRounds: 4, request: 150, bulk: false }
  : { startup: 15, browserStartup: 10, keystrokes: 2000, leadRounds: 15, request: 600, bulk: true };
const BULK = { n: 10000, batchSize: 500, rpm: 10 };
const GOAL_KB = 40000, BUDGET = 74000;

const log = (...a) => console.error("bench:", ...a);
const rows = [];
const extra = {};
/** One row: ours and baseline are numbers in `unit`; pass is computed by the caller. */
const row = (section, what, ours, base, unit, goal, pass, note = "") => rows.push({ section, what, ours, base, unit, goal, pass, note });

const sdkMod = await import(path.join(PKG, "dist/node.js"));
const BASELINE = process.env.AGORALIA_BASELINE_PKG ? path.resolve(process.env.AGORALIA_BASELINE_PKG) : null;
const baselineMod = BASELINE ? await import(path.join(BASELINE, "dist/node.js")) : null;
const baselineName = BASELINE ? path.relative(ROOT, BASELINE) || BASELINE : "";
const validatePath = path.join(PKG, "dist/validate.js");
const validateMod = !sdkMod.validateCampaign && fs.existsSync(validatePath) ? await import(validatePath) : null;
const sdk = adapt(sdkMod, validateMod);
if (validateMod) log("validators taken from dist/validate.js (the package entry does not export them yet)");
log("SDK surface:", JSON.stringify(sdk.has));

// ------------------------------------------------------------------ 1. size
if (want("size")) {
  log("size: bundling every contender with esbuild");
  const s = await measureSizes({ benchDir: BENCH, pkgDir: PKG, sdkHas: { ...sdk.has, validateCampaign: !!sdkMod.validateCampaign, validateEntry: fs.existsSync(path.join(PKG, "dist/validate/browser.js")) } });
  extra.sizes = s;
  const ours = s.agoralia;
  const kb = (b) => b;
  const note = `raw ${fmtB(ours.raw)}, brotli ${fmtB(ours.brotli)}; wasm ${fmtB(ours.wasm.gzip)} + JS ${fmtB(ours.js.gzip)} gz`;
  row("size", "SDK download, min+gzip (JS + wasm)", ours.gzip, s.openai.gzip, "B", `<= ${fmtB(GOAL_KB)}; test <= ${fmtB(BUDGET)}`, ours.gzip <= GOAL_KB, `vs openai alone; ${note}`);
  for (const k of ["openai+ajv", "stripe", "retell-sdk", "ajv", "ajv+formats", "zod", "zod/mini"]) {
    const b = s[k];
    if (!b || b.error) { row("size", `  vs ${k}`, ours.gzip, null, "B", "", null, b?.error ?? "not measured"); continue; }
    const goal = k === "openai+ajv" ? "ratio <= 0.54 (40/74)" : "";
    row("size", `  vs ${k} (min+gzip; raw ${fmtB(b.raw)}, br ${fmtB(b.brotli)})`, ours.gzip, b.gzip, "B", goal, k === "openai+ajv" ? ours.gzip / b.gzip <= 40 / 74 : null);
  }
  if (BASELINE) {
    const b = await bundle(entries(sdk.has).agoralia, { benchDir: BENCH, pkgDir: BASELINE });
    row("size", `  vs the baseline build (${baselineName})`, ours.gzip, b.gzip, "B", "", null,
      `${fmtSigned(ours.gzip - b.gzip)} B: wasm ${fmtSigned(ours.wasm.gzip - b.wasm.gzip)}, JS ${fmtSigned(ours.js.gzip - b.js.gzip)} gz; raw wasm ${fmtSigned(ours.wasm.raw - b.wasm.raw)}`);
  }
  row("size", "SDK download, brotli (vs openai+ajv)", ours.brotli, s["openai+ajv"].brotli, "B", "", null);
  row("size", "distance to the 40 KB goal", ours.gzip - GOAL_KB, null, "B", "<= 0", ours.gzip <= GOAL_KB, "see size attribution below");
  const forms = s["agoralia/validate"];
  if (forms && !forms.error) {
    row("size", "validators alone, agoralia/validate (min+gzip; vs ajv+formats)", forms.gzip, s["ajv+formats"].gzip, "B", "test <= 50.0 KB", forms.gzip <= 50000,
      `for pages that check forms and send nothing: no client in its wasm; raw ${fmtB(forms.raw)}, brotli ${fmtB(forms.brotli)}; wasm ${fmtB(forms.wasm.gzip)} + JS ${fmtB(forms.js.gzip)} gz; ${(100 * forms.gzip / ours.gzip).toFixed(0)} % of the whole SDK`);
  }
  try {
    extra.names = namesReport(ROOT, PKG);
  } catch (e) {
    extra.names = { error: String(e.message ?? e) };
  }
}

// ------------------------------------------------------------------ 2.+3. Node
if (want("startup")) {
  log(`startup (node): ${N.startup} fresh processes each`);
  const r = startupNode({ pkgDir: PKG, rounds: N.startup });
  row("start-up", "Node: import package + first validation (vs ajv import+compile+validate)", r.ours.total, r.base.total, "ms", "ratio <= 1", r.ours.total <= r.base.total,
    `ours: load ${fmtMs(r.ours.load)} + first ${fmtMs(r.ours.first)}${sdk.has.validateCampaign ? "" : " (no validateCampaign yet)"}; ajv: import ${fmtMs(r.base.load)} + compile/validate ${fmtMs(r.base.first)}`);
}
if (want("validation")) {
  log("validation (node)");
  const r = await validationSuite(sdk.campaign ? sdk : { ...sdk, campaign: null }, { Ajv, addFormats, Papa }, { keystrokes: N.keystrokes, leads: 10000, rounds: N.leadRounds });
  validationRows("Node", r);
}

// ------------------------------------------------------------------ browser
if (want("browser")) {
  const web = path.join(ROOT, "target/bench-web");
  await assembleWeb(BENCH, web, PKG);
  const sb = await startSandbox({ args: ["--www", web, "--pkg", PKG] });
  try {
    await withBrowser(async (browser) => {
      const url = sb.url + "/index.html";
      log(`startup (chromium): ${N.browserStartup} fresh contexts each`);
      const s = await startupBrowser(browser, url, { rounds: N.browserStartup });
      row("start-up", "Chromium, as an app ships it (one JS bundle + .wasm): fetch+compile+instantiate + first validation (vs ajv bundle+compile+validate)", s.bundled.total, s.base.total, "ms", "ratio <= 1", s.bundled.total <= s.base.total,
        `ours: load ${fmtMs(s.bundled.load)} + first ${fmtMs(s.bundled.first)}; wasm fetch+compileStreaming alone ${fmtMs(s.wasmCompile)}; ajv: load ${fmtMs(s.base.load)} + compile/validate ${fmtMs(s.base.first)}`);
      row("start-up", "Chromium, the package's own unbundled ES modules from /pkg/ (vs the same ajv bundle)", s.ours.total, s.base.total, "ms", "", null,
        `load ${fmtMs(s.ours.load)} + first ${fmtMs(s.ours.first)}: the wasm fetch starts only after every static import of browser.js has loaded`);
      log("validation (chromium)");
      const v = await validationBrowser(browser, url, { keystrokes: N.keystrokes, leads: 10000, rounds: N.leadRounds });
      validationRows("Chromium", v, v.isolated ? "" : " (timer 100 us)");
    });
  } finally {
    await sb.stop();
  }
}

// ------------------------------------------------------------------ 4. request overhead
if (want("request")) {
  log(`request overhead: ${N.request} interleaved rounds`);
  const sb = await startSandbox({ rpm: 10000000, ipRpm: 10000000 });
  try {
    const r = await requestOverhead(sdkMod, sdk.has, sb, { rounds: N.request, baselineMod });
    for (const [k, v] of Object.entries(r)) {
      const label = k === "me" ? "GET /me" : "GET /campaigns?limit=20";
      row("request", `${label}: SDK call vs bare fetch, loopback (Node)`, v.ours.median, v.base.median, "ms", "ratio <= 1.2", v.ours.median / v.base.median <= 1.2,
        // The overhead in time as well as the ratio: on a slow or loaded machine the two tell different stories.
        `the SDK adds ${fmtMs(v.ours.median - v.base.median)}; p99 ${fmtMs(v.ours.p99)} vs ${fmtMs(v.base.p99)}`);
      row("request", `  vs a bare fetch with an AbortSignal (what a timeout costs in undici)`, v.ours.median, v.signal.median, "ms", "", null,
        `the signal alone adds ${fmtMs(v.signal.median - v.base.median)} to a bare fetch`);
      row("request", `  vs openai-node's client, client.get() of the same URL`, v.ours.median, v.openai.median, "ms", "", null,
        `openai-node adds ${fmtMs(v.openai.median - v.base.median)} to a bare fetch`);
      if (v.before) {
        row("request", `  vs the baseline build (${baselineName}), same rounds`, v.ours.median, v.before.median, "ms", "", null,
          `the baseline adds ${fmtMs(v.before.median - v.base.median)} to a bare fetch; p99 ${fmtMs(v.before.p99)}`);
      }
    }
    if (!sdk.has.campaignsList) row("request", "GET /campaigns: SDK call vs bare fetch", null, null, "ms", "ratio <= 1.2", null, "campaigns.list not in the SDK yet");
  } finally {
    await sb.stop();
  }
}

// ------------------------------------------------------------------ 5. bulk
if (want("bulk")) {
  const sb = await startSandbox({ rpm: 10000000, ipRpm: 10000000 });
  try {
    const cfg = N.bulk ? BULK : { ...BULK, rpm: 1000000 };
    log(`bulk: ${cfg.n} leads, batch ${cfg.batchSize}${N.bulk ? `, rpm ${cfg.rpm} (one 60 s window to wait)` : " (quick: unthrottled only)"}`);
    const r = await bulk(sdkMod, sdk.has, sb, cfg);
    extra.bulk = r;
    if (!r.fast) {
      row("bulk", `upsertAll ${cfg.n} leads, unthrottled (vs bare fetch loop ${fmtMs(r.bareMs)})`, null, r.bareMs, "ms", "ratio <= 1.2", null, "leads.upsertAll not in the SDK yet");
    } else {
      row("bulk", `upsertAll ${cfg.n} leads in ${r.requests} batches, unthrottled (vs bare fetch loop)`, r.fast.ms, r.bareMs, "ms", "ratio <= 1.2", r.fast.ms / r.bareMs <= 1.2, r.fast.thrownOther ? `error: ${r.fast.thrownOther}` : "");
      if (N.bulk) {
        const s = r.slow;
        const physical = r.physicalMs + r.bareMs;
        row("bulk", `upsertAll ${cfg.n} leads at rpm ${cfg.rpm} (vs physical limit: ${Math.ceil(r.requests / cfg.rpm) - 1} x 60 s window + transfer)`, s.ms, physical, "ms", "ratio <= 1.1", s.ms / physical <= 1.1 && !s.thrownOther,
          `${s.requests} requests sent, ${s.server429} answered 429 by the server${s.thrownOther ? `; error: ${s.thrownOther}` : ""}`);
        row("bulk", "  429s reaching the caller", s.thrown429 + (s.thrownOther?.includes("429") ? 1 : 0), 0, "", "0", s.thrown429 === 0 && !s.thrownOther?.includes("429"));
      } else {
        row("bulk", `upsertAll at a low rpm vs the physical limit`, null, null, "ms", "ratio <= 1.1", null, "skipped in --quick (needs a 60 s window)");
      }
    }
  } finally {
    await sb.stop();
  }
}

// ------------------------------------------------------------------ table
function validationRows(where, r, timerNote = "") {
  const k = r.keystroke;
  const cnt = k.ours ? ` (issues: ours ${k.oursIssues}, ajv ${k.baseIssues})` : "";
  row("validation", `${where}: campaign (50-property schema) per keystroke, median`, k.ours?.median ?? null, k.base.median, "ms", "", null, (k.ours ? "" : "validateCampaign not in the SDK yet") + cnt + timerNote);
  row("validation", `${where}: campaign per keystroke, p99`, k.ours?.p99 ?? null, k.base.p99, "ms", "ours < 1 ms", k.ours ? k.ours.p99 < 1 : null, timerNote.trim());
  const t = r.leads.times, is = r.leads.issues;
  const lr = (form, label, goal, limit, base = form, note = "") => {
    const o = t[`ours:${form}`], b = t[`base:${base}`];
    if (!o && limit == null) return;
    row("validation", `${where}: 10 000 leads ${label}`, o?.median ?? null, b.median, "ms", goal, o && limit != null ? o.median / b.median <= limit : null,
      o ? `issues: ours ${is[`ours:${form}`]}, baseline ${is[`base:${base}`]}${note}` : "not in the SDK yet");
  };
  lr("array", "as a JS array (vs ajv + JS phone/dup checks)", "ratio <= 2", 2);
  lr("csv", `as CSV text, ${fmtB(r.leads.bytes.csv)}, checked: validateLeadsCsv (vs papaparse + ajv + checks)`, "ratio <= 1", 1);
  lr("csvItems", "as CSV text, checked and parsed to lead objects: parseLeadsCsv (vs the same)", "", null, "csv", `; ${is.csvItems} lead objects built`);
  lr("json", `as JSON text, ${fmtB(r.leads.bytes.json)} (vs JSON.parse + ajv + checks)`, "ratio <= 1", 1);
}

function fmtB(b) {
  if (b == null) return "-";
  return Math.abs(b) >= 1000 ? `${(b / 1000).toFixed(1)} KB` : `${b} B`;
}
function fmtSigned(n) {
  return n > 0 ? `+${n}` : String(n);
}
function fmtMs(ms) {
  if (ms == null || Number.isNaN(ms)) return "-";
  if (ms >= 10000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 100) return `${ms.toFixed(0)} ms`;
  if (ms >= 1) return `${ms.toFixed(2)} ms`;
  return `${(ms * 1000).toFixed(1)} us`;
}
const fmt = (v, unit) => (v == null ? "-" : unit === "B" ? fmtB(v) : unit === "ms" ? fmtMs(v) : String(v));

function table() {
  const head = ["measurement", "ours", "baseline", "ratio", "goal", "pass", "notes"];
  const body = rows.map((r) => [
    r.what, fmt(r.ours, r.unit), fmt(r.base, r.unit),
    r.ours != null && r.base ? (r.ours / r.base).toFixed(2) : "-",
    r.goal, r.pass == null ? (r.goal ? "n/a" : "") : r.pass ? "PASS" : "FAIL", r.note,
  ]);
  const md = [`| ${head.join(" | ")} |`, `|${head.map(() => "---").join("|")}|`, ...body.map((c) => `| ${c.map((x) => String(x).replace(/\|/g, "/")).join(" | ")} |`)];
  return md.join("\n");
}

function sizeAttribution() {
  const n = extra.names;
  if (!n) return "";
  if (n.error) return `size attribution: unavailable (${n.error})`;
  const lines = [
    `Size attribution (release flags + names: ${fmtB(n.codeBytes)} of code in ${n.functionCount} functions, ${fmtB(n.dataBytes)} of data; shipped wasm ${fmtB(n.shippedRaw)} raw):`,
    ...n.groups.slice(0, 14).map((g) => `  ${String(g.size).padStart(7)} B  ${(100 * g.size / n.codeBytes).toFixed(1).padStart(5)} %  ${g.group} (${g.count} fns)`),
    `  largest functions:`,
    ...n.top.slice(0, 10).map((f) => `  ${String(f.size).padStart(7)} B  ${f.name}`),
  ];
  return lines.join("\n");
}

const meta = {
  date: new Date().toISOString(),
  mode: QUICK ? "quick" : "full",
  machine: `${os.cpus().length} x ${os.cpus()[0]?.model?.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, load ${os.loadavg().map((x) => x.toFixed(1)).join(" ")}`,
  versions: versions(),
};
function versions() {
  const v = (p) => { try { return JSON.parse(fs.readFileSync(path.join(BENCH, "node_modules", p, "package.json"), "utf8")).version; } catch { return "?"; } };
  const sh = (c) => { try { return execSync(c, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim(); } catch { return "?"; } };
  const pkgV = (() => { try { return JSON.parse(fs.readFileSync(path.join(PKG, "package.json"), "utf8")).version; } catch { return "?"; } })();
  return `agoralia ${pkgV} (${sh(`git -C ${JSON.stringify(ROOT)} rev-parse --short HEAD`)}), node ${process.version}, ${sh("/usr/bin/chromium --version")}, ${sh("rustc --version")}, esbuild ${v("../../node_modules/esbuild")}, openai ${v("openai")}, stripe ${v("stripe")}, retell-sdk ${v("retell-sdk")}, ajv ${v("ajv")}, ajv-formats ${v("ajv-formats")}, zod ${v("zod")}, papaparse ${v("papaparse")}`;
}

const out = [
  `agoralia bench (${meta.mode}) ${meta.date}`,
  `machine: ${meta.machine}`,
  `versions: ${meta.versions}`,
  "",
  table(),
  "",
  sizeAttribution(),
].join("\n");
console.log(out);
fs.mkdirSync(path.join(ROOT, "target/bench"), { recursive: true });
fs.writeFileSync(path.join(ROOT, "target/bench/results.json"), JSON.stringify({ meta, rows, extra }, null, 2));
fs.writeFileSync(path.join(ROOT, "target/bench/table.md"), out + "\n");
if (RECORD) {
  const f = path.join(BENCH, "RESULTS.md");
  const text = fs.readFileSync(f, "utf8");
  const a = "<!-- bench:table:start -->", b = "<!-- bench:table:end -->";
  const i = text.indexOf(a), j = text.indexOf(b);
  if (i < 0 || j < 0) throw new Error("RESULTS.md has no table markers");
  fs.writeFileSync(f, text.slice(0, i + a.length) + "\n```text\n" + out + "\n```\n" + text.slice(j));
  log("recorded in bench/RESULTS.md");
}
const failed = rows.filter((r) => r.pass === false).length;
log(`${rows.length} rows, ${failed} below goal`);
