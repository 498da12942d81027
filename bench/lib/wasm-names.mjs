// What the wasm's bytes are: a small parser of the module's sections, function
// bodies and the "name" custom section, so that a build with names (wasm-bindgen
// --keep-debug, then wasm-opt -Oz -g with the release flags) can be attributed
// to crates and modules. No dependency: twiggy gives the same "top" view.

function leb(buf, pos) {
  let result = 0, shift = 0, b;
  do {
    b = buf[pos++];
    result += (b & 0x7f) * 2 ** shift;
    shift += 7;
  } while (b & 0x80);
  return [result, pos];
}

const SECTION = ["custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code", "data", "datacount", "tag"];

export function analyze(buf) {
  const sections = [];
  const bodies = []; // sizes of function bodies, in order of defined functions
  let importedFuncs = 0;
  let names = new Map();
  const dataSegments = [];
  let pos = 8;
  while (pos < buf.length) {
    const id = buf[pos++];
    let size;
    [size, pos] = leb(buf, pos);
    const start = pos, end = pos + size;
    let name = SECTION[id] ?? `id${id}`;
    if (id === 0) {
      let n;
      [n, pos] = leb(buf, pos);
      name = "custom:" + new TextDecoder().decode(buf.subarray(pos, pos + n));
      pos += n;
      if (name === "custom:name") names = parseNames(buf, pos, end);
    } else if (id === 2) {
      let count;
      [count, pos] = leb(buf, pos);
      for (let i = 0; i < count; i++) {
        let n;
        [n, pos] = leb(buf, pos); pos += n;
        [n, pos] = leb(buf, pos); pos += n;
        const kind = buf[pos++];
        if (kind === 0) { [, pos] = leb(buf, pos); importedFuncs++; }
        else if (kind === 1) { pos++; const flags = buf[pos++]; [, pos] = leb(buf, pos); if (flags & 1) [, pos] = leb(buf, pos); }
        else if (kind === 2) { const flags = buf[pos++]; [, pos] = leb(buf, pos); if (flags & 1) [, pos] = leb(buf, pos); }
        else if (kind === 3) { pos += 2; }
        else if (kind === 4) { pos++; [, pos] = leb(buf, pos); }
      }
    } else if (id === 10) {
      let count;
      [count, pos] = leb(buf, pos);
      for (let i = 0; i < count; i++) {
        let n;
        const s = pos;
        [n, pos] = leb(buf, pos);
        pos += n;
        bodies.push(pos - s);
      }
    } else if (id === 11) {
      let count;
      [count, pos] = leb(buf, pos);
      for (let i = 0; i < count; i++) {
        const s = pos;
        let flags;
        [flags, pos] = leb(buf, pos);
        if (flags === 2) [, pos] = leb(buf, pos);
        if (flags !== 1) { while (buf[pos] !== 0x0b) pos++; pos++; }
        let n;
        [n, pos] = leb(buf, pos);
        pos += n;
        dataSegments.push(pos - s);
      }
    }
    sections.push({ name, size: end - start });
    pos = end;
  }
  const functions = bodies.map((size, i) => ({ index: importedFuncs + i, size, name: names.get(importedFuncs + i) ?? `func[${importedFuncs + i}]` }));
  return { sections, functions, dataSegments };
}

function parseNames(buf, pos, end) {
  const names = new Map();
  while (pos < end) {
    const sub = buf[pos++];
    let size;
    [size, pos] = leb(buf, pos);
    const subEnd = pos + size;
    if (sub === 1) {
      let count;
      [count, pos] = leb(buf, pos);
      for (let i = 0; i < count; i++) {
        let idx, n;
        [idx, pos] = leb(buf, pos);
        [n, pos] = leb(buf, pos);
        names.set(idx, new TextDecoder().decode(buf.subarray(pos, pos + n)));
        pos += n;
      }
    }
    pos = subEnd;
  }
  return names;
}

/** A crate/module key for a (demangled) Rust function name. */
export function groupOf(name, depth = 2) {
  let n = name.replace(/^_?</, "").replace(/^&/, "").replace(/^(mut |dyn )/, "");
  // "<T as core::fmt::Debug>::fmt" -> by the trait impl's type path
  const m = n.match(/^([A-Za-z_][\w]*(?:::[A-Za-z_][\w]*)*)/);
  if (!m) return name.startsWith("func[") ? "(unnamed)" : "(other)";
  const parts = m[1].split("::");
  if (/^[a-z_]+$/.test(parts[0]) && parts[0] !== parts[0].toUpperCase()) return parts.slice(0, depth).join("::");
  return parts[0];
}

/** Function bytes summed by group, largest first. */
export function byGroup(functions, depth = 2) {
  const g = new Map();
  for (const f of functions) {
    const k = groupOf(f.name, depth);
    const e = g.get(k) ?? { group: k, size: 0, count: 0 };
    e.size += f.size; e.count++;
    g.set(k, e);
  }
  return [...g.values()].sort((a, b) => b.size - a.size);
}

// ------------------------------------------------------------- demangling (enough to group)
const LEGACY = { "$LT$": "<", "$GT$": ">", "$u20$": " ", "$RF$": "&", "$C$": ",", "$u5b$": "[", "$u5d$": "]", "$BP$": "*", "$u7b$": "{", "$u7d$": "}", "$u27$": "'", "$u3b$": ";", "$u2b$": "+", "$u22$": '"', "$SP$": "@" };

/** Demangles Rust legacy (_ZN) names fully and v0 (_R) names to their identifier path. */
export function demangle(name) {
  if (name.startsWith("_ZN")) {
    let pos = 3;
    const segs = [];
    while (pos < name.length && name[pos] !== "E") {
      const m = /^\d+/.exec(name.slice(pos));
      if (!m) break;
      pos += m[0].length;
      segs.push(name.slice(pos, pos + Number(m[0])));
      pos += Number(m[0]);
    }
    if (segs.length && /^h[0-9a-f]{16}$/.test(segs[segs.length - 1])) segs.pop();
    return segs
      .map((s) => s.replace(/^_\$/, "$").replace(/\$[A-Za-z0-9]+\$/g, (e) => LEGACY[e] ?? e).replace(/\.\./g, "::"))
      .join("::");
  }
  if (name.startsWith("_R")) {
    const s = name.slice(2);
    const ids = [];
    let pos = 0;
    while (pos < s.length) {
      const rest = s.slice(pos);
      let m;
      if ((m = /^C(?:s[0-9A-Za-z]*_)?(\d+)/.exec(rest))) {
        const len = Number(m[1]);
        ids.push(rest.slice(m[0].length, m[0].length + len));
        pos += m[0].length + len;
      } else if ((m = /^[sB][0-9A-Za-z]*_/.exec(rest))) {
        pos += m[0].length;
      } else if ((m = /^(\d+)_?/.exec(rest))) {
        const len = Number(m[1]);
        ids.push(rest.slice(m[0].length, m[0].length + len));
        pos += m[0].length + len;
      } else pos++;
    }
    return ids.join("::");
  }
  return name;
}

const PRIM = /^(str|char|bool|[iu](8|16|32|64|128|size)|f32|f64|\[.*\]|\(.*\))$/;

/** Removes crate hashes ("core[c59...]", "::h0123..."), so names group. */
export const clean = (d) => d.replace(/\[[0-9a-f]{16}\]/g, "").replace(/::h[0-9a-f]{16}$/, "");

/** The crate::module a function belongs to, for grouping. */
export function groupOfDemangled(d, depth = 2) {
  let p = clean(d);
  if (p.startsWith("<")) {
    // "<Self as Trait>::f" or "<Self>::f": find the matching ">" and the top-level " as ".
    let depth = 0, end = -1, as = -1;
    for (let i = 0; i < p.length; i++) {
      if (p[i] === "<") depth++;
      else if (p[i] === ">" && p[i - 1] !== "-") { if (--depth === 0) { end = i; break; } }
      else if (depth === 1 && p.startsWith(" as ", i)) as = i;
    }
    const inner = p.slice(1, end < 0 ? undefined : end);
    const self = (as < 0 ? inner : inner.slice(0, as - 1)).replace(/^&(mut )?|^\*(const |mut )|^dyn /, "");
    const trait = as < 0 ? "" : inner.slice(as + 3);
    p = trait && (/^[A-Z]$/.test(self) || PRIM.test(self.replace(/<.*$/, "")) || /^[[(]/.test(self)) ? trait : self;
  }
  p = p.replace(/^&(mut )?|^\*(const |mut )|^dyn /, "");
  const parts = p.replace(/<.*$/, "").split("::").filter(Boolean);
  if (!parts.length) return "(other)";
  if (PRIM.test(parts[0])) return "core (primitive " + parts[0] + ")";
  if (/^__(rustc|rdl|rust)/.test(parts[0])) return "alloc (allocator shims)";
  if (/multivalue shim$|^__wbindgen|^__wbg|^__externref|^__wbg_/.test(parts[0])) return "wasm-bindgen generated";
  if (!p.includes("::")) return "exports and shims: " + parts[0].replace(/_.*$/, "");
  return parts.slice(0, depth).join("::");
}

export function groupFunctions(functions, depth = 2) {
  const g = new Map();
  for (const f of functions) {
    const k = groupOfDemangled(demangle(f.name), depth);
    const e = g.get(k) ?? { group: k, size: 0, count: 0 };
    e.size += f.size;
    e.count++;
    g.set(k, e);
  }
  return [...g.values()].sort((a, b) => b.size - a.size);
}
