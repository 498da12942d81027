// 3 + 4. Campaign builder: every field of POST /campaigns, validated as the user
// types by the SDK's validators; submit creates the campaign; server errors land
// in the same places as client ones. Then start it and show the proposal.
import { state } from "./state.js";
import { h, render, field, panelHeader, codeSnippet, errorBox, issueList, busy, toast, tally, plural, debounce, formatPath } from "./ui.js";
import { codeEditor } from "./editor.js";
import { checkSchemaText, checkCampaign, issuesOfError, isRequestValidationError } from "./validation.js";

const PURPOSES = [
  ["quote_request", "Quote request"],
  ["cold_calling", "Cold calling"],
  ["appointment", "Appointment"],
  ["qualification", "Qualification"],
  ["inbound", "Inbound"],
];
const LANGUAGES = [
  ["same_as_call", "Same as the call"],
  ["en-US", "English (US) · en-US"],
  ["en-GB", "English (UK) · en-GB"],
  ["it-IT", "Italian · it-IT"],
  ["es-ES", "Spanish · es-ES"],
  ["fr-FR", "French · fr-FR"],
  ["de-DE", "German · de-DE"],
  ["pt-BR", "Portuguese (BR) · pt-BR"],
  ["other", "Other BCP-47 tag…"],
];
const BUILT_IN = ["name", "phone", "external_id"];

export const EXAMPLE_SCHEMA = `{
  "type": "object",
  "properties": {
    "quote_amount": { "type": "number", "required": true },
    "availability": {
      "type": "string",
      "enum": ["yes", "no", "unknown"]
    }
  }
}`;

let f = {}; // fields by API name
let editor;
let columns = ["name", "phone", "quote_amount"];
let schemaValue;
let schemaIssues = [];
let lastIssues = [];
let serverIssues = [];
let submitted = false;
let els = {};

export function mount(section) {
  const name = field({ label: "Campaign name", control: h("input", { id: "c-name", name: "name", value: "Spring quotes", placeholder: "Q1 Sales Campaign" }) });
  const purpose = field({ label: "Purpose", control: h("select", { id: "c-purpose", name: "purpose" }, PURPOSES.map(([v, l]) => h("option", { value: v }, l))) });
  const agent = field({
    label: "Agent",
    hint: "An agent id from GET /agents.",
    control: h("input", { id: "c-agent", name: "agent_ref_id", type: "number", min: "1", step: "1", value: "1", list: "c-agents", inputmode: "numeric" }),
  });
  const fromNumber = field({ label: "From number id", optional: true, control: h("input", { id: "c-from", name: "from_number_id", type: "number", min: "1", step: "1", placeholder: "123", inputmode: "numeric" }) });
  const mode = field({
    label: "Call language",
    control: h("select", { id: "c-mode", name: "call_language_mode" }, h("option", { value: "auto" }, "Auto-detect (auto)"), h("option", { value: "fixed" }, "Agent's language (fixed)")),
  });
  const outLang = field({ label: "Output language", control: h("select", { id: "c-outlang", name: "output_language" }, LANGUAGES.map(([v, l]) => h("option", { value: v }, l))) });
  const outLangOther = h("input", { id: "c-outlang-other", name: "output_language_other", placeholder: "e.g. nl-NL", spellcheck: "false", "aria-label": "Other output language tag", hidden: true });
  outLang.wrap.insertBefore(outLangOther, outLang.issues);
  const useSchedule = h("input", { id: "c-sched-on", type: "checkbox", checked: true });
  const tz = field({ label: "Time zone", control: h("input", { id: "c-tz", name: "timezone", value: "Europe/Rome", list: "c-tzs", spellcheck: "false" }) });
  const start = field({ label: "Start", control: h("input", { id: "c-start", name: "start_date", type: "datetime-local", value: "2025-01-20T09:00" }) });
  const end = field({ label: "End", control: h("input", { id: "c-end", name: "end_date", type: "datetime-local", value: "2025-01-31T18:00" }) });
  const scheduleBox = h("div", { class: "schedule-fields" }, tz.wrap, h("div", { class: "row-2" }, start.wrap, end.wrap));
  const scheduleIssues = h("div", { class: "field-issues", id: "c-schedule-issues" });
  f = { name, purpose, agent_ref_id: agent, from_number_id: fromNumber, call_language_mode: mode, output_language: outLang, timezone: tz, start_date: start, end_date: end };
  els.outLangOther = outLangOther;
  els.useSchedule = useSchedule;
  els.scheduleBox = scheduleBox;
  els.scheduleIssues = scheduleIssues;
  els.agentHint = agent.wrap.querySelector(".hint");

  editor = codeEditor({ id: "c-schema", value: EXAMPLE_SCHEMA, rows: 11, label: "Extraction schema (JSON)", onInput: () => validateSoon() });
  els.schemaIssues = h("div", { class: "field-issues", id: "c-schema-issues", "aria-live": "polite" });
  els.schemaStatus = h("span", { class: "pill" });
  els.colsSelected = h("div", { class: "chips", id: "c-columns", "data-testid": "columns" });
  els.colsOffer = h("div", { class: "offer" });
  els.colsIssues = h("div", { class: "field-issues", id: "c-columns-issues", "aria-live": "polite" });
  els.colInput = h("input", { id: "c-col-add", placeholder: "a key of the lead's data, e.g. company", spellcheck: "false", "aria-label": "Add a display column" });
  els.preview = h("pre", { class: "preview", id: "c-preview" });
  els.summary = h("div", { class: "summary", id: "c-summary", "aria-live": "polite" });
  els.submit = h("button", { type: "submit", class: "btn primary big", id: "c-submit", "data-scope": "campaigns:write" }, "Create campaign");
  els.result = h("div", { id: "c-result", "aria-live": "polite" });

  const form = h(
    "form",
    { id: "campaign-form", class: "builder", novalidate: true },
    h("datalist", { id: "c-agents" }),
    h("datalist", { id: "c-tzs" }, timeZones().map((z) => h("option", { value: z }))),
    h(
      "div",
      { class: "builder-grid" },
      h(
        "div",
        { class: "card form" },
        h("h3", {}, "Campaign"),
        name.wrap,
        h("div", { class: "row-2" }, purpose.wrap, agent.wrap),
        h("div", { class: "row-2" }, mode.wrap, outLang.wrap),
        fromNumber.wrap,
        h("div", { class: "fieldset" }, h("label", { class: "check" }, useSchedule, " Schedule"), scheduleBox, scheduleIssues),
      ),
      h(
        "div",
        { class: "stack" },
        h(
          "div",
          { class: "card form" },
          h(
            "div",
            { class: "card-head" },
            h("h3", {}, h("label", { for: "c-schema" }, "Extraction schema"), " ", els.schemaStatus),
            h(
              "div",
              { class: "btn-row" },
              h("button", { type: "button", class: "btn small ghost", onclick: formatSchema }, "Format"),
              h("button", { type: "button", class: "btn small ghost", onclick: () => ((editor.value = EXAMPLE_SCHEMA), validate()) }, "Example"),
            ),
          ),
          h("p", { class: "hint" }, "What the agent extracts from each call, as JSON Schema. Mark required fields with ", h("code", {}, '"required": true'), " or a ", h("code", {}, '"required": [...]'), " array."),
          editor.el,
          els.schemaIssues,
        ),
        h(
          "div",
          { class: "card form" },
          h("h3", {}, "Display columns"),
          h("p", { class: "hint" }, "The columns of the results table, in order. Pick from the schema's fields and the built-in lead columns, or name a key of the leads' data."),
          els.colsSelected,
          els.colsOffer,
          h(
            "div",
            { class: "input-group" },
            els.colInput,
            h("button", { type: "button", class: "btn", onclick: addTyped }, "Add"),
          ),
          els.colsIssues,
        ),
      ),
    ),
    h(
      "div",
      { class: "card submit-card" },
      h("div", { class: "submit-row" }, els.summary, els.submit),
      h("details", { class: "snippet inline" }, h("summary", {}, "Request body"), els.preview),
    ),
    els.result,
  );

  render(
    section,
    panelHeader("Campaign builder", "Every field of POST /campaigns, checked as you type by the SDK's validators (WebAssembly, no request). Server errors land in the same places."),
    form,
    codeSnippet(`import { validateCampaign, validateJsonText, validateDisplayColumns, RequestValidationError } from "agoralia";

const { issues } = validateCampaign(body);        // [{ path, code, message, severity, suggestion? }]
try {
  const campaign = await client.campaigns.create(body);   // validates first: nothing is sent if invalid
  const { proposal_id, requires_confirmation } = await client.campaigns.start(campaign.id);
} catch (err) {
  if (err instanceof RequestValidationError) show(err.issues);  // client-side, before any request
  else if (err.status === 422) show(err.issues);                // the server's, same shape
}`),
  );

  form.addEventListener("input", (e) => {
    if (e.target === els.colInput) return;
    touchServer(e.target === editor.textarea ? "extraction_schema" : e.target.name === "output_language_other" ? "output_language" : e.target.name);
    if (e.target === editor.textarea) return;
    validateSoon();
  });
  form.addEventListener("change", (e) => {
    if (e.target === outLang.control) {
      outLangOther.hidden = outLang.control.value !== "other";
      if (!outLangOther.hidden) outLangOther.focus();
    }
    if (e.target === useSchedule) scheduleBox.classList.toggle("disabled", !useSchedule.checked);
    if (e.target === useSchedule) for (const x of scheduleBox.querySelectorAll("input")) x.disabled = !useSchedule.checked;
    validateSoon();
  });
  els.colInput.addEventListener("keydown", (e) => {
    if (e.key === "Enter") {
      e.preventDefault();
      addTyped();
    }
  });
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    submit();
  });

  state.addEventListener("client", loadAgents);
  document.addEventListener("agents-changed", loadAgents);
  validate();
}

function timeZones() {
  try {
    return Intl.supportedValuesOf("timeZone");
  } catch {
    return ["UTC", "Europe/Rome", "Europe/London", "America/New_York"];
  }
}

let agents = [];
async function loadAgents() {
  const client = state.client;
  try {
    const list = [];
    for await (const a of client.agents.list({ limit: 100 })) list.push(a);
    if (client !== state.client) return;
    agents = list;
  } catch {
    agents = [];
  }
  render(document.getElementById("c-agents"), agents.map((a) => h("option", { value: String(a.id) }, `${a.name}${a.lang ? ` · ${a.lang}` : ""}`)));
  agentHint();
}

function agentHint() {
  const id = Number(f.agent_ref_id.control.value);
  const a = agents.find((x) => x.id === id);
  render(els.agentHint, a ? h("span", {}, "→ ", h("strong", {}, a.name), a.lang ? ` · ${a.lang}` : "", ` · ${a.voice_engine}`) : agents.length ? `Agents: ${agents.map((x) => `#${x.id}`).join(", ")}` : "An agent id from GET /agents.");
}

// --- the body -----------------------------------------------------------------

function localDateTime(v) {
  // datetime-local gives "2025-01-20T09:00": local time in the schedule's zone.
  return v ? (v.length === 16 ? `${v}:00` : v) : "";
}

function buildBody() {
  const body = {
    name: f.name.control.value,
    purpose: f.purpose.control.value,
    agent_ref_id: f.agent_ref_id.control.value === "" ? undefined : Number(f.agent_ref_id.control.value),
    call_language_mode: f.call_language_mode.control.value,
    output_language: f.output_language.control.value === "other" ? els.outLangOther.value.trim() : f.output_language.control.value,
    extraction_schema: schemaValue,
    display_columns: [...columns],
  };
  if (f.from_number_id.control.value !== "") body.from_number_id = Number(f.from_number_id.control.value);
  if (els.useSchedule.checked) {
    body.schedule = {
      timezone: f.timezone.control.value.trim(),
      start_date: localDateTime(f.start_date.control.value),
      end_date: localDateTime(f.end_date.control.value),
    };
  }
  return body;
}

// --- validation -----------------------------------------------------------------

const validateSoon = debounce(() => validate(), 60);

function validate() {
  const schema = checkSchemaText(editor.value);
  schemaValue = schema.value;
  schemaIssues = schema.issues;
  const body = buildBody();
  // The campaign validator sees a parsed schema; when the text is not JSON, the
  // editor's own issues say so and the rest is still checked.
  const issues = checkCampaign({ ...body, extraction_schema: schemaValue ?? {} }).filter(
    (i) => !(i.path?.[0] === "extraction_schema" && (schemaValue === undefined || schemaIssues.length)),
  );
  lastIssues = issues;
  show(issues, schemaIssues);
  agentHint();
  els.preview.textContent = JSON.stringify(body, null, 2);
  return issues;
}

/** Routes issues to the field they concern (client- and server-side alike). */
function show(issues, textIssues = []) {
  const all = [...issues, ...serverIssues];
  const by = {};
  const put = (k, i) => (by[k] ??= []).push(i);
  const schemaFromCampaign = [];
  for (const i of all) {
    const [top, sub] = i.path ?? [];
    if (top === "extraction_schema") schemaFromCampaign.push(i);
    else if (top === "display_columns") put("display_columns", i);
    else if (top === "schedule" && sub && f[sub]) put(sub, i);
    else if (top === "schedule") put("schedule", i);
    else if (top && f[top]) put(top, i);
    else put("_form", i);
  }
  for (const [k, fl] of Object.entries(f)) {
    const list = by[k];
    const onSuggest = (i) => applySuggestion(k, i);
    render(fl.issues, issueList(list, { onSuggest }));
    fl.control.setAttribute("aria-invalid", String(Boolean(list?.some((i) => i.severity !== "warning"))));
    fl.wrap.classList.toggle("invalid", Boolean(list?.some((i) => i.severity !== "warning")));
    fl.wrap.classList.toggle("warned", Boolean(list?.length) && !list.some((i) => i.severity !== "warning"));
  }
  if (by.output_language && f.output_language.control.value === "other") els.outLangOther.setAttribute("aria-invalid", "true");
  render(els.scheduleIssues, issueList(by.schedule));

  // Schema: the editor's issues carry line/column; the server's point by path.
  const editorIssues = [...textIssues, ...schemaFromCampaign.filter((i) => !textIssues.some((t) => t.message === i.message && samePath(t.path, i.path)))].map(
    (i) => (i.line ? i : { ...i, ...locate(i.path?.[0] === "extraction_schema" ? i.path.slice(1) : i.path) }),
  );
  editor.setMarkers(editorIssues);
  render(els.schemaIssues, issueList(editorIssues, { showPath: true, onLocate: (i) => editor.focusAt(i.line, i.column), onSuggest: applySchemaSuggestion }));
  const t = tally(editorIssues);
  els.schemaStatus.className = `pill ${t.errors ? "error" : t.warnings ? "warning" : "ok"}`;
  els.schemaStatus.textContent = t.errors || t.warnings
    ? [t.errors ? plural(t.errors, "error") : "", t.warnings ? plural(t.warnings, "warning") : ""].filter(Boolean).join(" · ")
    : schemaValue?.properties && typeof schemaValue.properties === "object" ? `valid · ${plural(Object.keys(schemaValue.properties).length, "field")}` : "";

  renderColumns(by.display_columns ?? []);
  renderSummary([...all, ...textIssues], by._form);
}

function samePath(a = [], b = []) {
  const x = a[0] === "extraction_schema" ? a.slice(1) : a;
  const y = b[0] === "extraction_schema" ? b.slice(1) : b;
  return x.length === y.length && x.every((s, k) => s === y[k]);
}

/** Finds the line and column of a path in the editor's text (for issues without them). */
function locate(path = []) {
  const text = editor.value;
  let pos = 0;
  for (const seg of path) {
    if (typeof seg !== "string") continue;
    const k = text.indexOf(JSON.stringify(seg), pos);
    if (k < 0) break;
    pos = k;
  }
  if (!path.length || pos === 0) return {};
  const before = text.slice(0, pos);
  const line = before.split("\n").length;
  return { line, column: pos - before.lastIndexOf("\n") };
}

function renderSummary(all, formIssues) {
  const { errors, warnings } = tally(all);
  render(
    els.summary,
    errors
      ? h("span", { class: "sum error" }, h("strong", {}, plural(errors, "error")), " to fix before this can be sent", warnings ? h("span", { class: "sum-note" }, ` (and ${plural(warnings, "warning")} worth a look)`) : "", ".")
      : warnings
        ? h("span", { class: "sum warning" }, h("strong", {}, "Ready to create"), ` · ${plural(warnings, "warning")} worth a look.`)
        : h("span", { class: "sum ok" }, h("strong", {}, "Ready to create."), " The SDK found nothing to fix."),
    issueList(formIssues, { showPath: true }),
  );
}

// --- display columns ------------------------------------------------------------

function schemaFields() {
  const p = schemaValue?.properties;
  return p && typeof p === "object" && !Array.isArray(p) ? Object.keys(p) : [];
}

function renderColumns(issues) {
  const byIndex = new Map();
  const whole = [];
  for (const i of issues) {
    const idx = i.path?.[1];
    if (typeof idx === "number") (byIndex.get(idx) ?? byIndex.set(idx, []).get(idx)).push(i);
    else whole.push(i);
  }
  render(
    els.colsSelected,
    columns.length
      ? columns.map((c, idx) => {
          const its = byIndex.get(idx) ?? [];
          const sev = its.some((i) => i.severity !== "warning") ? "error" : its.length ? "warning" : "";
          const kind = BUILT_IN.includes(c) ? "built-in" : schemaFields().includes(c) ? "schema" : "data";
          return h(
            "span",
            { class: `chip ${sev} ${kind}`.trim(), dataset: { column: c }, title: its.map((i) => i.message).join("\n") || `${kind === "data" ? "a key of the lead's data" : kind} column` },
            sev ? h("span", { class: "chip-flag", "aria-hidden": "true" }, sev === "error" ? "×" : "!") : null,
            c || h("em", {}, "(empty)"),
            h("button", { type: "button", class: "chip-x", "aria-label": `Remove column ${c}`, onclick: () => removeColumn(idx) }, "×"),
          );
        })
      : h("span", { class: "muted" }, "No columns yet: pick some below."),
  );
  const offer = (label, names) =>
    names.length
      ? h(
          "div",
          { class: "offer-row" },
          h("span", { class: "offer-label" }, label),
          names.map((n) =>
            h(
              "button",
              { type: "button", class: `opt ${columns.includes(n) ? "on" : ""}`, "aria-pressed": String(columns.includes(n)), onclick: () => toggleColumn(n) },
              columns.includes(n) ? "✓ " : "+ ",
              n,
            ),
          ),
        )
      : null;
  render(els.colsOffer, offer("Built-in", BUILT_IN), offer("From the schema", schemaFields()));
  const listed = [...byIndex.entries()].flatMap(([idx, its]) => its.map((i) => ({ ...i, message: `“${columns[idx]}”: ${i.message}` })));
  render(els.colsIssues, issueList([...whole, ...listed], { onSuggest: (i) => applySuggestion("display_columns", i) }));
}

function toggleColumn(n) {
  columns = columns.includes(n) ? columns.filter((c) => c !== n) : [...columns, n];
  touchServer("display_columns");
  validate();
}
function removeColumn(idx) {
  columns = columns.filter((_, k) => k !== idx);
  touchServer("display_columns");
  validate();
}
function addTyped() {
  const v = els.colInput.value.trim();
  if (!v) return;
  columns = [...columns, v];
  els.colInput.value = "";
  touchServer("display_columns");
  validate();
}

// --- suggestions ------------------------------------------------------------------

function applySuggestion(key, issue) {
  const s = String(issue.suggestion);
  if (key === "display_columns") {
    const idx = issue.path?.[1];
    if (typeof idx === "number") columns = columns.map((c, k) => (k === idx ? s : c));
  } else if (key === "output_language" && f.output_language.control.value === "other") {
    const known = LANGUAGES.find(([v]) => v === s);
    if (known) {
      f.output_language.control.value = s;
      els.outLangOther.hidden = true;
    } else els.outLangOther.value = s;
  } else if (f[key]) {
    const c = f[key].control;
    c.value = c.type === "datetime-local" ? s.slice(0, 16) : s;
  }
  touchServer(key);
  validate();
}

/** Offset of (line, column), both from 1, in `text`. */
function offsetOf(text, line, column) {
  let pos = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) return -1;
    pos = nl + 1;
  }
  return pos + column - 1;
}

/** Replaces the JSON string token starting at `at` (a key or a value); false when there is none. */
function replaceStringToken(at, replacement) {
  const text = editor.value;
  if (text[at] !== '"') return false;
  let end = at + 1;
  while (end < text.length && text[end] !== '"') end += text[end] === "\\" ? 2 : 1;
  if (end >= text.length) return false;
  editor.value = text.slice(0, at) + JSON.stringify(String(replacement)) + text.slice(end + 1);
  return true;
}

function applySchemaSuggestion(issue) {
  // In place when the issue points at a string (a misspelt type or keyword):
  // the user's formatting stays as typed.
  if (issue.line && replaceStringToken(offsetOf(editor.value, issue.line, issue.column ?? 1), issue.suggestion)) {
    touchServer("extraction_schema");
    validate();
    return;
  }
  applySchemaSuggestionByPath(issue);
}

function applySchemaSuggestionByPath(issue) {
  if (schemaValue === undefined) return;
  const path = issue.path?.[0] === "extraction_schema" ? issue.path.slice(1) : [...(issue.path ?? [])];
  const copy = structuredClone(schemaValue);
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  let parent = copy;
  for (const seg of parentPath) parent = parent?.[seg];
  if (parent == null || last === undefined) return;
  if (issue.code === "unknown_keyword" && typeof last === "string" && !Array.isArray(parent)) {
    // Rename the key, keeping its place among its siblings.
    const entries = Object.entries(parent).map(([k, v]) => (k === last ? [issue.suggestion, v] : [k, v]));
    for (const k of Object.keys(parent)) delete parent[k];
    Object.assign(parent, Object.fromEntries(entries));
  } else {
    parent[last] = issue.suggestion;
  }
  editor.value = JSON.stringify(copy, null, 2);
  touchServer("extraction_schema");
  validate();
}

function formatSchema() {
  try {
    editor.value = JSON.stringify(JSON.parse(editor.value), null, 2);
    validate();
  } catch {
    toast("The schema is not valid JSON yet: see the marked line.", "error");
  }
}

/** Once the user edits a field, the server's old complaint about it goes away. */
function touchServer(key) {
  serverIssues = serverIssues.filter((i) => {
    const [top, sub] = i.path ?? [];
    return top !== key && !(top === "schedule" && sub === key);
  });
}

// --- submit, start --------------------------------------------------------------

async function submit() {
  submitted = true;
  serverIssues = [];
  render(els.result);
  const issues = validate();
  const body = buildBody();
  busy(els.submit, true, "Creating…");
  try {
    // The SDK validates again and throws RequestValidationError without sending
    // anything when the body has errors: the page does not need its own guard.
    const campaign = await state.client.campaigns.create(body);
    state.addCampaign({ ...campaign, display_columns: body.display_columns });
    toast(`Campaign #${campaign.id} created`, "ok");
    renderCreated(campaign, tally(issues).warnings);
  } catch (err) {
    const list = issuesOfError(err);
    if (isRequestValidationError(err)) {
      render(els.result, h("div", { class: "callout error", role: "alert", "data-testid": "not-sent" }, h("strong", {}, "Not sent."), ` The SDK found ${plural(tally(list).errors || list.length, "error")} before any request: fix the fields marked in red.`));
      if (!lastIssues.length && list.length) show(list, schemaIssues);
      focusFirstError();
    } else if (list.length) {
      serverIssues = list.map((i) => ({ ...i, server: true }));
      validate();
      render(els.result, h("div", { class: "callout error", role: "alert", "data-testid": "server-refused" }, h("strong", {}, `The server refused it (${err.status}).`), ` ${plural(list.length, "issue")}, shown next to ${[...new Set(list.map((i) => formatPath(i.path)))].join(", ")}. The SDK maps FastAPI's 422 to the same issue shape as its own checks.`));
      focusFirstError();
    } else {
      render(els.result, errorBox(err));
    }
  } finally {
    busy(els.submit, false);
  }
}

function focusFirstError() {
  const el = document.querySelector('#campaign-form [aria-invalid="true"], #campaign-form .code-editor.has-error textarea, #campaign-form .chip.error .chip-x');
  el?.focus();
}

function renderCreated(c, warnings) {
  const startBtn = h("button", { type: "button", class: "btn primary", "data-testid": "start", "data-scope": "campaigns:start" }, "Start campaign");
  const proposal = h("div", { class: "proposal-slot" });
  startBtn.addEventListener("click", () => startCampaign(c.id, startBtn, proposal));
  render(
    els.result,
    h(
      "div",
      { class: "card created", "data-testid": "created" },
      h(
        "div",
        { class: "created-head" },
        h("div", { class: "big-check", "aria-hidden": "true" }, "✓"),
        h(
          "div",
          {},
          h("h3", {}, "Campaign created: ", h("span", { class: "created-id", "data-testid": "created-id" }, `#${c.id}`)),
          h("p", { class: "muted" }, `“${c.name}” is `, h("span", { class: `status ${c.status}` }, c.status), warnings ? ` · sent with ${plural(warnings, "warning")}` : ""),
        ),
        h(
          "div",
          { class: "btn-row" },
          startBtn,
          h("button", { type: "button", class: "btn", onclick: () => document.dispatchEvent(new CustomEvent("goto", { detail: "leads" })) }, "Import leads →"),
          h("button", { type: "button", class: "btn", onclick: () => document.dispatchEvent(new CustomEvent("goto", { detail: "results" })) }, "Results →"),
        ),
      ),
      proposal,
    ),
  );
}

/** POST /campaigns/{id}/start and the proposal it returns (shared with the results view). */
export async function startCampaign(id, button, slot) {
  busy(button, true, "Starting…");
  try {
    const p = await state.client.campaigns.start(id);
    render(slot, proposalCard(id, p));
    toast(`Proposal ${p.proposal_id} ready for confirmation`, "ok");
  } catch (err) {
    render(slot, errorBox(err, { title: "Could not start the campaign" }));
  } finally {
    busy(button, false);
  }
}

export function proposalCard(id, p) {
  return h(
    "div",
    { class: "proposal", "data-testid": "proposal" },
    h("div", { class: "proposal-icon", "aria-hidden": "true" }, "✉"),
    h(
      "div",
      {},
      h("div", { class: "proposal-title" }, "Start proposal ", h("code", { "data-testid": "proposal-id" }, p.proposal_id)),
      h(
        "p",
        { class: "muted" },
        p.requires_confirmation
          ? ["Campaign #", String(id), " will start once the proposal is confirmed (double opt-in). ", "The public API has no confirmation endpoint: a workspace admin confirms it in the Agoralia web app."]
          : `Campaign #${id} is starting.`,
      ),
      h("div", { class: "kv" }, h("span", {}, "requires_confirmation"), h("code", {}, String(p.requires_confirmation))),
    ),
  );
}
