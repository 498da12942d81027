#!/usr/bin/env node
// `npx agoralia ...`: every endpoint of the Public API v1 and the bulk work
// from a shell. Arguments are read with Node's own util.parseArgs; the SDK
// does the rest. Exit codes: 0 success, 1 an API or validation error,
// 2 a usage error, 130 interrupted (an import then resumes with --resume).
import { parseArgs } from "node:util";
import { readFileSync } from "node:fs";
import { Agoralia, validateJsonText, readLeadsCsv, AgoraliaError } from "../node.js";
import { FORMATS, formatFor, print, log, redact } from "./output.js";
import { importCommand } from "./import.js";
import { UsageError, parseMap } from "./args.js";

const VERSION = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;

/** @type {Record<string, Option>} */
const GLOBAL = {
  "api-key": { type: "string", help: "API key (default: $AGORALIA_API_KEY)" },
  "base-url": { type: "string", help: "API base URL (default: $AGORALIA_BASE_URL, else https://api.agoralia.app/api/v1)" },
  format: { type: "string", help: "json | csv | table (default: table on a terminal, json when piped)" },
  help: { type: "boolean", short: "h", help: "show help" },
};
/** @type {Record<string, Option>} */
const LIST = {
  limit: { type: "string", help: "items per page, 1 to 100" },
  cursor: { type: "string", help: "start from this page cursor" },
  all: { type: "boolean", help: "every page, not just the first" },
};
/** @type {Record<string, Option>} */
const BODY = {
  file: { type: "string", help: "the JSON body from this file (- for stdin)" },
  json: { type: "string", help: "the JSON body as an argument" },
};

/**
 * @typedef {{ type: "string" | "boolean", help: string, short?: string }} Option
 * @typedef {object} Command
 * @property {string} summary
 * @property {string} [args] what follows the command, for the usage line
 * @property {Record<string, Option>} [options]
 * @property {(c: Context) => Promise<any>} [run] answers what to print
 * @property {(c: Context) => any} [list] a page list to print (paged by --all)
 * @property {true} [results] a campaign's results
 * @property {"campaign" | "agent" | "leads"} [validate] a file to check
 */
/** @type {Record<string, Command>} */
const COMMANDS = {
  me: { summary: "the workspace, its plan and rate limits, and the key's scopes", run: (c) => c.client().me() },
  "agents list": { summary: "list agents", options: LIST, list: (c) => c.client().agents.list(c.listParams()) },
  "agents create": { summary: "create an agent", options: BODY, run: (c) => c.client().agents.create(c.body()) },
  "campaigns list": { summary: "list campaigns", options: LIST, list: (c) => c.client().campaigns.list(c.listParams()) },
  "campaigns create": { summary: "create a campaign (checked before it is sent)", options: BODY, run: (c) => c.client().campaigns.create(c.body()) },
  "campaigns start": { summary: "start a campaign: answers the proposal (double opt-in)", args: "ID", run: (c) => c.client().campaigns.start(c.id()) },
  "campaigns results": { summary: "a campaign's results, one row per lead", args: "ID", options: { out: { type: "string", help: "write to this file" } }, results: true },
  "results export": { summary: "the same as campaigns results", args: "ID", options: { out: { type: "string", help: "write to this file" } }, results: true },
  "calls list": {
    summary: "list calls",
    options: { ...LIST, campaign: { type: "string", help: "only this campaign's calls" } },
    list: (c) => c.client().calls.list({ ...c.listParams(), campaign_id: c.opt("campaign") === undefined ? undefined : c.int("campaign") }),
  },
  "leads import": {
    summary: "import a leads CSV of any size: streamed, batched, resumable",
    args: "FILE",
    options: {
      campaign: { type: "string", help: "the campaign to add the leads to (required)" },
      map: { type: "string", help: "columns for lead fields: external_id=\"Codice cliente\",phone=Cellulare,name=Nome" },
      data: { type: "string", help: "only these columns go to data (comma-separated headers; \"\" for none)" },
      country: { type: "string", help: "calling code for numbers written without one, e.g. 39" },
      delimiter: { type: "string", help: "force the delimiter: , ; tab or |" },
      rejects: { type: "string", help: "write rejected rows (with _row and _issue) to this CSV" },
      checkpoint: { type: "string", help: "checkpoint file (default: FILE.agoralia-checkpoint.json)" },
      resume: { type: "boolean", help: "continue from the checkpoint of an interrupted run" },
      "batch-size": { type: "string", help: "leads per request, 1 to 1000 (default 1000)" },
      concurrency: { type: "string", help: "requests in flight, 1 to 16 (default 4)" },
      quiet: { type: "boolean", short: "q", help: "no progress on stderr" },
    },
    run: (c) => importCommand(c),
  },
  "validate campaign": { summary: "check a campaign JSON file; issues with line and column", args: "FILE", validate: "campaign" },
  "validate agent": { summary: "check an agent JSON file; issues with line and column", args: "FILE", validate: "agent" },
  "validate leads": {
    summary: "check a leads CSV of any size; issues with row and column",
    args: "FILE",
    options: { country: { type: "string", help: "calling code for numbers written without one" }, map: { type: "string", help: "as for leads import" } },
    validate: "leads",
  },
};

const GROUPS = [...new Set(Object.keys(COMMANDS).map((k) => k.split(" ")[0]))];

function help(name) {
  const optLines = (opts) =>
    Object.entries(opts).map(([k, o]) => `  --${k}${o.type === "string" ? " VALUE" : ""}`.padEnd(26) + o.help);
  if (name && COMMANDS[name]) {
    const cmd = COMMANDS[name];
    return [`usage: agoralia ${name}${cmd.args ? " " + cmd.args : ""} [options]`, "", cmd.summary, "", "options:",
      ...optLines(cmd.options ?? {}), ...optLines(GLOBAL)].join("\n");
  }
  const group = name && GROUPS.includes(name) ? name : undefined;
  const cmds = Object.entries(COMMANDS).filter(([k]) => !group || k.split(" ")[0] === group);
  return [
    `usage: agoralia ${group ?? "<command>"}${group ? " <subcommand>" : ""} [options]   (agoralia ${VERSION})`, "",
    "commands:", ...cmds.map(([k, c]) => `  ${(k + (c.args ? " " + c.args : "")).padEnd(28)}${c.summary}`), "",
    "global options:", ...optLines(GLOBAL), "",
    "Data goes to stdout, logs and progress to stderr. Exit codes: 0 success, 1 API or validation error, 2 usage.",
    "agoralia <command> --help shows a command's own options.",
  ].join("\n");
}

/** What a command sees: its options and positionals, and the client made from them. */
export class Context {
  constructor(name, values, positionals, signal) {
    this.name = name;
    /** @type {Record<string, any>} the parsed options */
    this.values = values;
    /** @type {string[]} */
    this.positionals = positionals;
    this.signal = signal;
    /** @type {Agoralia | undefined} made on first use */
    this._client = undefined;
  }
  opt(k) {
    return this.values[k];
  }
  int(k, { min = 1, max = Number.MAX_SAFE_INTEGER } = {}) {
    const raw = this.values[k];
    const n = Number(raw);
    if (!/^\d+$/.test(String(raw)) || !Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${k} must be an integer from ${min} to ${max}, got "${raw}"`);
    return n;
  }
  id() {
    const raw = this.positionals[0];
    if (!/^\d+$/.test(raw ?? "")) throw new UsageError(`${this.name} needs a numeric ID, got ${raw === undefined ? "nothing" : `"${raw}"`}`);
    return Number(raw);
  }
  file() {
    const f = this.positionals[0];
    if (!f) throw new UsageError(`${this.name} needs a FILE`);
    return f;
  }
  format() {
    return formatFor(this.values.format);
  }
  client() {
    const apiKey = this.values["api-key"] ?? process.env.AGORALIA_API_KEY;
    if (!apiKey) throw new UsageError("no API key: set AGORALIA_API_KEY or pass --api-key");
    return (this._client ??= new Agoralia({ apiKey, baseUrl: this.values["base-url"] ?? (process.env.AGORALIA_BASE_URL || undefined) }));
  }
  listParams() {
    return {
      limit: this.values.limit === undefined ? undefined : this.int("limit", { max: 100 }),
      cursor: this.values.cursor,
    };
  }
  body() {
    const { file, json } = this.values;
    if ((file === undefined) === (json === undefined)) throw new UsageError(`${this.name} needs the JSON body: --file FILE (- for stdin) or --json TEXT`);
    const text = json ?? readFileSync(file === "-" ? 0 : file, "utf8");
    try {
      return JSON.parse(text);
    } catch (e) {
      throw new UsageError(`the body is not JSON: ${e.message}`);
    }
  }
}

/** @param {Context} ctx @param {Command} cmd */
async function runList(ctx, cmd) {
  const list = cmd.list(ctx);
  const items = [];
  let next = null;
  for await (const page of list.pages()) {
    items.push(...page.items);
    next = page.next_cursor ?? null;
    if (!ctx.opt("all")) break;
  }
  print(ctx.format(), items);
  if (next && !ctx.opt("all")) log(`more: --cursor ${next} (or --all)`);
}

/** @param {Context} ctx */
async function runResults(ctx) {
  const { display_columns: columns, rows } = await ctx.client().campaigns.results(ctx.id());
  const out = ctx.opt("out");
  const format = ctx.format();
  if (out) {
    const { createWriteStream } = await import("node:fs");
    const stream = createWriteStream(out);
    print(format === "table" ? "csv" : format, format === "json" ? { display_columns: columns, rows } : rows, { columns, out: stream });
    await new Promise((resolve, reject) => stream.end((e) => (e ? reject(e) : resolve(undefined))));
    log(`wrote ${rows.length} rows (${columns.length} columns) to ${out}`);
  } else {
    print(format, format === "json" ? { display_columns: columns, rows } : rows, { columns });
    log(`${rows.length} rows (${columns.length} columns)`);
  }
}

/** @param {Context} ctx @param {"campaign" | "agent" | "leads"} kind */
async function runValidate(ctx, kind) {
  const file = ctx.file();
  const issues = [];
  if (kind === "leads") {
    const { createReadStream } = await import("node:fs");
    const map = ctx.opt("map") === undefined ? undefined : parseMap(ctx.opt("map"));
    let rows = 0;
    for await (const chunk of readLeadsCsv(createReadStream(file), { defaultCountryCode: ctx.opt("country"), normalizePhones: true, map })) {
      rows = chunk.rowCount;
      issues.push(...chunk.issues);
    }
    log(`${file}: ${rows} rows`);
  } else {
    issues.push(...validateJsonText(kind, readFileSync(file, "utf8")).issues);
  }
  const errors = issues.filter((i) => i.severity === "error").length;
  const format = ctx.format();
  const where = (i) =>
    kind === "leads"
      ? `${file}:${i.row ?? ""}${i.path[2] !== undefined ? `:${i.path[2]}` : ""}`
      : `${file}:${i.line ?? 1}:${i.column ?? 1}`;
  if (format === "table") {
    for (const i of issues) process.stdout.write(`${where(i)}: ${i.severity} ${i.code}: ${i.message}${i.suggestion ? ` (did you mean "${i.suggestion}"?)` : ""}\n`);
  } else {
    const rows = issues.map((i) => ({ file, ...(kind === "leads" ? { row: i.row ?? null, column: i.path[2] ?? null } : { line: i.line ?? null, column: i.column ?? null }),
      severity: i.severity, code: i.code, message: i.message, path: i.path.join("."), suggestion: i.suggestion ?? null }));
    print(format, rows, { columns: rows.length ? undefined : [] });
  }
  log(`${file}: ${errors} error${errors === 1 ? "" : "s"}, ${issues.length - errors} warning${issues.length - errors === 1 ? "" : "s"}`);
  return errors ? 1 : 0;
}

/** Finds the command: the longest run of leading words that names one. */
function resolve(argv) {
  const words = [];
  for (const a of argv) {
    if (a.startsWith("-")) break;
    words.push(a);
  }
  for (let n = Math.min(2, words.length); n > 0; n--) {
    const name = words.slice(0, n).join(" ");
    if (COMMANDS[name]) return { name, skip: n };
  }
  return { name: undefined, group: words[0] };
}

export async function main(argv = process.argv.slice(2), signal) {
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    process.stdout.write(help(argv[1]) + "\n");
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === "--version" || argv[0] === "-v") {
    process.stdout.write(VERSION + "\n");
    return 0;
  }
  const found = resolve(argv);
  if (!found.name) {
    if (found.group && GROUPS.includes(found.group)) {
      const wantsHelp = argv.includes("--help") || argv.includes("-h");
      (wantsHelp ? process.stdout : process.stderr).write(help(found.group) + "\n");
      return wantsHelp ? 0 : 2;
    }
    log(`agoralia: unknown command "${argv.filter((a) => !a.startsWith("-")).slice(0, 2).join(" ")}"\n\n${help()}`);
    return 2;
  }
  const cmd = COMMANDS[found.name];
  /** @type {import("node:util").ParseArgsConfig["options"]} */
  const options = Object.fromEntries(Object.entries({ ...GLOBAL, ...(cmd.options ?? {}) }).map(([k, o]) => [k, o.short ? { type: o.type, short: o.short } : { type: o.type }]));
  let parsed;
  try {
    parsed = parseArgs({ args: argv.slice(found.skip), options, allowPositionals: true, strict: true });
  } catch (e) {
    log(`agoralia ${found.name}: ${e.message}\n\n${help(found.name)}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(help(found.name) + "\n");
    return 0;
  }
  const want = cmd.args ? 1 : 0;
  if (parsed.positionals.length !== want) {
    log(`agoralia ${found.name}: expected ${want ? cmd.args : "no arguments"}, got ${parsed.positionals.length ? parsed.positionals.map((p) => `"${p}"`).join(" ") : "none"}\n\n${help(found.name)}`);
    return 2;
  }
  if (parsed.values.format !== undefined && !FORMATS.includes(parsed.values.format)) {
    log(`agoralia ${found.name}: --format must be one of ${FORMATS.join(", ")}`);
    return 2;
  }
  const ctx = new Context(found.name, parsed.values, parsed.positionals, signal);
  try {
    if (cmd.list) await runList(ctx, cmd);
    else if (cmd.results) await runResults(ctx);
    else if (cmd.validate) return await runValidate(ctx, cmd.validate);
    else {
      const out = await cmd.run(ctx);
      if (typeof out === "number") return out;
      if (out !== undefined) print(ctx.format(), out);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      log(`agoralia ${found.name}: ${e.message}\n\n${help(found.name)}`);
      return 2;
    }
    if (e?.code === "ENOENT" || e?.code === "EISDIR" || e?.code === "EACCES") {
      log(`agoralia ${found.name}: ${e.message}`);
      return 2;
    }
    report(e);
    return e?.name === "AbortError" ? 130 : 1;
  }
}

/** An SDK error (or any other) on stderr: name, message, issues, the missing scope. */
export function report(err) {
  log(`${err?.name ?? "Error"}: ${err?.message ?? err}`);
  for (const issue of (err?.issues ?? []).slice(0, 20)) {
    log(`  ${issue.path?.join(".") || "(body)"}: ${issue.code}: ${issue.message}`);
  }
  if ((err?.issues?.length ?? 0) > 20) log(`  ... and ${err.issues.length - 20} more`);
  if (err?.requiredScope) log(`  the API key lacks the scope "${err.requiredScope}"`);
  if (err?.requestId) log(`  request id: ${err.requestId}`);
  if (!(err instanceof AgoraliaError) && err?.stack && process.env.AGORALIA_DEBUG) log(redact(err.stack));
}

// Run when executed (the bin), not when imported by a test.
const self = new URL(import.meta.url).pathname;
const invoked = process.argv[1] ? (await import("node:fs")).realpathSync(process.argv[1]) : "";
if (invoked === self || invoked === (await import("node:fs")).realpathSync(self)) {
  const controller = new AbortController();
  let interrupts = 0;
  process.on("SIGINT", () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    log("interrupted: finishing the requests in flight (Ctrl-C again to quit at once)");
    controller.abort();
  });
  process.exitCode = await main(process.argv.slice(2), controller.signal);
}
