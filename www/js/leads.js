// 5. Leads import: a CSV file (or the sample), every row validated with its issues
// and phone suggestions, then the valid rows upserted in batches with progress.
import { state } from "./state.js";
import { h, render, panelHeader, codeSnippet, errorBox, issueList, busy, toast, plural, field, describeError } from "./ui.js";
import { campaignPicker } from "./campaigns.js";
import { parseLeadsCsv } from "./validation.js";
import { readCsv, columnOf } from "./csv-view.js";

const SAMPLE_URL = "samples/leads.csv";

let csv = null; // { delimiter, header, rows: [{ number, fields }] } as written
let parsed = null; // parseLeadsCsv's answer
let rowIssues = new Map();
let fileIssues = [];
let itemByRow = new Map();
let edited = new Set();
let sourceText = "";
let fileName = "";
let filter = "all";
let controller = null;
let els = {};

export function mount(section) {
  els.file = h("input", { type: "file", id: "leads-file", accept: ".csv,text/csv", class: "visually-hidden" });
  els.drop = h(
    "label",
    { class: "dropzone", for: "leads-file" },
    h("span", { class: "drop-icon", "aria-hidden": "true" }, "⇪"),
    h("span", {}, h("strong", {}, "Choose a CSV file"), " or drop it here"),
    h("span", { class: "muted small" }, "Columns: external_id, phone, name; any other column goes to the lead's data."),
  );
  els.normalize = h("input", { type: "checkbox", id: "leads-normalize" });
  els.country = h("input", { id: "leads-cc", placeholder: "39", inputmode: "numeric", size: "4", class: "cc" });
  els.summary = h("div", { class: "import-summary", "aria-live": "polite" });
  els.table = h("div", { class: "rows-wrap" });
  els.batch = h("input", { id: "leads-batch", type: "number", min: "1", max: "1000", value: "3", inputmode: "numeric" });
  els.concurrency = h("select", { id: "leads-concurrency" }, [1, 2, 4].map((n) => h("option", { value: String(n), selected: n === 2 }, String(n))));
  els.upsert = h("button", { type: "button", class: "btn primary", id: "leads-upsert", "data-scope": "leads:write", disabled: true }, "Upsert valid rows");
  els.cancel = h("button", { type: "button", class: "btn ghost", id: "leads-cancel", hidden: true }, "Cancel");
  els.progress = h("div", { class: "progress", role: "progressbar", "aria-valuemin": "0", "aria-valuemax": "100", "aria-valuenow": "0", "aria-label": "Import progress" }, h("div", { class: "bar" }));
  els.progressText = h("div", { class: "progress-text muted", "data-testid": "progress-text" }, "Nothing sent yet.");
  els.counts = h("div", { class: "counts", "data-testid": "counts" });
  els.outcome = h("div", { class: "outcome" });

  render(
    section,
    panelHeader("Leads import", "Validate a CSV in the browser, row by row, then upsert the valid rows in batches."),
    h(
      "div",
      { class: "leads-top" },
      h(
        "div",
        { class: "card form" },
        h("h3", {}, h("span", { class: "step" }, "1"), "Pick a campaign and a file"),
        campaignPicker({ label: "Campaign", id: "leads-campaign" }).wrap,
        els.file,
        els.drop,
        h(
          "div",
          { class: "csv-options" },
          h("label", { class: "check" }, els.normalize, " Rewrite phone numbers to E.164 (warn instead of refusing)"),
          h("label", { class: "inline-label", for: "leads-cc" }, "Default country code ", h("span", { class: "optional" }, "for numbers without one")),
          els.country,
        ),
        h(
          "div",
          { class: "btn-row" },
          h("button", { type: "button", class: "btn", id: "leads-sample", onclick: loadSample }, "Load the sample CSV"),
          h("a", { class: "btn ghost", href: SAMPLE_URL, download: "agoralia-sample-leads.csv" }, "Download the sample"),
        ),
      ),
      h(
        "div",
        { class: "card form" },
        h("h3", {}, h("span", { class: "step" }, "3"), "Upsert"),
        h("div", { class: "row-2" }, field({ label: "Batch size", control: els.batch, hint: "rows per request (max 1000)" }).wrap, field({ label: "Concurrency", control: els.concurrency, hint: "requests in flight" }).wrap),
        h("div", { class: "btn-row" }, els.upsert, els.cancel),
        els.progress,
        els.progressText,
        els.counts,
        els.outcome,
      ),
    ),
    h("div", { class: "card rows-card" }, h("h3", {}, h("span", { class: "step" }, "2"), "Check every row"), els.summary, els.table),
    codeSnippet(`import { parseLeadsCsv } from "agoralia";

const { items, issues, rowCount } = parseLeadsCsv(await file.text(), { normalizePhones, defaultCountryCode });
// items: the rows without errors; issues: path ["rows", n, field], n as a spreadsheet counts rows
const summary = await client.leads.upsertAll(
  { campaign_id, items: validItems },
  { batchSize: 3, concurrency: 2, signal, onProgress: (p) => render(p) },
);  // { created, updated, failed, ... } summed over the batches`),
  );
  renderCounts(null);

  els.file.addEventListener("change", async () => {
    const file = els.file.files?.[0];
    if (file) load(await file.text(), file.name);
  });
  for (const ev of ["dragenter", "dragover"]) els.drop.addEventListener(ev, (e) => (e.preventDefault(), els.drop.classList.add("over")));
  for (const ev of ["dragleave", "drop"]) els.drop.addEventListener(ev, () => els.drop.classList.remove("over"));
  els.drop.addEventListener("drop", async (e) => {
    e.preventDefault();
    const file = e.dataTransfer?.files?.[0];
    if (file) load(await file.text(), file.name);
  });
  els.upsert.addEventListener("click", upsert);
  els.normalize.addEventListener("change", () => sourceText && load(writeCsvKeepingRows(), null));
  els.country.addEventListener("change", () => sourceText && load(writeCsvKeepingRows(), null));
  els.cancel.addEventListener("click", () => controller?.abort());
  renderRows();
}

async function loadSample() {
  const res = await fetch(SAMPLE_URL);
  load(await res.text(), "leads.csv (sample)");
}

function options() {
  const o = {};
  if (els.normalize.checked) o.normalizePhones = true;
  const cc = els.country.value.trim().replace(/^\+/, "");
  if (cc) o.defaultCountryCode = cc;
  return o;
}

/** Parses the text with the SDK; keeps the rows as written for display. */
function load(text, name) {
  if (name) {
    fileName = name;
    edited = new Set();
  }
  sourceText = text;
  csv = readCsv(text);
  try {
    parsed = parseLeadsCsv(text, options());
  } catch (err) {
    parsed = null;
    render(els.summary, errorBox(err, { title: "Could not read this CSV" }));
    render(els.table);
    return;
  }
  // Issues by row number (path ["rows", n, field?]); the rest concern the file.
  rowIssues = new Map();
  fileIssues = [];
  for (const i of parsed.issues ?? []) {
    const n = i.path?.[0] === "rows" ? i.path[1] : undefined;
    if (typeof n === "number" && n > 1) (rowIssues.get(n) ?? rowIssues.set(n, []).get(n)).push(i);
    else fileIssues.push(i);
  }
  // The SDK's items are the rows without errors, in order.
  const okRows = csv.rows.filter((r) => !hasError(r));
  itemByRow = new Map(okRows.length === parsed.items.length ? okRows.map((r, k) => [r.number, parsed.items[k]]) : []);
  renderCounts(null);
  render(els.outcome);
  setProgress(0, "Nothing sent yet.");
  renderRows();
}

const issuesOf = (r) => rowIssues.get(r.number) ?? [];
const hasError = (r) => issuesOf(r).some((i) => i.severity !== "warning");
const fieldOf = (i) => (i.path?.[0] === "rows" ? i.path[2] : i.path?.[0]) ?? "";

function renderRows() {
  if (!parsed) {
    render(els.summary, h("p", { class: "muted" }, "Choose a file or load the sample: every row is checked here, in the browser, before anything is sent."));
    render(els.table);
    els.upsert.disabled = true;
    els.upsert.textContent = "Upsert valid rows";
    return;
  }
  const rows = csv.rows;
  const bad = rows.filter(hasError);
  const warned = rows.filter((r) => !hasError(r) && issuesOf(r).length);
  const ready = parsed.items.length;
  const phoneFixes = rows.filter((r) => issuesOf(r).some((i) => fieldOf(i) === "phone" && i.suggestion && i.severity !== "warning"));
  const seg = (k, label, n) => h("button", { type: "button", class: `seg ${filter === k ? "on" : ""}`, "aria-pressed": String(filter === k), onclick: () => ((filter = k), renderRows()) }, label, h("span", { class: "seg-n" }, String(n)));
  render(
    els.summary,
    h(
      "div",
      { class: "summary-bar" },
      h("div", { class: "file-name" }, h("span", { class: "muted" }, "File "), h("strong", {}, fileName)),
      h(
        "div",
        { class: "mini-stats", "data-testid": "rows-summary" },
        h("span", { class: "ms" }, h("strong", { "data-testid": "rows-total" }, String(parsed.rowCount ?? rows.length)), " rows"),
        h("span", { class: "ms ok" }, h("strong", { "data-testid": "rows-ready" }, String(ready)), " ready"),
        h("span", { class: "ms error" }, h("strong", { "data-testid": "rows-bad" }, String(bad.length)), " with errors"),
        warned.length ? h("span", { class: "ms warning" }, h("strong", { "data-testid": "rows-warned" }, String(warned.length)), " with warnings") : null,
      ),
      phoneFixes.length
        ? h("button", { type: "button", class: "btn suggest small", "data-testid": "fix-phones", onclick: () => fixPhones(phoneFixes) }, `Use the ${plural(phoneFixes.length, "suggested phone number")}`)
        : null,
      h("div", { class: "segmented", role: "group", "aria-label": "Show rows" }, seg("all", "All", rows.length), seg("bad", "With issues", bad.length + warned.length), seg("ready", "Ready", ready)),
    ),
    issueList(fileIssues, { showPath: false }),
  );
  const visible = rows.filter((r) => (filter === "bad" ? issuesOf(r).length : filter === "ready" ? !hasError(r) : true));
  const cols = csv.header;
  render(
    els.table,
    h(
      "table",
      { class: "table rows", "data-testid": "rows-table" },
      h("thead", {}, h("tr", {}, h("th", { class: "id" }, "Row"), h("th", {}, "Status"), cols.map((c) => h("th", {}, c || h("em", {}, "(no header)"))), h("th", { class: "issues-col" }, "Issues"))),
      h(
        "tbody",
        {},
        visible.map((r) => {
          const its = issuesOf(r);
          const err = hasError(r);
          const sev = (k) => {
            const on = its.filter((i) => columnOf(cols, fieldOf(i)) === k);
            return on.some((i) => i.severity !== "warning") ? "bad" : on.length ? "warn" : "";
          };
          const item = itemByRow.get(r.number);
          return h(
            "tr",
            { class: err ? "row-error" : its.length ? "row-warning" : "row-ok", dataset: { row: r.number } },
            h("td", { class: "id" }, String(r.number)),
            h("td", { class: "row-status" }, h("span", { class: `badge ${err ? "error" : its.length ? "warning" : "ok"}` }, err ? "error" : its.length ? "warning" : edited.has(r.number) ? "fixed" : "ready")),
            cols.map((c, k) => {
              const v = (r.fields[k] ?? "").trim();
              const sent = item && k === columnOf(cols, "phone") && item.phone !== v ? item.phone : null;
              return h("td", { class: sev(k) || null }, v ? h("code", {}, v) : h("span", { class: "nil" }, "empty"), sent ? h("div", { class: "sent-as" }, "sent as ", h("code", {}, sent)) : null);
            }),
            h("td", { class: "issues-col" }, issueList(its, { onSuggest: (i) => (fieldOf(i) === "phone" ? fixPhones([r]) : null) }) ?? h("span", { class: "ok-text" }, "✓ valid")),
          );
        }),
      ),
    ),
  );
  els.upsert.disabled = ready === 0 || !state.campaignId;
  els.upsert.textContent = `Upsert ${plural(ready, "valid row")}`;
}

/** Writes each row's suggested phone into its cell and validates the file again. */
function fixPhones(rows) {
  const col = columnOf(csv.header, "phone");
  if (col < 0) return;
  for (const r of rows) {
    const s = issuesOf(r).find((i) => fieldOf(i) === "phone" && i.suggestion)?.suggestion;
    if (s == null) continue;
    r.fields[col] = String(s);
    edited.add(r.number);
  }
  load(writeCsvKeepingRows(), null);
}

/** Re-serialises the rows, keeping their numbers (blank lines fill the gaps). */
function writeCsvKeepingRows() {
  const lines = [];
  const q = (v = "") => (/[",\r\n]/.test(v) || v.includes(csv.delimiter) ? `"${v.replace(/"/g, '""')}"` : v);
  const line = (f) => f.map(q).join(csv.delimiter);
  lines.push(line(csv.header));
  let n = 2;
  for (const r of csv.rows) {
    while (n < r.number) (lines.push(""), n++);
    lines.push(line(r.fields));
    n = r.number + 1;
  }
  return lines.join("\n") + "\n";
}

// --- upsert ---------------------------------------------------------------------

function setProgress(pct, text) {
  els.progress.setAttribute("aria-valuenow", String(Math.round(pct)));
  els.progress.querySelector(".bar").style.width = `${pct}%`;
  els.progress.classList.toggle("done", pct >= 100);
  els.progressText.textContent = text;
}

function renderCounts(c) {
  const box = (key, label) => h("div", { class: `count-box ${key}` }, h("div", { class: "count-n", "data-testid": `count-${key}` }, c ? String(c[key] ?? 0) : "–"), h("div", { class: "count-label" }, label));
  render(els.counts, box("created", "created"), box("updated", "updated"), box("failed", "failed"));
}

async function upsert() {
  const campaign_id = state.campaignId;
  const items = parsed?.items ?? [];
  if (!items.length || !campaign_id) return;
  const batchSize = Math.max(1, Math.min(1000, Number(els.batch.value) || 100));
  const concurrency = Number(els.concurrency.value) || 1;
  const batches = Math.ceil(items.length / batchSize);
  controller = new AbortController();
  busy(els.upsert, true, "Upserting…");
  els.cancel.hidden = false;
  render(els.outcome);
  const live = { created: 0, updated: 0, failed: 0 };
  renderCounts(live);
  setProgress(0, `Sending ${plural(items.length, "row")} in ${plural(batches, "batch", "batches")}…`);
  try {
    const summary = await state.client.leads.upsertAll(
      { campaign_id, items },
      {
        batchSize,
        concurrency,
        signal: controller.signal,
        onProgress: (p) => {
          for (const k of ["created", "updated", "failed"]) live[k] = p[k];
          renderCounts(live);
          setProgress((100 * p.itemsDone) / p.itemsTotal, `${p.itemsDone} of ${p.itemsTotal} rows · batch ${p.batchesDone} of ${p.batchesTotal}${p.failedBatches ? ` · ${plural(p.failedBatches, "batch", "batches")} failed` : ""}`);
        },
      },
    );
    renderCounts(summary);
    setProgress(100, `Done: ${plural(items.length, "row")} in ${plural(batches, "batch", "batches")} to campaign #${campaign_id}.`);
    const failedBatches = summary.failedBatches ?? [];
    const skipped = (parsed.rowCount ?? csv.rows.length) - items.length;
    render(
      els.outcome,
      h(
        "div",
        { class: `callout ${summary.failed || failedBatches.length ? "warn" : "ok"}`, "data-testid": "import-done" },
        h("strong", {}, `${summary.created} created, ${summary.updated} updated, ${summary.failed} failed.`),
        skipped ? ` ${plural(skipped, "row")} with errors ${skipped === 1 ? "was" : "were"} not sent.` : "",
        failedBatches.length
          ? h("ul", { class: "failed-batches" }, failedBatches.map((b) => h("li", {}, `Batch ${b.index + 1} (${plural(b.items.length, "row")}): ${describeError(b.error)}`)))
          : null,
        h("div", {}, h("button", { type: "button", class: "linkish", onclick: () => document.dispatchEvent(new CustomEvent("goto", { detail: "results" })) }, "See the campaign's results →")),
      ),
    );
    toast(`Imported: ${summary.created} created, ${summary.updated} updated`, "ok");
    document.dispatchEvent(new CustomEvent("leads-changed"));
  } catch (err) {
    const aborted = err?.name === "AbortError" || controller.signal.aborted;
    setProgress(0, aborted ? "Cancelled." : "Failed.");
    render(els.outcome, aborted ? h("div", { class: "callout warn" }, "Import cancelled: batches already answered stay applied.") : errorBox(err, { title: "The import stopped" }));
  } finally {
    busy(els.upsert, false);
    els.cancel.hidden = true;
    controller = null;
    renderRows();
  }
}

state.addEventListener("campaigns", () => els.upsert && renderRows());
