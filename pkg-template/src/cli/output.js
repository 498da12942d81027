// How the command line prints: JSON when stdout is piped, a table on a
// terminal, CSV on request. Data goes to stdout; logs, progress and errors
// to stderr, with anything that looks like an API key masked.

export const FORMATS = ["json", "csv", "table"];

/** The format asked for, or the default for where stdout goes. */
export const formatFor = (asked, stdout = process.stdout) => asked ?? (stdout.isTTY ? "table" : "json");

const KEY = /ago_[A-Za-z0-9]{4,}/g;
/** Masks API keys in text meant for people (error messages may quote input). */
export const redact = (text) => String(text).replace(KEY, "ago_****");

export const log = (...parts) => process.stderr.write(redact(parts.join(" ")) + "\n");

/** A value as one table or CSV cell: objects as JSON, null as empty. */
export function cell(value) {
  if (value === null || value === undefined) return "";
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}

/** RFC 4180: fields with a comma, quote or line break quoted; CRLF line ends. */
export function csvLine(values) {
  return values.map((v) => {
    const t = cell(v);
    return /[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t;
  }).join(",") + "\r\n";
}

/** The columns of a list of records: each key in the order first seen. */
export function columnsOf(rows) {
  const seen = new Set();
  for (const r of rows) for (const k of Object.keys(r ?? {})) seen.add(k);
  return [...seen].map((name) => ({ name, label: name }));
}

/**
 * Prints records (`rows`, with `columns` as `{ name, label }`) or one object
 * (`rows` a single object: a key/value table, a one-line CSV).
 * @param {string} format
 * @param {any} data
 * @param {{ columns?: { name: string, label?: string }[], out?: NodeJS.WritableStream & { isTTY?: boolean } }} [options]
 */
export function print(format, data, { columns, out = process.stdout } = {}) {
  if (format === "json") {
    out.write(JSON.stringify(data, null, out.isTTY ? 2 : 0) + "\n");
    return;
  }
  const rows = Array.isArray(data) ? data : [data];
  const cols = columns ?? columnsOf(rows);
  if (format === "csv") {
    out.write(csvLine(cols.map((c) => c.label)));
    for (const r of rows) out.write(csvLine(cols.map((c) => r?.[c.name])));
    return;
  }
  if (!Array.isArray(data)) {
    const width = Math.max(0, ...cols.map((c) => c.label.length));
    for (const c of cols) out.write(`${c.label.padEnd(width)}  ${clip(cell(data[c.name]), 100)}\n`);
    return;
  }
  const cells = rows.map((r) => cols.map((c) => clip(cell(r?.[c.name]), 40)));
  const widths = cols.map((c, i) => Math.max(c.label.length, ...cells.map((row) => row[i].length)));
  const line = (vals) => vals.map((v, i) => v.padEnd(widths[i])).join("  ").trimEnd() + "\n";
  out.write(line(cols.map((c) => c.label)));
  out.write(line(widths.map((w) => "-".repeat(w))));
  for (const row of cells) out.write(line(row));
}

const clip = (text, max) => {
  const oneLine = text.replace(/[\r\n]+/g, " ");
  return oneLine.length > max ? oneLine.slice(0, max - 1) + "…" : oneLine;
};

/** One status line on stderr: rewritten in place on a terminal, printed every few seconds otherwise. */
export function statusLine(stream = process.stderr, everyMs = 5000) {
  let last = 0;
  let shown = false;
  return {
    update(text, force = false) {
      const now = Date.now();
      if (stream.isTTY) {
        if (!force && now - last < 200) return;
        stream.write(`\r\x1b[2K${redact(text)}`);
        shown = true;
      } else {
        if (!force && now - last < everyMs) return;
        stream.write(redact(text) + "\n");
      }
      last = now;
    },
    end() {
      if (shown) stream.write("\n");
      shown = false;
    },
  };
}
