// 2. Agents: a paged list (more pages with the cursor) and a create form.
import { state } from "./state.js";
import { h, render, field, panelHeader, codeSnippet, errorBox, issueList, busy, toast, spinner, plural } from "./ui.js";

let tbody;
let footer;
let status;
let pageSize;
let cursor = null;
let shown = 0;
let formIssues = {};

const LANGS = ["en-US", "en-GB", "it-IT", "es-ES", "fr-FR", "de-DE", "pt-BR", "nl-NL"];

export function mount(section) {
  pageSize = h("select", { id: "agents-limit", name: "limit" }, [2, 5, 20, 100].map((n) => h("option", { value: String(n), selected: n === 2 }, `${n} per page`)));
  pageSize.addEventListener("change", () => reload());
  tbody = h("tbody");
  footer = h("div", { class: "table-foot" });
  status = h("div", { class: "list-status" });

  render(
    section,
    panelHeader("Agents", "The voice agents of the workspace. Pages follow the API's cursor; the form creates a new one.", h("label", { class: "inline-label", for: "agents-limit" }, "Page size"), pageSize),
    h(
      "div",
      { class: "grid-2 wide-left" },
      h(
        "div",
        { class: "card flush" },
        h(
          "table",
          { class: "table", "data-testid": "agents-table" },
          h("thead", {}, h("tr", {}, h("th", { class: "id" }, "ID"), h("th", {}, "Name"), h("th", {}, "Language"), h("th", {}, "Voice engine"))),
          tbody,
        ),
        footer,
        status,
      ),
      createForm(),
    ),
    codeSnippet(`const page = await client.agents.list({ limit: 2 });      // { items, next_cursor }
const next = await client.agents.list({ limit: 2, cursor: page.next_cursor });
for await (const agent of client.agents.list()) { /* every agent, every page */ }

const agent = await client.agents.create({ name: "Support", lang: "en-US", voice_engine: "vapi" });`),
  );
  state.addEventListener("client", () => reload());
}

async function reload() {
  cursor = null;
  shown = 0;
  tbody.replaceChildren();
  render(footer, spinner("Loading agents…"));
  await more();
}

async function more() {
  const client = state.client;
  if (!client) return;
  const btn = footer.querySelector("button");
  if (btn) busy(btn, true, "Loading…");
  try {
    const page = await client.agents.list({ limit: Number(pageSize.value), ...(cursor != null ? { cursor } : {}) });
    if (client !== state.client) return;
    for (const a of page.items) tbody.append(agentRow(a));
    shown += page.items.length;
    cursor = page.next_cursor ?? null;
    renderFooter();
    render(status);
  } catch (err) {
    if (client !== state.client) return;
    render(footer);
    render(status, errorBox(err));
  }
}

function renderFooter() {
  render(
    footer,
    h("span", { class: "muted", "data-testid": "agents-count" }, `${plural(shown, "agent")} shown`, cursor != null ? h("span", {}, " · next cursor ", h("code", {}, String(cursor))) : " · end of list"),
    cursor != null ? h("button", { type: "button", class: "btn", "data-testid": "agents-more", onclick: more }, "Load more") : null,
  );
}

function agentRow(a, fresh = false) {
  return h(
    "tr",
    { class: fresh ? "fresh" : null, dataset: { id: a.id } },
    h("td", { class: "id" }, `#${a.id}`),
    h("td", {}, h("strong", {}, a.name)),
    h("td", {}, a.lang ? h("span", { class: "tag" }, a.lang) : h("span", { class: "nil" }, "—")),
    h("td", {}, h("span", { class: `engine ${a.voice_engine}` }, a.voice_engine ?? "—")),
  );
}

function createForm() {
  const name = field({ label: "Name", control: h("input", { name: "name", id: "agent-name", required: true, placeholder: "Customer Support Agent" }) });
  const lang = field({
    label: "Language",
    optional: true,
    control: h("input", { name: "lang", id: "agent-lang", list: "agent-langs", placeholder: "en-US", spellcheck: "false" }),
  });
  const engine = field({ label: "Voice engine", control: h("select", { name: "voice_engine", id: "agent-engine" }, h("option", { value: "vapi" }, "vapi"), h("option", { value: "retell" }, "retell")) });
  const voice = field({ label: "Voice ID", optional: true, control: h("input", { name: "voice_id", id: "agent-voice", placeholder: "voice-id-here", spellcheck: "false" }) });
  const model = field({ label: "Model", control: h("input", { name: "model", id: "agent-model", value: "gpt-4o-mini", spellcheck: "false" }) });
  const fields = { name, lang, voice_engine: engine, voice_id: voice, model };
  const submit = h("button", { type: "submit", class: "btn primary", "data-scope": "agents:write" }, "Create agent");
  const result = h("div", { class: "form-result" });

  const form = h(
    "form",
    { class: "card form", id: "agent-form", novalidate: true },
    h("h3", {}, "New agent"),
    h("datalist", { id: "agent-langs" }, LANGS.map((l) => h("option", { value: l }))),
    name.wrap,
    h("div", { class: "row-2" }, lang.wrap, engine.wrap),
    h("div", { class: "row-2" }, voice.wrap, model.wrap),
    h("div", { class: "form-actions" }, submit),
    result,
  );

  const showIssues = (issues) => {
    formIssues = {};
    for (const i of issues) (formIssues[i.path?.[0]] ??= []).push(i);
    for (const [k, f] of Object.entries(fields)) {
      render(f.issues, issueList(formIssues[k]));
      f.control.setAttribute("aria-invalid", String(Boolean(formIssues[k])));
    }
  };

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    render(result);
    const body = { name: name.control.value.trim(), voice_engine: engine.control.value, model: model.control.value.trim() || undefined };
    if (lang.control.value.trim()) body.lang = lang.control.value.trim();
    if (voice.control.value.trim()) body.voice_id = voice.control.value.trim();
    if (!body.name) {
      showIssues([{ path: ["name"], code: "required", message: "An agent needs a name.", severity: "error" }]);
      name.control.focus();
      return;
    }
    showIssues([]);
    busy(submit, true, "Creating…");
    try {
      const agent = await state.client.agents.create(body);
      tbody.prepend(agentRow(agent, true));
      shown++;
      renderFooter();
      render(result, h("div", { class: "callout ok", "data-testid": "agent-created" }, h("strong", {}, `Agent #${agent.id} created.`), ` ${agent.name} is ready for a campaign.`));
      toast(`Agent #${agent.id} created`, "ok");
      form.reset();
      document.dispatchEvent(new CustomEvent("agents-changed"));
    } catch (err) {
      if (err?.issues?.length) showIssues(err.issues);
      render(result, errorBox(err));
    } finally {
      busy(submit, false);
    }
  });
  return form;
}
