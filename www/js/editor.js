// A small code editor: a <textarea> with a line-number gutter whose lines carry
// markers (red for errors, amber for warnings) and a tinted background.
import { h } from "./ui.js";

export function codeEditor({ id, value = "", rows = 16, onInput, label }) {
  const textarea = h("textarea", {
    id,
    class: "code-input",
    spellcheck: "false",
    autocapitalize: "off",
    autocomplete: "off",
    wrap: "off",
    rows: String(rows),
    "aria-label": label,
  });
  textarea.value = value;
  const gutterInner = h("div", { class: "gutter-inner" });
  const bgInner = h("div", { class: "lines-bg-inner" });
  const gutter = h("div", { class: "gutter", "aria-hidden": "true" }, gutterInner);
  const bg = h("div", { class: "lines-bg", "aria-hidden": "true" }, bgInner);
  const el = h("div", { class: "code-editor" }, gutter, h("div", { class: "code-area" }, bg, textarea));
  let markers = new Map();

  function paint() {
    const n = textarea.value.split("\n").length;
    const nums = [];
    const lines = [];
    for (let i = 1; i <= n; i++) {
      const m = markers.get(i);
      const cls = m ? (m.some((x) => x.severity !== "warning") ? "error" : "warning") : "";
      nums.push(
        h(
          "div",
          { class: `ln ${cls}`.trim(), title: m ? m.map((x) => x.message).join("\n") : null, dataset: { line: i } },
          m ? h("span", { class: "marker" }, cls === "error" ? "●" : "▲") : null,
          String(i),
        ),
      );
      lines.push(h("div", { class: `lbg ${cls}`.trim() }));
    }
    gutterInner.replaceChildren(...nums);
    bgInner.replaceChildren(...lines);
    sync();
  }

  function sync() {
    gutterInner.style.transform = `translateY(${-textarea.scrollTop}px)`;
    bgInner.style.transform = `translate(${-textarea.scrollLeft}px, ${-textarea.scrollTop}px)`;
  }

  textarea.addEventListener("scroll", sync);
  textarea.addEventListener("input", () => {
    paint();
    onInput?.(textarea.value);
  });
  textarea.addEventListener("keydown", (e) => {
    // Tab indents by two spaces instead of leaving the editor (Esc then Tab leaves).
    if (e.key === "Tab" && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey && !textarea.dataset.escaped) {
      e.preventDefault();
      const { selectionStart: s, selectionEnd: t } = textarea;
      textarea.setRangeText("  ", s, t, "end");
      textarea.dispatchEvent(new Event("input"));
    }
    textarea.dataset.escaped = e.key === "Escape" ? "1" : "";
  });
  paint();

  return {
    el,
    textarea,
    get value() {
      return textarea.value;
    },
    set value(v) {
      textarea.value = v;
      paint();
    },
    /** Issues with a `line` get a marker on that line. */
    setMarkers(issues) {
      markers = new Map();
      for (const i of issues) if (i.line) (markers.get(i.line) ?? markers.set(i.line, []).get(i.line)).push(i);
      el.classList.toggle("has-error", issues.some((i) => i.severity !== "warning"));
      paint();
    },
    /** Puts the caret at (line, column), both counted from 1, and scrolls there. */
    focusAt(line, column = 1) {
      const lines = textarea.value.split("\n");
      let pos = 0;
      for (let i = 0; i < Math.min(line - 1, lines.length); i++) pos += lines[i].length + 1;
      pos += Math.max(0, Math.min(column - 1, (lines[line - 1] ?? "").length));
      textarea.focus();
      textarea.setSelectionRange(pos, pos);
      const lh = parseFloat(getComputedStyle(textarea).lineHeight) || 20;
      textarea.scrollTop = Math.max(0, (line - 3) * lh);
      sync();
    },
  };
}
