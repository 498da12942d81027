// The contract: sandbox/openapi.yaml is the one source of truth for the API's
// shapes. Every other copy is checked against it here or in a test this file
// names, so a field changed in the document fails a test that names the copy:
// - the package's TypeScript declarations (pkg-template/types/*.d.ts): each
//   schema becomes a TS type, generated here at test time, and `tsc` must find
//   it and the hand-written declaration equal (mutually assignable), field by
//   field: name, optional or required, nullable or not, type;
// - the sandbox's answers: every status of every endpoint, validated against the
//   document with no property the document does not name;
// - the Rust models, the validators' constants and the endpoints: tests/contract.rs (cargo);
// - the sandbox's own rules: by what it answers, here and in differential.test.mjs,
//   which sends generated bodies (valid values, near misses) to it and to the validators.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { ROOT, PKG_DIR, KEYS, startSandbox } from "./support/sandbox.mjs";

let sb, doc;
before(async () => {
  sb = await startSandbox();
  doc = await (await fetch(`${sb.url}/api/v1/openapi.json`)).json();
});
after(() => sb?.stop());

// Each schema of the document and the declaration that types it in the package.
// The few deliberate differences are checked one way and say why: `narrower`,
// a field the declaration types more precisely than the document (it must
// still fit the document); `wider`, one it leaves open (the document must fit it).
const TYPES = [
  ["Me", "Me"],
  ["Scope", "Scope", { wider: { "": "open to scopes the API adds later: a new scope in /me must not break a build" } }],
  ["Agent", "Agent"],
  ["AgentList", "Page<Agent>"],
  ["AgentCreate", "AgentInput"],
  ["CampaignSummary", "Campaign"],
  ["CampaignList", "Page<Campaign>"],
  ["CampaignCreate", "CampaignInput", { narrower: { extraction_schema: "ExtractionSchema types the JSON Schema dialect the document leaves as an object" } }],
  ["StartProposal", "CampaignStartProposal"],
  ["Results", "CampaignResults"],
  ["LeadsUpsert", "LeadsUpsertInput"],
  ["LeadItem", "LeadInput"],
  ["UpsertResult", "UpsertCounts"],
  ["Call", "CallRecord"],
  ["CallList", "Page<CallRecord>"],
];

/** The TypeScript type of a schema of the document (the subset it uses). */
function tsType(s, free = "JsonValue") {
  if (s === true || s === undefined || (typeof s === "object" && Object.keys(s).length === 0)) return free;
  if (s.$ref) return `S_${s.$ref.split("/").pop()}`;
  if ("const" in s) return JSON.stringify(s.const);
  if (s.enum) return s.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (s.anyOf) return s.anyOf.map((x) => `(${tsType(x, free)})`).join(" | ");
  const types = [s.type].flat();
  return types.map((t) => {
    switch (t) {
      case "string": return "string";
      case "integer": case "number": return "number";
      case "boolean": return "boolean";
      case "null": return "null";
      case "array": return `(${tsType(s.items, free)})[]`;
      case "object": {
        if (!s.properties) return `{ [key: string]: ${free} }`;
        const req = new Set(s.required ?? []);
        return `{ ${Object.entries(s.properties).map(([k, v]) => `${k}${req.has(k) ? "" : "?"}: ${tsType(v, free)};`).join(" ")} }`;
      }
      default: throw new Error(`contract test: schema type ${t} not handled`);
    }
  }).join(" | ");
}

test("the TypeScript declarations equal the document's schemas, field by field", () => {
  const schemas = doc.components.schemas;
  const dir = path.join(ROOT, "target/contract-ts");
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const lines = [
    `import type { ${[...new Set(TYPES.map(([, t]) => t.replace(/^Page<|>$/g, "")).concat(["Page", "JsonValue"]))].join(", ")} } from "agoralia";`,
    "type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;",
    "type Fits<A, B> = [A] extends [B] ? true : false;",
    "type Expect<T extends true> = T;",
    "type Norm<T> = { [K in keyof T]: T[K] };",
    "",
  ];
  // D_X is the document's schema X. A reference to X inside another schema is
  // S_X: the declaration that X is paired with, when it has one, so that each
  // difference fails on the line of its own schema only.
  const paired = new Map(TYPES.map(([n, d]) => [n, d]));
  for (const [name, s] of Object.entries(schemas)) {
    lines.push(`type D_${name} = ${tsType(s)};`, `type S_${name} = ${paired.get(name) ?? `D_${name}`};`);
  }
  lines.push("");
  // One line per field, so tsc's error line names the schema and the field.
  const where = [];
  for (const [name, decl, { narrower = {}, wider = {} } = {}] of TYPES) {
    const s = schemas[name];
    assert.ok(s, `the document has no schema ${name}`);
    if (s.properties) {
      const keys = Object.keys(s.properties);
      where.push([lines.length + 1, `${name} vs ${decl}: the field names`]);
      lines.push(`type K_${name} = Expect<Same<keyof ${decl}, ${keys.map((k) => JSON.stringify(k)).join(" | ")}>>;`);
      for (const k of keys) {
        const [mine, theirs] = [`Norm<Pick<${decl}, "${k}">>`, `Norm<Pick<D_${name}, "${k}">>`];
        // A narrower field is held to the document's type with any value where it says "any JSON".
        const req = (s.required ?? []).includes(k) ? "" : "?";
        const check = narrower[k] ? `Fits<${mine}, { ${k}${req}: ${tsType(s.properties[k], "unknown")} }>`
          : wider[k] ? `Fits<${theirs}, ${mine}>` : `Same<${mine}, ${theirs}>`;
        where.push([lines.length + 1, `${name}.${k} vs ${decl}["${k}"]`]);
        lines.push(`type F_${name}_${k} = Expect<${check}>;`);
      }
    } else {
      where.push([lines.length + 1, `${name} vs ${decl}`]);
      lines.push(`type T_${name} = Expect<${wider[""] ? `Fits<D_${name}, ${decl}>` : `Same<${decl}, D_${name}>`}>;`);
    }
  }
  fs.writeFileSync(path.join(dir, "contract.ts"), lines.join("\n") + "\n");
  fs.writeFileSync(path.join(dir, "tsconfig.json"), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext",
      lib: ["ES2022", "DOM", "DOM.Iterable", "ESNext.AsyncIterable"], types: [], skipLibCheck: true,
      noUnusedLocals: false, paths: { agoralia: [path.join(PKG_DIR, "types/index.d.ts")] },
    },
    files: ["contract.ts"],
  }));
  try {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", dir], { encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    const out = `${e.stdout}${e.stderr}`;
    const failed = [...out.matchAll(/contract\.ts\((\d+),/g)].map((m) => Number(m[1]));
    const named = [...new Set(failed)].map((l) => where.find(([n]) => n === l)?.[1] ?? `line ${l}`);
    assert.fail(`the declarations in pkg-template/types differ from sandbox/openapi.yaml:\n  ${named.join("\n  ")}\n(generated: ${dir}/contract.ts)\n${out.slice(0, 4000)}`);
  }
});

// The sandbox's answers, against the document's responses.
const ajv = new Ajv2020({ strict: false, allErrors: true });

/** The document's schemas with `additionalProperties: false` wherever an object names its properties. */
function closed(schema) {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== "object") return schema;
  const out = Object.fromEntries(Object.entries(schema).map(([k, v]) => [k, k === "properties" ? Object.fromEntries(Object.entries(v).map(([p, s]) => [p, closed(s)])) : closed(v)]));
  if (schema.properties && !("additionalProperties" in schema)) out.additionalProperties = false;
  return out;
}

function deref(node) {
  while (node?.$ref) node = node.$ref.split("/").slice(1).reduce((o, k) => o[k], doc);
  return node;
}

/** The operation of the document a request hit: `/campaigns/1/start` matches `/campaigns/{campaign_id}/start`. */
function operation(method, url) {
  const p = new URL(url).pathname.replace(/^\/api\/v1/, "");
  for (const [tpl, ops] of Object.entries(doc.paths)) {
    const re = new RegExp(`^${tpl.replace(/\{[^}]+\}/g, "[^/]+")}$`);
    if (re.test(p) && ops[method.toLowerCase()]) return [`${method} ${tpl}`, ops[method.toLowerCase()]];
  }
  return [`${method} ${p}`, undefined];
}

let validator;
async function check(method, p, { key = KEYS.all, body, headers = {}, status }) {
  validator ??= ajv.compile({ $id: "doc", ...closed({ components: doc.components }) });
  const url = `${sb.url}/api/v1${p}`;
  const res = await fetch(url, {
    method,
    headers: { ...(key ? { "x-api-key": key } : {}), ...(body !== undefined ? { "content-type": "application/json" } : {}), ...headers },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
  const [name, op] = operation(method, url);
  assert.ok(op, `${name}: the sandbox answered a path the document does not have`);
  assert.equal(res.status, status, `${name}: status`);
  const response = deref(op.responses[String(res.status)]);
  assert.ok(response, `${name}: the sandbox answered ${res.status}, which the document does not list`);
  for (const [h, spec] of Object.entries(response.headers ?? {})) {
    if (deref(spec).required) assert.ok(res.headers.has(h), `${name} ${res.status}: header ${h} missing`);
  }
  const ref = response.content["application/json"].schema.$ref;
  const data = await res.json();
  const ok = ajv.validate(`doc${ref}`, data);
  assert.ok(ok, `${name} ${res.status}: the answer does not match ${ref} of sandbox/openapi.yaml: ${ajv.errorsText(ajv.errors)}\n${JSON.stringify(data).slice(0, 500)}`);
  return data;
}

const campaign = {
  name: "Contract", purpose: "qualification", agent_ref_id: 1,
  extraction_schema: { type: "object", properties: { ok: { type: "boolean" } } }, display_columns: ["name", "ok"],
  schedule: { timezone: "Europe/Rome", start_date: "2026-01-01", end_date: null },
};

test("the sandbox answers every endpoint with exactly the document's shapes (no field it does not name)", async () => {
  await check("GET", "/me", { status: 200 });
  await check("GET", "/me", { key: null, status: 401 });
  await check("GET", "/me", { key: KEYS.noScopes, status: 403 });
  await check("GET", "/agents?limit=2", { status: 200 });
  await check("GET", "/agents?limit=0", { status: 422 });
  await check("POST", "/agents", { body: { name: "A", lang: null, voice_engine: "retell" }, status: 201 });
  await check("POST", "/agents", { body: { name: "B" }, status: 201 });
  await check("POST", "/agents", { body: {}, status: 422 });
  await check("POST", "/agents", { body: "not json", status: 422 });
  await check("POST", "/agents", { body: "{}", headers: { "content-type": "text/plain" }, status: 415 });
  await check("POST", "/agents", { body: { name: "x".repeat(1.1 * 2 ** 20) }, status: 413 });
  await check("POST", "/agents", { body: { name: "C" }, headers: { "idempotency-key": "k1" }, status: 201 });
  await check("POST", "/agents", { body: { name: "D" }, headers: { "idempotency-key": "k1" }, status: 409 });
  await check("GET", "/campaigns", { status: 200 });
  const c = await check("POST", "/campaigns", { body: campaign, status: 201 });
  await check("POST", "/campaigns", { body: { ...campaign, purpose: "nope" }, status: 422 });
  await check("POST", `/campaigns/${c.id}/start`, { status: 200 });
  await check("POST", "/campaigns/999999/start", { status: 404 });
  await check("GET", `/campaigns/1/results`, { status: 200 });
  await check("GET", "/campaigns/999999/results", { status: 404 });
  await check("POST", "/leads:upsert", { body: { campaign_id: 1, items: [{ external_id: "x", phone: "+393401234567", data: { a: 1 } }, { external_id: "y", phone: "bad" }] }, status: 200 });
  await check("POST", "/leads:upsert", { body: { campaign_id: 1 }, status: 422 });
  await check("POST", "/leads:upsert", { body: { campaign_id: 999999, items: [] }, status: 404 });
  await check("GET", "/calls?campaign_id=1&limit=100", { status: 200 });
  await check("GET", "/calls?limit=101", { status: 422 });
  await sb.fault({ method: "GET", path: "/api/v1/me", kind: "rate_limit", retry_after: 1 });
  await check("GET", "/me", { status: 429 });
});

test("the check above catches a field the document does not name (the old upsert `errors` list)", async () => {
  const dev = await startSandbox({ args: ["--item-errors"] });
  try {
    const res = await fetch(`${dev.url}/api/v1/leads:upsert`, {
      method: "POST",
      headers: { "x-api-key": KEYS.all, "content-type": "application/json" },
      body: JSON.stringify({ campaign_id: 1, items: [{ external_id: "y", phone: "bad" }] }),
    });
    const data = await res.json();
    validator ??= ajv.compile({ $id: "doc", ...closed({ components: doc.components }) });
    assert.equal(ajv.validate("doc#/components/schemas/UpsertResult", data), false, JSON.stringify(data));
    assert.match(ajv.errorsText(ajv.errors), /additional properties/);
  } finally {
    await dev.stop();
  }
});

// The values each entry exports are the ones its declarations name: nothing
// internal leaks (validate.js's CSV helpers for the import), nothing is missing.
test("each entry exports exactly the values its .d.ts declares", async () => {
  const declared = (...files) => new Set(files.flatMap((f) =>
    [...fs.readFileSync(path.join(PKG_DIR, "types", f), "utf8").matchAll(/^export declare (?:function\*?|const|class|let) (\w+)/gm)].map((m) => m[1])));
  const keys = async (entry) => new Set(Object.keys(await import(path.join(PKG_DIR, entry))));
  assert.deepEqual(await keys("dist/validate/node.js"), declared("validate.d.ts"), "agoralia/validate vs types/validate.d.ts");
  assert.deepEqual(await keys("dist/node.js"), declared("client.d.ts", "errors.d.ts", "validate.d.ts"), "agoralia vs types/*.d.ts");
});
