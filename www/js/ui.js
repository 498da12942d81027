// Small DOM helpers shared by the views. No framework: `h()` builds elements.

/**
 * h("div", { class: "x", onclick: fn, dataset: {a: 1} }, child, [children], "text")
 * Attributes set to null/false/undefined are skipped; `true` sets an empty attribute.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.className = v;
    else if (k === "dataset") Object.assign(el.dataset, v);
    else if (k === "style" && typeof v === "object") Object.assign(el.style, v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "value") {
      if (el instanceof HTMLInputElement) el.defaultValue = v; // so form.reset() returns to it
      el.value = v;
    }
    else if (k === "checked" || k === "selected" || k === "disabled") el[k] = Boolean(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/** Replaces the children of `el`. */
export function render(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

let uid = 0;
export const nextId = (prefix = "id") => `${prefix}-${++uid}`;

/** A labelled form field: label, control, hint and an issues slot (aria-describedby). */
export function field({ label, control, hint, id, className = "", optional = false }) {
  const cid = control.id || (control.id = id ?? nextId("f"));
  const issues = h("div", { class: "field-issues", id: `${cid}-issues`, "aria-live": "polite" });
  const hintEl = hint ? h("div", { class: "hint", id: `${cid}-hint` }, hint) : null;
  control.setAttribute("aria-describedby", [hintEl?.id, issues.id].filter(Boolean).join(" "));
  const wrap = h(
    "div",
    { class: `field ${className}`.trim() },
    h("label", { for: cid }, label, optional ? h("span", { class: "optional" }, " optional") : null),
    control,
    hintEl,
    issues,
  );
  return { wrap, control, issues };
}

/** A path like ["schedule", "end_date"] or ["display_columns", 2] as text. */
export function formatPath(path = []) {
  let s = "";
  for (const seg of path) s += typeof seg === "number" ? `[${seg}]` : s ? `.${seg}` : seg;
  return s || "(whole value)";
}

/**
 * A list of issues. Each shows its severity, message and, when the issue has a
 * suggestion and `onSuggest` is given, a "use X" button.
 */
export function issueList(issues, { onSuggest, showPath = false, onLocate } = {}) {
  if (!issues?.length) return null;
  return h(
    "ul",
    { class: "issues" },
    issues.map((i) =>
      h(
        "li",
        { class: `issue ${i.severity === "warning" ? "warning" : "error"}`, dataset: { code: i.code ?? "" } },
        h("span", { class: "issue-icon", "aria-hidden": "true" }, i.severity === "warning" ? "!" : "×"),
        h(
          "span",
          { class: "issue-text" },
          showPath && i.path?.length ? h("code", { class: "issue-path" }, formatPath(i.path)) : null,
          i.line ? h("button", { type: "button", class: "linkish issue-loc", onclick: () => onLocate?.(i) }, `line ${i.line}${i.column ? `:${i.column}` : ""}`) : null,
          h("span", { class: "issue-msg" }, i.message),
        ),
        i.suggestion != null && onSuggest
          ? h("button", { type: "button", class: "btn suggest small", onclick: () => onSuggest(i) }, "use ", h("code", {}, String(i.suggestion)))
          : i.suggestion != null
            ? h("span", { class: "issue-sugg" }, "did you mean ", h("code", {}, String(i.suggestion)), "?")
            : null,
      ),
    ),
  );
}

/** Counts errors and warnings. */
export function tally(issues = []) {
  let errors = 0;
  let warnings = 0;
  for (const i of issues) i.severity === "warning" ? warnings++ : errors++;
  return { errors, warnings };
}

export function plural(n, one, many = `${one}s`) {
  return `${n} ${n === 1 ? one : many}`;
}

/** A one-line human description of anything the SDK (or fetch) threw. */
export function describeError(err) {
  if (!err) return "Unknown error";
  const status = err.status;
  let detail = err.detail;
  if (Array.isArray(detail)) detail = detail.map((d) => d.msg ?? JSON.stringify(d)).join("; ");
  if (status) {
    const text = typeof detail === "string" && detail ? detail : err.message;
    return `${status} · ${text}`;
  }
  return err.message || String(err);
}

/** A callout box for an error, with its HTTP status and the missing scope when known. */
export function errorBox(err, { title } = {}) {
  const scope = err?.requiredScope ?? err?.missingScope ?? err?.scope;
  return h(
    "div",
    { class: "callout error", role: "alert" },
    h("strong", {}, title ?? (err?.status ? `The API refused: ${err.status}` : "Something went wrong")),
    h("div", {}, describeError(err)),
    scope ? h("div", { class: "muted" }, "Missing scope: ", h("code", {}, scope)) : null,
  );
}

export function toast(message, kind = "info", ms = 3500) {
  const host = document.getElementById("toasts");
  const t = h("div", { class: `toast ${kind}`, role: kind === "error" ? "alert" : "status" }, message);
  host.append(t);
  setTimeout(() => {
    t.classList.add("leaving");
    setTimeout(() => t.remove(), 300);
  }, ms);
}

/** A value for display in a table cell. */
export function cell(value) {
  if (value === null || value === undefined || value === "") return h("span", { class: "nil" }, "—");
  if (typeof value === "boolean") return h("span", { class: `bool ${value}` }, value ? "yes" : "no");
  if (typeof value === "number") return h("span", { class: "num" }, value.toLocaleString("en-US"));
  if (Array.isArray(value)) return value.length ? value.map((v) => h("span", { class: "tag" }, typeof v === "object" ? JSON.stringify(v) : String(v))) : h("span", { class: "nil" }, "[]");
  if (typeof value === "object") return h("code", { class: "obj" }, JSON.stringify(value));
  return String(value);
}

/** A collapsible "code" snippet showing the SDK call a panel makes. */
export function codeSnippet(code, summary = "How this panel calls the SDK") {
  return h("details", { class: "snippet" }, h("summary", {}, summary), h("pre", {}, h("code", {}, code.trim())));
}

export function panelHeader(title, subtitle, ...extra) {
  return h(
    "div",
    { class: "panel-head" },
    h("div", {}, h("h2", {}, title), subtitle ? h("p", { class: "sub" }, subtitle) : null),
    extra.length ? h("div", { class: "panel-actions" }, extra) : null,
  );
}

export function spinner(label = "Loading…") {
  return h("div", { class: "loading" }, h("span", { class: "spin", "aria-hidden": "true" }), label);
}

/** Sets a button's busy state (disabled + spinner). */
export function busy(button, on, label) {
  if (on) {
    button.dataset.label = button.textContent;
    button.disabled = true;
    button.classList.add("busy");
    if (label) button.textContent = label;
  } else {
    button.disabled = false;
    button.classList.remove("busy");
    if (button.dataset.label) button.textContent = button.dataset.label;
  }
}

export function debounce(fn, ms = 120) {
  let t;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
