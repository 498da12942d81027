// 6. Results as a table with the campaign's display columns, CSV download; calls list.
import { state } from "./state.js";
import { h, render, panelHeader, codeSnippet, errorBox, busy, spinner, cell, plural } from "./ui.js";
import { campaignPicker } from "./campaigns.js";
import { startCampaign } from "./builder.js";

let els = {};
let current = null; // { id, display_columns, rows }
let callsCursor = null;
let callsShown = 0;
let visible = false;
let stale = true;

export function mount(section) {
  els.results = h("div", { class: "results-body" });
  els.calls = h("tbody");
  els.callsFoot = h("div", { class: "table-foot" });
  els.callsStatus = h("div");
  els.download = h("button", { type: "button", class: "btn", id: "results-csv", disabled: true, onclick: download }, "Download CSV");
  els.start = h("button", { type: "button", class: "btn", id: "results-start", "data-scope": "campaigns:start" }, "Start campaign");
  els.proposal = h("div", { class: "proposal-slot" });
  els.start.addEventListener("click", () => state.campaignId && startCampaign(state.campaignId, els.start, els.proposal));

  render(
    section,
    panelHeader("Results & calls", "What the calls extracted, one row per lead, in the campaign's display columns; then the calls themselves."),
    h(
      "div",
      { class: "card toolbar" },
      campaignPicker({ label: "Campaign", id: "results-campaign" }).wrap,
      h("div", { class: "btn-row" }, h("button", { type: "button", class: "btn", onclick: refresh }, "Refresh"), els.download, els.start),
    ),
    els.proposal,
    h("div", { class: "card flush" }, h("div", { class: "card-head pad" }, h("h3", {}, "Results"), h("span", { class: "muted", id: "results-meta" })), els.results),
    h(
      "div",
      { class: "card flush" },
      h("div", { class: "card-head pad" }, h("h3", {}, "Calls"), h("span", { class: "muted" }, "GET /calls?campaign_id=…, 5 per page")),
      h("table", { class: "table", "data-testid": "calls-table" }, h("thead", {}, h("tr", {}, h("th", { class: "id" }, "Call"), h("th", {}, "Status"), h("th", {}, "To"), h("th", {}, "Detected language"))), els.calls),
      els.callsFoot,
      els.callsStatus,
    ),
    codeSnippet(`const { display_columns, rows } = await client.campaigns.results(campaignId);
// display_columns: [{ name: "quote_amount", label: "Quote Amount" }, ...]

const page = await client.calls.list({ campaign_id: campaignId, limit: 5 });   // { items, next_cursor }`),
  );

  const changed = () => {
    stale = true;
    render(els.proposal);
    if (visible) refresh();
  };
  state.addEventListener("campaign", changed);
  state.addEventListener("campaigns", changed);
  state.addEventListener("client", () => (stale = true));
  document.addEventListener("leads-changed", () => (stale = true));
  document.addEventListener("view", (e) => {
    visible = e.detail === "results";
    if (visible && stale) refresh();
  });
}

function refresh() {
  stale = false;
  loadResults();
  reloadCalls();
}

async function loadResults() {
  const client = state.client;
  const id = state.campaignId;
  current = null;
  els.download.disabled = true;
  document.getElementById("results-meta").textContent = "";
  if (id == null) return render(els.results, h("p", { class: "empty" }, "No campaign to show. Create one in the builder."));
  render(els.results, spinner("Loading results…"));
  try {
    const res = await client.campaigns.results(id);
    if (client !== state.client || id !== state.campaignId) return;
    current = { id, ...res };
    document.getElementById("results-meta").textContent = `${plural(res.rows.length, "row")} · ${plural(res.display_columns.length, "column")}`;
    els.download.disabled = !res.rows.length;
    const numeric = new Set(res.display_columns.filter((c) => res.rows.some((r) => typeof r[c.name] === "number") && res.rows.every((r) => r[c.name] == null || typeof r[c.name] === "number")).map((c) => c.name));
    render(
      els.results,
      res.rows.length
        ? h(
            "div",
            { class: "table-scroll" },
            h(
              "table",
              { class: "table results", "data-testid": "results-table" },
              h("thead", {}, h("tr", {}, res.display_columns.map((c) => h("th", { class: numeric.has(c.name) ? "numeric" : null, dataset: { column: c.name }, title: c.name }, c.label)))),
              h("tbody", {}, res.rows.map((row) => h("tr", {}, res.display_columns.map((c) => h("td", { class: numeric.has(c.name) ? "numeric" : null }, cell(row[c.name])))))),
            ),
          )
        : h("p", { class: "empty" }, "No leads yet: import some in Leads import, and their calls' results show here."),
    );
  } catch (err) {
    if (client !== state.client) return;
    render(els.results, h("div", { class: "pad" }, errorBox(err)));
  }
}

async function reloadCalls() {
  callsCursor = null;
  callsShown = 0;
  els.calls.replaceChildren();
  render(els.callsStatus);
  render(els.callsFoot, spinner("Loading calls…"));
  await moreCalls();
}

async function moreCalls() {
  const client = state.client;
  const id = state.campaignId;
  if (id == null) return render(els.callsFoot);
  const btn = els.callsFoot.querySelector("button");
  if (btn) busy(btn, true, "Loading…");
  try {
    const page = await client.calls.list({ campaign_id: id, limit: 5, ...(callsCursor != null ? { cursor: callsCursor } : {}) });
    if (client !== state.client || id !== state.campaignId) return;
    for (const c of page.items) {
      els.calls.append(
        h(
          "tr",
          {},
          h("td", { class: "id" }, `#${c.id}`),
          h("td", {}, h("span", { class: `status ${c.status}` }, c.status.replace(/_/g, " "))),
          h("td", {}, h("code", {}, c.to_number)),
          h("td", {}, c.detected_language ? h("span", { class: "tag" }, c.detected_language) : h("span", { class: "nil" }, "—")),
        ),
      );
    }
    callsShown += page.items.length;
    callsCursor = page.next_cursor ?? null;
    render(
      els.callsFoot,
      h("span", { class: "muted" }, callsShown ? `${plural(callsShown, "call")} shown` : "No calls for this campaign yet.", callsCursor != null ? " · more available" : callsShown ? " · end of list" : ""),
      callsCursor != null ? h("button", { type: "button", class: "btn", "data-testid": "calls-more", onclick: moreCalls }, "Load more") : null,
    );
  } catch (err) {
    if (client !== state.client) return;
    render(els.callsFoot);
    render(els.callsStatus, h("div", { class: "pad" }, errorBox(err)));
  }
}

/** The results as CSV (RFC 4180), headed by the column labels. */
export function resultsCsv({ display_columns, rows }) {
  const q = (v) => {
    if (v === null || v === undefined) return "";
    const s = typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [display_columns.map((c) => q(c.label)).join(",")];
  for (const r of rows) lines.push(display_columns.map((c) => q(r[c.name])).join(","));
  return lines.join("\r\n") + "\r\n";
}

function download() {
  if (!current) return;
  const blob = new Blob([resultsCsv(current)], { type: "text/csv;charset=utf-8" });
  const a = h("a", { href: URL.createObjectURL(blob), download: `campaign-${current.id}-results.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}
