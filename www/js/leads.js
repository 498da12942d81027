// 5. Leads import: a CSV file (or the sample), every row validated with its issues
// and phone suggestions, then the valid rows upserted in batches with progress.
import { state } from "./state.js";
import { h, render, panelHeader, codeSnippet, errorBox, issueList, busy, toast, plural, field } from "./ui.js";
import { campaignPicker } from "./campaigns.js";
import { parseLeadsCsv, normalizePhone } from "./validation.js";

const SAMPLE_URL = "samples/leads.csv";

let rows = []; // { n, item, issues, fixed? }
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
    codeSnippet(`import { parseLeadsCsv, normalizePhone } from "agoralia";

const { items, issues, rowCount } = parseLeadsCsv(await file.text());   // per-row issues, row numbers as people count
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
  els.cancel.addEventListener("click", () => controller?.abort());
  renderRows();
}

async function loadSample() {
  const res = await fetch(SAMPLE_URL);
  load(await res.text(), "leads.csv (sample)");
}

/** Parses the text with the SDK and keeps, per row, its item and its issues. */
function load(text, name) {
  fileName = name;
  let parsed;
  try {
    parsed = parseLeadsCsv(text);
  } catch (err) {
    rows = [];
    render(els.summary, errorBox(err, { title: "Could not read this CSV" }));
    render(els.table);
    return;
  }
  rows = toRows(parsed);
  renderCounts(null);
  render(els.outcome);
  setProgress(0, "Nothing sent yet.");
  renderRows();
}

/**
 * One entry per data row: { n (row number as a person counts it), item, issues }.
 * `items[k]` is data row k; issues name their row with `row` (or path[0] = k).
 */
function toRows(parsed) {
  const items = parsed.items ?? [];
  const out = items.map((item, k) => ({ k, n: item?.row ?? k + 2, item: stripRow(item), issues: [] }));
  for (const issue of parsed.issues ?? []) {
    let r;
    if (typeof issue.row === "number") r = out.find((x) => x.n === issue.row);
    if (!r && typeof issue.path?.[0] === "number") r = out[issue.path[0]];
    if (r) r.issues.push(issue);
  }
  return out;
}

function stripRow(item) {
  if (!item || typeof item !== "object") return item;
  const { row, ...rest } = item;
  return rest;
}

const hasError = (r) => r.issues.some((i) => i.severity !== "warning");
const fieldOf = (i) => (typeof i.path?.[0] === "number" ? i.path[1] : i.path?.[0]) ?? "";

function renderRows() {
  if (!rows.length) {
    render(els.summary, h("p", { class: "muted" }, "Choose a file or load the sample: every row is checked here, in the browser, before anything is sent."));
    render(els.table);
    els.upsert.disabled = true;
    return;
  }
  const bad = rows.filter(hasError);
  const warned = rows.filter((r) => !hasError(r) && r.issues.length);
  const ready = rows.length - bad.length;
  const phoneFixes = rows.filter((r) => r.issues.some((i) => fieldOf(i) === "phone" && i.suggestion));
  const seg = (key, label, n) => h("button", { type: "button", class: `seg ${filter === key ? "on" : ""}`, "aria-pressed": String(filter === key), onclick: () => ((filter = key), renderRows()) }, label, h("span", { class: "seg-n" }, String(n)));
  render(
    els.summary,
    h(
      "div",
      { class: "summary-bar" },
      h("div", { class: "file-name" }, h("span", { class: "muted" }, "File "), h("strong", {}, fileName)),
      h(
        "div",
        { class: "mini-stats", "data-testid": "rows-summary" },
        h("span", { class: "ms" }, h("strong", { "data-testid": "rows-total" }, String(rows.length)), " rows"),
        h("span", { class: "ms ok" }, h("strong", { "data-testid": "rows-ready" }, String(ready)), " ready"),
        h("span", { class: "ms error" }, h("strong", { "data-testid": "rows-bad" }, String(bad.length)), " with errors"),
        warned.length ? h("span", { class: "ms warning" }, h("strong", {}, String(warned.length)), " with warnings") : null,
      ),
      phoneFixes.length
        ? h("button", { type: "button", class: "btn suggest", "data-testid": "fix-phones", onclick: () => phoneFixes.forEach((r) => applyPhone(r, r.issues.find((i) => fieldOf(i) === "phone" && i.suggestion).suggestion, false)) || recheck() }, `Use the ${plural(phoneFixes.length, "suggested phone number")}`)
        : null,
      h("div", { class: "segmented", role: "group", "aria-label": "Show rows" }, seg("all", "All", rows.length), seg("bad", "With issues", bad.length + warned.length), seg("ready", "Ready", ready)),
    ),
  );
  const visible = rows.filter((r) => (filter === "bad" ? r.issues.length : filter === "ready" ? !hasError(r) : true));
  const dataKeys = [...new Set(rows.flatMap((r) => Object.keys(r.item?.data ?? {})))];
  render(
    els.table,
    h(
      "table",
      { class: "table rows", "data-testid": "rows-table" },
      h("thead", {}, h("tr", {}, h("th", { class: "id" }, "Row"), h("th", {}, ""), h("th", {}, "external_id"), h("th", {}, "phone"), h("th", {}, "name"), dataKeys.map((k) => h("th", { class: "data-col" }, k)), h("th", { class: "issues-col" }, "Issues"))),
      h(
        "tbody",
        {},
        visible.map((r) => {
          const err = hasError(r);
          const by = (name) => r.issues.filter((i) => fieldOf(i) === name);
          const other = r.issues.filter((i) => !["external_id", "phone", "name"].includes(fieldOf(i)));
          const cellIssues = (name) => by(name).some((i) => i.severity !== "warning") ? "bad" : by(name).length ? "warn" : "";
          return h(
            "tr",
            { class: err ? "row-error" : r.issues.length ? "row-warning" : "row-ok", dataset: { row: r.n } },
            h("td", { class: "id" }, String(r.n)),
            h("td", { class: "row-status" }, h("span", { class: `badge ${err ? "error" : r.issues.length ? "warning" : "ok"}`, title: err ? "not sent" : "ready" }, err ? "error" : r.issues.length ? "warning" : r.fixed ? "fixed" : "ready")),
            h("td", { class: cellIssues("external_id") }, r.item?.external_id ? h("code", {}, r.item.external_id) : h("span", { class: "nil" }, "missing")),
            h("td", { class: cellIssues("phone") }, r.item?.phone ? h("code", {}, r.item.phone) : h("span", { class: "nil" }, "missing")),
            h("td", {}, r.item?.name ?? h("span", { class: "nil" }, "—")),
            dataKeys.map((k) => h("td", { class: "data-col" }, r.item?.data?.[k] ?? h("span", { class: "nil" }, "—"))),
            h("td", { class: "issues-col" }, issueList(r.issues, { showPath: false, onSuggest: (i) => (fieldOf(i) === "phone" ? applyPhone(r, i.suggestion) : null) }) ?? h("span", { class: "muted" }, "—")),
          );
        }),
      ),
    ),
  );
  els.upsert.disabled = ready === 0 || !state.campaignId;
  els.upsert.textContent = `Upsert ${plural(ready, "valid row")}`;
}

function applyPhone(r, phone, redraw = true) {
  r.item = { ...r.item, phone };
  r.fixed = true;
  if (redraw) recheck();
}

/** Re-validates after an edit: the rows go back to CSV text and through the SDK again. */
function recheck() {
  const cols = ["external_id", "phone", "name"];
  const dataKeys = [...new Set(rows.flatMap((r) => Object.keys(r.item?.data ?? {})))];
  const q = (v) => (v == null ? "" : /[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  const text = [[...cols, ...dataKeys].join(","), ...rows.map((r) => [...cols.map((c) => q(r.item?.[c])), ...dataKeys.map((k) => q(r.item?.data?.[k]))].join(","))].join("\n");
  const fixed = new Set(rows.filter((r) => r.fixed).map((r) => r.k));
  const parsed = parseLeadsCsv(text);
  rows = toRows(parsed).map((r) => ({ ...r, fixed: fixed.has(r.k) }));
  renderRows();
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
  const items = rows.filter((r) => !hasError(r)).map((r) => r.item);
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
          const done = p.done ?? p.sent ?? p.processed ?? p.completed ?? 0;
          const total = p.total ?? items.length;
          for (const k of ["created", "updated", "failed"]) if (typeof p[k] === "number") live[k] = p[k];
          renderCounts(live);
          const bd = p.batchesDone ?? p.batches_done;
          const bt = p.batches ?? p.batchCount ?? batches;
          setProgress(total ? (100 * done) / total : 0, `${done} of ${total} rows${bd != null ? ` · batch ${bd} of ${bt}` : ""}`);
        },
      },
    );
    renderCounts(summary);
    setProgress(100, `Done: ${plural(items.length, "row")} in ${plural(batches, "batch", "batches")} to campaign #${campaign_id}.`);
    const failedBatches = summary.failedBatches ?? summary.failed_batches ?? summary.errors ?? [];
    const skipped = rows.length - items.length;
    render(
      els.outcome,
      h(
        "div",
        { class: `callout ${summary.failed || failedBatches.length ? "warn" : "ok"}`, "data-testid": "import-done" },
        h("strong", {}, `${summary.created} created, ${summary.updated} updated, ${summary.failed} failed.`),
        skipped ? ` ${plural(skipped, "row")} with errors ${skipped === 1 ? "was" : "were"} not sent.` : "",
        failedBatches.length
          ? h("ul", { class: "failed-batches" }, failedBatches.map((b) => h("li", {}, b.error?.message ?? b.message ?? b.detail ?? JSON.stringify(b))))
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
