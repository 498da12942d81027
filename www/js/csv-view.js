// Reads CSV text into rows for DISPLAY only, numbered the way the SDK's
// parseLeadsCsv numbers them (header = row 1; a line break outside quotes starts
// the next row), so that the SDK's per-row issues (path ["rows", n, field]) can be
// shown next to the cells as written. Validation and the items sent are the SDK's.

export function detectDelimiter(text) {
  const counts = { ",": 0, ";": 0, "\t": 0 };
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if ((c === "\n" || c === "\r") && !quoted) break;
    else if (!quoted && c in counts) counts[c]++;
  }
  let best = ",";
  for (const c of [";", "\t"]) if (counts[c] > counts[best]) best = c;
  return best;
}

/** { delimiter, header: string[], rows: [{ number, fields }] } (blank lines skipped). */
export function readCsv(text) {
  text = text.replace(/^\uFEFF/, "");
  const delimiter = detectDelimiter(text);
  const records = [];
  let fields = [];
  let field = "";
  let number = 1;
  let atStart = true;
  let inQuotes = false;
  let any = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    any = true;
    if (inQuotes) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
      } else field += c;
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = "";
      atStart = true;
    } else if (c === "\r" || c === "\n") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      fields.push(field);
      records.push({ number, fields });
      fields = [];
      field = "";
      number++;
      atStart = true;
    } else if (c === '"' && atStart) {
      inQuotes = true;
      atStart = false;
    } else {
      field += c;
      atStart = false;
    }
  }
  if (any && (field !== "" || fields.length || inQuotes)) {
    fields.push(field);
    records.push({ number, fields });
  }
  const [head, ...rest] = records;
  return {
    delimiter,
    header: head?.fields.map((s) => s.trim()) ?? [],
    rows: rest.filter((r) => !(r.fields.length === 1 && r.fields[0].trim() === "")),
  };
}

/** Back to CSV text (RFC 4180 quoting), for re-validation after an edit. */
export function writeCsv(header, rows, delimiter = ",") {
  const q = (v = "") => (/[",\r\n]/.test(v) || v.includes(delimiter) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header, ...rows.map((r) => r.fields)].map((f) => f.map(q).join(delimiter)).join("\n") + "\n";
}

// The header names the SDK maps to lead fields (others go to `data`).
const ALIASES = {
  external_id: ["external id", "externalid", "id", "lead id", "ext id", "customer id", "contact id"],
  phone: ["phone", "phone number", "phonenumber", "telephone", "telephone number", "tel", "mobile", "mobile phone", "mobile number", "cell", "cell phone", "cellphone", "phone e164", "telefono", "cellulare"],
  name: ["name", "full name", "fullname", "contact name", "nome"],
};
const key = (h) => h.trim().toLowerCase().split(/[ _.\-]+/).filter(Boolean).join(" ");

/** The column index holding a lead field (`external_id`, `phone`, `name`) or a data key. */
export function columnOf(header, fieldName) {
  const aliases = ALIASES[fieldName];
  if (aliases) return header.findIndex((h) => aliases.includes(key(h)));
  return header.indexOf(fieldName);
}
