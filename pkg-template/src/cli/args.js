// What the commands share about their arguments.

/** A mistake in how the command was called: exit 2, with the command's help. */
export class UsageError extends Error {}

/** `external_id="Codice cliente",phone=Cellulare` → `{ external_id: "Codice cliente", phone: "Cellulare" }`. */
export function parseMap(text) {
  const map = {};
  for (const part of text.match(/(?:[^,"]+|"[^"]*")+/g) ?? []) {
    const at = part.indexOf("=");
    if (at < 1) throw new UsageError(`--map takes field=header pairs, got "${part}"`);
    const field = part.slice(0, at).trim();
    const header = part.slice(at + 1).trim().replace(/^"(.*)"$/, "$1");
    if (!["external_id", "phone", "name"].includes(field)) throw new UsageError(`--map: "${field}" is not a lead field (external_id, phone, name)`);
    map[field] = header;
  }
  return map;
}

