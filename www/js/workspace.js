// 1. Workspace: GET /me (workspace, plan, scopes, rate limits) and what the key may not do.
import { state, SCOPES } from "./state.js";
import { h, render, panelHeader, codeSnippet, spinner, describeError } from "./ui.js";
import { loadCampaigns } from "./campaigns.js";

let root;
let body;

export function mount(section) {
  root = section;
  body = h("div", { class: "workspace-body" });
  render(
    root,
    panelHeader(
      "Workspace",
      "Who the key belongs to, its plan and rate limits, and which endpoints it may call.",
      h("button", { type: "button", class: "btn", onclick: load }, "Refresh"),
    ),
    body,
    codeSnippet(`import { Agoralia } from "agoralia";

const client = new Agoralia({ apiKey, baseUrl, dangerouslyAllowBrowser: true });
const me = await client.me();
// { tenant_id, workspace_name, plan, rate_limits: { rpm, rpd }, api_key_scopes: [...] }`),
  );
  state.addEventListener("client", () => {
    load();
    loadCampaigns();
  });
}

function connection(kind, text) {
  state.dispatchEvent(new CustomEvent("connection", { detail: { kind, text } }));
}

async function load() {
  if (!state.client) return;
  render(body, spinner("Asking GET /me…"));
  const client = state.client;
  try {
    const me = await client.me();
    if (client !== state.client) return;
    state.setMe(me);
    connection("ok", `${me.workspace_name} · ${me.plan}`);
    renderMe(me);
  } catch (err) {
    if (client !== state.client) return;
    state.setMe(null);
    renderFailure(err);
  }
}

function stat(label, value, note) {
  return h("div", { class: "stat" }, h("div", { class: "stat-label" }, label), h("div", { class: "stat-value" }, value), note ? h("div", { class: "stat-note" }, note) : null);
}

function renderMe(me) {
  const granted = new Set(me.api_key_scopes ?? []);
  const missing = SCOPES.filter(([s]) => !granted.has(s));
  render(
    body,
    h(
      "div",
      { class: "stats", "data-testid": "me" },
      stat("Workspace", h("span", { "data-testid": "workspace-name" }, me.workspace_name), `tenant #${me.tenant_id}`),
      stat("Plan", h("span", { class: "plan-badge" }, me.plan)),
      stat("Requests per minute", (me.rate_limits?.rpm ?? "—").toLocaleString("en-US"), "per API key"),
      stat("Requests per day", (me.rate_limits?.rpd ?? "—").toLocaleString("en-US"), "per API key"),
    ),
    h(
      "div",
      { class: "grid-2" },
      h(
        "div",
        { class: "card" },
        h("h3", {}, "What this key may do ", h("span", { class: "count" }, `${SCOPES.length - missing.length}/${SCOPES.length}`)),
        h(
          "ul",
          { class: "scope-list", "data-testid": "scopes" },
          SCOPES.map(([scope, what, endpoint]) =>
            h(
              "li",
              { class: granted.has(scope) ? "granted" : "denied" },
              h("span", { class: "scope-mark", "aria-hidden": "true" }, granted.has(scope) ? "✓" : "✕"),
              h("code", { class: "scope-name" }, scope),
              h("span", { class: "scope-what" }, what),
              h("code", { class: "scope-endpoint" }, endpoint),
            ),
          ),
        ),
      ),
      h(
        "div",
        { class: "card" },
        h("h3", {}, "What it may not do"),
        missing.length
          ? [
              h("p", { class: "muted" }, "These calls answer ", h("strong", {}, "403 Insufficient permissions"), " with this key. The SDK raises an ApiError carrying the missing scope."),
              h(
                "ul",
                { class: "denied-list", "data-testid": "denied" },
                missing.map(([scope, what, endpoint]) => h("li", {}, h("strong", {}, what), " ", h("code", {}, endpoint), h("span", { class: "muted" }, ` needs ${scope}`))),
              ),
            ]
          : h("div", { class: "callout ok" }, h("strong", {}, "Nothing is off limits."), " This key holds every scope of the public API."),
        h(
          "p",
          { class: "muted small" },
          "Try the other sandbox keys in the bar above: read-only, no scopes, expired and revoked show how the API and the SDK refuse.",
        ),
      ),
    ),
  );
}

function renderFailure(err) {
  const status = err?.status;
  let title = "Could not reach the API";
  let explain = "Check the base URL: the sandbox serves the API at /api/v1 on the same port as this page.";
  let kind = "bad";
  if (status === 401) {
    title = "This key is refused";
    explain = "401: the key is malformed, unknown, expired or revoked. No endpoint will accept it.";
  } else if (status === 403) {
    title = "This key may not read the workspace";
    explain = "GET /me needs me:read. The key may still hold other scopes, but the API cannot tell us which.";
    kind = "warn";
  } else if (status) {
    title = `The API answered ${status}`;
    explain = "";
  }
  connection(kind, status ? `${status} · ${title}` : "Not connected");
  render(
    body,
    h(
      "div",
      { class: `callout ${kind === "warn" ? "warn" : "error"} big`, role: "alert", "data-testid": "me-error" },
      h("strong", {}, title),
      h("div", { class: "mono" }, describeError(err)),
      explain ? h("div", { class: "muted" }, explain) : null,
    ),
  );
}
