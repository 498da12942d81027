// Entry: the settings bar (base URL + key), the tabs, and the views.
import { state, SANDBOX_KEYS } from "./state.js";
import { describeError } from "./ui.js";
import * as workspace from "./workspace.js";
import * as agents from "./agents.js";
import * as builder from "./builder.js";
import * as leads from "./leads.js";
import * as results from "./results.js";

const $ = (sel) => document.querySelector(sel);
const form = $("#settings");
const baseUrl = $("#base-url");
const preset = $("#key-preset");
const apiKey = $("#api-key");
const settingsError = $("#settings-error");

// --- settings bar -------------------------------------------------------------
const params = new URLSearchParams(location.search);
baseUrl.value = params.get("baseUrl") ?? `${location.origin}/api/v1`;
const initialPreset = params.get("key") in SANDBOX_KEYS ? params.get("key") : "all";
preset.value = initialPreset;
apiKey.value = SANDBOX_KEYS[initialPreset];

preset.addEventListener("change", () => {
  if (preset.value in SANDBOX_KEYS) {
    apiKey.value = SANDBOX_KEYS[preset.value];
    connect();
  } else {
    apiKey.value = "";
    apiKey.focus();
  }
});
apiKey.addEventListener("input", () => {
  const match = Object.entries(SANDBOX_KEYS).find(([, k]) => k === apiKey.value.trim());
  preset.value = match ? match[0] : "custom";
});
$("#toggle-key").addEventListener("click", (e) => {
  const show = apiKey.type === "password";
  apiKey.type = show ? "text" : "password";
  e.currentTarget.textContent = show ? "Hide" : "Show";
  e.currentTarget.setAttribute("aria-pressed", String(show));
});
form.addEventListener("submit", (e) => {
  e.preventDefault();
  connect();
});

function connect() {
  settingsError.hidden = true;
  try {
    state.connect({ baseUrl: baseUrl.value.trim(), apiKey: apiKey.value.trim() });
  } catch (err) {
    settingsError.textContent = describeError(err);
    settingsError.hidden = false;
    setConn("bad", "Not connected");
  }
}

// --- connection pill ----------------------------------------------------------
const conn = $("#conn");
export function setConn(kind, text) {
  conn.className = `conn ${kind}`;
  conn.querySelector(".conn-text").textContent = text;
}
state.addEventListener("client", () => setConn("pending", "Connecting…"));
state.addEventListener("connection", (e) => setConn(e.detail.kind, e.detail.text));

// Elements that need a scope say so when the key lacks it (they stay usable, so the
// API's own 403 can be seen).
function markScopes() {
  for (const el of document.querySelectorAll("[data-scope]")) {
    const ok = state.may(el.dataset.scope);
    el.classList.toggle("lacks-scope", ok === false);
    if (ok === false) el.title = `This key lacks the ${el.dataset.scope} scope: the API will answer 403`;
    else el.removeAttribute("title");
  }
}
state.addEventListener("scopes", markScopes);
new MutationObserver(() => state.scopes && markScopes()).observe(document.querySelector("main"), { childList: true, subtree: true });

// --- tabs ---------------------------------------------------------------------
const tabs = [...document.querySelectorAll('[role="tab"]')];
export function showView(name, { focus = false } = {}) {
  const tab = tabs.find((t) => t.dataset.view === name) ?? tabs[0];
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    document.getElementById(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (focus) tab.focus();
  if (location.hash.slice(1) !== tab.dataset.view) history.replaceState(null, "", `#${tab.dataset.view}`);
  document.dispatchEvent(new CustomEvent("view", { detail: tab.dataset.view }));
}
for (const t of tabs) {
  t.addEventListener("click", () => showView(t.dataset.view));
  t.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(t);
    const next = e.key === "ArrowRight" ? i + 1 : e.key === "ArrowLeft" ? i - 1 : null;
    if (next === null) return;
    e.preventDefault();
    showView(tabs[(next + tabs.length) % tabs.length].dataset.view, { focus: true });
  });
}
window.addEventListener("hashchange", () => showView(location.hash.slice(1)));
document.addEventListener("goto", (e) => showView(e.detail));

// --- views --------------------------------------------------------------------
workspace.mount($("#view-workspace"));
agents.mount($("#view-agents"));
builder.mount($("#view-builder"));
leads.mount($("#view-leads"));
results.mount($("#view-results"));

showView(location.hash.slice(1) || "workspace");
connect();
document.body.classList.add("ready");
